"""Task and inbox rows: the due cell late only while the work is open, and cells drawn once
for the rows that share them look as they would drawn afresh."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

from desk import sla
from desk.pages.inbox import InboxRow
from desk.screens.renderers.inbox_rows import InboxLine
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


def varied_rows() -> list[InboxRow]:
    """Rows that share some fields and differ in others, every field of a line varied:
    status and its colour, priority, client, people, tags, due date, checklist, SLA clock."""
    running = sla.Clock("resolution", NOW + timedelta(hours=2), None, "running",
                        timedelta(hours=2))
    overdue = sla.Clock("resolution", NOW - timedelta(hours=1), None, "breached",
                        -timedelta(hours=1))
    fields = itertools.product(
        [("Open", "active", ""), ("Open", "active", "#2266aa"), ("Done", "done", "")],
        ["urgent", "low"], [None, "Acme", "Acme Holdings International"],
        [(), ("ann", "bob")], [(), ("billing",), ("billing", "vip")],
        [None, AUGUST, datetime(2026, 11, 20, 14, 0)], [(0, 0), (1, 3), (1, 4)],
        [None, (running, running), (running, overdue)])
    sample = random.Random(7).sample(list(fields), 150)  # every value, shared and not
    return [InboxRow(id=number, title=f"Task {number}", status=status, category=category,
                     status_colour=colour, priority=priority, kind="query", list="Work",
                     list_id=1, client=client, client_id=None, assignees=people, tags=tags,
                     due_at=due, parent_id=None, version=1, checklist_done=done,
                     checklist_total=total, clocks=clocks)
            for number, ((status, category, colour), priority, client, people, tags, due,
                         (done, total), clocks) in enumerate(sample)]


def test_cells_drawn_once_for_rows_that_share_them_look_as_drawn_afresh():
    variables = {"priority-urgent": RED, "status-active": "#00aa00", "error": RED}
    rows = varied_rows()
    for make in (TaskLine, InboxLine):
        shared = make(variables, NOW)
        for width in (80, 200):
            for row in rows * 2:  # the second time round, every shared cell is reused
                afresh = make(variables, NOW).render(row, width, False, False)
                assert list(shared.render(row, width, False, False)) == list(afresh), row
