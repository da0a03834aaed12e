"""The task screen's "Share a comment with the portal…" palette command: a pick of the
task's comments says which the client's portal shows; choosing an internal note shares it
(audited on the task), choosing it again takes it back; a viewer is refused."""

from __future__ import annotations

from desk.kernel import agents
from desk.models import Activity, Comment, Task
from desk.screens.dialogs.pick import PickScreen
from desk.screens.screens.task_screen import TaskScreen

from .conftest import Notices, press, settle, type_text


def a_client_note(database) -> tuple[int, int]:
    """(task, comment) of the first internal note on a demo task with a client."""
    with database.connection_context():
        return (Comment.select(Comment.task, Comment.id).join(Task)
                .where((Comment.kind == "note") & Task.client.is_null(False))
                .order_by(Comment.id).tuples().first())


def shared(database, comment: int) -> bool:
    """Whether the comment is stored as shared with the portal."""
    with database.connection_context():
        return Comment.get_by_id(comment).portal_shared


async def share_pick(pilot, task: int) -> list[str]:
    """Open the task, run the command from the palette; the labels of the pick."""
    pilot.app.open_task(task)
    await settle(pilot)
    assert isinstance(pilot.app.screen, TaskScreen)
    await press(pilot, "ctrl+p")
    await type_text(pilot, "Share a comment")
    await press(pilot, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PickScreen)
    return [label for label, _ in pilot.app.screen.choices]


async def test_a_note_is_shared_and_taken_back(desk_app, demo_db):
    task, note = a_client_note(demo_db)
    app = desk_app()
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        labels = await share_pick(pilot, task)
        assert all(label.startswith("internal · ") for label in labels)
        await type_text(pilot, "note")
        await press(pilot, "enter")
        await settle(pilot)
        assert shared(demo_db, note)
        assert "Shared with the client's portal." in notices

        await press(pilot, "escape")
        await settle(pilot)
        labels = await share_pick(pilot, task)
        assert any(label.startswith("on the portal · note") for label in labels)
        await type_text(pilot, "on the portal")
        await press(pilot, "enter")
        await settle(pilot)
        assert not shared(demo_db, note)
    with demo_db.connection_context():
        assert [(a.old, a.new) for a in Activity.select().where(
            (Activity.entity == "task") & (Activity.entity_id == task)
            & (Activity.field == "portal_shared")).order_by(Activity.id)] == [
            ("no", "yes"), ("yes", "no")]


async def test_a_viewer_cannot_share(desk_app, demo_db):
    task, note = a_client_note(demo_db)
    with demo_db.connection_context():
        sam = agents.ref(agents.find("sam"))
    app = desk_app(agent=sam)
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        app.open_task(task)
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Share a comment")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
    assert any("You are a viewer" in text for text in notices)
    assert not shared(demo_db, note)
