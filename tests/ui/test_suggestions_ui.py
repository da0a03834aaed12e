"""The next best action in the TUI over the demo workspace: the Suggestions screen (create
the task with `c`, `w` explains, `d` dismisses after a reason) and the client screen's
"Next best action" (enter, then snooze until a day typed naturally)."""

from __future__ import annotations

from textual.widgets import Static

from desk.automation.suggestions.listing import suggestions
from desk.models import SuggestionState, Task
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.dialogs.suggestion_why import SuggestionWhyScreen
from desk.screens.screens.client_screen import ClientScreen
from desk.screens.screens.suggestions import SuggestionsScreen
from desk.screens.widgets.line_list import LineList

from .conftest import DEMO_NOW, press, settle, type_text

SIZE = (80, 24)


def lines(widget) -> list[str]:
    """What a widget shows, line by line (right-stripped)."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def expected(app) -> list:
    """The suggestions the demo holds as of the tests' clock."""
    with app.database.connection_context():
        return suggestions(app.settings, DEMO_NOW)


async def open_suggestions(pilot) -> SuggestionsScreen:
    """Open the Suggestions screen from the palette, and wait for its rows."""
    await settle(pilot)
    await press(pilot, "ctrl+p")
    await type_text(pilot, "Suggestions")
    await settle(pilot)
    await press(pilot, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SuggestionsScreen)
    return pilot.app.screen


async def test_the_suggestions_screen_creates_the_task_explains_and_dismisses(desk_app):
    app = desk_app()
    found = expected(app)
    assert len(found) >= 3, found
    first, second = found[0], found[1]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_suggestions(pilot)
        shown = lines(screen.query_one(LineList))
        assert shown[0].split() == [first.rule.replace("_", "-"), *first.client.split()]
        assert shown[1].strip() == first.reason

        await press(pilot, "w")
        assert isinstance(app.screen, SuggestionWhyScreen)
        why = str(app.screen.query_one("#suggestion-why", Static).render())
        assert first.reason.split(";")[0] in why and "Why now" in why
        await press(pilot, "escape")

        await press(pilot, "c")
        await settle(pilot)
        with app.database.connection_context():
            task = Task.get(Task.title == first.title)
            assert task.client_id == first.client_id
        assert lines(screen.query_one(LineList))[0].split()[1:] == second.client.split()

        await press(pilot, "d")
        assert isinstance(app.screen, PromptScreen)
        await press(pilot, "enter")  # no reason: refused in place
        assert "Write why" in str(app.screen.query_one("#prompt-error", Static).render())
        await type_text(pilot, "They renewed by phone")
        await press(pilot, "enter")
        await settle(pilot)
        with app.database.connection_context():
            state = SuggestionState.get(SuggestionState.client == second.client_id,
                                        SuggestionState.rule == second.rule)
        assert (state.outcome, state.reason) == ("dismissed", "They renewed by phone")


async def test_the_client_screen_shows_the_next_best_action_and_snoozes_it(desk_app):
    app = desk_app()
    suggestion = expected(app)[0]
    async with app.run_test(size=SIZE) as pilot:
        app.open_client(suggestion.client_id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClientScreen)
        assert screen.items[:2] == [("heading", None), ("suggestion", suggestion.key)]
        await press(pilot, "enter")
        assert isinstance(app.screen, PickScreen)
        await type_text(pilot, "snooze")
        await press(pilot, "enter")
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, "+3d")
        await press(pilot, "enter")
        await settle(pilot)
        assert app.screen is screen
        with app.database.connection_context():
            state = SuggestionState.get(SuggestionState.client == suggestion.client_id)
        assert (state.outcome, str(state.snoozed_until)) == ("snoozed", "2026-11-23")
        assert ("suggestion", suggestion.key) not in screen.items
