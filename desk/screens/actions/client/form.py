"""The client form: every field of a client's profile (desk.screens.renderers.
client_fields.PROFILE) in one FieldsForm. New, it opens from the clients list (`n`) and the
palette ("New client…"); filled in, from the client screen (`e`), where it saves the fields
changed at the version the screen read.

Each typed field is checked in place by the service's own validator (an empty optional field
is left out); the account manager (a user name) and the referrer (a client's name or id) are
looked up when the form is saved, in the worker, and a mistake there is shown under its
field too. A new client is created through desk.crm.clients.create, then its screen opens; an edit
goes through desk.crm.clients.update (a conflict is shown under the form).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from desk.crm import clients
from desk.crm.clients import ClientRow
from desk.errors import DeskError, FieldError
from desk.kernel.agents import AgentRef
from desk.screens.actions.calls import can_write
from desk.screens.dialogs.fields_form import FieldsForm, FormField
from desk.screens.renderers.client.fields import PROFILE, ProfileField, parser, typed
from desk.text import one_line

STARTING = {"kind": "client", "lifecycle_stage": "lead", "retainer_cycle": "",
            "confidential": "no"}
"""The choices a new client starts with."""


def optional(check: Callable[[str], Any]) -> Callable[[str], Any]:
    """`check`, except that an empty field is left out (None)."""
    return lambda text: None if not text.strip() else check(text)


def form_field(field: ProfileField, now: datetime, row: ClientRow | None = None) -> FormField:
    """The form's version of one profile field, starting from `row`'s value (or empty)."""
    if field.editor == "choice":
        start = typed(field, row) if row else STARTING[field.name]
        return FormField(field.name, field.label, start, choices=field.choices)
    text = typed(field, row) if row else ""
    if field.editor in ("manager", "referrer"):
        hint = "an agent's user name" if field.editor == "manager" else "a client's name or id"
        return FormField(field.name, field.label, text, check=optional(str.strip),
                         placeholder=f"{hint} (optional)")
    read = parser(field, row, now)
    if field.name == "name":
        return FormField("name", "Name", text, check=lambda typed_text: read(typed_text)[0],
                         placeholder="the company or person")
    return FormField(field.name, field.label, text,
                     check=optional(lambda typed_text: read(typed_text)[0]),
                     placeholder=f"{field.hint} (optional)" if field.hint else "(optional)")


def checked_start(form_fields: list[FormField]) -> dict[str, Any]:
    """What each field of a filled-in form holds before any change, checked as on saving (a
    stored value today's checks refuse stays as text, so saving names what is wrong)."""
    start = {}
    for field in form_fields:
        try:
            start[field.name] = field.check(field.value) if field.check else field.value
        except (ValueError, DeskError):
            start[field.name] = field.value
    return start


def _referrer(agent: AgentRef, fields: dict[str, Any]) -> None:
    """The referrer typed (a client's name or id) as its id; a mistake names the field."""
    if fields.get("referred_by_id") is not None:
        try:
            fields["referred_by_id"] = clients.find(fields["referred_by_id"], agent).id
        except DeskError as error:
            raise FieldError("referred_by_id", f"referred by: {error}") from None


def create(agent: AgentRef, values: dict[str, Any]) -> int:
    """In the worker: the client the form describes, created; returns its id. What the
    service refuses names its field."""
    fields = {name: value for name, value in values.items() if value is not None}
    name, kind = fields.pop("name"), fields.pop("kind")
    _referrer(agent, fields)
    return clients.create(agent, name, kind, **fields).row.id


def update(agent: AgentRef, client_id: int, version: int, changes: dict[str, Any]) -> int:
    """In the worker: the fields changed in the form, saved at `version`; returns the id."""
    _referrer(agent, changes)
    return clients.update(agent, client_id, version, **changes).row.id


def open_new_client(app: Any) -> None:
    """The new-client form over the current screen; once saved, the screen beneath reloads
    (a clients list shows the new client) and the new client's screen opens."""
    if not can_write(app, "create clients"):
        return
    agent = app.agent
    form = FieldsForm("New client", [form_field(field, app.now()) for field in PROFILE],
                      save=lambda values: create(agent, values),
                      note="Only the name is needed; the rest can wait.")

    def created(client_id: int | None) -> None:
        if client_id is None:
            return
        if hasattr(app.screen, "data_changed"):
            app.screen.data_changed()
        app.open_client(client_id)

    app.push_screen(form, created)


def open_edit_client(screen: Any) -> None:
    """The form filled in with the client on `screen` (a ClientScreen whose page the agent
    may change); saves the fields changed, then the screen reloads."""
    page = screen.writable()
    if page is None:
        return
    app, row = screen.app, page.detail.row
    fields = [form_field(field, app.now(), row) for field in PROFILE]
    start = checked_start(fields)
    agent = app.agent

    def save(values: dict[str, Any]) -> int:
        changes = {name: value for name, value in values.items() if value != start[name]}
        return update(agent, row.id, row.version, changes) if changes else row.id

    def saved(client_id: int | None) -> None:
        if client_id is not None:
            app.notify("Saved.", title="desk", markup=False, timeout=3)
            screen.load()

    app.push_screen(FieldsForm(f"Edit {one_line(row.name, 50)}", fields, save=save), saved)
