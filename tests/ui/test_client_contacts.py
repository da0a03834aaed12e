"""The Contacts section of the client screen: `c` adds a contact in a form (a bad address
refused under its field), `enter` on a contact edits every field, makes it primary or removes
it after a yes; hostile names show literally."""

from __future__ import annotations

from desk.crm import clients, contacts
from desk.kernel import agents
from desk.models import Contact
from desk.screens.dialogs.fields_form import FieldsForm
from desk.screens.dialogs.pick import PickScreen
from desk.screens.screens.client_screen import ClientScreen

from .conftest import press, settle, type_text
from .test_client_form import error_under
from .test_client_screen import go_to, item_text, open_client
from .test_clients import HOSTILE

SIZE = (80, 24)


def new_client(database, name: str) -> int:
    """A client of the demo's database with no contacts yet."""
    with database.connection_context():
        return clients.create(agents.acting(), name, "client").row.id


def people(database, client: int) -> list[tuple]:
    """The client's contacts as stored: (name, role, title, email, primary, version)."""
    with database.connection_context():
        return list(Contact.select(Contact.name, Contact.role, Contact.title, Contact.email,
                                   Contact.is_primary, Contact.version)
                    .where(Contact.client == client).order_by(Contact.id).tuples())


async def pick(pilot, label: str) -> None:
    """In the pick in front, choose the choice whose label starts with `label`."""
    assert isinstance(pilot.app.screen, PickScreen)
    await type_text(pilot, label)
    await press(pilot, "enter")
    await settle(pilot)


async def test_c_adds_a_contact_and_a_bad_address_is_refused_in_place(desk_app, demo_db):
    client = new_client(demo_db, "Quill Contacts Ltd")
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, client)
        await press(pilot, "c")
        form = app.screen
        assert isinstance(form, FieldsForm)
        await type_text(pilot, "Ada Lovelace")
        form.query_one("#form-email").focus()
        await type_text(pilot, "ada at quill")
        await press(pilot, "ctrl+j")
        assert error_under(app, "email").startswith("not an e-mail address like")
        assert people(demo_db, client) == []
        await press(pilot, "ctrl+u")
        await type_text(pilot, "ada@quill.example")
        await press(pilot, "ctrl+j")
        await settle(pilot)
        assert app.screen is screen
        ((ada_id, _),) = [(item[1], item) for item in screen.items if item[0] == "contact"]
        line = item_text(screen, ("contact", ada_id))
        assert "★ Ada Lovelace" in line and "ada@quill.example" in line and "user" in line
    assert people(demo_db, client) == [("Ada Lovelace", "user", "", "ada@quill.example", True, 1)]


async def test_enter_edits_every_field_makes_primary_and_removes(desk_app, demo_db):
    client = new_client(demo_db, "Quill Contacts Ltd")
    with demo_db.connection_context():
        admin = agents.acting()
        contacts.add(admin, client, "Ada", role="decision_maker")
        bob = contacts.add(admin, client, "Bob", role="user")
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, client)
        await go_to(pilot, screen, ("contact", bob.id))
        await press(pilot, "enter")
        await pick(pilot, "edit")
        form = app.screen
        assert isinstance(form, FieldsForm)
        form.query_one("#form-title").focus()
        await type_text(pilot, "Head of IT")
        await press(pilot, "ctrl+j")
        await settle(pilot)
        assert app.screen is screen
        assert "Head of IT" in item_text(screen, ("contact", bob.id))

        await go_to(pilot, screen, ("contact", bob.id))
        await press(pilot, "enter")
        await pick(pilot, "make primary")
        assert item_text(screen, ("contact", bob.id)).lstrip().startswith("★ Bob")
        assert people(demo_db, client) == [("Ada", "decision_maker", "", "", False, 2),
                                           ("Bob", "user", "Head of IT", "", True, 3)]

        await go_to(pilot, screen, ("contact", bob.id))
        await press(pilot, "enter")
        await pick(pilot, "remove")
        await press(pilot, "enter")  # "no" comes first: nothing happens
        await settle(pilot)
        assert len(people(demo_db, client)) == 2
        await go_to(pilot, screen, ("contact", bob.id))
        await press(pilot, "enter")
        await pick(pilot, "remove")
        await pick(pilot, "yes")
        assert ("contact", bob.id) not in screen.items
    assert [row[0] for row in people(demo_db, client)] == ["Ada"]


async def test_a_hostile_name_shows_literally(desk_app, demo_db):
    client = new_client(demo_db, "Quill Contacts Ltd")
    with demo_db.connection_context():
        eve = contacts.add(agents.acting(), client, HOSTILE, role="billing", title="[b]x[/b]")
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, client)
        assert isinstance(screen, ClientScreen)
        line = item_text(screen, ("contact", eve.id))
        assert "[@click=app.quit]x[/]" in line and "[b]x[/b]" in line and "\x1b" not in line
        assert app.is_running
