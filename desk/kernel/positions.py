"""Places in an ordered list of rows (tasks of a list, checklists of a task, statuses of a
list...): the next one at the end, taken once however many desks add rows at the same
moment, and moving a row to another place."""

from __future__ import annotations

from peewee import Expression, Field, fn

from desk.dialect import serialize
from desk.errors import InvalidInput


def next_position(column: Field, siblings: Expression, scope: str) -> int:
    """The `column` value after the greatest one of the rows `siblings` selects (1 for none).

    Call inside the transaction that inserts the row. Transactions asking for the same
    `column` and `scope` (e.g. "list 7") take turns from here to their commit (on SQLite,
    BEGIN IMMEDIATE does that already), so each reads the position the one before it wrote
    and no two rows get the same place.
    """
    serialize(f"positions:{column.model._meta.table_name}:{scope}")
    last = column.model.select(fn.COALESCE(fn.MAX(column), 0)).where(siblings).scalar()
    return last + 1


def move_to(column: Field, siblings: Expression, row_id: int, position: int,
            scope: str, what: str) -> tuple[int, int]:
    """Put row `row_id` at place `position` (1 = first) among the rows `siblings` selects,
    in `column` order, numbering them 1, 2, ... again; returns its (old, new) place.

    A place outside 1..count is InvalidInput naming `what`. Transactions ordering the same
    `column` and `scope` take turns, as in `next_position`.
    """
    serialize(f"positions:{column.model._meta.table_name}:{scope}")
    model = column.model
    ids = [row for (row,) in model.select(model.id).where(siblings)
           .order_by(column, model.id).tuples()]
    if not 1 <= position <= len(ids):
        raise InvalidInput(f"{what}: the position must be between 1 and {len(ids)}, "
                           f"not {position}")
    old = ids.index(row_id) + 1
    ids.remove(row_id)
    ids.insert(position - 1, row_id)
    for place, row in enumerate(ids, start=1):
        model.update({column: place}).where((model.id == row) & (column != place)).execute()
    return old, position
