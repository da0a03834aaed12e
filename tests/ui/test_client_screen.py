"""The client screen over the demo workspace: editing profile fields (bad values refused in
place), logging a call that moves the relationship clock, notes from the template, the
overdue clock, orders and queries that open the task screen, conflicts, viewers,
confidential clients and hostile text."""

from __future__ import annotations

from datetime import date

from textual.color import Color
from textual.widgets import Markdown, Static

from desk.crm import clients, interactions
from desk.kernel import agents
from desk.screens.dialogs.conflict import ConflictScreen
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.screens.client_screen import ClientItems, ClientScreen
from desk.screens.screens.task_screen import TaskScreen

from .conftest import DEMO_NOW, Notices, press, settle, type_text
from .test_clients import HOSTILE


def client_id(database, name: str) -> int:
    """The id of the demo client called `name`."""
    with database.connection_context():
        return clients.find(name, agents.acting()).id


def stored(database, client: int) -> clients.ClientRow:
    """The client as the database holds it now."""
    with database.connection_context():
        return clients.get(client, agents.acting()).row


async def open_client(pilot, client: int) -> ClientScreen:
    """Open the client screen (as the palette or the clients list does) and wait for it."""
    pilot.app.open_client(client)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ClientScreen)
    return pilot.app.screen


async def go_to(pilot, screen: ClientScreen, item: tuple) -> None:
    """Move the cursor with j from the top until it is on `item`."""
    await press(pilot, "g")
    for _ in range(len(screen.items)):
        options = screen.query_one(ClientItems)
        if screen.items[options.highlighted] == item:
            return
        await press(pilot, "j")
    raise AssertionError(f"{item} is not in the list")


def item_text(screen: ClientScreen, item: tuple) -> str:
    """The text of one item of the list as shown."""
    options = screen.query_one(ClientItems)
    return str(options.get_option_at_index(screen.items.index(item)).prompt)


def text_of(screen: ClientScreen, selector: str) -> str:
    """The text of a Static."""
    return str(screen.query_one(selector, Static).render())


async def test_email_is_checked_in_place_then_saved(desk_app, demo_db):
    atlas = client_id(demo_db, "Atlas Freight Brokers")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, atlas)
        await go_to(pilot, screen, ("field", "email"))
        await press(pilot, "enter")
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one("#prompt-input").value = "not an address"
        await press(pilot, "enter")

        assert isinstance(app.screen, PromptScreen)
        assert "is not an e-mail address" in text_of(app.screen, "#prompt-error")
        assert stored(demo_db, atlas).email == "viktor@atlas-freight.example"

        app.screen.query_one("#prompt-input").value = "ops@atlas.example"
        await press(pilot, "enter")

        assert app.screen is screen
        assert stored(demo_db, atlas).email == "ops@atlas.example"
        assert item_text(screen, ("field", "email")).split() == ["Email", "ops@atlas.example"]


async def test_t_adds_tags_and_minus_removes_one(desk_app, demo_db):
    atlas = client_id(demo_db, "Atlas Freight Brokers")
    before = stored(demo_db, atlas).tags
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot, atlas)
        await press(pilot, "t")
        assert app.screen.query_one("#prompt-input").value == ""
        await type_text(pilot, "vip")
        await press(pilot, "enter")
        assert stored(demo_db, atlas).tags == tuple(sorted({*before, "vip"}))

        await press(pilot, "t")
        await type_text(pilot, "-vip")
        await press(pilot, "enter")
        assert stored(demo_db, atlas).tags == before


async def test_s_picks_the_stage(desk_app, demo_db):
    atlas = client_id(demo_db, "Atlas Freight Brokers")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, atlas)
        await press(pilot, "s")
        assert isinstance(app.screen, PickScreen)
        await type_text(pilot, "at r")
        await press(pilot, "enter")

        assert stored(demo_db, atlas).stage == "at_risk"
        assert item_text(screen, ("field", "lifecycle_stage")).split() == ["Stage", "at", "risk"]
        assert "at risk" in text_of(screen, "#client-summary")


async def test_a_bad_lead_score_is_refused_and_a_good_one_saved(desk_app, demo_db):
    atlas = client_id(demo_db, "Atlas Freight Brokers")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, atlas)
        await go_to(pilot, screen, ("field", "lead_score"))
        await press(pilot, "enter")
        prompt = app.screen.query_one("#prompt-input")
        for bad in ("high", "101"):
            prompt.value = bad
            await press(pilot, "enter")
            assert "lead score must be a whole number from 0 to 100" in text_of(
                app.screen, "#prompt-error")
        assert stored(demo_db, atlas).lead_score == 21

        prompt.value = "64"
        await press(pilot, "enter")
        assert stored(demo_db, atlas).lead_score == 64


