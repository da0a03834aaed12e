"""How a row of the inbox is drawn: a task line (screens/task_rows.py) whose deadline column
shows, for a query, where it stands against its SLA targets ("2h left", "overdue 35m", in the
theme's warning or error colour when nearly or already breached), and for other rows their
due date as task lists show it.

One column serves both so that the title keeps its room at 80 columns: the inbox holds
queries (measured by their SLA) and overdue or unclaimed tasks (measured by their due date).
For the same reason checklist progress is the first column to go when the terminal narrows.
"""

from __future__ import annotations

from collections.abc import Hashable

from msgspec.structs import replace
from textual.content import Content

from desk.pages.inbox import InboxRow
from desk.screens.renderers import sla_clock
from desk.screens.renderers.columns import Column, fit
from desk.screens.renderers.columns import heading as column_heading
from desk.screens.renderers.task_rows import COLUMNS as TASK_COLUMNS
from desk.screens.renderers.task_rows import TITLE_MIN, TaskLine

INBOX_CHANGES = {"due": {"heading": "Due/SLA", "width": sla_clock.CELL_WIDTH},
                 "checklist": {"keep": 2}}
"""How the inbox's columns differ from a task list's: the due date is widened to hold an SLA
clock ("overdue 99h+"), and checklist progress (rare on queries) is the first to go."""
COLUMNS = tuple(replace(column, **INBOX_CHANGES.get(column.name, {}))
                for column in TASK_COLUMNS)


def fitted(width: int) -> list[tuple[Column, int]]:
    """The inbox columns that fit in `width` cells, with their widths."""
    return fit(COLUMNS, width, TITLE_MIN, at_least=3)


class InboxLine(TaskLine):
    """Draws InboxRows for the inbox's VirtualList (see TaskLine)."""

    def fitted(self, width: int) -> list[tuple[Column, int]]:
        """The inbox columns for `width` cells."""
        return fitted(width)

    def cell_key(self, row: InboxRow, name: str) -> Hashable | None:
        """As a task line's, but an SLA clock (it moves with the time) is drawn every time."""
        if name == "due" and sla_clock.pressing(row.clocks) is not None:
            return None
        return super().cell_key(row, name)

    def cell(self, row: InboxRow, name: str, size: int) -> Content:
        """One cell, at most `size` cells: a query's SLA clock in the deadline column."""
        if name == "due" and sla_clock.pressing(row.clocks) is not None:
            return sla_clock.cell(row.clocks, size, self.style)
        return super().cell(row, name, size)


def heading(width: int) -> Content:
    """The column headings for an inbox `width` cells wide."""
    return column_heading(fitted(width))
