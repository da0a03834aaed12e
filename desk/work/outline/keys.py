"""Comparisons of sort keys, in SQL and in Python, for paging the roots by key.

A root's key is the values of its sort's columns, the task id last. Keyset sorts compare the
whole key as a row value; a sort whose first column is NULL for some rows and puts those last
(the due date, the client's name) is paged by key too, with the NULLs handled apart.
"""

from __future__ import annotations

from peewee import Expression, Tuple

from desk.work.listing import Sort


def after(order: Sort, key: tuple) -> Expression:
    """Roots that sort after `key`."""
    return _compare(order, key, after=True)


def at_or_after(order: Sort, key: tuple) -> Expression:
    """Roots that sort at `key` or after it."""
    return _compare(order, key, after=True) | (order.columns[-1] == key[-1])


def before(order: Sort, key: tuple) -> Expression:
    """Roots that sort before `key`."""
    return _compare(order, key, after=False)


def reversed_order(order: Sort) -> list:
    """The ORDER BY terms of `order` read from the end."""
    first, *rest = order.columns
    if not order.keyset:
        return [first.desc(nulls="FIRST"), *(column.desc() for column in rest)]
    return [column.asc() if order.descending else column.desc() for column in order.columns]


def compare_keys(order: Sort, left: tuple, right: tuple) -> int:
    """-1, 0 or 1 as sort key `left` comes before, with or after `right` in `order`
    (NULLs last for a sort that pages by offset)."""
    for mine, theirs in zip(left, right, strict=True):
        if mine == theirs:
            continue
        if mine is None or theirs is None:
            return 1 if mine is None else -1
        is_before = mine < theirs
        return -1 if is_before != order.descending else 1
    return 0


def _compare(order: Sort, key: tuple, *, after: bool) -> Expression:
    """Rows after (or before) `key` in `order`, including sorts whose first column is NULL
    for some rows and puts those last (the due date)."""
    if order.keyset:
        left, right = Tuple(*order.columns), Tuple(*key)
        return (left > right) if after != order.descending else (left < right)
    first, *rest = order.columns
    value, *tail = key
    beyond = (Tuple(*rest) > Tuple(*tail)) if after else (Tuple(*rest) < Tuple(*tail))
    if value is None:
        return (first.is_null() & beyond) if after else (first.is_null(False)
                                                          | (first.is_null() & beyond))
    if after:
        return first.is_null() | (first > value) | ((first == value) & beyond)
    return (first < value) | ((first == value) & beyond)
