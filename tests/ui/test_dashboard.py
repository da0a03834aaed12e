"""The dashboard (mode 4) over the demo workspace: every tile filled from the metrics service,
the period selector, drilling into the rows behind a number, opening a client by name, live
recounting, and hostile names."""

from __future__ import annotations

from datetime import timedelta

from desk.metrics import dashboard as metrics
from desk.models import Client, Task
from desk.screens.renderers.dashboard_lines import TILES
from desk.screens.screens.client_screen import ClientScreen
from desk.screens.screens.dashboard import DashboardScreen
from desk.screens.screens.drill_down import DrillDownScreen
from desk.screens.widgets.dashboard_tile import Tile
from desk.screens.widgets.virtual_list import VirtualList

from .conftest import DEMO_NOW, press, settle

SMALL, LARGE = (80, 24), (160, 50)


async def open_dashboard(pilot) -> DashboardScreen:
    """Press 4 and wait until every section is counted."""
    await settle(pilot)
    await press(pilot, "4")
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


def tile(screen: DashboardScreen, tile_id: str) -> Tile:
    """One tile of the dashboard."""
    return screen.query_one(f"#tile-{tile_id}", Tile)


def tile_text(screen: DashboardScreen, tile_id: str) -> list[str]:
    """What a tile shows, line by line (right-stripped, empty lines dropped)."""
    shown_tile = tile(screen, tile_id)
    lines = [shown_tile.render_line(y).text.rstrip() for y in range(shown_tile.size.height)]
    return [line for line in lines if line]


def demo_figures(app, period: str = "30d") -> metrics.Dashboard:
    """The metrics as the service counts them for the demo at its fixed moment."""
    with app.database.connection_context():
        return metrics.dashboard(period, DEMO_NOW)


async def go_to_line(pilot, screen: DashboardScreen, tile_id: str, label: str) -> None:
    """Focus a tile (with l, as a person would) and move its cursor to the line `label`."""
    for _ in range(len(TILES)):
        if pilot.app.focused is tile(screen, tile_id):
            break
        await press(pilot, "l")
    target = tile(screen, tile_id)
    assert pilot.app.focused is target
    index = target.index_of(lambda line: line.label == label)
    assert index is not None, [line.label for line in target.items]
    await press(pilot, "g", *["j"] * index)


async def test_every_tile_shows_its_figures_at_80x24(desk_app):
    app = desk_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_dashboard(pilot)
        figures = demo_figures(app)
        for tile_id, _title, _section in TILES:
            assert tile(screen, tile_id).items, f"{tile_id} was never filled"
            assert "Counting" not in "\n".join(tile_text(screen, tile_id))
        queries = tile_text(screen, "queries")
        assert queries[0].startswith(f"{figures.support.open_queries.value}  open queries")
        urgent = figures.support.open_queries_by_priority[0]
        assert queries[1].startswith(urgent.label) and queries[1].endswith(f" {urgent.value}")
        revenue = figures.clients.monthly_revenue.value
        assert tile_text(screen, "revenue")[0].startswith(f"£{revenue:,.2f}")
        assert "30 days" in str(screen.query_one("#dashboard-period").render())
        drawn = "\n".join(strip.text for strip in screen._compositor.render_strips())
        for _tile_id, title, _section in TILES:
            assert f"─{title}─" in drawn  # every tile's title in full, none cut


async def test_p_cycles_the_period_and_counts_again(desk_app):
    app = desk_app()
    async with app.run_test(size=LARGE) as pilot:
        screen = await open_dashboard(pilot)
        for period, words in (("90d", "90 days"), ("12m", "12 months"), ("30d", "30 days")):
            await press(pilot, "p")
            assert screen.period == period
            figures = demo_figures(app, period)
            retention = figures.clients.retention.rate
            still = tile_text(screen, "retention")[1]
            assert still.endswith(f"{retention.part.value} of {retention.whole.value}"), still
            period_line = screen.query_one("#dashboard-period").render()
            bold = [span for span in period_line.spans if "reverse" in str(span.style)]
            assert [period_line.plain[span.start:span.end].strip() for span in bold] == [words]


