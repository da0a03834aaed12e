"""The subtasks of a task, drawn like the rows of a task list; enter opens one.

Rows are drawn by the shared `TaskLine` (status, priority, title, due, people... fitted to
the width), so a subtask reads here as it does in the lists.
"""

from __future__ import annotations

from textual.content import Content

from desk.screens.renderers.task_rows import TaskLine
from desk.screens.widgets.line_list import LineList
from desk.work.tasks import TaskRow


class SubtaskList(LineList):
    """A task's subtasks; enter posts `Selected` with the TaskRow."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(self.draw, empty="No subtasks: {task.subtask} adds one.", id=id)
        self.line: TaskLine | None = None

    def show(self, rows: tuple[TaskRow, ...], line: TaskLine) -> None:
        """Show the subtasks, drawn with `line` (built with the theme and the time now)."""
        self.line = line
        self.set_items(rows)

    def draw(self, row: TaskRow, width: int) -> list[Content]:
        """One subtask as its list row."""
        return [Content(" ").join(self.line.cells(row, width - 2))]
