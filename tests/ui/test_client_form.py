"""The new-client form (clients `n`, palette "New client…"), archiving from the client screen
(`A`, "no" preselected) and "My profile…": mistakes are shown under their field and nothing
is written; a saved client opens and is in the clients list."""

from __future__ import annotations

from textual.widgets import Static

from desk.crm import clients
from desk.kernel import agents, profiles
from desk.models import Activity, Agent, Client
from desk.screens.dialogs.fields_form import FieldsForm
from desk.screens.dialogs.pick import PickScreen
from desk.screens.screens.client_screen import ClientScreen
from desk.screens.screens.clients import ClientsScreen
from desk.screens.widgets.virtual_list import VirtualList

from .conftest import Notices, press, settle, shown, type_text

SIZE = (80, 24)
HOSTILE = "Zyx [b]Co[/b] \x1b]52;c;aGk=\x07"


def error_under(app, field: str) -> str:
    """The mistake shown under a field of the form in front ("" when none is shown)."""
    error = app.screen.query_one(f"#form-{field}-error", Static)
    return str(error.render()) if error.display else ""


def count(app, name: str) -> int:
    """How many clients are called `name`."""
    with app.database.connection_context():
        return Client.select().where(Client.name == name).count()


async def open_form(pilot) -> FieldsForm:
    """The clients mode, then `n`."""
    await press(pilot, "3")
    assert isinstance(pilot.app.screen, ClientsScreen)
    await press(pilot, "n")
    assert isinstance(pilot.app.screen, FieldsForm)
    return pilot.app.screen