async def test_dates_are_typed_naturally_and_checked(desk_app, demo_db):
    atlas = client_id(demo_db, "Atlas Freight Brokers")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, atlas)
        await go_to(pilot, screen, ("field", "acquisition_date"))
        await press(pilot, "enter")
        prompt = app.screen.query_one("#prompt-input")
        prompt.value = "someday"
        await settle(pilot)
        assert text_of(app.screen, "#prompt-preview").startswith("acquired: cannot read")
        await press(pilot, "enter")
        assert text_of(app.screen, "#prompt-error").startswith("acquired: cannot read")
        prompt.value = "dec 24"
        await settle(pilot)
        assert text_of(app.screen, "#prompt-preview") == "→ Thu 24 Dec"

        prompt.value = "yesterday"
        await press(pilot, "enter")
        assert stored(demo_db, atlas).acquisition_date == date(2026, 11, 19)


async def test_a_picks_the_account_manager(desk_app, demo_db):
    atlas = client_id(demo_db, "Atlas Freight Brokers")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_client(pilot, atlas)
        await press(pilot, "a")
        assert isinstance(app.screen, PickScreen)
        labels = [str(option.prompt) for option in app.screen.query_one("#pick-options").options]
        assert "maria (Maria Keller)" in labels and not any("sam" in x for x in labels)
        await type_text(pilot, "maria")
        await press(pilot, "enter")
        assert stored(demo_db, atlas).account_manager == "maria"


async def test_l_logs_a_call_and_moves_the_last_contact(desk_app, demo_db):
    atlas = client_id(demo_db, "Atlas Freight Brokers")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, atlas)
        assert "OVERDUE" in text_of(screen, "#client-clock")
        await press(pilot, "l")
        await type_text(pilot, "call")
        await press(pilot, "enter")
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, "Asked about a new contract")
        await press(pilot, "enter")

        with demo_db.connection_context():
            latest = interactions.for_client(atlas, 1)[0]
        assert (latest.kind, latest.summary) == ("call", "Asked about a new contract")
        assert stored(demo_db, atlas).last_contact_at == DEMO_NOW.replace(tzinfo=None)
        clock = text_of(screen, "#client-clock")
        assert clock.startswith("Last contact 2026-11-20 (today)") and "OVERDUE" not in clock
        assert not screen.query_one("#client-clock").has_class("-overdue")
        assert "Asked about a new contract" in item_text(screen, ("log", latest.id))


async def test_the_overdue_clock_is_highlighted(desk_app, demo_db):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, client_id(demo_db, "Atlas Freight Brokers"))
        clock = screen.query_one("#client-clock", Static)
        assert clock.has_class("-overdue")
        assert text_of(screen, "#client-clock") == (
            "Last contact 2026-05-27 (177 days ago) · every 30 days · OVERDUE by 147 days")
        assert clock.styles.color == Color.parse(app.theme_variables["error"])
        await press(pilot, "escape")

        screen = await open_client(pilot, client_id(demo_db, "Harbourview Hotel"))
        clock = screen.query_one("#client-clock", Static)
        assert not clock.has_class("-overdue")
        assert "every 14 days · due in 14 days" in text_of(screen, "#client-clock")


async def test_notes_start_from_the_template_and_are_saved(desk_app, demo_db):
    chloe = client_id(demo_db, "Chloe Dubois")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, chloe)
        await press(pilot, "n")
        assert isinstance(app.screen, WriteTextScreen)
        area = app.screen.query_one("#write-text")
        assert area.text.startswith("# Chloe Dubois: requirements\n")
        area.insert("Wants a quote for two laptops.\n\n", (2, 0))
        await press(pilot, "ctrl+j")

        notes = stored_notes(demo_db, chloe)
        assert notes.startswith("# Chloe Dubois: requirements\n\nWants a quote for two")
        assert "## Open questions" in notes
        shown = screen.query_one("#client-notes", Markdown).source
        assert shown.startswith("# Chloe Dubois: requirements")


def stored_notes(database, client: int) -> str:
    """The client's notes as stored."""
    with database.connection_context():
        return clients.get(client, agents.acting()).notes


async def test_orders_and_queries_are_listed_and_enter_opens_the_task(desk_app, demo_db):
    northgate = client_id(demo_db, "Northgate Dental Practice")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, northgate)
        page = screen.page
        headings = [str(option.prompt) for option, (kind, _) in
                    zip(screen.query_one(ClientItems).options, screen.items, strict=True)
                    if kind == "heading"]
        sections = ("Retainer", "Orders", "Open queries", "Open tasks")
        assert [heading for heading in headings if heading.rpartition(" (")[0] in sections
                or heading in sections] \
            == ["Retainer", "Orders (3)", "Open queries (4)", "Open tasks (1)"]
        assert "h used (" in item_text(screen, ("retainer", "used"))  # the demo's retainer
        order = page.orders.rows[0]
        assert order.product in item_text(screen, ("task", order.task.id))
        query = page.queries.rows[0]
        assert query.title in item_text(screen, ("task", query.id))

        await go_to(pilot, screen, ("task", query.id))
        await press(pilot, "enter")
        assert isinstance(app.screen, TaskScreen) and app.screen.task_id == query.id
        await press(pilot, "escape")
        await go_to(pilot, screen, ("task", order.task.id))
        await press(pilot, "enter")
        assert isinstance(app.screen, TaskScreen) and app.screen.task_id == order.task.id


