"""Roles in an open app: every key on the main screens, pressed by a viewer (and confirmed),
writes nothing; an agent demoted while the app is open can no longer save, and sees so within
seconds; a disabled agent's app stops with a message."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import time

import pytest

from desk.kernel import agents
from desk.work import tasks

from .conftest import Notices, settle

SIZE = (100, 30)
LOOKING = ("move", "page", "scroll", "cursor", "first", "last", "jump", "app.focus",
           "screen.copy_text", "toggle_mark", "help", "quit", "switch_mode", "clear_filter",
           "back", "app.pop_screen", "toggle_sidebar", "toggle_fold", "toggle_group",
           "cycle_sort", "sort", "toggle_order", "period", "command_palette", "select", "why",
           "board", "filter", "query", "recall_view", "mode", "copy_task", "mark_range")
"""Actions that only move, show or sort (they start so); every other key is pressed."""
QUERY, CLIENT = 53, 1
"""A support query and a client of the demo workspace."""


def rows(path: str) -> str:
    """A checksum of every row of every table of the SQLite file at `path`."""
    connection = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        for (table,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
            table_rows = connection.execute(f'SELECT * FROM "{table}"').fetchall()
            digest.update(f"{table}: {sorted(map(repr, table_rows))}\n".encode())
        return digest.hexdigest()
    finally:
        connection.close()


async def press_every_key(pilot, open_screen) -> list[str]:
    """On the screen `open_screen()` shows, press each key that may change something, confirm
    whatever it opened (enter), and close what is left open; returns the keys pressed."""
    app = pilot.app
    open_screen()
    await settle(pilot)
    target = app.screen
    keys = sorted(key for key, active in target.active_bindings.items()
                  if not active.binding.action.startswith(LOOKING))
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
        if app.screen is not target:  # it opened a dialog: confirm it
            await pilot.press("enter")
            await settle(pilot)
        for _ in range(3):
            if app.screen is target:
                break
            await pilot.press("escape")
            await settle(pilot)
        if app.screen is not target:
            open_screen()
            await settle(pilot)
            target = app.screen
    return keys


SCREENS = {
    "inbox": lambda app: app.switch_mode("inbox"),
    "tasks": lambda app: app.switch_mode("tasks"),
    "clients": lambda app: app.switch_mode("clients"),
    "dashboard": lambda app: app.switch_mode("dashboard"),
    "task": lambda app: (app.switch_mode("inbox"), app.open_task(QUERY)),
    "client": lambda app: (app.switch_mode("clients"), app.open_client(CLIENT)),
}
"""The main screens, each as a way to show it."""
WRITING_KEYS = {"inbox": {"a", "s", "r", "n", "z", "m", "plus"}, "tasks": {"n", "V", "plus", "N"},
                "task": {"a", "s", "r", "n", "T", "R", "N"}, "client": {"l", "n", "plus", "s"},
                "clients": set(), "dashboard": set()}
"""Keys each screen must have pressed, at least: a check that the keys were found."""


@pytest.mark.parametrize("screen", SCREENS)
async def test_every_key_a_viewer_presses_writes_nothing(desk_app, demo_db, screen):
    with demo_db.connection_context():
        viewer = agents.acting("sam")
    assert viewer.role == "viewer"
    app = desk_app(agent=viewer)
    before = rows(demo_db.database)
    async with app.run_test(size=SIZE) as pilot:
        pressed = await press_every_key(pilot, lambda: SCREENS[screen](app))
        assert app.is_running
    assert rows(demo_db.database) == before, f"a viewer's key wrote: one of {pressed}"
    assert WRITING_KEYS[screen] <= set(pressed)


@pytest.mark.parametrize("screen", ["inbox", "task"])
async def test_an_agent_demoted_behind_the_apps_back_saves_nothing(desk_app, demo_db, screen):
    """The app still believes maria is an agent (it does not watch), so its keys open their
    dialogs and enter confirms them: the services refuse each change."""
    with demo_db.connection_context():
        maria = agents.acting("maria")
    app = desk_app(agent=maria)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        with demo_db.connection_context():
            agents.set_role(agents.acting(), "maria", "viewer")
        before = rows(demo_db.database)
        pressed = await press_every_key(pilot, lambda: SCREENS[screen](app))
        assert app.agent.can_write  # what the app holds, unaware
    assert rows(demo_db.database) == before, f"a demoted agent's key wrote: one of {pressed}"
    assert any("maria is a viewer and cannot change anything" in notice for notice in notices)


async def until(condition, seconds: float = 10) -> bool:
    """Whether `condition()` holds within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.05)
    return False


def as_admin(app, change) -> None:
    """`change(admin)` by the demo's admin, on a connection of its own (another desk)."""
    with app.database.connection_context():
        change(agents.acting())


def header_text(app) -> str:
    """The header's title line as shown."""
    return str(app.screen.query_one("HeaderTitle").render())


async def test_a_demoted_agent_sees_it_within_seconds_and_cannot_save(desk_app, demo_db):
    with demo_db.connection_context():
        maria = agents.acting("maria")
    app = desk_app(agent=maria, watch_interval=0.05)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        await asyncio.to_thread(as_admin, app, lambda admin: agents.set_role(admin, "maria",
                                                                           "viewer"))
        assert await until(lambda: app.agent.role == "viewer")
        await settle(pilot)
        assert header_text(app).endswith("viewer: read only")
        assert any("An admin made you viewer (you were agent): you can look at everything and "
                   "change nothing." in notice for notice in notices)
        with demo_db.connection_context():
            title_before = tasks.get(QUERY).row.title
        app.open_task(QUERY)
        await settle(pilot)
        await pilot.press("n")  # an internal note: refused, and why
        await settle(pilot)
        assert any("You are a viewer, so you cannot" in notice for notice in notices)
        with demo_db.connection_context():
            assert tasks.get(QUERY).row.title == title_before


async def test_a_disabled_agents_app_stops_with_a_message(desk_app, demo_db, capsys):
    with demo_db.connection_context():
        maria = agents.acting("maria")
    app = desk_app(agent=maria, watch_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await asyncio.to_thread(as_admin, app, lambda admin: agents.set_disabled(
            admin, "maria", True))
        assert await until(lambda: not app.is_running)
    assert app.return_code == 1
    assert "desk: the agent 'maria' is disabled on this desk; an admin can enable it with: " \
           "desk agents enable maria" in " ".join(capsys.readouterr().err.split())
