"""For me in the TUI over the demo workspace: another agent's @mention reaches the key bar's
count within the live refresh, the For me screen lists it first with its hostile text made
visible, enter opens the task and marks it read; `f` follows and unfollows a task on the
task screen, the task lists and For me."""

from __future__ import annotations

from datetime import timedelta

from desk.kernel import agents
from desk.models import Follow, Notice, Task
from desk.screens.screens.for_me import ForMeScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.screens.widgets.key_bar import KeyBar
from desk.screens.widgets.line_list import LineList
from desk.work import comments, notices

from .conftest import DEMO_NOW, Notices, press, settle, type_text, wait_until

SIZE = (80, 24)
HOSTILE = "\x1b]52;c;AAAA\x07 [bold]x[/] [@click=app.quit]y[/]"


def bar(app) -> str:
    """The key bar's line as drawn."""
    return str(app.screen.query_one(KeyBar).render())


def lines(widget) -> list[str]:
    """What a widget shows, line by line (right-stripped)."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def unfollowed_task(demo_db, username: str) -> Task:
    """A task of the demo that `username` neither follows nor has notices on."""
    with demo_db.connection_context():
        agent = agents.acting(username)
        busy = (Follow.select(Follow.task).where(Follow.agent == agent.id)
                | Notice.select(Notice.task).where(Notice.agent == agent.id))
        return Task.select().where(Task.id.not_in(busy)).order_by(Task.id).first()


def following(demo_db, username: str, task_id: int) -> bool:
    """Whether the agent follows the task, as stored."""
    with demo_db.connection_context():
        return notices.is_following(agents.acting(username), task_id)


async def open_for_me(pilot) -> ForMeScreen:
    """Open For me from the palette and wait for its rows."""
    await settle(pilot)
    await press(pilot, "ctrl+p")
    await type_text(pilot, "For me")
    await press(pilot, "enter")
    assert isinstance(pilot.app.screen, ForMeScreen)
    return pilot.app.screen


async def test_a_mention_is_counted_listed_first_and_read_when_opened(desk_app, demo_db):
    task = unfollowed_task(demo_db, "maria")
    app = desk_app(watch_interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        count = app.live_refresh.unread
        await wait_until(pilot, lambda: count.count is not None, "the first unread count")
        before = count.count
        with demo_db.connection_context():  # another desk: maria writes a note
            comments.note(agents.acting("maria"), task.id, f"@{app.agent.username} {HOSTILE}",
                          now=DEMO_NOW + timedelta(minutes=5))
        await wait_until(pilot, lambda: count.count == before + 1, "the count to go up")
        await wait_until(pilot, lambda: f"{before + 1} for me" in bar(app), "the key bar")

        screen = await open_for_me(pilot)
        shown = lines(screen.query_one(LineList))
        assert shown[0] == f"● #{task.id} {task.title}"[:80]
        assert shown[1].startswith("  Maria Keller mentioned you · ")
        assert f"· @{app.agent.username} ␛]52;c;AAAA␇ [bold]x[" in shown[1]  # visible, no markup

        await press(pilot, "enter")
        assert isinstance(app.screen, TaskScreen) and app.screen.task_id == task.id
        await wait_until(pilot, lambda: count.count == before, "the count to go down")
        with demo_db.connection_context():
            assert not Notice.select().where(
                (Notice.task == task.id) & (Notice.agent == app.agent.id)
                & Notice.read_at.is_null()).exists()
        await press(pilot, "escape")
        assert app.screen is screen
        await wait_until(pilot, lambda: not lines(screen.query_one(LineList))[0].startswith(
            f"● #{task.id} "), "the read notice to leave the top")
        assert f"  #{task.id} {task.title}"[:80] in lines(screen.query_one(LineList))


async def test_f_follows_and_unfollows_on_the_task_screen_lists_and_for_me(desk_app, demo_db):
    task = unfollowed_task(demo_db, "maria")
    with demo_db.connection_context():
        maria = agents.acting("maria")
    app = desk_app(agent=maria)
    said = Notices()
    async with app.run_test(size=SIZE, message_hook=said) as pilot:
        await settle(pilot)
        app.open_task(task.id)
        await settle(pilot)
        await press(pilot, "f")
        assert following(demo_db, "maria", task.id)
        assert said[-1].startswith(f"Following #{task.id} ")
        await press(pilot, "f")
        assert not following(demo_db, "maria", task.id)
        assert said[-1].startswith(f"No longer following #{task.id} ")

        await press(pilot, "escape", "2")  # the task list: f acts on the row under the cursor
        row = app.screen.current_line().task
        was = following(demo_db, "maria", row.id)
        await press(pilot, "f")
        assert following(demo_db, "maria", row.id) is not was

        screen = await open_for_me(pilot)  # maria has notices (the demo assigns her work)
        item = screen.current
        assert item is not None
        was = following(demo_db, "maria", item.task_id)
        await press(pilot, "f")
        assert following(demo_db, "maria", item.task_id) is not was