async def test_a_bad_field_is_named_under_it_and_the_form_stays(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await press(pilot, "ctrl+j")  # no name yet
        assert error_under(app, "name") == "a client needs a name"
        await type_text(pilot, "Zyx Co")
        form.query_one("#form-email").focus()
        await type_text(pilot, "not-an-address")
        await press(pilot, "tab")  # leaving the field checks it
        assert error_under(app, "email") == "email 'not-an-address' is not an e-mail address"
        assert error_under(app, "name") == ""
        form.query_one("#form-account_manager").focus()
        await type_text(pilot, "nobody")
        form.query_one("#form-email").focus()
        await press(pilot, "ctrl+u")
        await press(pilot, "ctrl+j")  # the manager is looked up by the service
        assert error_under(app, "account_manager") == (
            "account manager 'nobody' is not an agent of this desk")
        assert app.screen is form and count(app, "Zyx Co") == 0


async def test_a_saved_client_opens_and_is_in_the_clients_list(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await type_text(pilot, HOSTILE)
        form.query_one("#form-kind").focus()
        await press(pilot, "enter")
        assert isinstance(app.screen, PickScreen)
        await type_text(pilot, "customer")
        await press(pilot, "enter")
        form.query_one("#form-email").focus()
        await type_text(pilot, "ops@zyx.test")
        form.query_one("#form-lead_score").focus()
        await type_text(pilot, "70")
        await press(pilot, "ctrl+j")
        await settle(pilot)
        assert isinstance(app.screen, ClientScreen)
        with app.database.connection_context():
            made = Client.get(Client.name == HOSTILE)
        assert (made.kind, made.email, made.lead_score) == ("customer", "ops@zyx.test", 70)
        await press(pilot, "escape")
        assert isinstance(app.screen, ClientsScreen)
        await press(pilot, "o")  # newest first
        lines = shown(app.screen.query_one("#clients-list", VirtualList))
        assert lines[0].strip().startswith("Zyx [b]Co[/b] ␛]5… customer")


async def test_archiving_asks_first_with_no_preselected(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        with app.database.connection_context():
            client_id = clients.create(agents.acting(), "Zyx Co", "client").row.id
        app.open_client(client_id)
        await settle(pilot)
        await press(pilot, "A")
        assert isinstance(app.screen, PickScreen)
        await press(pilot, "enter")  # the safe answer
        assert isinstance(app.screen, ClientScreen)
        with app.database.connection_context():
            assert Client.get_by_id(client_id).archived_at is None
        await press(pilot, "A")
        await press(pilot, "down", "enter")
        await settle(pilot)
        with app.database.connection_context():
            assert Client.get_by_id(client_id).archived_at is not None
        assert "archived" in str(app.screen.query_one("#client-summary", Static).render())
        assert any(text.startswith("Archived") for text in notices)


async def test_my_profile_from_the_palette(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+p")
        await type_text(pilot, "My profile")
        await press(pilot, "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FieldsForm)
        form.query_one("#form-email").focus()
        await press(pilot, "ctrl+u")
        await type_text(pilot, "me at example.com")
        await press(pilot, "ctrl+j")
        assert error_under(app, "email").startswith("email 'me at example.com' is not an")
        await press(pilot, "ctrl+u")
        await type_text(pilot, "me@example.com")
        form.query_one("#form-signature").focus()
        await type_text(pilot, "Alex\nAcme support")
        await press(pilot, "ctrl+j")
        assert not isinstance(app.screen, FieldsForm)
    with app.database.connection_context():
        me = Agent.get(Agent.username == app.agent.username)
    assert (me.email, me.signature) == ("me@example.com", "Alex\nAcme support")


async def test_an_admin_changes_another_agents_profile_and_teams(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Agent profiles")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)
        await type_text(pilot, "maria")
        await press(pilot, "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FieldsForm) and "maria" in str(
            form.query_one(".dialog-title", Static).render())
        form.query_one("#form-teams").focus()
        await press(pilot, "ctrl+u")
        await type_text(pilot, "Billing, Night shift")
        await press(pilot, "ctrl+j")
        assert not isinstance(app.screen, FieldsForm)
    with app.database.connection_context():
        assert profiles.profile("maria").teams == ("Billing", "Night shift")


async def test_a_viewer_is_told_and_no_form_opens(desk_app):
    with_db = desk_app()
    with with_db.database.connection_context():
        viewer = agents.add(agents.acting(), "vera", role="viewer")
    app, notices = desk_app(agent=viewer), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await press(pilot, "3", "n")
        assert isinstance(app.screen, ClientsScreen)
        assert any("cannot create clients" in text for text in notices)


async def test_every_field_is_edited_in_one_form_from_the_client_screen(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        with app.database.connection_context():
            made = clients.create(agents.acting(), "Zyx Co", "client", email="a@zyx.test",
                                  lead_score=40, birthday="1980-05-17")
        app.open_client(made.row.id)
        await settle(pilot)
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, FieldsForm)
        assert form.query_one("#form-email").value == "a@zyx.test"
        form.query_one("#form-lead_score").focus()
        await press(pilot, "ctrl+u")
        await type_text(pilot, "101")
        await press(pilot, "ctrl+j")
        assert error_under(app, "lead_score").startswith("lead score must be a whole number")
        await press(pilot, "ctrl+u")
        await type_text(pilot, "85")
        await press(pilot, "ctrl+j")
        await settle(pilot)
        assert isinstance(app.screen, ClientScreen)
    with app.database.connection_context():
        saved = Client.get_by_id(made.row.id)
        changed = [row.field for row in Activity.select().where(
            (Activity.entity == "client") & (Activity.entity_id == made.row.id)
            & (Activity.version == 2))]
    assert (saved.lead_score, saved.email, saved.version) == (85, "a@zyx.test", 2)
    assert changed == ["lead_score"], "only the field changed is saved"


async def test_tab_goes_round_the_fields_with_no_stop_between(desk_app):
    """Tab from the last field comes back to the first, and shift+tab from the first goes to
    the last: the scrolling box around the fields took a turn of its own, invisible, and
    what was typed there was lost."""
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        editors = [widget for widget in form.query("#form-fields > *, .form-row > *")
                   if widget.can_focus]
        assert editors[0].has_focus
        await press(pilot, *["tab"] * len(editors))
        assert editors[0].has_focus
        await press(pilot, "shift+tab")
        assert editors[-1].has_focus


async def test_each_field_fits_beside_its_label_inside_the_form(desk_app):
    """A field is as wide as the form leaves it beside its label: it was as wide as the whole
    form, so at 80 columns the end of a long address and the cursor went past the form's
    edge, off the screen."""
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        box = form.query_one("#form-fields").content_region
        fields = [widget for widget in form.query(".form-row > *") if widget.can_focus]
        assert len(fields) > 5
        assert all(box.x <= field.region.x and field.region.right <= box.right
                   for field in fields)
