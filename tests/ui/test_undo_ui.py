"""`u` undoes the agent's last change in the real app, with what was undone said in words:
status and priority on the task screen (newest first, each with its history line), an
assignment and tags in the inbox, a custom field, a card moved on the board, a bulk verb on
12 marked tasks as one step, a reply taken back after a status change, a task someone else
changed since (refused, nothing changed), and nothing to undo."""

from __future__ import annotations

from textual.widgets import TextArea

from desk.kernel import agents
from desk.models import Activity, Comment
from desk.screens.dialogs.help import HelpScreen
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.screens.tasks import TasksScreen
from desk.screens.widgets.task_history import HistoryList
from desk.work import custom_fields, tasks, workspace

from .conftest import Notices, press, settle, type_text
from .test_app import help_rows
from .test_board import open_board, stored_status, support_inbox
from .test_inbox import open_inbox
from .test_outbox_ui import email_query
from .test_task_screen import (
    SIZE,
    go_to_field,
    lines,
    new_task,
    open_task,
    stored,
    type_in,
)


def undo_rows(app, task_id: int) -> list[str]:
    """The fields named by the task's "undo" history rows, oldest first."""
    with app.database.connection_context():
        return [new for (new,) in Activity.select(Activity.new)
                .where((Activity.entity_id == task_id) & (Activity.field == "undo"))
                .order_by(Activity.id).tuples()]


async def test_status_then_priority_are_undone_newest_first_on_the_task_screen(desk_app):
    app, notices = desk_app(), Notices()
    task_id = new_task(app)
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        screen = await open_task(pilot, task_id)
        await press(pilot, "s")
        await type_text(pilot, "progress")
        await press(pilot, "enter", "p")
        await type_text(pilot, "urg")
        await press(pilot, "enter")
        assert (stored(app, task_id).row.status, stored(app, task_id).row.priority) == (
            "In progress", "urgent")
        await press(pilot, "u")
        await settle(pilot)
        assert stored(app, task_id).row.priority == "normal"
        assert stored(app, task_id).row.status == "In progress"
        assert notices[-1] == f"Undid: #{task_id} priority urgent → normal"
        await press(pilot, "u")
        await settle(pilot)
        assert stored(app, task_id).row.status == "To do"
        assert notices[-1] == f"Undid: #{task_id} status In progress → To do"
        history = lines(screen.query_one(HistoryList))
        assert "undid status change" in history[0] and "Status: In progress → To do" in history[1]
        assert undo_rows(app, task_id) == ["priority", "status"]
        await press(pilot, "u")
        assert notices[-1].startswith("Nothing to undo")


