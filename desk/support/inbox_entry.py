"""The moment a new task enters the inbox, worked out before it is written.

The database keeps each task's `inbox_at` with its triggers (migrations 0023 and 0032; the
rule is in desk.support.triage). A bulk writer that gives a new row the moment the insert
trigger would work out, and the same `urgency_until`, saves SQLite two more writes of the
row (0032); a value that differs from the trigger's is simply written again by it, so this
is a saving, never a second source of truth.
"""

from __future__ import annotations

from datetime import datetime

START = datetime(1, 1, 1)
"""The start of time: the inbox moment of a query, or of a new task nobody holds."""


def inbox_moment(kind: str, category: str, held: bool, due_at: datetime | None,
                 snoozed_until: datetime | None) -> datetime | None:
    """When a task enters the inbox while it is not done (None: never): at once for a query
    or a new task nobody holds (`held`: it has a team or an assignee), else at its due time,
    and not before its snooze ends. Times are naive UTC, as stored."""
    entry = START if kind == "query" or (category == "open" and not held) else due_at
    if entry is None:
        return None
    return snoozed_until if snoozed_until is not None and snoozed_until > entry else entry
