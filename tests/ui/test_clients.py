"""The clients mode over the demo workspace: the columns at 80 and 200 columns, sort cycling,
the query bar, opening a client, confidential rows, hostile names and live reloads."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from rich.color import Color as RichColor
from textual.color import Color
from textual.widgets import Static

from desk.crm import clients, interactions
from desk.kernel import agents
from desk.screens.renderers.client.page import clock_text
from desk.screens.renderers.client.rows import contact_text, fitted, retainer_text
from desk.screens.screens.client_screen import ClientScreen
from desk.screens.screens.clients import ClientsScreen
from desk.screens.widgets.query_bar import QueryBar
from desk.screens.widgets.virtual_list import VirtualList

from .conftest import DEMO_NOW, Notices, press, settle, shown, type_text

HOSTILE = "[/] [@click=app.quit]x[/] \x1b]52;c;aGk=\x07"




def test_columns_drop_out_from_the_least_important_as_the_width_shrinks():
    names = {width: [column.name for column, _ in fitted(width)] for width in (60, 78, 200)}

    assert names[200] == ["name", "kind", "stage", "manager", "score", "contact", "queries",
                          "retainer", "person", "tags", "loyalty"]
    assert names[78] == names[200][:8]
    assert names[60] == ["name", "kind", "stage", "manager", "contact", "queries"]
    assert all(size >= 16 for column, size in fitted(78) if column.name == "name")


def test_contact_and_retainer_texts():
    naive = DEMO_NOW.replace(tzinfo=None)
    assert contact_text(None, DEMO_NOW) == "never"
    assert contact_text(naive.replace(hour=1), DEMO_NOW) == "today"
    assert contact_text(naive.replace(day=3), DEMO_NOW) == "17d ago"
    assert contact_text(naive.replace(month=5, day=27), DEMO_NOW) == "May 27"
    assert contact_text(naive.replace(year=2025), DEMO_NOW) == "2025-11"
    assert retainer_text(None, None, "GBP") == ""
    assert retainer_text(Decimal("2400.00"), "monthly", "GBP") == "£2,400.00/mo"
    assert retainer_text(Decimal("1500.50"), "quarterly", "CHF") == "CHF 1,500.50/qt"


async def open_clients(pilot) -> VirtualList:
    """Switch to the clients mode and wait until its rows are in."""
    await press(pilot, "3")
    assert isinstance(pilot.app.screen, ClientsScreen)
    return pilot.app.screen.query_one("#clients-list", VirtualList)


def line_of(lines: list[str], name: str) -> str:
    """The shown line of the client called `name`."""
    return next(line for line in lines if line.strip().startswith(name))


def status(app) -> str:
    """The status line above the list."""
    return str(app.screen.query_one("#clients-status", Static).render())


async def test_the_list_shows_clients_with_their_columns_at_80x24(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await open_clients(pilot)
        lines = shown(widget)
        heading = str(app.screen.query_one("#clients-heading", Static).render())

        assert heading.split() == ["Name", "Kind", "Stage", "Manager", "Score", "Contact", "Q",
                                   "Retainer"]
        assert line_of(lines, "Bluefin Logistics").split() == [
            "Bluefin", "Logistics", "client", "active", "priya", "91", "2d", "ago", "1",
            "£2,400.00/mo"]
        assert line_of(lines, "Blue Door Café").split()[3:6] == ["customer", "at", "risk"]
        assert widget.row_count == 40
        # every column starts where its heading does
        assert heading.index("Retainer") == lines[4].index("£2,400.00/mo")


async def test_a_wide_terminal_adds_columns_and_overdue_contact_is_in_the_error_colour(
        desk_app):
    app = desk_app()
    async with app.run_test(size=(200, 40)) as pilot:
        widget = await open_clients(pilot)
        heading = str(app.screen.query_one("#clients-heading", Static).render())
        assert "Person" in heading and "Tags" in heading
        assert "Viktor Stoyanov" in line_of(shown(widget), "Atlas Freight Brokers")

        error = Color.parse(app.theme_variables["error"])
        atlas = widget.render_line(1)  # Atlas is second by name, last contacted May 27
        # cells of one colour are drawn as one run: find the runs holding each text
        colours = {text: segment.style.color for segment in atlas
                   for text in ("May 27", "priya") if text in segment.text}
        assert colours["May 27"] == RichColor.from_rgb(*error.rgb)
        assert colours["priya"] != colours["May 27"]


async def test_o_cycles_the_sort_order(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await open_clients(pilot)
        assert shown(widget)[0].split()[:2] == ["Amara", "Okoye"]

        firsts = []
        for _ in range(4):
            await press(pilot, "o")
            firsts.append((status(app).split("  Filter")[0], shown(widget)[0].split()[0]))

        assert firsts == [("Sort newest first", "Jorge"), ("Sort lead score", "Harbourview"),
                          ("Sort last contact", "Old"), ("Sort name", "Amara")]


async def test_slash_filters_with_the_query_language_and_shows_mistakes_in_the_bar(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await open_clients(pilot)
        await press(pilot, "slash")
        await type_text(pilot, "stage:nope")
        await press(pilot, "enter")
        error = app.screen.query_one("#query-bar-error", Static)
        assert error.display and "nope" in str(error.render())
        assert widget.row_count == 40

        bar = app.screen.query_one(QueryBar)
        bar.input.value = "kind:client stage:active"
        await press(pilot, "enter")

        assert not bar.is_open
        assert "kind:client stage:active" in status(app)
        lines = [line for line in shown(widget) if line]
        assert len(lines) == widget.row_count == 10
        assert all(" client " in line and " active " in line for line in lines)
        await press(pilot, "escape")  # clears the filter
        assert widget.row_count == 40


async def test_enter_opens_the_client_screen(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_clients(pilot)
        await press(pilot, "j", "enter")

        assert isinstance(app.screen, ClientScreen)
        summary = str(app.screen.query_one("#client-summary", Static).render())
        assert summary.startswith("Atlas Freight Brokers")
        await press(pilot, "escape")
        assert isinstance(app.screen, ClientsScreen)


async def test_confidential_contact_details_are_blank_for_other_agents(desk_app, demo_db):
    with demo_db.connection_context():
        tom = agents.ref(agents.find("tom"))
        contact = clients.find("Lindqvist Legal", agents.acting()).contact_person
    for viewer, sees in ((None, True), (tom, False)):
        app = desk_app(agent=viewer)
        async with app.run_test(size=(200, 50)) as pilot:
            widget = await open_clients(pilot)
            assert (contact in line_of(shown(widget), "Lindqvist Legal")) is sees


async def test_hostile_names_show_literally(desk_app, demo_db):
    with demo_db.connection_context():
        clients.create(agents.acting(), HOSTILE, kind="client")
    app = desk_app()
    notices = Notices()
    async with app.run_test(size=(160, 30), message_hook=notices) as pilot:
        widget = await open_clients(pilot)
        await press(pilot, "o")  # newest first: the hostile client leads

        assert shown(widget)[0].startswith("  [/] [@click=app.quit]x[/] ␛]52;c;aGk=␇")
        await press(pilot, "enter")
        assert isinstance(app.screen, ClientScreen) and app.is_running
        summary = str(app.screen.query_one("#client-summary", Static).render())
        assert summary.startswith("[/] [@click=app.quit]x[/] ␛]52;c;aGk=␇")
        assert notices == []


async def test_data_changed_reloads_and_keeps_the_cursor_on_its_client(desk_app, demo_db):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await open_clients(pilot)
        await press(pilot, "o", "o")  # by lead score
        await press(pilot, "j", "j", "j")
        chosen = widget.row_at(widget.cursor)
        with demo_db.connection_context():
            admin = agents.acting()
            clients.update(admin, chosen.id, chosen.version, lead_score=100)

        app.screen.data_changed()
        await settle(pilot)

        assert widget.row_at(widget.cursor).id == chosen.id
        assert widget.cursor == 0 and widget.row_at(0).lead_score == 100


def test_the_list_and_the_clients_page_count_the_days_since_contact_alike():
    now = datetime(2026, 11, 20, 8, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    late_yesterday = datetime(2026, 11, 19, 21, 0)  # naive UTC: 22:00 in Berlin, 10 hours ago
    clock = interactions.clock(late_yesterday, 7, now.astimezone(UTC).replace(tzinfo=None))

    assert contact_text(late_yesterday, now) == "1d ago"
    assert clock_text(clock, now) == (
        "Last contact 2026-11-19 (1 day ago) · every 7 days · due in 6 days")
    a_week_on = interactions.clock(late_yesterday, 7, datetime(2026, 11, 26, 12, 0))
    assert clock_text(a_week_on, datetime(2026, 11, 26, 13, 0, tzinfo=ZoneInfo("Europe/Berlin"))
                      ) == "Last contact 2026-11-19 (7 days ago) · every 7 days · due today"
