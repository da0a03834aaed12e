"""Support metrics: open queries, overdue tasks, response and resolution times, CSAT.

Definitions (the README's "Dashboard metrics: definitions" says the same):
- open queries: tasks of kind query that are not done (closed_at unset), by priority;
- overdue tasks: tasks of any kind not done whose due time is before the dashboard's moment;
- first response: the median of first_response_at - created_at over the queries whose first
  response falls in the period; resolution: the median of resolved_at - created_at over the
  queries resolved in the period;
- CSAT: the average score of the queries resolved in the period that have a score, and the
  same per week (ISO weeks, cut at the window's ends) over the last 30 and the last 90 days.

Each counts only the tasks on lists in use: those of archived lists and spaces are left out,
as the inbox and the task lists (which the drill-downs open) leave them out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from msgspec import Struct
from msgspec.structs import replace
from peewee import fn

from desk import dates
from desk.clock import to_utc
from desk.dialect import seconds_between
from desk.metrics.figures import (
    TASKS,
    Figure,
    Window,
    by_query,
    ids_of,
    moment_text,
    window,
)
from desk.metrics.sql import median, on_lists_in_use, sums_by_span, with_data, within
from desk.models import QueryData, Task
from desk.money import CENTS
from desk.vocabulary import PRIORITY_NAMES


class SupportMetrics(Struct, frozen=True):
    """How the desk is doing: the figures of the support tiles.

    `first_response` and `resolution` hold medians in seconds; `csat` an average score with
    two decimals; the trends one figure per week, oldest first, None for a week without
    scores.
    """

    open_queries: Figure
    open_queries_by_priority: tuple[Figure, ...]
    overdue_tasks: Figure
    first_response: Figure
    resolution: Figure
    csat: Figure
    csat_trend_30d: tuple[Figure, ...]
    csat_trend_90d: tuple[Figure, ...]


def support(span: Window) -> SupportMetrics:
    """The support figures of the window."""
    by_priority = open_queries_by_priority()
    return SupportMetrics(
        open_queries=Figure("open queries", sum(int(f.value or 0) for f in by_priority),
                            by_query(TASKS, "kind:query is:open")),
        open_queries_by_priority=by_priority,
        overdue_tasks=overdue_tasks(span.end),
        first_response=_median_time("first response", QueryData.first_response_at, span),
        resolution=_median_time("resolution", QueryData.resolved_at, span),
        csat=replace(csat_by_part([span.start, span.end])[0], label="CSAT"),
        csat_trend_30d=csat_by_part(weekly_edges(window("30d", span.end))),
        csat_trend_90d=csat_by_part(weekly_edges(window("90d", span.end))),
    )


def open_queries_by_priority() -> tuple[Figure, ...]:
    """The open queries of each priority, urgent first (all five, zeros included)."""
    counts = dict(Task.select(Task.priority, fn.COUNT(Task.id))
                  .where(Task.kind == "query", Task.closed_at.is_null(), *on_lists_in_use())
                  .group_by(Task.priority).tuples())
    return tuple(
        Figure(name, counts.get(number, 0),
               by_query(TASKS, f"kind:query is:open priority:{name}"))
        for number, name in sorted(PRIORITY_NAMES.items()))


def overdue_tasks(now: datetime) -> Figure:
    """Tasks of every kind not done and due before `now`."""
    overdue = Task.select().where(Task.closed_at.is_null(), Task.due_at < to_utc(now),
                                  *on_lists_in_use())
    return Figure("overdue tasks", overdue.count(),
                  by_query(TASKS, "is:open", f"due<{moment_text(now)}"))


def _median_time(label: str, moment, span: Window) -> Figure:
    """The median seconds from a query's creation to `moment` (a QueryData column), over the
    queries whose `moment` falls in the window."""
    elapsed = seconds_between(moment, Task.created_at)
    answered = with_data(QueryData, QueryData.task).where(
        within(moment, span.start_utc, span.end_utc, last=True), *on_lists_in_use())
    value, count = median(answered, elapsed)
    return Figure(label, value, ids_of(TASKS, answered.order_by(QueryData.task)), count)


def csat_by_part(edges: list[datetime]) -> tuple[Figure, ...]:
    """The CSAT average of the queries resolved in each part of time between consecutive
    `edges` (local moments; the last part includes its end), labelled by its first day."""
    utc_edges = [to_utc(edge) for edge in edges]
    scored = QueryData.csat_score.is_null(False)
    in_use = on_lists_in_use(QueryData.task)
    sums = (QueryData.select(*sums_by_span(QueryData.resolved_at, QueryData.csat_score,
                                           utc_edges))
            .where(scored, *in_use).tuples().get())
    figures = []
    for index, start in enumerate(edges[:-1]):
        total, count = sums[2 * index], sums[2 * index + 1]
        in_part = within(QueryData.resolved_at, utc_edges[index], utc_edges[index + 1],
                         last=index == len(edges) - 2)
        rows = (QueryData.select(QueryData.task).where(scored & in_part, *in_use)
                .order_by(QueryData.task))
        average = ((Decimal(int(total)) / count).quantize(CENTS, rounding=ROUND_HALF_UP)
                   if count else None)
        figures.append(Figure(start.date().isoformat(), average, ids_of(TASKS, rows), count))
    return tuple(figures)


def weekly_edges(span: Window) -> list[datetime]:
    """The window's start, every local Monday midnight inside it, and its end."""
    edges = [span.start]
    monday = span.start.date() + timedelta(days=7 - span.start.weekday())
    while (midnight := dates.parse_when(monday.isoformat(), span.end)) < span.end:
        edges.append(midnight)
        monday += timedelta(days=7)
    return [*edges, span.end]
