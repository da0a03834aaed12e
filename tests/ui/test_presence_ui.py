"""Presence in the app over the demo workspace: a task another agent has open is marked in the
inbox (✎ replying, ◉ viewing) with her name in the detail strip, and named on the task
screen; the app announces the task its agent has open, "replying" while the reply editor is
open, renews it on the heartbeat and takes it back when the task closes or the app stops.
Never yourself; a viewer announces nothing; a hostile display name stays text.

"Another agent" announces through a connection of its own, in a thread, as her app would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from textual.widgets import Static

from desk.config.presence import PresenceSettings
from desk.kernel import agents, presence
from desk.models import Agent, Presence
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.screens.inbox import InboxScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.screens.widgets.virtual_list import VirtualList

from .conftest import press, settle, shown, wait_until

SIZE = (80, 24)
GONE = timedelta(minutes=1)
HER_APP = "f" * 32
HOSTILE = "[red]Eve[/red] \x1b[2J"


def agent(app, username: str) -> agents.AgentRef:
    """A demo agent by user name."""
    with app.database.connection_context():
        return agents.ref(Agent.get(Agent.username == username))


def another_agent(app, call: Callable[[], object]) -> asyncio.Future:
    """Run `call` as another agent's app would: in a thread, on a connection of its own."""
    def run() -> object:
        with app.database.connection_context():
            return call()

    return asyncio.to_thread(run)


def rows_of(app) -> list[tuple[int, str, str]]:
    """Every presence row as stored now: (agent id, task id, state)."""
    with app.database.connection_context():
        return [(row.agent_id, row.task_id, row.state) for row in Presence.select()]


def heartbeat(app) -> object:
    """When the one presence row was last renewed."""
    with app.database.connection_context():
        return Presence.get().heartbeat_at


def text_of(app, selector: str) -> str:
    """What a Static of the current screen shows."""
    return str(app.screen.query_one(selector, Static).render())


