"""How one task is drawn as a line of a list: status, priority, title, client, people, due,
tags and checklist progress, fitted to the width.

Columns drop out from the least to the most important as the terminal narrows, so a row
reads well at 80 columns and at 200. Every piece of stored text goes through `safe_line`;
priority colours come from the theme's priority-* variables, a status's from its own colour
when it has one (`status_style`), else from the theme's status-* variables.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from datetime import datetime

from textual.color import Color
from textual.content import Content
from textual.style import Style

from desk.clock import to_local
from desk.screens.renderers.columns import Column, ColumnLine, ThemeStyles, fit
from desk.screens.renderers.columns import heading as column_heading
from desk.screens.safe import safe_line
from desk.vocabulary import DONE_CATEGORIES
from desk.work.tasks import TaskRow

PRIORITY_MARKS = {"urgent": "‼", "high": "!", "normal": "·", "low": "↓", "none": " "}
"""One cell per priority, readable without colour."""


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
    """The task columns that fit in `width` cells, with their widths."""
    return fit(COLUMNS, width, TITLE_MIN, at_least=3)


def due_text(due: datetime | None, now: datetime, *, closed: bool = False) -> str:
    """A due date as a person scans it: "at 14:00" (today), "late 08:20" (earlier today),
    "tomorrow", "Fri 27", "3d late", "Dec 01"; never more than 10 cells. Closed work
    (`closed`) is late no more: its due date is only a date ("Dec 01")."""
    if due is None:
        return ""
    local = to_local(due, now.tzinfo) if due.tzinfo is None else due.astimezone(now.tzinfo)
    days = (local.date() - now.date()).days
    if closed:
        return local.strftime("%b %d")
    if local < now and days < 0:
        return f"{-days}d late"
    if days == 0:
        return local.strftime("late %H:%M" if local < now else "at %H:%M")
    if days == 1:
        return "tomorrow"
    if days < 7:
        return local.strftime("%a %d")
    return local.strftime("%b %d")


def status_style(style: ThemeStyles, category: str, colour: str) -> Style:
    """How a status is drawn: with its own colour (#rrggbb) as a chip, its name in black or
    white on that colour, so it reads on any row, under the cursor and in every theme;
    without one, in its category's theme colour."""
    if not colour:
        return style(f"status-{category}")
    chip = Color.parse(colour)
    return Style(background=chip, foreground=chip.get_contrast_text(1.0))


class TaskLine(ColumnLine):
    """Draws TaskRows for a VirtualList; build it with the theme's variables and the time now.

    `indent(row)` gives how deep a row sits under its parent (subtasks), 0 by default;
    `mark(row)` a one-cell mark drawn before the title (presence: someone else has the task
    open), none by default.
    """

    def __init__(self, variables: Mapping[str, str], now: datetime,
                 indent: Callable[[TaskRow], int] | None = None,
                 mark: Callable[[TaskRow], str] | None = None) -> None:
        super().__init__(variables)
        self.now = now
        self.indent = indent or (lambda row: 0)
        self.mark = mark or (lambda row: "")

    def fitted(self, width: int) -> list[tuple[Column, int]]:
        """The task columns for `width` cells."""
        return fitted(width)

    def cell_key(self, row: TaskRow, name: str) -> Hashable | None:
        """What each cell but the title shows depends on (see ColumnLine.cell_key)."""
        if name == "title":
            return None
        if name == "status":
            return row.status, row.category, row.status_colour
        if name == "due":
            return row.due_at, row.category in DONE_CATEGORIES
        if name == "checklist":
            return row.checklist_done, row.checklist_total
        return (getattr(row, name),)  # priority, client, people, tags (a row without a client too)

    def cell(self, row: TaskRow, name: str, size: int) -> Content:
        """One cell, at most `size` cells."""
        if name == "status":
            text = safe_line(row.status, size).stylize(
                status_style(self.style, row.category, row.status_colour))
        elif name == "priority":
            text = Content(PRIORITY_MARKS.get(row.priority, "?")).stylize(
                self.style(f"priority-{row.priority}"))
        elif name == "title":
            depth = self.indent(row)
            prefix = "  " * depth + ("↳ " if depth else "")
            text = safe_line(prefix + row.title, size)
            if mark := self.mark(row):
                text = Content.assemble((f"{mark} ", "bold"), text).truncate(size,
                                                                             ellipsis=True)
        elif name == "client":
            text = safe_line(row.client or "", size)
        elif name == "due":
            label = due_text(row.due_at, self.now, closed=row.category in DONE_CATEGORIES)
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
        return text


def heading(width: int) -> Content:
    """The column headings for a task list `width` cells wide."""
    return column_heading(fitted(width))
