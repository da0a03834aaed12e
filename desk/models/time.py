"""Time spent on tasks: entries logged by hand and the one running timer an agent may have.

A running timer is an entry without `minutes` (and without an end); a partial unique index
keeps at most one per agent, so it lives in the database and survives a restart. `day` is
the local calendar date the work belongs to (the workspace's time zone), which reports and
retainer cycles count by.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    Check,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from desk.clock import utcnow
from desk.models.base import BaseModel
from desk.models.people import Agent
from desk.models.tasks import Task


class TimeEntry(BaseModel):
    """Minutes an agent spent on a task on a day; `minutes` is null while the timer runs."""

    task = ForeignKeyField(Task, backref="time_entries", on_delete="CASCADE", index=False)
    agent = ForeignKeyField(Agent, null=True, on_delete="SET NULL", index=False)
    started_at = DateTimeField(null=True)  # naive UTC; when a timer started
    minutes = IntegerField(null=True, constraints=[Check("minutes IS NULL OR minutes >= 0")])
    billable = BooleanField(default=True)
    note = TextField(default="")
    day = DateField()
    created_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("task", "day"), False), (("day", "task"), False),
                   (("agent", "day"), False))


TimeEntry.add_index(
    TimeEntry.index(TimeEntry.agent, unique=True, name="time_entry_running")
    .where(TimeEntry.minutes.is_null())
)