async def open_inbox(pilot) -> VirtualList:
    """The inbox (the mode the app starts in) once its rows are in."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, InboxScreen)
    return pilot.app.screen.query_one("#inbox-list", VirtualList)


async def test_rows_others_have_open_are_marked_with_their_names_in_the_detail_strip(desk_app):
    app = desk_app(watch_interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        first, second, third = (widget.row_at(index) for index in range(3))
        maria, tom = agent(app, "maria"), agent(app, "tom")
        await another_agent(app, lambda: presence.announce(
            maria, HER_APP, {first.id: "replying", second.id: "viewing"}, gone_after=GONE))
        await another_agent(app, lambda: presence.announce(
            tom, "e" * 32, {first.id: "viewing"}, gone_after=GONE))
        # the app's own agent, from another terminal: never shown
        await another_agent(app, lambda: presence.announce(
            app.agent, "d" * 32, {third.id: "replying"}, gone_after=GONE))
        await wait_until(pilot, lambda: "Maria Keller is replying, Tom Okafor is viewing"
                         in text_of(app, "#inbox-detail"), "the names in the detail strip")
        lines = shown(widget)
        assert f"✎ {first.title[:12]}" in lines[0]
        assert f"◉ {second.title[:12]}" in lines[1]
        assert not any(mark in line for line in lines[2:] for mark in "✎◉")
        assert "✎ Maria Keller is replying" in text_of(app, "#inbox-detail")

        await another_agent(app, lambda: presence.clear(maria, HER_APP))
        await wait_until(pilot, lambda: "Maria" not in text_of(app, "#inbox-detail"),
                         "Maria's presence to go")
        lines = shown(widget)
        assert f"◉ {first.title[:12]}" in lines[0]  # Tom still has it open
        assert "✎" not in lines[0] and "◉" not in lines[1]


async def test_the_app_announces_its_task_and_the_reply_and_takes_them_back(desk_app):
    app = desk_app(watch_interval=1.0,
                   presence=PresenceSettings(heartbeat_seconds=2))
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        task_id, me = widget.row_at(0).id, app.agent.id
        app.open_task(task_id)
        await wait_until(pilot, lambda: rows_of(app) == [(me, task_id, "viewing")],
                         "the task to be announced")
        first_beat = heartbeat(app)
        await wait_until(pilot, lambda: heartbeat(app) > first_beat, "a heartbeat")

        await press(pilot, "n")  # an internal note is not a reply
        assert isinstance(app.screen, WriteTextScreen)
        assert rows_of(app) == [(me, task_id, "viewing")]
        await press(pilot, "escape")
        await press(pilot, "r")
        assert isinstance(app.screen, WriteTextScreen)
        await wait_until(pilot, lambda: rows_of(app) == [(me, task_id, "replying")],
                         "the reply to be announced")
        await press(pilot, "escape")
        assert isinstance(app.screen, TaskScreen)
        await wait_until(pilot, lambda: rows_of(app) == [(me, task_id, "viewing")],
                         "back to viewing")
        await press(pilot, "escape")
        assert isinstance(app.screen, InboxScreen)
        await wait_until(pilot, lambda: rows_of(app) == [], "the task to be taken back")

        app.open_task(task_id)
        await wait_until(pilot, lambda: rows_of(app) == [(me, task_id, "viewing")],
                         "the task to be announced again")
    assert rows_of(app) == []  # the app stopped: nothing of it stays


async def test_a_reply_written_from_the_inbox_shows_as_replying_to_that_row(desk_app):
    app = desk_app(watch_interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        task_id, me = widget.row_at(0).id, app.agent.id
        await press(pilot, "r")
        assert isinstance(app.screen, WriteTextScreen)
        await wait_until(pilot, lambda: rows_of(app) == [(me, task_id, "replying")],
                         "the reply to be announced")
        await press(pilot, "escape")
        assert isinstance(app.screen, InboxScreen)
        await wait_until(pilot, lambda: rows_of(app) == [], "the reply to be taken back")


async def test_the_task_screen_names_who_else_has_it_open_and_hostile_names_stay_text(
        desk_app):
    app = desk_app(watch_interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        task_id = widget.row_at(0).id
        app.open_task(task_id)
        await settle(pilot)
        assert not app.screen.query_one("#task-presence", Static).display  # nobody else
        with app.database.connection_context():
            eve = agents.add(app.agent, "eve", role="agent", name=HOSTILE)
        await another_agent(app, lambda: presence.announce(
            eve, HER_APP, {task_id: "viewing"}, gone_after=GONE))
        await wait_until(pilot, lambda: app.screen.query_one("#task-presence",
                                                             Static).display,
                         "the presence line")
        assert text_of(app, "#task-presence") == "◉ [red]Eve[/red] ␛[2J is viewing"
        await another_agent(app, lambda: presence.announce(
            eve, HER_APP, {task_id: "replying"}, gone_after=GONE))
        await wait_until(pilot, lambda: "is replying" in text_of(app, "#task-presence"),
                         "the reply")
        assert text_of(app, "#task-presence").startswith("✎ [red]Eve[/red]")


async def test_a_viewers_app_shows_others_nothing(desk_app, demo_db):
    with demo_db.connection_context():
        sam = agents.ref(Agent.get(Agent.username == "sam"))
    assert sam.role == "viewer"
    app = desk_app(agent=sam, watch_interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        app.open_task(widget.row_at(0).id)
        await settle(pilot)
        app.live_refresh.presence.beat()
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        assert rows_of(app) == []


async def test_a_live_refresh_tick_during_a_mode_switch_waits_for_the_new_screen(desk_app):
    """The live refresh asks the screen in view which tasks it shows; a tick that came while
    the tasks screen was being put together asked it before its list was there, and the app
    crashed (NoMatches, once in a while in the suite)."""
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_inbox(pilot)
        switching = asyncio.ensure_future(app.switch_mode("tasks"))
        await asyncio.sleep(0)  # the tasks screen is in the stack, not yet mounted
        assert not app.screen.is_mounted
        assert app.live_refresh.presence.ask() is None
        await switching
        await settle(pilot)
        look = app.live_refresh.presence.ask()
        assert look is not None and look.screen is app.screen and look.ids


async def test_a_live_refresh_tick_on_a_screen_being_taken_apart_asks_nothing(desk_app):
    """A screen loses its children before it leaves the stack: a tick that came in between
    found the inbox without its list, and the app crashed (NoMatches, once in the suite)."""
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        await widget.remove()
        assert app.screen.is_mounted and not app.screen.query("#inbox-list")
        assert app.live_refresh.presence.ask() is None