async def test_an_assignment_and_tags_are_undone_in_the_inbox(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        me = app.agent.username
        index = next(i for i in range(widget.row_count) if not widget.row_at(i).assignees)
        row = widget.row_at(index)
        widget.move_cursor(index)
        await press(pilot, "a", "enter")
        assert stored(app, row.id).row.assignees == (me,)
        widget.move_cursor(next(i for i in range(widget.row_count)
                                if widget.row_at(i).id == row.id))
        await press(pilot, "t")
        await type_text(pilot, "billing")
        await press(pilot, "enter")
        if isinstance(app.screen, PickScreen):
            await press(pilot, "down", "enter")  # yes to a new tag, when billing is one
        assert "billing" in stored(app, row.id).row.tags
        await press(pilot, "u")
        await settle(pilot)
        assert stored(app, row.id).row.tags == row.tags
        assert notices[-1].startswith(f"Undid: #{row.id} tags ")
        await press(pilot, "u")
        await settle(pilot)
        assert stored(app, row.id).row.assignees == ()
        assert notices[-1] == f"Undid: #{row.id} assignees {me} → none"


async def test_a_custom_field_is_undone(desk_app):
    app, notices = desk_app(), Notices()
    task_id = new_task(app)
    with app.database.connection_context():
        custom_fields.define(app.agent, workspace.find_list("Internal").id, "Budget", "money")
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await open_task(pilot, task_id)
        await go_to_field(pilot, "custom:Budget")
        await press(pilot, "enter")
        await type_in(pilot, "1200.5")
        await press(pilot, "u")
        await settle(pilot)
        with app.database.connection_context():
            assert custom_fields.values_for_task(task_id) == {}
        assert notices[-1] == f"Undid: #{task_id} Budget 1200.50 → none"


async def test_a_card_moved_on_the_board_moves_back(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=(160, 30), message_hook=notices) as pilot:
        board = await open_board(pilot, support_inbox(app))
        card = board.columns[0].cards.row_at(0)
        await press(pilot, "L")
        assert stored_status(app, card.id) == "Open"
        await press(pilot, "u")
        await settle(pilot)
        assert stored_status(app, card.id) == "New"
        assert notices[-1] == f"Undid: #{card.id} status Open → New"
        assert any(board.columns[0].cards.row_at(i).id == card.id
                   for i in range(board.columns[0].cards.row_count))


async def test_a_bulk_verb_on_twelve_marked_tasks_is_undone_as_one_step(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=(120, 30), message_hook=notices) as pilot:
        await press(pilot, "2")
        screen = app.screen
        assert isinstance(screen, TasksScreen)
        rows = [screen.rows.row_at(i).task for i in range(screen.rows.row_count)]
        picked = [(i, row) for i, row in enumerate(rows) if row.priority != "urgent"][:12]
        assert len(picked) == 12
        for index, _ in picked:
            screen.rows.move_cursor(index)
            await press(pilot, "x")
        await press(pilot, "p", "1")
        assert {stored(app, row.id).row.priority for _, row in picked} == {"urgent"}
        await press(pilot, "u")
        await settle(pilot)
        assert [stored(app, row.id).row.priority for _, row in picked] == [
            row.priority for _, row in picked]
        assert notices[-1].startswith("Undid: priority on 12 tasks (#")
        await press(pilot, "u")
        assert notices[-1].startswith("Nothing to undo")


async def test_a_reply_is_taken_back_then_the_priority_change_before_it(desk_app):
    app, notices = desk_app(), Notices()
    task_id, *_ = email_query(app)
    before = stored(app, task_id).row.priority
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await open_task(pilot, task_id)
        await press(pilot, "p")
        await type_text(pilot, "low")
        await press(pilot, "enter", "r")
        await type_text(pilot, "Sorted, see attached.")
        await press(pilot, "ctrl+j")
        await press(pilot, "u")
        assert isinstance(app.screen, WriteTextScreen)
        assert app.screen.query_one(TextArea).text == "Sorted, see attached."
        assert f"Reply to #{task_id} taken back: not sent." in notices
        await press(pilot, "escape", "u")
        await settle(pilot)
        assert stored(app, task_id).row.priority == before
        assert notices[-1] == f"Undid: #{task_id} priority low → {before}"
        with app.database.connection_context():
            assert not Comment.select().where((Comment.task == task_id)
                                              & (Comment.body == "Sorted, see attached.")).exists()


async def test_a_note_cannot_be_undone_and_the_next_u_undoes_the_change_before(desk_app):
    app, notices = desk_app(), Notices()
    task_id = new_task(app)
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await open_task(pilot, task_id)
        await press(pilot, "s")
        await type_text(pilot, "progress")
        await press(pilot, "enter", "n")
        await type_text(pilot, "Called them.")
        await press(pilot, "ctrl+j")
        await press(pilot, "u")
        await settle(pilot)
        assert notices[-1] == f"your last change (note on #{task_id}) cannot be undone"
        await press(pilot, "u")
        await settle(pilot)
        assert stored(app, task_id).row.status == "To do"
        with app.database.connection_context():
            assert Comment.select().where(Comment.task == task_id).count() == 1


async def test_a_task_changed_since_by_someone_else_is_not_undone(desk_app):
    app, notices = desk_app(), Notices()
    task_id = new_task(app)
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await open_task(pilot, task_id)
        await press(pilot, "p")
        await type_text(pilot, "urg")
        await press(pilot, "enter")
        with app.database.connection_context():
            maria = agents.ref(agents.find("maria"))
            tasks.update(maria, task_id, stored(app, task_id).row.version, status="Done")
        await press(pilot, "u")
        await settle(pilot)
        detail = stored(app, task_id)
        assert (detail.row.priority, detail.row.status) == ("urgent", "Done")
        assert notices[-1] == (f"#{task_id} was changed by maria since (status); nothing was "
                               "undone")
        assert undo_rows(app, task_id) == []


async def test_help_shows_u_as_undo_on_every_screen_that_changes_tasks(desk_app):
    app = desk_app()
    task_id = new_task(app)
    async with app.run_test(size=(120, 30)) as pilot:
        for screen in ("the Inbox screen", "the Tasks screen", "the task screen", "the board"):
            if screen == "the Tasks screen":
                await press(pilot, "2")
            elif screen == "the task screen":
                await open_task(pilot, task_id)
            elif screen == "the board":
                await open_board(pilot, support_inbox(app))
            await press(pilot, "question_mark")
            assert isinstance(app.screen, HelpScreen)
            assert ("u", "Undo", "edit.undo") in {row[:3] for row in help_rows(app)}, screen
            await press(pilot, "escape")
            assert not isinstance(app.screen, HelpScreen)


async def test_undo_follows_the_keymap_and_the_reply_notice_names_its_key(desk_app):
    app, notices = desk_app(keymap={"edit.undo": "U"}), Notices()
    task_id, *_ = email_query(app)
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await open_task(pilot, task_id)
        await press(pilot, "r")
        await type_text(pilot, "Oops.")
        await press(pilot, "ctrl+j")
        assert any("; U takes it back (30 s)." in text for text in notices)
        await press(pilot, "U")
        assert isinstance(app.screen, WriteTextScreen)
        assert f"Reply to #{task_id} taken back: not sent." in notices
