"""The Contacts section's actions on the client screen: `c` adds a contact in a form, and
`enter` on a contact opens a pick of what to do with it: edit every field in a form, make it
the primary contact, or remove it after a yes (the safe answer, "no", comes first).

Each field of the forms is checked in place by the service's own check
(desk.crm.contacts.FIELDS), so form and service never disagree; the writes go through
desk.crm.contacts in a worker at the version the screen read, and the screen reloads.
"""

from __future__ import annotations

from typing import Any

from desk.crm import contacts
from desk.crm.contacts import ROLE_LABELS, ContactRow
from desk.screens.actions.calls import run_service
from desk.screens.actions.client.form import checked_start
from desk.screens.dialogs.fields_form import FieldsForm, FormField
from desk.screens.dialogs.pick import PickScreen
from desk.screens.hints import key_text
from desk.text import one_line
from desk.vocabulary import CONTACT_ROLES

ROLE_CHOICES = tuple((ROLE_LABELS[role], role) for role in CONTACT_ROLES)
"""The roles as the form offers them."""
TYPED = (("name", "Name", "first and last name"), ("title", "Title", "e.g. Head of IT"),
         ("email", "E-mail", "ada@example.com"), ("phone", "Phone", "+44 20 7946 0000"),
         ("birthday", "Birthday", "YYYY-MM-DD"))
"""The typed fields of the form: name, label, placeholder."""


def _check(name: str):
    """The service's check of field `name`, for the form."""
    return contacts.FIELDS[name]


def form_fields(row: ContactRow | None) -> list[FormField]:
    """The contact form's fields, filled in from `row` (or empty, a user, for a new one)."""
    fields = [FormField(name, label, _typed(row, name), check=_check(name),
                        placeholder=placeholder if name == "name" else f"{placeholder} "
                        "(optional)")
              for name, label, placeholder in TYPED]
    fields.insert(1, FormField("role", "Role", row.role if row else "user",
                               choices=ROLE_CHOICES))
    fields.append(FormField("notes", "Notes", row.notes if row else "", check=_check("notes"),
                            multiline=True))
    return fields


def _typed(row: ContactRow | None, name: str) -> str:
    """What a typed field starts with: the stored value as text, or empty."""
    value = getattr(row, name) if row is not None else None
    return "" if value is None else str(value)


def _saved(screen: Any, said: str):
    """What to do once a change is written: say so and reload the screen."""
    def done(result: object) -> None:
        if result is not None:
            screen.app.notify(said, title="desk", markup=False, timeout=3)
            screen.load()
    return done


def add_contact(screen: Any) -> None:
    """`c`: the new-contact form for the client on `screen` (a ClientScreen); a client's
    first contact is its primary."""
    page = screen.writable()
    if page is None:
        return
    agent, client_id = screen.app.agent, page.detail.row.id
    form = FieldsForm(f"New contact of {one_line(page.detail.row.name, 40)}",
                      form_fields(None),
                      save=lambda values: contacts.add(agent, client_id, **values),
                      note="Only the name is needed; the rest can wait.")
    screen.app.push_screen(form, _saved(screen, "Contact added."))


def open_contact(screen: Any, contact_id: int) -> None:
    """`enter` on a contact: pick edit, make primary or remove."""
    page = screen.writable()
    row = next((c for c in page.contacts if c.id == contact_id), None) if page else None
    if row is None:
        return
    choices = [("edit every field…", "edit"),
               *([("make primary", "primary")] if not row.primary else []),
               ("remove…", "remove")]
    actions = {"edit": edit_contact, "primary": make_primary, "remove": ask_to_remove}
    screen.app.push_screen(
        PickScreen(one_line(row.name, 50), choices,
                   hint=key_text(screen, "enter chooses · {nav.back} cancels")),
        lambda chosen: chosen and actions[chosen](screen, row))


def edit_contact(screen: Any, row: ContactRow) -> None:
    """Every field of the contact in one form; saves those changed at the version read."""
    fields = form_fields(row)
    start = checked_start(fields)
    agent = screen.app.agent

    def save(values: dict[str, Any]) -> ContactRow:
        changes = {name: value for name, value in values.items() if value != start[name]}
        return contacts.edit(agent, row.id, row.version, **changes) if changes else row

    screen.app.push_screen(FieldsForm(f"Edit {one_line(row.name, 50)}", fields, save=save),
                           _saved(screen, "Saved."))


def make_primary(screen: Any, row: ContactRow) -> None:
    """Make the contact the client's primary (the one before it becomes ordinary)."""
    agent = screen.app.agent
    run_service(screen, lambda: contacts.edit(agent, row.id, row.version, primary=True),
                done=_saved(screen, f"{one_line(row.name, 40)} is the primary contact now."))


def ask_to_remove(screen: Any, row: ContactRow) -> None:
    """Ask, then remove the contact at the version read."""
    name = one_line(row.name, 40)
    agent = screen.app.agent
    choices = [(f"no, keep {name}", False), (f"yes, remove {name}", True)]
    screen.app.push_screen(
        PickScreen(f"Remove {name}?", choices,
                   hint=key_text(screen, "enter answers · {nav.back} cancels")),
        lambda yes: yes and run_service(
            screen, lambda: contacts.remove(agent, row.id, row.version),
            done=_saved(screen, f"{name} removed.")))
