"""The task list of the Tasks mode: an outline (desk.work.outline) in a VirtualList.

`OutlineSource` pages the outline in the list's workers, `OutlineList` is the VirtualList
that knows headings are not tasks, `OutlineLine` draws the lines (TaskLine for tasks,
indented, with a fold mark; status headings in their colour) and `ColumnHeading` names the
columns over them, the sorted one underlined.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar

from rich.segment import Segment
from textual.binding import BindingType
from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget

from desk.kernel.connections import on_own_connection
from desk.screens.grammar import nav
from desk.screens.renderers.task_rows import TaskLine, fitted, heading, status_style
from desk.screens.safe import safe_line
from desk.screens.widgets.virtual_list import VirtualList
from desk.work import outline
from desk.work.filters import Context
from desk.work.outline import Line

FOLD_MARKS = {True: "▸ ", False: "▾ "}
"""The mark column of a task with subtasks: folded, or not."""


class OutlineSource:
    """The RowSource of the task list: an `Outline` of the current view, paged in workers.

    `show()` swaps in the outline of another view (or of the same view after the data
    changed); pages already on their way belong to the list's previous reload and are
    dropped by it. Pages never wait for the counts, so a status heading may come without
    its count; `counted()` is called (from the worker) once the counts are known, and
    `stale` then says whether such a heading was served.
    """

    def __init__(self, database: Any, view: outline.View, context: Context,
                 counted: Callable[[], None]) -> None:
        """A source over `database` showing `view` as seen in `context`."""
        self.database = database
        self.counted = counted
        self.stale = False
        self.show(view, context)

    def show(self, view: outline.View, context: Context) -> None:
        """From now on, the outline of `view` (built afresh: nothing is remembered)."""
        self.outline = outline.Outline(view, context)
        self.tasks: int | None = None
        self.stale = False

    def count(self) -> int:
        """Lines of the outline; also notes how many tasks they show."""
        current = self.outline
        lines, headings = on_own_connection(self.database, _measured, current)
        if current is self.outline:
            self.tasks = lines - headings
            self.counted()
        return lines

    def page(self, number: int, size: int, after: tuple | None) -> outline.Page:
        """Lines of page `number`, after the previous page's key when the list has it."""
        current = self.outline
        page = on_own_connection(self.database, current.page, number * size, size, after)
        if any(line.heading and line.heading.count is None for line in page.rows):
            self.stale = True
        return page


def _measured(current: outline.Outline) -> tuple[int, int]:
    """The lines of an outline and how many of them are headings with tasks under them."""
    lines = current.count()
    headings = sum(1 for count in current.headings() if count) if current.grouped else 0
    return lines, headings


class OutlineList(VirtualList):
    """The VirtualList of outline lines: headings can be neither marked nor opened."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Shown by `?`; the footer of an 80-column terminal keeps room for the mode's keys.
        nav("nav.mark_all", "toggle_mark_all"),
    ]

    def action_toggle_mark(self) -> None:
        """Mark or unmark the task under the cursor (a heading is not a task)."""
        line = self.row_at(self.cursor)
        if line is not None and line.task is not None:
            super().action_toggle_mark()

    def action_select(self) -> None:
        """Open the task under the cursor (nothing on a heading)."""
        line = self.row_at(self.cursor)
        if line is not None and line.task is not None:
            super().action_select()


class OutlineLine:
    """Draws outline lines: tasks with TaskLine (indented by depth, with a fold mark when
    they have subtasks) and status headings in the status's colour."""

    def __init__(self, variables: Mapping[str, str], now: datetime,
                 mark: Callable[[Any], str] | None = None) -> None:
        """Lines in the theme's colours (`variables`) with due dates as of `now`; `mark(task
        row)` before a task's title (TaskLine)."""
        self._depth = 0
        self.tasks = TaskLine(variables, now, indent=lambda row: self._depth, mark=mark)

    def render(self, line: Line, width: int, selected: bool, marked: bool) -> Strip:
        """One list line (the VirtualList's render_row)."""
        if line.heading is not None:
            count = line.heading.count
            title = line.heading.name + (f"  {count:,}" if count is not None else "")
            text = (safe_line(title, max(width - 2, 0))
                    .stylize(status_style(self.tasks.style, line.heading.category,
                                          line.heading.colour))
                    .stylize("bold"))
            return Strip([Segment("▪ "), *text.render_segments()])
        mark = "✓ " if marked else FOLD_MARKS[line.folded] if line.subtasks else "  "
        self._depth = line.depth
        segments = [Segment(mark)]
        for cell in self.tasks.cells(line.task, width):
            segments.extend(cell.render_segments())
            segments.append(Segment(" "))
        return Strip(segments)


class ColumnHeading(Widget):
    """The column names over the task list, fitted to the list's width; the column the
    list is sorted by is underlined."""

    DEFAULT_CSS = """
    ColumnHeading { height: 1; color: $text-muted; text-style: bold; background: $surface; }
    """
    SORTED_COLUMNS = {"priority": "priority", "status": "status", "due": "due",
                      "client": "client", "title": "title"}
    """Sort name -> the column it orders by."""

    def __init__(self, follows: VirtualList, *, id: str | None = None) -> None:
        """Headings for the columns of `follows`."""
        super().__init__(id=id)
        self.follows = follows
        self.sort = ""

    def render(self) -> Content:
        """The headings for the list's width (without its scrollbar)."""
        width = self.follows.scrollable_content_region.width or self.size.width
        text = heading(width)
        start = 2  # after the mark column
        for column, size in fitted(width):
            if column.name == self.SORTED_COLUMNS.get(self.sort):
                return text.stylize("underline", start, start + min(len(column.heading), size))
            start += size + 1
        return text
