"""The app skeleton: modes on one key, the live key map, keymap overrides and their problems,
the palette (no Screenshot, theme commands) and the remembered theme.

The app is built with make_app over a temporary SQLite database. tests/conftest.py points
XDG_STATE_HOME at a per-test folder, so state.yaml never touches the developer's own.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from textual._styles_cache import StylesCache
from textual.color import Color
from textual.widgets import DataTable

from desk import state
from desk.app import DeskApp, make_app
from desk.config import Settings
from desk.kernel import agents
from desk.screens.dialogs.help import HelpScreen
from desk.screens.screens.clients import ClientsScreen
from desk.screens.screens.dashboard import DashboardScreen
from desk.screens.screens.inbox import InboxScreen
from desk.screens.screens.tasks import TasksScreen
from desk.work import filters

from .conftest import Notices, press, settle, type_text, wait_until

SIZE = (80, 24)


@pytest.fixture
def build(sqlite_db) -> Callable[..., DeskApp]:
    """make_app over a fresh, migrated SQLite file; keyword arguments become Settings."""
    agent = agents.acting()
    context = filters.Context(agent.username, datetime.now(UTC))
    return lambda **settings: make_app(Settings(**settings), sqlite_db, agent, context)




def help_rows(app: DeskApp) -> list[tuple[str, str, str, str]]:
    """(key, does, binding id, heading) for every key row of the open help screen."""
    table = app.screen.query_one("#help-keys", DataTable)
    rows, heading = [], ""
    for index in range(table.row_count):
        key, does, binding_id = (str(cell) for cell in table.get_row_at(index))
        if binding_id:
            rows.append((key, does, binding_id, heading))
        else:
            heading = key
    return rows


async def test_keys_1_to_4_switch_modes_from_anywhere(build):
    app, notices = build(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        assert app.current_mode == "inbox"
        assert isinstance(app.screen, InboxScreen)
        for key, mode, screen in [("2", "tasks", TasksScreen), ("3", "clients", ClientsScreen),
                                  ("4", "dashboard", DashboardScreen), ("1", "inbox", InboxScreen),
                                  ("4", "dashboard", DashboardScreen)]:
            await press(pilot, key)
            assert app.current_mode == mode
            assert isinstance(app.screen, screen)
    assert notices == [], "the default key map has no problems to report"


async def test_collection_paused_for_the_start_resumes_once_the_app_is_ready(build):
    gc.disable()  # as desk.cli does before the app starts
    try:
        app = build()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0, "what the start built is kept out of collections"
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_widgets_style_cache_is_not_kept_once_it_has_drawn(build):
    build()  # the app caches Textual's background styles by colour (widgets.styles_cache)
    cache = StylesCache()
    styles = cache.get_inner_outer(Color(1, 2, 3), Color(4, 5, 6, 0.5))
    assert styles == StylesCache().get_inner_outer(Color(1, 2, 3), Color(4, 5, 6, 0.5))
    drawn = weakref.ref(cache)
    del cache
    gc.collect()
    assert drawn() is None, "the style cache outlives its widget"


async def test_q_quits(build):
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "q")
        assert app.return_code == 0
        assert not app.is_running


async def test_help_lists_the_live_keys_with_ids_and_closes(build):
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = {(key, binding_id) for key, _, binding_id, _ in help_rows(app)}
        assert {("1", "mode.inbox"), ("2", "mode.tasks"), ("3", "mode.clients"),
                ("4", "mode.dashboard"), ("?", "app.help"), ("q", "app.quit"),
                ("^p", "app.palette")} <= rows
        where = {binding_id: heading for _, _, binding_id, heading in help_rows(app)}
        assert where["mode.tasks"] == "App" and where["nav.down"] == "Move"
        assert [binding_id for _, _, binding_id, _ in help_rows(app)][-7:-3] == [
            "mode.inbox", "mode.tasks", "mode.clients", "mode.dashboard"]
        table = app.screen.query_one("#help-keys", DataTable)
        widths = [column.content_width for column in table.columns.values()]
        assert widths[2] >= len("mode.dashboard"), f"columns are sized to their text: {widths}"
        await press(pilot, "escape")
        assert isinstance(app.screen, InboxScreen)
        await press(pilot, "question_mark")
        await press(pilot, "q")  # q closes the key map; it does not quit from there
        assert isinstance(app.screen, InboxScreen) and app.is_running


def first_offer(app, text: str) -> bool:
    """Whether the command palette's first option names `text` (its search has settled)."""
    options = app.screen.query_one("CommandList").options
    return bool(options) and text in str(options[0].prompt)


async def test_help_from_the_palette_lists_the_mode_screens_keys(build):
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+p")
        await type_text(pilot, "help: key")
        await wait_until(pilot, lambda: first_offer(app, "Help: key map"), "the palette's hit")
        await press(pilot, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the key map")
        where = {binding_id: heading for *_, binding_id, heading in help_rows(app)}
        assert where["triage.assign"] == "Act on the task" and where["mode.tasks"] == "App"


async def test_a_keymap_override_rebinds_the_key_and_help_shows_it(build):
    app, notices = build(keymap={"mode.tasks": "f2"}), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        rows = help_rows(app)
        assert ("f2", "Tasks", "mode.tasks", "App") in rows
        assert not any(key == "2" for key, *_ in rows)
        await press(pilot, "escape")
        await press(pilot, "2")
        assert app.current_mode == "inbox", "2 no longer switches to tasks"
        await press(pilot, "f2")
        assert app.current_mode == "tasks"
        assert isinstance(app.screen, TasksScreen)
    assert notices == []


async def test_a_conflicting_keymap_is_reported_once_naming_both_bindings(build):
    app, notices = build(keymap={"mode.tasks": "1"}), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)  # the check runs in a worker after the first paint
        # Pressing keys makes Textual meet the clash again; it is still reported only once.
        for key in ("1", "3", "1", "question_mark", "escape", "1"):
            await press(pilot, key)
        assert app.current_mode == "tasks", "the user's keymap wins the key"
    assert len(notices) == 1, notices
    assert "key 1 is bound to both mode.inbox and mode.tasks" in notices[0]


