"""The NPS figures of the dashboard and `desk nps`: the score (promoters' share minus
detractors', -100 to 100) of the answers given in the window, its three groups, and its
trend by calendar month and by quarter.

An answer counts +100 for a promoter (9, 10), 0 for a passive (7, 8) and -100 for a
detractor (0 to 6), so NPS is their average, summed by the database for every part of a
trend in one query. Each figure drills down to the clients whose answers it counts.
"""

from __future__ import annotations

from datetime import datetime

from dateutil.relativedelta import relativedelta
from msgspec import Struct
from peewee import Case, Expression

from desk.clock import to_utc
from desk.metrics.figures import CLIENTS, Figure, Window, ids_of
from desk.metrics.sql import sums_by_span, within
from desk.models import NpsSurvey

GROUPS = (("promoters", NpsSurvey.score >= 9), ("passives", NpsSurvey.score.between(7, 8)),
          ("detractors", NpsSurvey.score <= 6))
"""Each group of answers and the scores in it."""
POINTS = Case(None, [(NpsSurvey.score >= 9, 100), (NpsSurvey.score <= 6, -100)], 0)
"""What one answer adds to the score."""
MONTHS = 12
QUARTERS = 8


class NpsMetrics(Struct, frozen=True):
    """NPS in the window (`score`: its value the NPS, its count the answers; None without
    answers), the answers in each group, and the NPS by month and by quarter up to the
    window's end (each part labelled by its first day)."""

    score: Figure
    promoters: Figure
    passives: Figure
    detractors: Figure
    by_month: tuple[Figure, ...]
    by_quarter: tuple[Figure, ...]


def nps_metrics(span: Window) -> NpsMetrics:
    """The NPS figures of a window."""
    start, end = span.start_utc, span.end_utc
    answered = within(NpsSurvey.answered_at, start, end, last=True)
    score = by_part([span.start, span.end])[0]
    groups = [Figure(label, NpsSurvey.select().where(answered & condition).count(),
                     ids_of(CLIENTS, _clients(answered & condition)))
              for label, condition in GROUPS]
    month = span.end.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    quarter = month - relativedelta(months=(month.month - 1) % 3)
    return NpsMetrics(
        Figure("NPS", score.value, score.drill, score.count), *groups,
        by_month=by_part(_edges(month, 1, MONTHS, span.end)),
        by_quarter=by_part(_edges(quarter, 3, QUARTERS, span.end)))


def _edges(last_start: datetime, months: int, parts: int, end: datetime) -> list[datetime]:
    """The first moments of `parts` parts of `months` months each, the last beginning at
    `last_start`, then `end`."""
    return [*(last_start - relativedelta(months=months * back)
              for back in range(parts - 1, -1, -1)), end]


def by_part(edges: list[datetime]) -> tuple[Figure, ...]:
    """The NPS of the answers given in each part of time between consecutive `edges` (local
    moments; the last part includes its end), labelled by its first day; None for a part
    without answers."""
    utc_edges = [to_utc(edge) for edge in edges]
    answered = NpsSurvey.score.is_null(False)
    sums = (NpsSurvey.select(*sums_by_span(NpsSurvey.answered_at, POINTS, utc_edges))
            .where(answered).tuples().get())
    figures = []
    for index, start in enumerate(edges[:-1]):
        total, count = sums[2 * index], sums[2 * index + 1]
        in_part = within(NpsSurvey.answered_at, utc_edges[index], utc_edges[index + 1],
                         last=index == len(edges) - 2)
        value = round(int(total) / count) if count else None
        figures.append(Figure(start.date().isoformat(), value,
                              ids_of(CLIENTS, _clients(answered & in_part)), count))
    return tuple(figures)


def _clients(condition: Expression):
    """The clients with an answer meeting `condition`, each once, by id."""
    return (NpsSurvey.select(NpsSurvey.client).where(condition)
            .group_by(NpsSurvey.client).order_by(NpsSurvey.client))
