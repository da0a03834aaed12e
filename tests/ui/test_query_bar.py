"""The query bar over the demo workspace: completion of field names and values (client
names included), errors shown in place with a caret, and queries posted or cancelled.

The bar sits on a small host screen of the tests' own, so it is tested as any screen uses
it: `/` opens it, and the host records what the bar posts.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from desk.screens.widgets.query_bar import QueryBar

from .conftest import press, settle, type_text


class Host(Screen[None]):
    """A screen with a query bar that records what it posts."""

    BINDINGS = [Binding("slash", "filter", "Filter", id="host.filter")]

    def __init__(self, scope: str, current: str = "") -> None:
        super().__init__()
        self.scope = scope
        self.current = current
        self.submitted: list[str] = []
        self.cancelled = 0

    def compose(self) -> ComposeResult:
        yield Static("host", id="host-body")
        yield QueryBar(self.scope)
        yield Footer()

    def action_filter(self) -> None:
        """Open the bar with the current query."""
        self.query_one(QueryBar).open(self.current)

    def on_query_bar_submitted(self, message: QueryBar.Submitted) -> None:
        self.submitted.append(message.text)
        self.current = message.text

    def on_query_bar_cancelled(self, message: QueryBar.Cancelled) -> None:
        self.cancelled += 1


async def open_bar(pilot, scope: str = "tasks", current: str = "") -> Host:
    """Push a host screen, press `/`, and wait until the completion values are loaded."""
    host = Host(scope, current)
    await pilot.app.push_screen(host)
    await settle(pilot)
    await press(pilot, "slash")
    return host


def parts(host: Host) -> tuple[QueryBar, Input, Static, Static]:
    """The bar, its input, its hint line and its error line."""
    bar = host.query_one(QueryBar)
    return (bar, bar.query_one(Input), bar.query_one("#query-bar-hint", Static),
            bar.query_one("#query-bar-error", Static))


def text_of(widget: Static) -> str:
    """What a Static shows, as plain text."""
    return str(widget.render())


async def test_slash_opens_the_bar_focused_with_the_current_query(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        host = await open_bar(pilot, current="@me")
        bar, field, hint, _ = parts(host)
        assert bar.display and field.has_focus
        assert field.value == "@me"
        assert text_of(hint).startswith("tab ▸ me")  # completion of what is there


async def test_tab_completes_a_field_name_then_a_quoted_status(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        host = await open_bar(pilot)
        _, field, hint, _ = parts(host)
        await type_text(pilot, "stat")
        assert "status:" in text_of(hint)
        await press(pilot, "tab")
        assert field.value == "status:"
        await type_text(pilot, "wait")
        assert '"Waiting on customer"' in text_of(hint)
        await press(pilot, "tab")
        assert field.value == 'status:"Waiting on customer"'
        assert field.cursor_position == len(field.value)


async def test_inline_suggestion_shows_and_right_accepts_it(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        host = await open_bar(pilot)
        _, field, _, _ = parts(host)
        await type_text(pilot, "#bil")
        assert field.render_line(0).text.startswith("#billing")
        await press(pilot, "right")
        assert field.value == "#billing"


async def test_tab_again_offers_the_next_value(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        host = await open_bar(pilot)
        _, field, hint, _ = parts(host)
        await type_text(pilot, "priority:")
        await press(pilot, "tab")
        assert field.value == "priority:urgent"
        await press(pilot, "tab")
        assert field.value == "priority:high"
        assert "urgent" in text_of(hint)  # the other options stay on show


async def test_agent_usernames_complete_after_at(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        host = await open_bar(pilot)
        _, field, _, _ = parts(host)
        await type_text(pilot, "status:open @ma")
        await press(pilot, "tab")
        assert field.value == "status:open @maria"


async def test_client_names_are_looked_up_and_quoted(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        host = await open_bar(pilot)
        _, field, hint, _ = parts(host)
        await type_text(pilot, "client:hartw")
        assert '"Hartwell & Sons Joinery"' in text_of(hint)
        await press(pilot, "tab")
        assert field.value == 'client:"Hartwell & Sons Joinery"'


async def test_client_scope_completes_its_own_fields(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        host = await open_bar(pilot, scope="clients")
        _, field, _, _ = parts(host)
        await type_text(pilot, "lifec")
        await press(pilot, "tab")
        await type_text(pilot, "at")
        await press(pilot, "tab")
        assert field.value == "lifecycle:at_risk"


async def test_a_syntax_error_shows_a_caret_and_posts_nothing(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        host = await open_bar(pilot)
        bar, field, _, error = parts(host)
        await type_text(pilot, "@me stauts:open")
        await press(pilot, "enter")
        assert error.display
        message, query, caret = text_of(error).split("\n")
        assert "unknown field 'stauts'" in message and "did you mean 'status'" in message
        assert query == "@me stauts:open"
        assert caret == "    ^"
        assert bar.display and field.has_focus and field.cursor_position == 4
        assert host.submitted == []


async def test_a_wrong_value_is_pointed_at_and_posts_nothing(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        host = await open_bar(pilot)
        bar, _, _, error = parts(host)
        await type_text(pilot, "@me priority:urgnt")
        await press(pilot, "enter")
        message, _, caret = text_of(error).split("\n")
        assert "priority must be one of" in message
        assert caret == " " * len("@me priority:") + "^"
        assert bar.display and host.submitted == []
        await press(pilot, "backspace")  # editing clears the old error
        assert not error.display


async def test_a_hostile_query_is_shown_literally_in_the_error(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        host = await open_bar(pilot, current='[@click=app.quit]x[/] "\x1b[2J')
        _, _, _, error = parts(host)
        await press(pilot, "enter")
        shown = text_of(error)
        assert "unterminated quote" in shown
        assert "[@click=app.quit]x[/]" in shown and "␛[2J" in shown
        assert app.is_running and host.submitted == []


async def test_a_valid_query_is_submitted_and_the_bar_closes(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        host = await open_bar(pilot)
        bar, _, _, _ = parts(host)
        await type_text(pilot, "status:open @me #billing")
        await press(pilot, "enter")
        assert host.submitted == ["status:open @me #billing"]
        assert not bar.display


async def test_escape_cancels_and_posts_nothing_else(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        host = await open_bar(pilot, current="@me")
        bar, _, _, _ = parts(host)
        await type_text(pilot, " #x")
        await press(pilot, "escape")
        assert host.cancelled == 1 and host.submitted == []
        assert not bar.display
        assert pilot.app.screen is host  # escape closed the bar, not the screen
