"""Live refresh: when another agent changes data, the rows on screen follow by themselves
(within two seconds on an idle machine; the tests do not time it), with the cursor on its row
and a draft untouched; a screen out of view catches up when it is shown again.

"Another agent" writes through a connection of its own: the services called in a thread
(each thread has its own connection), or a second app over the same database file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from operator import attrgetter

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Input

from desk.app import DeskApp
from desk.screens.sources import TaskSource
from desk.screens.widgets.list_rows import text_row
from desk.screens.widgets.virtual_list import VirtualList
from desk.work import tasks

from .conftest import press, settle, shown, wait_until

SIZE = (80, 24)


class WatchedTasks(Screen[None]):
    """A small screen implementing the live refresh protocol: the newest tasks in a
    VirtualList, and a draft in an Input. `data_changed()` reloads the rows in view."""

    def compose(self) -> ComposeResult:
        """A draft line above the list."""
        app = self.app
        yield Input(id="draft")
        yield VirtualList(TaskSource(app.database, "", app.query_context(), sort="newest"),
                          text_row(attrgetter("title")))

    def data_changed(self) -> None:
        """Reload the rows, keeping the cursor on its row."""
        self.query_one(VirtualList).reload(keep_cursor=True)


def another_agent(app: DeskApp, write: Callable[[], object]) -> asyncio.Future:
    """Run `write` as another agent would: in a thread, on a connection of its own."""
    def run() -> object:
        with app.database.connection_context():
            return write()

    return asyncio.to_thread(run)


def showing(widget: VirtualList, text: str) -> Callable[[], bool]:
    """A condition: `text` shows in the list."""
    return lambda: any(text in line for line in shown(widget))


async def open_watched(pilot) -> VirtualList:
    """Push the watched screen, wait for its rows, and put the cursor on the third row."""
    app = pilot.app
    await app.push_screen(WatchedTasks())
    await settle(pilot)
    widget = app.screen.query_one(VirtualList)
    widget.focus()
    await press(pilot, "j", "j")
    return widget


async def test_changes_by_another_agent_show_by_themselves(desk_app):
    app = desk_app(watch_interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_watched(pilot)
        app.screen.query_one("#draft", Input).value = "half-typed reply"
        cursor_row, renamed = widget.row_at(2), widget.row_at(4)

        def write() -> None:
            """Rename a row in view and add a task above the cursor (the newest)."""
            tasks.update(app.agent, renamed.id, renamed.version, title="Renamed by a colleague")
            tasks.create(app.agent, "Server room is flooding", cursor_row.list_id, kind="query",
                         sla_rules=app.sla_rules)

        await another_agent(app, write)

        await wait_until(pilot, showing(widget, "Renamed by a colleague"), "the rename")
        assert widget.row_at(0).title == "Server room is flooding"
        assert (widget.cursor, widget.row_at(3).id) == (3, cursor_row.id), \
            "the cursor kept its row, one further down"
        assert shown(widget)[2].endswith(cursor_row.title), "and its place on screen"
        assert app.screen.query_one("#draft", Input).value == "half-typed reply"


async def test_an_edit_in_a_second_app_shows_in_the_first(desk_app):
    first, second = desk_app(watch_interval=1.0), desk_app()
    async with first.run_test(size=SIZE) as pilot:
        widget = await open_watched(pilot)
        target = widget.row_at(4)
        async with second.run_test(size=SIZE) as other:
            await settle(other)

            def rename() -> None:
                current = tasks.get(target.id).row
                tasks.update(second.agent, target.id, current.version,
                             title="Renamed by a colleague")

            await another_agent(second, rename)

        await wait_until(pilot, showing(widget, "Renamed by a colleague"), "the rename")
        assert widget.cursor == 2


async def check_now(pilot) -> None:
    """Run one change check by hand and wait for what it started."""
    pilot.app.check_for_changes()
    await settle(pilot)


async def test_a_hidden_screen_reloads_when_shown_again(desk_app):
    app = desk_app()  # checks run by hand: no timing involved
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_watched(pilot)
        await check_now(pilot)  # the first check opens the watcher's connection
        target = widget.row_at(0)
        await press(pilot, "ctrl+p")  # a modal over the list: the list stays in view

        await another_agent(app, lambda: tasks.update(
            app.agent, target.id, tasks.get(target.id).row.version, title="Seen under a modal"))
        await check_now(pilot)
        assert any("Seen under a modal" in line for line in shown(widget))

        await press(pilot, "escape")
        await app.push_screen(Screen())  # a full screen over it: the watched one is out of view
        await settle(pilot)
        await another_agent(app, lambda: tasks.update(
            app.agent, target.id, tasks.get(target.id).row.version, title="Seen on return"))
        await check_now(pilot)
        assert not any("Seen on return" in line for line in shown(widget))

        await app.pop_screen()
        await settle(pilot)
        assert app.screen.query_one(VirtualList) is widget
        assert any("Seen on return" in line for line in shown(widget))
        assert widget.cursor == 2



async def test_the_inbox_follows_another_agents_edit(desk_app):
    app = desk_app(watch_interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        inbox = app.screen.query_one("#inbox-list", VirtualList)
        await press(pilot, "j", "j")
        cursor_row, renamed = inbox.row_at(2), inbox.row_at(4)

        await another_agent(app, lambda: tasks.update(
            app.agent, renamed.id, renamed.version, title="Renamed by a colleague"))

        await wait_until(pilot, showing(inbox, "Renamed by a colleague"), "the rename")
        assert (inbox.cursor, inbox.row_at(2).id) == (2, cursor_row.id)
