"""Recurring work: series of RFC 5545 rules and the occurrences they created."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from desk.clock import utcnow
from desk.models.base import BaseModel, one_of
from desk.models.people import Agent
from desk.models.tasks import Task
from desk.vocabulary import CATCH_UPS, SERIES_ANCHORS, SERIES_MODES


class RecurringSeries(BaseModel):
    """Work that comes back: an RFC 5545 rule (python-dateutil) applied to a template task."""

    task = ForeignKeyField(Task, backref="series", on_delete="CASCADE")
    rule = TextField()  # RFC 5545 RRULE text, e.g. FREQ=MONTHLY;BYMONTHDAY=1
    anchor = CharField(max_length=10, default="schedule",
                       constraints=[one_of("anchor", SERIES_ANCHORS)])
    mode = CharField(max_length=6, default="new", constraints=[one_of("mode", SERIES_MODES)])
    skip_weekends = BooleanField(default=False)
    skip_if_open = BooleanField(default=False)
    catch_up = CharField(max_length=6, default="latest",
                         constraints=[one_of("catch_up", CATCH_UPS)])
    starts_at = DateTimeField()
    until = DateTimeField(null=True)
    count = IntegerField(null=True)
    next_at = DateTimeField(null=True)
    active = BooleanField(default=True)
    created_by = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("active", "next_at"), False),)


class Occurrence(BaseModel):
    """One occurrence of a series; the unique (series, occurs_at) key forbids duplicates."""

    series = ForeignKeyField(RecurringSeries, backref="occurrences", on_delete="CASCADE",
                             index=False)
    occurs_at = DateTimeField()
    task = ForeignKeyField(Task, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("series", "occurs_at"), True),)
