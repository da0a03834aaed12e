"""The board: one list's tasks in columns by status, cards moved left and right by key.

Each column is a VirtualList over `status:<id>` of the list (and the board's query), so a
board of a million tasks opens as fast as one of a hundred. h/l (or left/right) move between
columns, j/k within one; H/L (or shift+left/right) move the card under the cursor to the
previous or next status through desk.work.tasks.update, and the cursor goes with the card
to its new column (so a second L moves the same card on), with a notice of what moved where;
u moves it back (desk.screens.actions.undo).
Cards show their client beside the title, shortened in narrow columns, so two cards whose
titles are cut alike still differ. enter opens the task; `/` filters every column with the
query language; escape goes back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from msgspec import Struct
from rich.segment import Segment
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Static

from desk.errors import ConflictError
from desk.screens.actions.calls import can_write, run_service
from desk.screens.actions.task.copy import CopyTask
from desk.screens.actions.undo import UndoActions
from desk.screens.actions.undoable import undoable
from desk.screens.grammar import nav
from desk.screens.renderers.task_rows import TaskLine
from desk.screens.safe import safe_line
from desk.screens.sources import TaskSource
from desk.screens.widgets.key_bar import KeyBar
from desk.screens.widgets.query_bar import QueryBar
from desk.screens.widgets.title_header import TitleHeader
from desk.screens.widgets.virtual_list import VirtualList
from desk.text import one_line
from desk.work import tasks, workspace
from desk.work.tasks import TaskRow
from desk.work.workspace import ListRef, StatusRef

SORT = "position"
"""Cards keep the list's own order."""
CLIENT_ROOM = 40
"""Columns at least this wide show CLIENT_WIDTH cells of the client after the title;
narrower ones a third of the card, at least CLIENT_LEAST cells."""
CLIENT_WIDTH = 14
CLIENT_LEAST = 4
COLUMN_MIN = 14
"""The narrowest column; with more statuses than fit, the board scrolls sideways."""