async def test_a_viewer_sees_the_client_but_cannot_change_it(desk_app, demo_db):
    atlas = client_id(demo_db, "Atlas Freight Brokers")
    with demo_db.connection_context():
        sam = agents.ref(agents.find("sam"))
    app = desk_app(agent=sam)
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        screen = await open_client(pilot, atlas)
        assert "Viktor Stoyanov" in item_text(screen, ("field", "contact_person"))
        await go_to(pilot, screen, ("field", "name"))  # past the next best action
        for key in ("s", "l", "n", "enter"):
            await press(pilot, key)
            assert app.screen is screen

        assert len(notices) == 4 and all("You are a viewer" in text for text in notices)
        assert stored(demo_db, atlas).stage == "churned"


async def test_a_confidential_client_is_hidden_from_other_agents(desk_app, demo_db):
    lindqvist = client_id(demo_db, "Lindqvist Legal")
    with demo_db.connection_context():
        tom = agents.ref(agents.find("tom"))
    app = desk_app(agent=tom)
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        screen = await open_client(pilot, lindqvist)
        for field in ("contact_person", "email", "phone"):
            assert "hidden (confidential)" in item_text(screen, ("field", field))
        assert "hidden" in screen.query_one("#client-notes", Markdown).source
        await go_to(pilot, screen, ("field", "email"))
        await press(pilot, "enter")

        assert app.screen is screen
        assert notices == ["This client is confidential: only admins and its account "
                           "manager can change it."]


async def test_hostile_text_shows_literally(desk_app, demo_db):
    with demo_db.connection_context():
        hostile = clients.create(
            agents.acting(), HOSTILE, kind="client", contact_person=HOSTILE,
            notes=f"# {HOSTILE}\n\n[click me](app.quit) \x1b[2J").row.id
    app = desk_app()
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        screen = await open_client(pilot, hostile)
        literal = "[/] [@click=app.quit]x[/] ␛]52;c;aGk=␇"
        assert text_of(screen, "#client-summary").startswith(literal)
        assert literal in item_text(screen, ("field", "contact_person"))
        source = screen.query_one("#client-notes", Markdown).source
        assert "␛[2J" in source and "\x1b" not in source

        link = screen.query_one("#client-notes", Markdown)
        link.post_message(Markdown.LinkClicked(link, "app.quit"))
        await settle(pilot)
        assert app.is_running and notices == ["Link: app.quit"]


async def test_a_stale_save_shows_the_conflict_dialog_and_can_overwrite(desk_app, demo_db):
    atlas = client_id(demo_db, "Atlas Freight Brokers")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, atlas)
        await go_to(pilot, screen, ("field", "email"))
        await press(pilot, "enter")
        app.screen.query_one("#prompt-input").value = "mine@atlas.example"
        with demo_db.connection_context():  # another agent saves while we type
            maria = agents.ref(agents.find("maria"))
            clients.update(maria, atlas, 1, email="theirs@atlas.example")
        await press(pilot, "enter")

        assert isinstance(app.screen, ConflictScreen)
        texts = [str(widget.render()) for widget in app.screen.query(Static)]
        assert "theirs@atlas.example" in texts and "mine@atlas.example" in texts
        assert any(text.startswith("Theirs (saved by maria at") for text in texts)
        await press(pilot, "o")

        assert stored(demo_db, atlas).email == "mine@atlas.example"
        assert "mine@atlas.example" in item_text(screen, ("field", "email"))


async def test_cancelling_a_conflict_reopens_the_draft(desk_app, demo_db):
    chloe = client_id(demo_db, "Chloe Dubois")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, chloe)
        await press(pilot, "n")
        app.screen.query_one("#write-text").insert("My draft. ", (0, 0))
        with demo_db.connection_context():  # another agent saves while we write
            row = clients.get(chloe, agents.acting()).row
            clients.update(agents.acting(), chloe, row.version, notes="Theirs")
        await press(pilot, "ctrl+j")
        assert isinstance(app.screen, ConflictScreen)
        await press(pilot, "escape")

        assert isinstance(app.screen, WriteTextScreen)
        assert app.screen.query_one("#write-text").text.startswith("My draft. # Chloe")
        assert stored_notes(demo_db, chloe) == "Theirs"
        assert screen.query_one("#client-notes", Markdown).source == "Theirs"


async def test_data_changed_reloads_and_keeps_the_cursor(desk_app, demo_db):
    atlas = client_id(demo_db, "Atlas Freight Brokers")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, atlas)
        await go_to(pilot, screen, ("field", "phone"))
        with demo_db.connection_context():
            clients.update(agents.acting(), atlas, 1, phone="+44 20 0000 0000")

        screen.data_changed()
        await settle(pilot)

        options = screen.query_one(ClientItems)
        assert screen.items[options.highlighted] == ("field", "phone")
        assert "+44 20 0000 0000" in item_text(screen, ("field", "phone"))


async def test_an_unknown_client_says_so_in_place(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, 9999)
        assert text_of(screen, "#client-summary") == (
            "Client 9999 could not be loaded: no client 9999")
        await press(pilot, "s", "l", "n")
        assert app.screen is screen
