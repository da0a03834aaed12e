"""The new-client form: every field of a client's profile (desk.screens.renderers.
client_fields.PROFILE) in one FieldsForm, opened from the clients list (`n`) and the palette
("New client…").

Each typed field is checked in place by the service's own validator (an empty optional field
is left out); the account manager (a user name) and the referrer (a client's name or id) are
looked up when the form is saved, in the worker, and a mistake there is shown under its
field too. The client is created through desk.crm.clients.create, then its screen opens.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from desk.crm import clients
from desk.errors import DeskError, FieldError
from desk.kernel.agents import AgentRef
from desk.screens.actions.calls import can_write
from desk.screens.dialogs.fields_form import FieldsForm, FormField
from desk.screens.renderers.client_fields import PROFILE, ProfileField, parser

STARTING = {"kind": "client", "lifecycle_stage": "lead", "retainer_cycle": "",
            "confidential": "no"}
"""The choices a new client starts with."""


def optional(check: Callable[[str], Any]) -> Callable[[str], Any]:
    """`check`, except that an empty field is left out (None)."""
    return lambda text: None if not text.strip() else check(text)


def form_field(field: ProfileField, now: datetime) -> FormField:
    """The form's version of one profile field."""
    if field.editor == "choice":
        return FormField(field.name, field.label, STARTING[field.name], choices=field.choices)
    if field.editor in ("manager", "referrer"):
        hint = "an agent's user name" if field.editor == "manager" else "a client's name or id"
        return FormField(field.name, field.label, check=optional(str.strip),
                         placeholder=f"{hint} (optional)")
    read = parser(field, now)
    if field.name == "name":
        return FormField("name", "Name", check=lambda text: read(text)[0],
                         placeholder="the company or person")
    return FormField(field.name, field.label, check=optional(lambda text: read(text)[0]),
                     placeholder=f"{field.hint} (optional)" if field.hint else "(optional)")


def create(agent: AgentRef, values: dict[str, Any]) -> int:
    """In the worker: the client the form describes, created; returns its id. The referrer
    is found by name or id; what the service refuses names its field."""
    fields = {name: value for name, value in values.items() if value is not None}
    name, kind = fields.pop("name"), fields.pop("kind")
    if "referred_by_id" in fields:
        try:
            fields["referred_by_id"] = clients.find(fields["referred_by_id"], agent).id
        except DeskError as error:
            raise FieldError("referred_by_id", f"referred by: {error}") from None
    return clients.create(agent, name, kind, **fields).row.id


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
