"""How one task is drawn as a line of a list: status, priority, title, client, people, due,
tags and checklist progress, fitted to the width.

Columns drop out from the least to the most important as the terminal narrows, so a row
reads well at 80 columns and at 200. Every piece of stored text goes through `safe_line`;
status and priority colours come from the theme's status-* and priority-* variables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.style import Style

from desk.clock import to_local
from desk.screens.safe import safe_line
from desk.services.tasks import TaskRow

PRIORITY_MARKS = {"urgent": "‼", "high": "!", "normal": "·", "low": "↓", "none": " "}
"""One cell per priority, readable without colour."""


@dataclass(frozen=True)
class Column:
    """A column: its heading, width (0 = takes the rest), and when it is dropped (lower goes
    first when the row is too narrow)."""

    name: str
    heading: str
    width: int
    keep: int


COLUMNS = (
    Column("status", "Status", 11, 9),
    Column("priority", "P", 1, 10),
    Column("title", "Title", 0, 11),
    Column("client", "Client", 16, 6),
    Column("due", "Due", 10, 8),
    Column("checklist", "List", 5, 5),
    Column("assignees", "Who", 12, 4),
    Column("tags", "Tags", 14, 3),
)
TITLE_MIN = 20
"""The title keeps at least this many cells; other columns drop out to make room."""


def fitted(width: int) -> list[tuple[Column, int]]:
    """The columns that fit in `width` cells (after the two-cell mark), with their widths."""
    room = width - 2
    shown = list(COLUMNS)
    while shown:
        fixed = sum(column.width + 1 for column in shown if column.width)
        if room - fixed >= TITLE_MIN or len(shown) <= 3:
            break
        shown.remove(min((c for c in shown if c.width), key=lambda c: c.keep))
    fixed = sum(column.width + 1 for column in shown if column.width)
    return [(column, column.width or max(room - fixed, 1)) for column in shown]


def due_text(due: datetime | None, now: datetime) -> str:
    """A due date as a person scans it: "at 14:00" (today), "late 08:20" (earlier today),
    "tomorrow", "Fri 27", "3d late", "Dec 01"; never more than 10 cells."""
    if due is None:
        return ""
    local = to_local(due, now.tzinfo) if due.tzinfo is None else due.astimezone(now.tzinfo)
    days = (local.date() - now.date()).days
    if local < now and days < 0:
        return f"{-days}d late"
    if days == 0:
        return local.strftime("late %H:%M" if local < now else "at %H:%M")
    if days == 1:
        return "tomorrow"
    if days < 7:
        return local.strftime("%a %d")
    return local.strftime("%b %d")


class TaskLine:
    """Draws TaskRows for a VirtualList; build it with the theme's variables and the time now.

    `indent(row)` gives how deep a row sits under its parent (subtasks), 0 by default.
    """

    def __init__(self, variables: Mapping[str, str], now: datetime,
                 indent: Callable[[TaskRow], int] | None = None) -> None:
        self.variables = dict(variables)
        self.now = now
        self.indent = indent or (lambda row: 0)
        self._styles: dict[str, Style] = {}

    def style(self, variable: str) -> Style:
        """The theme colour named `variable` (status-open, priority-high...) as a Style."""
        if variable not in self._styles:
            try:
                self._styles[variable] = Style.parse(f"${variable}", self.variables)
            except Exception:  # a theme without the variable: plain text
                self._styles[variable] = Style()
        return self._styles[variable]

    def cells(self, row: TaskRow, width: int) -> list[Content]:
        """The row's cells for `width`, each exactly its column's width."""
        parts = []
        for column, size in fitted(width):
            parts.append(self.cell(row, column.name, size))
        return parts

    def cell(self, row: TaskRow, name: str, size: int) -> Content:
        """One cell, padded or cut to `size` cells."""
        if name == "status":
            text = safe_line(row.status, size).stylize(self.style(f"status-{row.category}"))
        elif name == "priority":
            text = Content(PRIORITY_MARKS.get(row.priority, "?")).stylize(
                self.style(f"priority-{row.priority}"))
        elif name == "title":
            depth = self.indent(row)
            prefix = "  " * depth + ("↳ " if depth else "")
            text = safe_line(prefix + row.title, size)
        elif name == "client":
            text = safe_line(row.client or "", size)
        elif name == "due":
            label = due_text(row.due_at, self.now)
            text = Content(label[:size])
            if label.endswith("late") or label.startswith("late"):
                text = text.stylize(self.style("priority-urgent"))
        elif name == "checklist":
            text = Content(f"{row.checklist_done}/{row.checklist_total}"[:size]
                           if row.checklist_total else "")
        elif name == "assignees":
            text = safe_line(", ".join(row.assignees), size)
        else:
            text = safe_line(" ".join(f"#{tag}" for tag in row.tags), size)
        return text.pad_right(max(size - text.cell_length, 0))

    def render(self, row: TaskRow, width: int, selected: bool, marked: bool) -> Strip:
        """One list line (the VirtualList's render_row)."""
        segments = [Segment("✓ " if marked else "  ")]
        for cell in self.cells(row, width):
            segments.extend(cell.render_segments())
            segments.append(Segment(" "))
        return Strip(segments)


def heading(width: int) -> Content:
    """The column headings for a list `width` cells wide."""
    parts = ["  "]
    for column, size in fitted(width):
        parts.append(column.heading[:size].ljust(size) + " ")
    return Content("".join(parts))
