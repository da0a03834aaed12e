"""The board of the demo's "Support inbox": columns by status with their counts, focus
between columns, moving cards left and right (as stored and as shown), conflicts, viewers,
filtering, opening a task, and hostile titles on cards."""

from __future__ import annotations

from textual.widgets import Static

from desk.kernel import agents
from desk.models import Client, Task
from desk.screens.screens.board import BoardColumn, BoardScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.work import tasks, workspace

from .conftest import Notices, press, settle, shown, type_text

HELPDESK = ["New", "Open", "Waiting on customer", "Resolved", "Closed"]
SIZE = (160, 30)
"""Wide enough for every heading in full (headings are cut to fit, counts never)."""


def support_inbox(app) -> int:
    """The id of the demo's Support inbox list."""
    with app.database.connection_context():
        return workspace.find_list("Support inbox").id


def stored_status(app, task_id: int) -> str:
    """The status of a task as the database holds it."""
    with app.database.connection_context():
        return tasks.get(task_id).row.status


def heading(column: BoardColumn) -> str:
    """A column's heading as shown."""
    return str(column.query_one(".board--heading", Static).render())


def cards(column: BoardColumn) -> list[str]:
    """The card lines on show in a column."""
    return [line for line in shown(column.cards) if line]




async def open_board(pilot, list_id: int, query: str = "") -> BoardScreen:
    """Push the board of a list and wait until every column has loaded."""
    board = BoardScreen(list_id, query)
    await pilot.app.push_screen(board)
    await settle(pilot)
    await settle(pilot)  # the columns mount once the statuses arrive, then load
    return board


