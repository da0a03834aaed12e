"""Pages of the inbox as the TUI shows it: ranked by urgency while that is cheap, each row
with its SLA clocks.

The "score" order (desk.support.triage) has to read and score every row of the inbox before
it can show the first one: 1.2 to 2.5 s on SQLite for the 110,000 to 140,000 rows of the
inbox of the 1M-task benchmark workspace, against some 15 ms for a page in priority order.
So `page` ranks by score only while the inbox (under the filter) holds at most RANK_LIMIT
rows, which a bounded probe (stopping after RANK_LIMIT + 1 rows: some 40 ms at 1M tasks)
tells at a cost that does not grow with the inbox; a larger inbox is ranked by priority (the
"urgent" order, walking an index) and the page says so (`ranked`).

Each key of a page starts with the order it was ranked in, so the following pages keep that
order even when the inbox crosses the limit meanwhile. Like every "score" key, it holds only
for the same `context.now`: a list pages with one moment until it reloads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from desk import sla
from desk.config import UrgencySettings
from desk.errors import InvalidInput
from desk.models import Task
from desk.support import triage
from desk.work import tasks
from desk.work.filters import Context
from desk.work.tasks import TaskRow

RANK_LIMIT = 2_000
"""The most rows the inbox ranks by urgency score; a larger inbox is ranked by priority."""
_TASK_FIELDS = tuple(field.name for field in fields(TaskRow))


@dataclass(frozen=True)
class InboxRow(TaskRow):
    """A row of the inbox: the task, and for a query its SLA clocks (first response,
    resolution) at the moment of the page."""

    clocks: tuple[sla.Clock, sla.Clock] | None = None


@dataclass(frozen=True)
class InboxPage:
    """One page of the inbox: rows, the key of the next page (None at the end), and the
    order the rows are ranked in ("score", "urgent" or "newest")."""

    rows: list[InboxRow]
    next_key: tuple | None
    ranked: str


def rankable(context: Context, text: str = "") -> bool:
    """Whether the inbox under the filter `text` is small enough to rank by score."""
    probe = Task.select(Task.id).where(*triage.inbox_conditions(context, text))
    return probe.limit(RANK_LIMIT + 1).count() <= RANK_LIMIT


def page(context: Context, text: str = "", *, sla_rules: sla.Book, order: str = "score",
         weights: UrgencySettings | None = None, after: Sequence[object] | None = None,
         offset: int = 0, limit: int = 100, from_end: int | None = None) -> InboxPage:
    """One page of the inbox in `order` (one of triage.ORDERS; "score" falls back to
    "urgent" for an inbox larger than RANK_LIMIT), after the key of the previous page or at
    an offset (or `from_end` rows before the end, read backwards), with the SLA clocks of its
    queries at `context.now` by `sla_rules`."""
    if order not in triage.ORDERS:
        raise InvalidInput(f"the inbox order must be one of {', '.join(triage.ORDERS)}, "
                           f"not {order!r}")
    if after is not None:
        ranked, *key = after
        if ranked not in ({order, "urgent"} if order == "score" else {order}):
            raise InvalidInput(f"this key is for the {ranked!r} order, not {order!r}")
        after = key
    elif order == "score" and not rankable(context, text):
        ranked = "urgent"
    else:
        ranked = order
    found = triage.inbox_page(context, text, order=ranked, weights=weights, after=after,
                              offset=offset, limit=limit, from_end=from_end,
                              pause_while_waiting=sla_rules.pause_while_waiting)
    next_key = None if found.next_key is None else (ranked, *found.next_key)
    return InboxPage(_with_clocks(found.rows, context, sla_rules), next_key, ranked)


@dataclass(frozen=True)
class Standing:
    """Where a task acted on stands in the inbox: its row as it is now, and its place in
    the order asked for (0: first); `place` None when it is not in the inbox any more."""

    row: InboxRow | None
    place: int | None


def standing(context: Context, task_id: int, text: str = "", *, sla_rules: sla.Book,
             order: str, weights: UrgencySettings | None = None) -> Standing:
    """The row of the task `task_id` at `context.now` and where it stands in the inbox under
    `text` in `order` (the order its pages came ranked in)."""
    place = triage.inbox_position(context, task_id, text, order=order, weights=weights,
                                  pause_while_waiting=sla_rules.pause_while_waiting)
    rows = _with_clocks(tasks.rows_for([task_id]), context, sla_rules)
    return Standing(rows[0] if rows else None, place)


def _with_clocks(found: Sequence[TaskRow], context: Context, sla_rules: sla.Book
                 ) -> list[InboxRow]:
    """The rows with the SLA clocks of their queries at `context.now`."""
    clocks = sla.clocks([row.id for row in found if row.kind == "query"], context.now,
                        sla_rules)
    return [InboxRow(**{name: getattr(row, name) for name in _TASK_FIELDS},
                     clocks=clocks.get(row.id)) for row in found]
