"""Time conventions: the database stores naive UTC; people see their configured time zone."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def utcnow() -> datetime:
    """The current time as a naive UTC datetime, the form every stored time takes."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_utc(moment: datetime) -> datetime:
    """Convert an aware datetime to the stored form (naive UTC)."""
    if moment.tzinfo is None:
        raise ValueError("to_utc needs an aware datetime")
    return moment.astimezone(UTC).replace(tzinfo=None)


def stored(moment: datetime | None) -> datetime | None:
    """A datetime a service received, in the stored form: an aware one converted to naive UTC,
    a naive one (already UTC by convention) and None returned as they are."""
    if moment is None or moment.tzinfo is None:
        return moment
    return to_utc(moment)


def to_local(stored: datetime, zone: tzinfo) -> datetime:
    """Convert a stored naive-UTC datetime to an aware datetime in `zone`."""
    return stored.replace(tzinfo=UTC).astimezone(zone)
