"""A task's estimate against the time spent on it, each rolled up through its subtasks.

Subtasks are tasks whose `parent` is the task, to any depth; the roll-up reads one level of
the tree per query, so a deep outline costs a query a level, never one per task.
"""

from __future__ import annotations

from msgspec import Struct
from peewee import fn

from desk.models import Task, TimeEntry


class EstimateFigures(Struct, frozen=True):
    """Minutes estimated and spent on a task alone and with all its subtasks."""

    estimate: int | None
    spent: int
    total_estimate: int | None
    total_spent: int

    @property
    def remaining(self) -> int | None:
        """Estimated minutes left over the whole tree (negative: over the estimate)."""
        return None if self.total_estimate is None else self.total_estimate - self.total_spent


def figures(task_id: int) -> EstimateFigures:
    """The task's estimate and minutes spent, alone and rolled up through its subtasks
    (the estimates of the tree's tasks that have one; None when none has)."""
    tree = [task_id]
    level = [task_id]
    while level:
        level = [row for (row,) in Task.select(Task.id).where(Task.parent.in_(level)).tuples()]
        tree += level
    estimates = dict(Task.select(Task.id, Task.estimate_minutes)
                     .where(Task.id.in_(tree) & Task.estimate_minutes.is_null(False)).tuples())
    spent = dict(TimeEntry.select(TimeEntry.task, fn.SUM(TimeEntry.minutes))
                 .where(TimeEntry.task.in_(tree) & TimeEntry.minutes.is_null(False))
                 .group_by(TimeEntry.task).tuples())
    return EstimateFigures(
        estimate=estimates.get(task_id), spent=int(spent.get(task_id) or 0),
        total_estimate=sum(estimates.values()) if estimates else None,
        total_spent=int(sum(spent.values())))
