"""Stored moments in SQL arithmetic: seconds since 1970 of a naive-UTC datetime column, the
same number on SQLite and PostgreSQL, and the same number Python computes (`epoch`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from peewee import Expression, Field, fn

from desk.db import is_sqlite

_UNIX_JULIAN_DAY = 2440587.5  # the Julian day number of 1970-01-01 00:00 UTC
_1970 = datetime(1970, 1, 1, tzinfo=UTC)


def epoch(moment: datetime) -> float:
    """Seconds since 1970 of a stored (naive UTC) or aware datetime."""
    return _aware(moment).timestamp()


def whole_seconds(moment: datetime) -> int:
    """Whole seconds since 1970 (rounded down) of a stored or aware datetime."""
    return (_aware(moment) - _1970) // timedelta(seconds=1)


def epoch_of(column: Field | Expression) -> Expression:
    """Seconds since 1970 of a stored datetime column, with fractions, as a float."""
    if is_sqlite():
        return (fn.julianday(column) - _UNIX_JULIAN_DAY) * 86400.0
    return fn.date_part("epoch", column)


def whole_seconds_text(column: Field | Expression) -> Expression:
    """Whole seconds since 1970 (rounded down) of a stored datetime column, as text: what
    `str(whole_seconds(moment))` gives in Python, for keys compared in SQL."""
    if is_sqlite():
        return fn.strftime("%s", column)
    return fn.floor(fn.date_part("epoch", column)).cast("bigint").cast("text")


def _aware(moment: datetime) -> datetime:
    """`moment` as an aware datetime (a naive one is stored UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
