"""The shared modals: pick a choice, answer a prompt (checked in place), write a text."""

from __future__ import annotations

from textual.app import App
from textual.widgets import OptionList, Static

from desk.errors import InvalidInput
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.dialogs.write_text import WriteTextScreen

from .conftest import press, settle

HOSTILE = "[/] [@click=app.quit]x[/] \x1b[2J"


class Host(App):
    """An empty app that records what each modal returns."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list = []

    def ask(self, screen) -> None:
        """Open `screen` and keep its result."""
        self.push_screen(screen, self.results.append)


def number(text: str) -> int:
    """A positive whole number, or a clear refusal."""
    if not text.strip().isdigit():
        raise InvalidInput(f"quantity must be a whole number, not {text!r}")
    return int(text)


async def test_pick_filters_as_you_type_and_returns_the_value() -> None:
    app = Host()
    async with app.run_test() as pilot:
        app.ask(PickScreen("Priority", [("urgent", 1), ("high", 2), ("normal", 3)]))
        await settle(pilot)
        await press(pilot, "h", "i")
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1
        await press(pilot, "enter")
        assert app.results == [2]


async def test_pick_shows_hostile_labels_literally_and_escape_returns_none() -> None:
    app = Host()
    async with app.run_test() as pilot:
        app.ask(PickScreen("Client", [(HOSTILE, 7)]))
        await settle(pilot)
        label = app.screen.query_one(OptionList).get_option_at_index(0).prompt
        assert "[@click=app.quit]" in str(label) and "␛" in str(label)
        await press(pilot, "escape")
        assert app.results == [None]


async def test_prompt_refuses_bad_input_in_place_then_accepts() -> None:
    app = Host()
    async with app.run_test() as pilot:
        app.ask(PromptScreen("Quantity", parse=number))
        await settle(pilot)
        await press(pilot, "x", "enter")
        error = app.screen.query_one("#prompt-error", Static)
        assert "quantity must be a whole number, not 'x'" in str(error.render())
        assert app.results == []
        await press(pilot, "backspace", "4", "2", "enter")
        assert app.results == [42]


async def test_write_text_asks_before_discarding_a_draft() -> None:
    app = Host()
    async with app.run_test() as pilot:
        app.ask(WriteTextScreen("Reply"))
        await settle(pilot)
        await press(pilot, "ctrl+j")
        assert app.results == []  # nothing written: refused
        await press(pilot, "h", "i", "escape")
        assert app.results == [] and isinstance(app.screen, WriteTextScreen)
        await press(pilot, "escape")
        assert app.results == [None]
        app.ask(WriteTextScreen("Reply"))
        await settle(pilot)
        await press(pilot, "o", "k", "ctrl+j")
        assert app.results == [None, "ok"]
