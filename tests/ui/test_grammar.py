"""One grammar (issue 16): `x` marks and moves down and `M` marks a range on every list that
marks, `y` copies the task's number and link, ctrl+e writes long text in $VISUAL/$EDITOR,
`?` shows desk's own keys grouped, and pickers and the help move with the list keys."""

from __future__ import annotations

from textual.widgets import Static

from desk.screens.screens.clients import ClientsScreen
from desk.screens.screens.inbox import InboxScreen
from desk.screens.screens.tasks import TasksScreen
from desk.screens.widgets.virtual_list import VirtualList

from .conftest import press, settle

SIZE = (80, 24)


async def the_list(pilot, mode_key: str, screen_type, selector: str) -> VirtualList:
    """Switch to a mode (its key) and return its list once its rows are in."""
    await press(pilot, mode_key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, screen_type)
    return pilot.app.screen.query_one(selector, VirtualList)


# --- x marks and moves down; M marks a range -------------------------------------------------


async def test_x_marks_and_advances_and_m_marks_the_range_in_the_inbox(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        inbox = await the_list(pilot, "1", InboxScreen, "#inbox-list")
        rows = [inbox.row_at(index).id for index in range(6)]
        await press(pilot, "x", "x")
        assert inbox.cursor == 2 and set(inbox.marks.ids) == set(rows[:2])
        status = str(app.screen.query_one("#inbox-status", Static).render())
        assert "2 marked" in status
        await press(pilot, "j", "j", "M")  # from row 1 (x marked it last) to row 4
        assert set(inbox.marks.ids) == set(rows[:5])
        assert "5 marked" in str(app.screen.query_one("#inbox-status", Static).render())


async def test_the_tasks_and_clients_headers_say_how_many_are_marked(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        tasks = await the_list(pilot, "2", TasksScreen, "#tasks-list")
        await press(pilot, "x", "x", "x")
        assert tasks.marks.count == 3 and tasks.cursor == 3
        assert app.screen.sub_title == "Tasks · 3 marked"
        clients = await the_list(pilot, "3", ClientsScreen, "#clients-list")
        await press(pilot, "x", "j", "M")
        assert clients.marks.count == 3
        assert app.screen.sub_title == "Clients · 3 marked"
        await press(pilot, "X", "X")
        assert app.screen.sub_title == "Clients"
