"""The building blocks of the dashboard metrics: the period, a figure and its drill-down.

Every number of the dashboard is a `Figure` that carries a `DrillDown`: the query-language
text (desk.work.filters) that lists exactly the rows the number counts. Where the language
has no words for a condition (a median over first responses, a client's stage a month ago),
the drill-down holds the row ids themselves, at most MAX_IDS of them, and its query names them
by id (`id:3,5,8`), so a list can always open it the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from msgspec import Struct
from peewee import Case, Expression, Field, Select

from desk import dates
from desk.clock import to_utc
from desk.errors import InvalidInput

PERIODS = {"30d": "-30d", "90d": "-90d", "12m": "-12m"}
"""The periods of the dashboard and the day form (desk.dates) of their first day."""
MAX_IDS = 1000
"""The most rows an id drill-down names; beyond it the drill-down says it is incomplete."""
TASKS = "tasks"
CLIENTS = "clients"
ANY_STATE = "is:open,done"
"""The task-query term that lifts the task lists' default "not done" filter."""


class Window(Struct, frozen=True):
    """The span a period covers: from local midnight of its first day to `end`.

    30d starts at midnight 30 days before today, 90d 90 days before, 12m on the same day
    12 months before (desk.dates' `-30d`, `-90d`, `-12m`); `end` is the moment the dashboard
    is computed for, to the whole second. Both are aware, in the workspace's time zone; a
    moment t is in the window when start <= t <= end.
    """

    period: str
    start: datetime
    end: datetime

    @property
    def start_utc(self) -> datetime:
        """The start in the stored form (naive UTC)."""
        return to_utc(self.start)

    @property
    def end_utc(self) -> datetime:
        """The end in the stored form (naive UTC)."""
        return to_utc(self.end)


def window(period: str, now: datetime) -> Window:
    """The window of `period` (30d, 90d or 12m) ending at `now` (aware, in the workspace's
    time zone, which gives the calendar days)."""
    if period not in PERIODS:
        raise InvalidInput(f"the period must be one of {', '.join(PERIODS)}, not {period!r}")
    end = now.replace(microsecond=0)
    return Window(period, dates.parse_when(PERIODS[period], end), end)


class DrillDown(Struct, frozen=True):
    """The rows behind a figure, for a list to open.

    `scope` says which list (tasks or clients) and `query` is its query-language text, read
    with the dashboard's moment as now (filters.Context.now = Window.end). `ids` is set when
    the language cannot say the condition: the query then names these rows by id. `complete`
    is False when more than MAX_IDS rows make up the figure and only the first are named.
    """

    scope: str
    query: str
    ids: tuple[int, ...] | None = None
    complete: bool = True


class Figure(Struct, frozen=True):
    """One number of the dashboard, its label and the rows behind it.

    `value` is a count, or a measure (a median in seconds, an average, an amount of money)
    taken over `count` rows; None when there is nothing to measure. `amount` is money that
    goes with a count (the monthly retainer value of a pipeline stage).
    """

    label: str
    value: int | Decimal | None
    drill: DrillDown
    count: int | None = None
    amount: Decimal | None = None


class Rate(Struct, frozen=True):
    """A share: `part` of `whole` (both figures) and part / whole, None when whole is 0."""

    part: Figure
    whole: Figure
    rate: float | None


def rate(part: Figure, whole: Figure) -> Rate:
    """The Rate of two count figures, rounded to four decimals."""
    if not whole.value:
        return Rate(part, whole, None)
    return Rate(part, whole, round(int(part.value or 0) / int(whole.value), 4))


def by_query(scope: str, *terms: str) -> DrillDown:
    """A drill-down the query language says: the terms joined with spaces."""
    return DrillDown(scope, " ".join(term for term in terms if term))


def by_ids(scope: str, ids: Iterable[int], complete: bool = True) -> DrillDown:
    """A drill-down naming its rows by id (tasks in any state)."""
    ids = tuple(ids)
    listed = f"id:{','.join(str(i) for i in ids)}" if ids else "id:0"
    return DrillDown(scope, f"{listed} {ANY_STATE}" if scope == TASKS else listed, ids, complete)


def ids_of(scope: str, query: Select) -> DrillDown:
    """The id drill-down of an ordered SELECT whose first column is a task or client id: at
    most MAX_IDS ids, incomplete when the query has more rows."""
    rows = [row[0] for row in query.limit(MAX_IDS + 1).tuples()]
    return by_ids(scope, rows[:MAX_IDS], complete=len(rows) <= MAX_IDS)


def counted(scope: str, rows: Select, key: Field,
            parts: Sequence[tuple[str, Expression]]) -> list[Figure]:
    """A count figure for each (label, condition) of `parts` over `rows` (an unordered
    SELECT; `key` its task or client id), with the ids of each, read in one query: every row's
    key and which conditions it meets. The rows are clients, or the queries of a window, never
    the whole task table; one pass instead of a count and a query a figure keeps the common
    table expressions of return on relationship from being worked out five times (0.84 s of
    `desk report` at a million tasks)."""
    flags = [Case(None, [(condition, 1)], 0) for _, condition in parts]
    meeting: list[list[int]] = [[] for _ in parts]
    for row_key, *met in rows.select(key, *flags).order_by(key).tuples():
        for ids, flag in zip(meeting, met, strict=True):
            if flag:
                ids.append(row_key)
    return [Figure(label, len(ids), by_ids(scope, ids[:MAX_IDS], complete=len(ids) <= MAX_IDS))
            for (label, _), ids in zip(parts, meeting, strict=True)]


def moment_text(moment: datetime) -> str:
    """A moment as the query language reads it exactly: local ISO time with its offset."""
    return moment.isoformat(timespec="seconds")