async def test_unknown_binding_ids_are_reported_with_a_suggestion(build):
    app, notices = build(keymap={"mode.taks": "t", "nothing.here": "x"}), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        assert app.current_mode == "tasks"
    assert len(notices) == 1, notices
    assert "unknown binding id 'mode.taks' (did you mean 'mode.tasks'?)" in notices[0]
    assert "unknown binding id 'nothing.here'" in notices[0]


async def test_all_key_map_problems_share_one_notification_and_markup_is_not_parsed(build):
    keymap = {"[b]x[/b]": "z", "mode.clients": "question_mark", "app.quit": " , "}
    app, notices = build(keymap=keymap), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await press(pilot, "q")  # app.quit had no usable key, so it keeps q
        assert not app.is_running
    assert len(notices) == 1, notices
    assert notices.markup == [False]
    assert "unknown binding id '[b]x[/b]'" in notices[0]
    assert "key ? is bound to both mode.clients and app.help" in notices[0]
    assert "app.quit: no usable key" in notices[0]


async def test_a_key_a_screen_already_uses_is_reported(build):
    app, notices = build(keymap={"mode.tasks": "tab"}), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
    assert len(notices) == 1, notices
    assert "key tab: mode.tasks does not work on the Inbox screen" in notices[0]


async def test_the_palette_has_no_screenshot_and_offers_each_desk_theme(build):
    app = build()
    async with app.run_test(size=SIZE):
        titles = [command.title for command in app.get_system_commands(app.screen)]
    assert "Screenshot" not in titles
    assert "Theme" not in titles, "Textual's theme picker is replaced by desk's theme commands"
    for name in ("desk-dark", "desk-light", "desk-high-contrast", "desk-16"):
        assert f"Theme: {name}" in titles
    assert "Help: key map" in titles and "Go to Tasks" in titles


async def test_screenshots_are_refused(build, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app, notices = build(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await app.run_action("screenshot")
        assert app.deliver_screenshot() is None
        assert app.save_screenshot(path=str(tmp_path)) == ""
        assert "<svg" in app.export_screenshot(), "snapshots still work: nothing is written"
        await pilot.pause()
    assert not list(tmp_path.rglob("*.svg"))
    assert any("Screenshots are turned off" in notice for notice in notices)


async def test_choosing_a_theme_in_the_palette_applies_and_remembers_it(build):
    app = build()
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "desk-dark"
        await press(pilot, "ctrl+p")
        await type_text(pilot, "desk-light")
        await wait_until(pilot, lambda: first_offer(app, "desk-light"), "the palette's hit")
        await press(pilot, "enter")
        assert app.theme == "desk-light"
    remembered = yaml.safe_load(state.state_path().read_text(encoding="utf-8"))
    assert remembered == {"theme": "desk-light", "config_theme": "desk-dark"}

    async with build().run_test(size=SIZE) as pilot:
        assert pilot.app.theme == "desk-light", "the next start uses the remembered theme"


async def test_a_changed_config_theme_wins_over_the_remembered_one(build):
    state.remember({"theme": "desk-light", "config_theme": "desk-dark"})
    async with build(theme="desk-high-contrast").run_test(size=SIZE) as pilot:
        assert pilot.app.theme == "desk-high-contrast"


async def test_a_theme_command_runs_and_a_write_failure_is_a_notice(build, monkeypatch):
    app, notices = build(), Notices()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(state, "remember", refuse)
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        command = next(command for command in app.get_system_commands(app.screen)
                       if command.title == "Theme: desk-16")
        command.callback()
        await pilot.pause()
        assert app.theme == "desk-16"
    assert any("could not remember it: Permission denied" in notice for notice in notices)


@pytest.mark.parametrize("content", ["theme: [unclosed\n", "- a\n- list\n", "\xff\xfe"])
async def test_a_bad_state_file_is_ignored_with_a_notice(build, content):
    path = state.state_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content.encode("latin-1"))
    app, notices = build(theme="desk-light"), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        assert app.theme == "desk-light"
    assert len(notices) == 1, notices
    assert str(path) in notices[0] and "ignored" in notices[0]


async def test_an_unknown_configured_theme_falls_back_with_a_notice(build):
    app, notices = build(theme="no-such-theme"), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        assert app.theme == "desk-dark"
    assert len(notices) == 1
    assert "Unknown theme 'no-such-theme'" in notices[0]


def test_state_round_trip_and_bad_values(tmp_path: Path):
    path = tmp_path / "nested" / "state.yaml"
    assert state.load(path) == ({}, None)
    state.remember({"theme": "desk-16"}, path)
    state.remember({"other": 1}, path)
    assert state.load(path) == ({"other": 1, "theme": "desk-16"}, None)
    path.write_text("theme: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    values, problem = state.load(path)
    assert values == {} and "not valid YAML" in problem
    assert [item.name for item in path.parent.iterdir()] == ["state.yaml"], "no temp files left"


async def test_desks_own_keys_do_not_clash_on_any_screen_or_widget(build):
    """A key map that only restates a default makes the check look at every screen and
    widget of desk.screens: none of desk's own bindings may clash."""
    app, notices = build(keymap={"app.help": "question_mark"}), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
    assert notices == []
