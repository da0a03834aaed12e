"""The due cell of a task row: late only while the work is open."""

from __future__ import annotations

from datetime import UTC, datetime

from desk.screens.renderers.task_rows import TaskLine, due_text
from desk.work.tasks import TaskRow

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
AUGUST = datetime(2026, 8, 6, 9, 0)  # stored UTC: 106 days before NOW
RED = "#ff0000"


def row(category: str) -> TaskRow:
    """A task of `category` due in August."""
    return TaskRow(id=1, title="Renew", status=category.title(), category=category,
                   priority="normal", kind="task", list="Work", list_id=1, client=None,
                   client_id=None, assignees=(), tags=(), due_at=AUGUST, parent_id=None,
                   version=1)


def test_open_work_past_its_due_date_is_late_and_red():
    line = TaskLine({"priority-urgent": RED}, NOW)
    cell = line.cell(row("active"), "due", 10)
    assert cell.plain == "106d late"
    assert [span.style.foreground.hex.lower() for span in cell.spans] == [RED]


def test_closed_work_shows_its_due_date_and_nothing_late_or_red():
    line = TaskLine({"priority-urgent": RED}, NOW)
    for category in ("done", "closed"):
        cell = line.cell(row(category), "due", 10)
        assert cell.plain == "Aug 06"
        assert not cell.spans
    assert due_text(AUGUST, NOW, closed=True) == "Aug 06"