async def test_columns_follow_the_lists_statuses_with_their_counts(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        list_id = support_inbox(app)
        board = await open_board(pilot, list_id)
        columns = board.columns
        assert [column.status.name for column in columns] == HELPDESK
        with app.database.connection_context():
            expected = [Task.select().where((Task.task_list == list_id)
                                            & (Task.status == column.status.id)).count()
                        for column in columns]
        assert [heading(column) for column in columns] == [
            f"{name} · {count}" for name, count in zip(HELPDESK, expected, strict=True)]
        # "Open" is a status of category active: its column holds only that status.
        assert expected[1] and expected[1] == len(cards(columns[1]))
        assert columns[0].cards.has_focus


async def test_at_80_columns_every_status_shows_with_its_count(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        board = await open_board(pilot, support_inbox(app))
        assert [heading(column) for column in board.columns] == [
            "New · 12", "Open · 16", "Waiting… · 10", "Resolved · 13", "Closed · 9"]
        assert all(column.region.right <= 80 for column in board.columns)
        assert cards(board.columns[4])  # the last column is on screen, cards and all


async def test_h_and_l_move_between_columns_and_j_within_one(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await open_board(pilot, support_inbox(app))
        await press(pilot, "l", "l")
        assert board.current == 2
        await press(pilot, "j")
        assert board.columns[2].cards.cursor == 1
        await press(pilot, "h", "left", "left")
        assert board.current == 0


async def test_L_moves_the_card_and_the_cursor_goes_with_it(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        board = await open_board(pilot, support_inbox(app))
        new, open_, waiting = board.columns[:3]
        card = new.cards.row_at(0)
        before = heading(new), heading(open_)
        await press(pilot, "L")
        assert stored_status(app, card.id) == "Open"
        assert before == ("New · 12", "Open · 16")
        assert (heading(new), heading(open_)) == ("New · 11", "Open · 17")
        assert not any(card.title[:15] in line for line in cards(new))
        assert any(card.title[:15] in line for line in cards(open_))
        assert open_.cards.has_focus and open_.cards.row_at(open_.cards.cursor).id == card.id
        assert notices[-1] == f"Moved #{card.id} {card.title[:39]}… from New to Open."

        await press(pilot, "L")  # the same card again, not the one left under the old cursor
        assert stored_status(app, card.id) == "Waiting on customer"
        assert waiting.cards.row_at(waiting.cards.cursor).id == card.id
        assert notices[-1].endswith(" from Open to Waiting on customer.")


async def test_H_and_shift_left_move_a_card_back(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await open_board(pilot, support_inbox(app))
        await press(pilot, "l", "l")
        card = board.columns[2].cards.row_at(0)
        await press(pilot, "H")
        assert stored_status(app, card.id) == "Open"
        assert board.current == 1
        await press(pilot, "shift+left")
        assert stored_status(app, card.id) == "New"
        assert board.current == 0 and board.columns[0].cards.row_at(
            board.columns[0].cards.cursor).id == card.id


async def test_at_80_columns_cards_alike_in_title_differ_by_client(desk_app):
    app = desk_app()
    title = "Cannot print the monthly invoices from the office"
    list_id = support_inbox(app)
    with app.database.connection_context():
        for client in ("Atlas Freight Brokers", "Grace Whitfield"):
            client_id = Client.get(Client.name == client).id
            tasks.create(app.agent, title, list_id, status="Closed", client_id=client_id)
    async with app.run_test(size=(80, 24)) as pilot:
        board = await open_board(pilot, list_id)
        closed = [line for line in cards(board.columns[4]) if "Cannot" in line]
        assert len(closed) == 2 and closed[0] != closed[1]
        assert {line.split()[-1] for line in closed} == {"Atl…", "Gra…"}


async def test_a_card_does_not_move_past_the_last_column(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await open_board(pilot, support_inbox(app))
        await press(pilot, "l", "l", "l", "l")
        card = board.columns[4].cards.row_at(0)
        await press(pilot, "L")
        assert stored_status(app, card.id) == "Closed"


async def test_a_conflict_is_explained_and_the_card_reloaded(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        board = await open_board(pilot, support_inbox(app))
        card = board.columns[0].cards.row_at(0)
        with app.database.connection_context():  # someone else moves it first
            tasks.update(app.agent, card.id, card.version, status="Resolved")
        await press(pilot, "L")
        assert stored_status(app, card.id) == "Resolved"
        assert any(f"Task {card.id} was changed by someone else" in text for text in notices)
        assert heading(board.columns[0]) == "New · 11"
        assert not any(card.title[:15] in line for line in cards(board.columns[0]))


async def test_a_viewer_cannot_move_cards(desk_app, demo_db):
    with demo_db.connection_context():
        viewer = agents.acting("sam")
    app, notices = desk_app(agent=viewer), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        board = await open_board(pilot, support_inbox(app))
        card = board.columns[0].cards.row_at(0)
        await press(pilot, "L")
        assert stored_status(app, card.id) == "New"
        assert any("You are a viewer, so you cannot move cards" in text for text in notices)


async def test_enter_opens_the_task_and_escape_comes_back(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await open_board(pilot, support_inbox(app))
        card = board.columns[0].cards.row_at(0)
        await press(pilot, "enter")
        assert isinstance(app.screen, TaskScreen) and app.screen.task_id == card.id
        await press(pilot, "escape")
        assert app.screen is board
        await press(pilot, "escape")
        assert app.screen is not board


async def test_the_query_narrows_every_column_and_slash_changes_it(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        list_id = support_inbox(app)
        board = await open_board(pilot, list_id, "#printer")
        with app.database.connection_context():
            printer = [row.status for row in tasks.rows_for(
                [task.id for task in Task.select(Task.id).where(Task.task_list == list_id)])
                if "printer" in row.tags]
        assert printer
        assert [heading(c) for c in board.columns] == [
            f"{name} · {printer.count(name)}" for name in HELPDESK]
        await press(pilot, "slash")
        await type_text(pilot, " #hl")  # h and l are typed; no card has that tag
        await press(pilot, "enter")
        assert board.query_text == "#printer #hl"
        assert board.columns[0].cards.has_focus  # the bar gave the focus back
        assert [heading(c) for c in board.columns] == [f"{name} · 0" for name in HELPDESK]


async def test_data_changed_reloads_the_columns(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await open_board(pilot, support_inbox(app))
        card = board.columns[0].cards.row_at(0)
        with app.database.connection_context():
            tasks.update(app.agent, card.id, card.version, status="Closed")
        board.data_changed()
        await settle(pilot)
        assert heading(board.columns[0]) == "New · 11"
        assert heading(board.columns[4]) == "Closed · 10"


async def test_a_hostile_title_shows_literally_on_its_card(desk_app):
    app = desk_app()
    hostile = "[/] [@click=app.quit]x[/] \x1b[2J"
    async with app.run_test(size=(200, 30)) as pilot:
        list_id = support_inbox(app)
        with app.database.connection_context():
            tasks.create(app.agent, hostile, list_id, status="New", priority="urgent")
        board = await open_board(pilot, list_id)
        assert any("[/] [@click=app.quit]x[/] ␛[2J" in line for line in cards(board.columns[0]))
        await press(pilot, "G")
        assert app.is_running
