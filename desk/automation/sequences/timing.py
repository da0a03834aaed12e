"""When a sequence's steps are due: calendar days from the start, at the start's time of day.

A step on `day: 7` is due seven calendar days after the start at the same wall-clock time in
the workspace's zone, whatever daylight saving did in between (a step started at 09:00 in
winter is due at 09:00 in summer too). Days are calendar days, not business days, so day 30
from 31 January is 2 March. A step that ran late (the desk was off, or the sequence was
paused) pushes the next one back by as much, so the gap between the two is kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from desk.clock import to_local, to_utc


def step_due(started_at: datetime, day: int, zone: tzinfo) -> datetime:
    """The moment (naive UTC) of a step `day` calendar days after `started_at` (naive UTC),
    at the same local time of day in `zone`."""
    local = to_local(started_at, zone).replace(tzinfo=None) + timedelta(days=day)
    return to_utc(local.replace(tzinfo=zone))


def next_due(started_at: datetime, day_done: int, day_next: int, done_at: datetime,
             zone: tzinfo) -> datetime:
    """When the step on `day_next` is due, once the step on `day_done` ran at `done_at` (all
    naive UTC): on its day, or as long after `done_at` as the two steps are apart, whichever
    is later."""
    scheduled = step_due(started_at, day_next, zone)
    gap = scheduled - step_due(started_at, day_done, zone)
    return max(scheduled, done_at + gap)
