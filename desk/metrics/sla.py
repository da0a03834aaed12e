"""SLA metrics: how many queries met their targets in the period, and which breached.

A query has up to two targets (desk.sla): the first response, due at
`first_response_due` and done at `first_response_at` (or at `resolved_at` when it was
resolved without a response), and the resolution, due at `resolution_due` and done at
`resolved_at`. With the window [start, end]:

- a target is measured in the window when it has a due time and it was done in the window,
  or it was not done by the end and fell due in the window;
- it is met when it was done in the window by its due time, and breached in the window when
  it was done in the window after its due time or fell due in the window undone;
- attainment: of the queries with a target measured in the window, those with no target
  breached in it;
- breaches: the queries with a target done late in the window, or undone at the end and past
  its due time (whenever that was).

The queries of archived lists and spaces are left out, as the inbox leaves them out.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from datetime import datetime
from functools import reduce

from msgspec import Struct
from peewee import Expression, fn

from desk.metrics.figures import TASKS, Figure, Rate, Window, counted, rate
from desk.metrics.sql import on_lists_in_use
from desk.models import QueryData

_TARGETS = (
    (QueryData.first_response_due, fn.COALESCE(QueryData.first_response_at, QueryData.resolved_at)),
    (QueryData.resolution_due, QueryData.resolved_at),
)


class SlaMetrics(Struct, frozen=True):
    """SLA attainment in the window (met of measured queries) and the breaches."""

    attainment: Rate
    breaches: Figure


def sla_metrics(span: Window) -> SlaMetrics:
    """The SLA figures of the window."""
    start, end = span.start_utc, span.end_utc
    outcomes = [_outcome(due, done, start, end) for due, done in _TARGETS]
    measured = _any(met | breached for met, breached in outcomes)
    breached = _any(breached for _, breached in outcomes)
    queries = QueryData.select()
    if in_use := on_lists_in_use(QueryData.task):
        queries = queries.where(*in_use)
    met, whole, late = counted(TASKS, queries, QueryData.task, [
        ("met", measured & ~breached), ("measured", measured),
        ("breaches", breaches(start, end))])
    return SlaMetrics(rate(met, whole), late)


def breaches(start: datetime, end: datetime) -> Expression:
    """The condition on QueryData of a query with a target done late between `start` and
    `end`, or undone at `end` and past its due time (stored forms)."""
    return _any(
        due.is_null(False) & ((_done_in(done, start, end) & (done > due))
                              | (_undone(done, end) & (due <= end)))
        for due, done in _TARGETS)


def _outcome(due, done, start: datetime, end: datetime) -> tuple[Expression, Expression]:
    """(met, breached) in the window of one target: done in it by the due time; done in it
    late, or fallen due in it and undone at its end."""
    has_target = due.is_null(False)
    done_in = _done_in(done, start, end)
    met = has_target & done_in & (done <= due)
    breached = has_target & ((done_in & (done > due))
                             | (_undone(done, end) & due.between(start, end)))
    return met, breached


def _done_in(done, start: datetime, end: datetime) -> Expression:
    """Done between start and end."""
    return done.is_null(False) & done.between(start, end)


def _undone(done, end: datetime) -> Expression:
    """Not done by the end."""
    return done.is_null() | (done > end)


def _any(conditions: Iterable[Expression]) -> Expression:
    """OR of the conditions."""
    return reduce(operator.or_, conditions)
