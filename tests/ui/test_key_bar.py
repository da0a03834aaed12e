"""KeyBar, the one-line key hints at the bottom of every screen: what it shows, how it follows
the bindings, the user's key map and clicks."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from desk.screens.screens.tasks import TasksScreen
from desk.screens.widgets.key_bar import KeyBar

from .conftest import settle


class Host(App):
    """A screen with a shown key, a hidden one, one that is disabled for now, and an input
    that brings its own keys when focused."""

    BINDINGS = [
        Binding("g", "go", "Go"),
        Binding("h", "hidden", "Hidden", show=False),
        Binding("w", "wait", "Wait"),
        Binding("G", "go", "Go again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.went = 0

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield Input(id="field")
        yield KeyBar()

    def action_go(self) -> None:
        self.went += 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "wait" else True  # None: shown, but disabled


def bar_text(app: App) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def test_it_shows_the_keys_that_work_and_the_palette_key_at_the_right():
    app = Host()
    async with app.run_test(size=(60, 5)) as pilot:
        app.set_focus(None)
        await pilot.pause()
        text = bar_text(app)
        assert text.startswith(" g Go  w Wait ")
        assert "Hidden" not in text and "Go again" not in text  # not shown; one per action
        assert text.endswith("▏ ^p palette ") and len(text) == 60


async def test_a_disabled_key_is_dimmed_and_a_shown_one_is_not():
    app = Host()
    async with app.run_test(size=(60, 5)) as pilot:
        app.set_focus(None)
        await pilot.pause()
        line = app.screen.query_one(KeyBar).render()
        plain = str(line)
        wait_at, go_at = plain.index("Wait"), plain.index("Go")
        assert line.get_style_at_offset(wait_at).dim
        assert not line.get_style_at_offset(go_at).dim


async def test_the_bar_follows_the_focus():
    app = Host()
    async with app.run_test(size=(60, 5)) as pilot:
        app.set_focus(None)
        await pilot.pause()
        assert "Go" in bar_text(app)
        app.query_one("#field").focus()
        await pilot.pause()
        assert bar_text(app).split() == ["▏", "^p", "palette"]  # letters are typed text now
        app.set_focus(None)
        await pilot.pause()
        assert bar_text(app).startswith(" g Go ")


async def test_a_click_on_a_hint_presses_its_key():
    app = Host()
    async with app.run_test(size=(60, 5)) as pilot:
        app.set_focus(None)
        await pilot.pause()
        column = bar_text(app).index("Go")
        await pilot.click(KeyBar, offset=(column, 0))
        await pilot.pause()
        assert app.went == 1
        await pilot.click(KeyBar, offset=(bar_text(app).index("Wait"), 0))  # disabled: nothing
        await pilot.pause()
        assert app.went == 1


async def test_the_bar_shows_the_users_own_keys(desk_app):
    app = desk_app(keymap={"mode.tasks": "f2", "app.palette": "ctrl+k"})
    async with app.run_test(size=(240, 40)) as pilot:
        await settle(pilot)
        text = bar_text(app)
        assert " f2 Tasks " in text and " 2 Tasks " not in text
        assert text.rstrip().endswith("^k Commands")
        await pilot.click(KeyBar, offset=(text.index("f2"), 0))
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