class CardLine:
    """Draws a task as a card line: mark, priority mark, title and client."""

    def __init__(self, line: TaskLine) -> None:
        self.line = line

    def render(self, row: TaskRow, width: int, selected: bool, marked: bool) -> Strip:
        """One card (the VirtualList's render_row)."""
        room = max(width - 3, 1)
        client = CLIENT_WIDTH if width >= CLIENT_ROOM else max(room // 3, CLIENT_LEAST)
        client = client if row.client and room > client + 1 else 0
        title = room - client - 1 if client else room
        titled = self.line.cell(row, "title", title)
        segments = [Segment("✓" if marked else " "),
                    *self.line.cell(row, "priority", 1).render_segments(), Segment(" "),
                    *titled.pad_right(max(title - titled.cell_length, 0)).render_segments()]
        if client:
            segments += [Segment(" "),
                         *self.line.cell(row, "client", client).render_segments()]
        return Strip(segments)


class ColumnSource(Struct, frozen=True):
    """The cards of one status: `cards` pages them in the list's order, `counter` counts them
    and tells `counted` (in the worker thread). The counter names the status alone: a status
    belongs to one list, and its own index counts a million tasks many times faster."""

    cards: TaskSource
    counter: TaskSource
    counted: Callable[[int], Any]

    def count(self) -> int:
        """Count, and pass the number on."""
        number = self.counter.count()
        self.counted(number)
        return number

    def page(self, number: int, size: int, after: tuple | None) -> Any:
        """One page of cards."""
        return self.cards.page(number, size, after)


class BoardColumn(Vertical):
    """One status of the board: a heading with its name and count, then its cards."""

    DEFAULT_CSS = """
    BoardColumn {
        height: 1fr; margin-right: 1;
        &:last-of-type { margin-right: 0; }
        & > .board--heading { height: 1; padding: 0 1; text-style: bold; }
        &.-open > .board--heading { background: $status-open 25%; color: $status-open; }
        &.-active > .board--heading { background: $status-active 25%; color: $status-active; }
        &.-done > .board--heading { background: $status-done 25%; color: $status-done; }
        &.-closed > .board--heading { background: $status-closed 25%; color: $status-closed; }
        &:focus-within > .board--heading { text-style: bold reverse; }
    }
    """

    class Counted(Message):
        """The column's list counted its cards."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, status: StatusRef, sources: tuple[TaskSource, TaskSource],
                 card: CardLine) -> None:
        """A column for `status`; `sources` pages and counts its cards (see ColumnSource)."""
        super().__init__(classes=f"-{status.category}")
        self.status = status
        self.cards = VirtualList(self._source(sources), card.render)
        self.count = "…"

    def compose(self) -> ComposeResult:
        heading = Static(classes="board--heading")
        if self.status.colour:  # its own colour, with black or white text on it
            colour = Color.parse(self.status.colour)
            heading.styles.background = colour
            heading.styles.color = colour.get_contrast_text(1.0)
        yield heading
        yield self.cards

    def show(self, sources: tuple[TaskSource, TaskSource]) -> None:
        """Show the cards of other sources (the board's query changed)."""
        self.cards.set_source(self._source(sources))

    def _source(self, sources: tuple[TaskSource, TaskSource]) -> ColumnSource:
        """The cards' source, telling this column each count (from the worker thread)."""
        return ColumnSource(*sources, lambda number: self.post_message(self.Counted(number)))

    def _show_heading(self) -> None:
        """The status name (stored text, cut to fit) and the count, always in full."""
        heading = self.query_one(".board--heading", Static)
        room = heading.content_size.width - len(self.count) - 3
        heading.update(Content.assemble(safe_line(self.status.name, max(room, 1)),
                                        f" · {self.count}"))

    def on_resize(self) -> None:
        """Fit the heading to the new width."""
        self._show_heading()

    def on_board_column_counted(self, message: Counted) -> None:
        """Show the new count."""
        message.stop()
        self.count = f"{message.number:,}"
        self._show_heading()


class BoardScreen(CopyTask, UndoActions):
    """The board of list `list_id`, filtered by `query` (the task query language)."""

    TITLE = "Board"
    DEFAULT_CSS = """
    BoardScreen #board-columns { height: 1fr; overflow-x: auto; overflow-y: hidden; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        nav("nav.left", "column(-1)", "Column left"),
        nav("nav.right", "column(1)", "Column right"),
        Binding("H,shift+left", "move(-1)", "Move ←", id="board.move_left"),
        Binding("L,shift+right", "move(1)", "Move →", id="board.move_right"),
        nav("nav.filter", "filter", show=True),
        nav("nav.back", "back", show=True),
    ]

    def __init__(self, list_id: int, query: str = "") -> None:
        """The board of a list; `query` narrows every column."""
        super().__init__()
        self.list_id = list_id
        self.query_text = query
        self.statuses: list[StatusRef] = []
        self._moving: set[int] = set()  # tasks whose move has not come back yet

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        yield Horizontal(Static(Content("Loading the board…")), id="board-columns")
        yield QueryBar("tasks", self.query_text)
        yield KeyBar()

    def on_mount(self) -> None:
        """Load the list's statuses; the columns follow."""
        self.title = self.app.title
        run_service(self, partial(_shape, self.list_id), done=self._build)

    def _build(self, shape: tuple[ListRef, list[StatusRef]]) -> None:
        """One column per status, in the list's order."""
        ref, self.statuses = shape
        self.sub_title = one_line(f"Board · {ref.space} / {ref.name}", 80)
        card = CardLine(TaskLine(self.app.theme_variables, self.app.now()))
        columns = [BoardColumn(status, self._sources(status), card) for status in self.statuses]
        holder = self.query_one("#board-columns", Horizontal)
        holder.remove_children()
        holder.mount_all(columns)
        self._fit()
        if columns:
            self.call_after_refresh(columns[0].cards.focus)

    def _sources(self, status: StatusRef) -> tuple[TaskSource, TaskSource]:
        """The cards of one status under the board's query: in the list's order, and counted
        through the status alone (see ColumnSource)."""
        database, context = self.app.database, self.app.query_context()
        cards = f"list:{self.list_id} status:{status.id} {self.query_text}".strip()
        counter = f"status:{status.id} {self.query_text}".strip()
        return (TaskSource(database, cards, context, sort=SORT),
                TaskSource(database, counter, context))

    def on_resize(self) -> None:
        """Share the new width between the columns."""
        self._fit()

    def _fit(self) -> None:
        """Columns of equal width that fill the screen, none narrower than COLUMN_MIN."""
        columns = self.columns
        if columns:
            width = max(COLUMN_MIN, (self.size.width + 1) // len(columns) - 1)
            for column in columns:
                column.styles.width = width

    @property
    def columns(self) -> list[BoardColumn]:
        """The columns, left to right."""
        return list(self.query(BoardColumn))

    @property
    def current(self) -> int:
        """The index of the column holding the focus (0 when none does)."""
        for index, column in enumerate(self.columns):
            if column.cards.has_focus:
                return index
        return 0

    def copy_target(self) -> TaskRow | None:
        """`y` copies the card under the cursor of the current column."""
        cards = self.columns[self.current].cards if self.columns else None
        return None if cards is None else cards.row_at(cards.cursor)

    def data_changed(self) -> None:
        """Someone changed tasks: reload every column, each keeping its cursor."""
        for column in self.columns:
            column.cards.reload(keep_cursor=True)

    def undo_changed(self) -> None:
        """After `u` (a move undone): reload every column."""
        self.data_changed()

    # --- keys ------------------------------------------------------------------------------

    def action_column(self, delta: int) -> None:
        """Focus the column `delta` steps away."""
        columns = self.columns
        if columns:
            target = columns[max(0, min(self.current + delta, len(columns) - 1))]
            target.cards.focus()
            target.scroll_visible(animate=False)

    def action_move(self, delta: int) -> None:
        """Move the card under the cursor to the previous (-1) or next (1) status."""
        columns = self.columns
        if not columns:
            return
        index = self.current
        source = columns[index]
        row = source.cards.row_at(source.cards.cursor)
        if row is None or not 0 <= index + delta < len(columns) or row.id in self._moving:
            return
        if not can_write(self, "move cards"):
            return
        target = columns[index + delta]
        self._moving.add(row.id)
        run_service(self, undoable(self, partial(tasks.update, self.app.agent, row.id,
                                                 row.version, status=target.status.name)),
                    done=lambda _: self._moved(row, source, target),
                    failed=partial(self._not_moved, row))

    def _moved(self, row: TaskRow, source: BoardColumn, target: BoardColumn) -> None:
        """The card moved: both columns show it where it is now, the cursor is on it in its
        new column, and a notice says what moved where."""
        self._moving.discard(row.id)
        source.cards.reload(keep_cursor=True)
        target.cards.reload(follow=row.id)
        target.cards.focus()
        target.scroll_visible(animate=False)
        self.notify(f"Moved #{row.id} {one_line(row.title, 40)} from "
                    f"{one_line(source.status.name, 30)} to {one_line(target.status.name, 30)}.",
                    title="desk", markup=False, timeout=4)

    def _not_moved(self, row: TaskRow, error: Exception) -> bool:
        """A conflict is explained and the board reloaded; other errors become notices."""
        self._moving.discard(row.id)
        self.data_changed()
        if not isinstance(error, ConflictError):
            return False
        self.notify(f"Task {row.id} was changed by someone else since the board showed it, "
                    "so it was not moved. The board shows it as it is now; try again.",
                    title="desk", severity="warning", markup=False)
        return True

    def action_filter(self) -> None:
        """Open the query bar over the board."""
        self.query_one(QueryBar).open(self.query_text)

    @on(QueryBar.Submitted)
    def _filtered(self, message: QueryBar.Submitted) -> None:
        """Show every column under the new query."""
        self.query_text = message.text
        for column in self.columns:
            column.show(self._sources(column.status))

    @on(VirtualList.Selected)
    def _open(self, message: VirtualList.Selected) -> None:
        """Enter on a card opens its task."""
        self.app.open_task(message.row.id)

    def action_back(self) -> None:
        """Back to the screen below."""
        self.app.pop_screen()


def _shape(list_id: int) -> tuple[ListRef, list[StatusRef]]:
    """The list and its statuses with their ids (in a worker)."""
    return workspace.get_list(list_id), workspace.statuses(list_id)