async def test_enter_on_a_bar_opens_exactly_the_tasks_it_counts(desk_app):
    app = desk_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_dashboard(pilot)
        urgent = demo_figures(app).support.open_queries_by_priority[0]
        await go_to_line(pilot, screen, "queries", urgent.label)
        await press(pilot, "enter")
        drill = app.screen
        assert isinstance(drill, DrillDownScreen)
        rows = drill.query_one(VirtualList)
        with app.database.connection_context():
            expected = {task.id for task in Task.select().where(
                (Task.kind == "query") & Task.closed_at.is_null() & (Task.priority == 1))}
        assert rows.row_count == urgent.value == len(expected)
        assert {rows.row_at(index).id for index in range(rows.row_count)} == expected
        await press(pilot, "escape")
        assert app.screen is screen


async def test_a_client_figure_opens_its_clients_and_a_name_opens_the_client(desk_app):
    app = desk_app()
    async with app.run_test(size=LARGE) as pilot:
        screen = await open_dashboard(pilot)
        at_risk = demo_figures(app).attention.at_risk
        await go_to_line(pilot, screen, "attention", "at risk")
        await press(pilot, "enter")
        rows = app.screen.query_one(VirtualList)
        assert rows.row_count == at_risk.value
        named = {client.name for client in demo_figures(app).attention.at_risk_clients}
        assert {rows.row_at(index).name for index in range(rows.row_count)} == named
        await press(pilot, "escape")

        first = demo_figures(app).attention.at_risk_clients[0]
        await go_to_line(pilot, screen, "attention", first.name)
        await press(pilot, "enter")
        assert isinstance(app.screen, ClientScreen) and app.screen.client_id == first.client_id


async def test_the_dashboard_counts_again_when_the_data_changes(desk_app):
    app = desk_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_dashboard(pilot)
        before = demo_figures(app).attention.birthdays.value
        with app.database.connection_context():  # someone records a birthday due in 3 days
            client = Client.select().where(Client.birthday.is_null()).first()
            born = (DEMO_NOW + timedelta(days=3)).date().replace(year=1980)
            Client.update(birthday=born).where(Client.id == client.id).execute()
        app.data_changed()
        await settle(pilot)
        assert demo_figures(app).attention.birthdays.value == before + 1
        line = next(text for text in tile_text(screen, "attention") if text.startswith("birth"))
        assert line.endswith(f" {before + 1}")


async def test_hostile_client_names_show_as_text(desk_app):
    app = desk_app()
    hostile = "A [b]x[/b] \x1b[2J"  # sorts first among the at-risk names
    async with app.run_test(size=LARGE) as pilot:
        with app.database.connection_context():
            first = demo_figures(app).attention.at_risk_clients[0]
            Client.update(name=hostile).where(Client.id == first.client_id).execute()
        screen = await open_dashboard(pilot)
        text = "\n".join(tile_text(screen, "attention"))
        assert "A [b]x[/b] ␛[2J" in text
        assert app.is_running


async def test_needs_attention_says_why_a_client_is_at_risk_and_when_birthdays_are(desk_app):
    app = desk_app()
    async with app.run_test(size=LARGE) as pilot:
        screen = await open_dashboard(pilot)
        attention = demo_figures(app).attention
        first = attention.at_risk_clients[0]
        shown = next(text for text in tile_text(screen, "attention") if first.name in text)
        assert shown.endswith(", ".join(first.reasons))  # e.g. "low CSAT, SLA breach"
        named = [(line.client_id, line.value) for line in tile(screen, "attention").items
                 if line.client_id is not None]  # the clients at risk, then the birthdays
        assert named == [(client.client_id, ", ".join(client.reasons))
                         for client in attention.at_risk_clients] + [
            (born.client_id, f"{born.day:%d %b}") for born in attention.upcoming_birthdays]
