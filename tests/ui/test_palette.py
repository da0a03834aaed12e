"""The command palette: find a task or client by name and open it; run a key of the current
screen; hostile titles show literally; text without a word finds nothing and breaks nothing.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from desk.crm import clients
from desk.screens.screens.client_screen import ClientScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.work import tasks

from .conftest import press, settle, type_text

SIZE = (80, 24)
HOSTILE = "[/] [@click=app.quit]x[/] \x1b[2J sabotage"


class Counter(Screen[None]):
    """A screen with one key of its own, to run from the palette."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("z", "bump", "Bump the counter", id="counter.bump")]

    def __init__(self) -> None:
        """Counted nothing yet."""
        super().__init__()
        self.bumps = 0

    def compose(self) -> ComposeResult:
        """Something to look at."""
        yield Static("counter")

    def action_bump(self) -> None:
        """Count one."""
        self.bumps += 1


async def palette(pilot, typed: str) -> list[str]:
    """Open the palette, type `typed`, and return the text of each option offered."""
    await press(pilot, "ctrl+p")
    await type_text(pilot, typed)
    return [str(option.prompt) for option in pilot.app.screen.query_one("CommandList").options]


async def test_a_client_typed_in_part_opens_its_screen(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = await palette(pilot, "bluef")
        assert options[0].startswith("Client: Bluefin Logistics")
        assert any(option.startswith("Task #") and "Bluefin" in option for option in options)
        await press(pilot, "enter")
        assert isinstance(app.screen, ClientScreen)
        with app.database.connection_context():
            assert clients.get(app.screen.client_id, app.agent).row.name == "Bluefin Logistics"


async def test_a_task_found_by_a_word_of_its_title_opens(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        options = await palette(pilot, "receipt print")
        assert options == ["Task #53: Receipt printer prints blank receipts\nOpen the task screen"]
        await press(pilot, "enter")
        assert isinstance(app.screen, TaskScreen) and app.screen.task_id == 53


async def test_a_key_of_the_current_screen_runs_from_the_palette(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        counter = Counter()
        await app.push_screen(counter)
        options = await palette(pilot, "bump")
        assert options == ["Bump the counter  z\nKey of this screen"]
        await press(pilot, "enter")
        assert app.screen is counter and counter.bumps == 1


async def test_hostile_titles_show_literally_and_open(desk_app):
    app = desk_app()
    with app.database.connection_context():
        task = tasks.create(app.agent, HOSTILE, tasks.get(53).row.list_id)
    async with app.run_test(size=SIZE) as pilot:
        options = await palette(pilot, "sabotage")
        assert options == [f"Task #{task.row.id}: [/] [@click=app.quit]x[/] ␛[2J sabotage"
                           "\nOpen the task screen"]
        await press(pilot, "enter")
        assert app.is_running and isinstance(app.screen, TaskScreen)


async def test_text_without_a_word_finds_nothing_and_breaks_nothing(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        options = await palette(pilot, '"[/]*')
        assert not any(option.startswith(("Task", "Client")) for option in options)
        await press(pilot, "escape")
        assert app.is_running and not app._notifications


async def test_a_task_number_typed_jumps_to_that_task_first(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        options = await palette(pilot, "#53")
        assert options[0] == ("Task #53: Receipt printer prints blank receipts\n"
                              "Open the task screen")
        await press(pilot, "enter")
        assert isinstance(app.screen, TaskScreen) and app.screen.task_id == 53
        await press(pilot, "escape")
        options = await palette(pilot, "58")
        assert options[0].startswith("Task #58: Invoice INV-2291")
        await press(pilot, "escape")
        assert not any(option.startswith("Task #999999:")
                       for option in await palette(pilot, "999999"))
