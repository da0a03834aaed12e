"""A confidential client through the TUI of the demo's viewer, Sam: the inbox's detail strip
and the task screen of a query from Northgate Dental Practice (confidential, managed by
Maria) show the client's name, but neither its requester nor where replies were mailed."""

from __future__ import annotations

from textual.widgets import Static

from desk.kernel import agents
from desk.kernel.confidential import HIDDEN
from desk.models import Task
from desk.screens.screens.inbox import InboxScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.screens.widgets.comment_list import CommentList
from desk.screens.widgets.task_fields import FieldsPanel
from desk.screens.widgets.task_history import HistoryList
from desk.work import comments

from .conftest import settle

SIZE = (120, 60)
QUERY = "Data protection request from a patient"
"""A Northgate query whose newest comment is a message from its requester."""
SECRETS = ("Sadeghi", "practice@northgate-dental.example")


def lines(widget) -> list[str]:
    """What a widget shows, line by line (right-stripped)."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def query_id(database) -> int:
    """The demo query, after the admin replied to it (so its history names the address the
    reply was mailed to)."""
    with database.connection_context():
        task_id = Task.get(Task.title == QUERY).id
        comments.reply(agents.acting(), task_id, "Dear Dr Amir Sadeghi, we are on it.")
    return task_id


def someone(database, username: str) -> agents.AgentRef:
    """A demo agent."""
    with database.connection_context():
        return agents.ref(agents.find(username))


async def strip_of(pilot, task_id: int) -> str:
    """The inbox's detail strip once the inbox is filtered to the task."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, InboxScreen)
    await pilot.press("slash", *f"id:{task_id}", "enter")
    await settle(pilot)
    return str(pilot.app.screen.query_one("#inbox-detail", Static).render())


async def test_the_inbox_strip_hides_the_requester_from_a_viewer(desk_app, demo_db):
    task_id = query_id(demo_db)
    async with desk_app(agent=someone(demo_db, "sam")).run_test(size=SIZE) as pilot:
        strip = await strip_of(pilot, task_id)
    assert f"#{task_id} {QUERY}" in strip and "Northgate Dental Practice" in strip
    assert f"from {HIDDEN}" in strip
    assert not [secret for secret in SECRETS if secret in strip]

    async with desk_app(agent=someone(demo_db, "maria")).run_test(size=SIZE) as pilot:
        strip = await strip_of(pilot, task_id)
    assert "from Dr Amir Sadeghi <practice@northgate-dental.example>" in strip


async def test_the_task_screen_hides_the_requester_from_a_viewer(desk_app, demo_db):
    task_id = query_id(demo_db)
    async with desk_app(agent=someone(demo_db, "sam")).run_test(size=SIZE) as pilot:
        pilot.app.open_task(task_id)
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TaskScreen) and screen.page is not None
        shown = {kind: "\n".join(lines(screen.query_one(kind)))
                 for kind in (FieldsPanel, CommentList, HistoryList)}
    assert "Northgate Dental Practice" in shown[FieldsPanel]
    assert f"{HIDDEN} ·" in shown[CommentList]  # the message's sender
    assert f"Dear {HIDDEN}, we are on it." in shown[CommentList]
    assert f"{HIDDEN}: Re: {QUERY}" in shown[HistoryList]
    assert not [secret for text in shown.values() for secret in SECRETS if secret in text]
