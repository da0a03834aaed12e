"""SQL pieces the metrics share: the median, spans of a series, rows with typed data, and
the condition that leaves out the work on archived lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise

from peewee import JOIN, Case, Expression, Field, Select, fn

from desk.models import Task
from desk.work import workspace


def median(query: Select, value: Expression) -> tuple[int | None, int]:
    """(median, count) of `value` over the rows of `query`, in whole units.

    The median of an even number of values is the mean of the two middle ones, rounded down;
    None of no rows. The database sorts; only the one or two middle values are read.
    """
    count = query.count()
    if not count:
        return None, 0
    middle = (query.select(value).order_by(value).limit(2 - count % 2)
              .offset((count - 1) // 2))
    values = [int(row[0]) for row in middle.tuples()]
    return sum(values) // len(values), count


def within(column: Field, start: datetime, end: datetime, *, last: bool) -> Expression:
    """start <= column < end, or <= end for the `last` span of a series."""
    return (column >= start) & ((column <= end) if last else (column < end))


def sums_by_span(column: Field, value: Field, edges: Sequence[datetime]) -> list:
    """For each span between consecutive `edges` (the last one closed): SUM and COUNT of the
    non-null `value` of the rows whose `column` falls in it, as select columns (two a span)."""
    columns = []
    last = len(edges) - 2
    for index, (start, end) in enumerate(pairwise(edges)):
        picked = Case(None, [(within(column, start, end, last=index == last), value)], None)
        columns += [fn.SUM(picked), fn.COUNT(picked)]
    return columns


def with_data(data: type, *columns) -> Select:
    """SELECT `columns` from the tasks that have `data` (QueryData or OrderData), driven from
    the data table: a CROSS JOIN keeps SQLite from scanning the far larger task table."""
    return data.select(*columns).join(Task, JOIN.CROSS).where(Task.id == data.task)


def on_lists_in_use(task: Field | None = None) -> list[Expression]:
    """The condition keeping only tasks on lists in use: the tasks of archived lists, and of
    the lists of archived spaces, are left out, as the inbox and the task lists leave them
    out, so that a figure counts what its drill-down opens. Without `task` the condition is
    on Task itself; `task` is a column holding a task id (QueryData.task,
    TaskAssignee.task) for a query that does not join Task. None when nothing is archived."""
    hidden = workspace.hidden_lists()
    if not hidden:
        return []
    if task is None:
        return [Task.task_list.not_in(hidden)]
    return [task.not_in(Task.select(Task.id).where(Task.task_list.in_(hidden)))]
