"""Pages of the inbox as the TUI shows it: ranked by urgency, each row with its SLA clocks.

The "score" order reads the score each open task has stored (desk.support.urgency_store,
rescored before the page when due), walking the `task_open_urgency` index: a page costs
the same whatever the inbox holds.

Each key of a page starts with the order it was ranked in, so a key of one order is refused
by another.
"""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct

from desk import sla
from desk.config import UrgencySettings
from desk.errors import InvalidInput
from desk.support import triage
from desk.work import tasks
from desk.work.filters import Context
from desk.work.tasks import TaskRow

_TASK_FIELDS = TaskRow.__struct_fields__


class InboxRow(TaskRow, frozen=True):
    """A row of the inbox: the task, and for a query its SLA clocks (first response,
    resolution) at the moment of the page."""

    clocks: tuple[sla.Clock, sla.Clock] | None = None


class InboxPage(Struct, frozen=True):
    """One page of the inbox: rows, the key of the next page (None at the end), and the
    order the rows are ranked in ("score", "urgent" or "newest")."""

    rows: list[InboxRow]
    next_key: tuple | None
    ranked: str


def page(context: Context, text: str = "", *, sla_rules: sla.Book, order: str = "score",
         weights: UrgencySettings | None = None, after: Sequence[object] | None = None,
         offset: int = 0, limit: int = 100, from_end: int | None = None) -> InboxPage:
    """One page of the inbox in `order` (one of triage.ORDERS), after the key of the
    previous page or at an offset (or `from_end` rows before the end, read backwards), with
    the SLA clocks of its queries at `context.now` by `sla_rules`."""
    if order not in triage.ORDERS:
        raise InvalidInput(f"the inbox order must be one of {', '.join(triage.ORDERS)}, "
                           f"not {order!r}")
    if after is not None:
        ranked, *key = after
        if ranked != order:
            raise InvalidInput(f"this key is for the {ranked!r} order, not {order!r}")
        after = key
    found = triage.inbox_page(context, text, order=order, weights=weights, after=after,
                              offset=offset, limit=limit, from_end=from_end,
                              pause_while_waiting=sla_rules.pause_while_waiting)
    next_key = None if found.next_key is None else (order, *found.next_key)
    return InboxPage(_with_clocks(found.rows, context, sla_rules), next_key, order)


class Standing(Struct, frozen=True):
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
