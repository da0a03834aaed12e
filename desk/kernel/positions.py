"""The next place at the end of an ordered list of rows (tasks of a list, checklists of a
task, items of a checklist...), taken once however many desks add rows at the same moment."""

from __future__ import annotations

from peewee import Expression, Field, fn

from desk.dialect import serialize


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
