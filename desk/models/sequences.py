"""Sequences: a client's enrolment in a multi-step automation, and the steps it has run.

An enrolment names its sequence by the config's name; the steps come from the config. At most
one enrolment per client and sequence is running or paused at a time (a partial unique index),
and each step runs once (unique per enrolment and step).
"""

from __future__ import annotations

from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from desk.clock import utcnow
from desk.models.base import BaseModel, one_of
from desk.models.clients import Client
from desk.models.mail import Outbox
from desk.models.tasks import Task

SEQUENCE_STATES = ("running", "paused", "stopped", "finished")
"""An enrolment's state: running (steps run when due), paused (by an agent, or after a step
failed), stopped (by an agent, a reply or a change of stage; for good) or finished."""
LIVE_STATES = ("running", "paused")
"""The states in which an enrolment holds its client's place in the sequence."""


class SequenceEnrolment(BaseModel):
    """A client going through a sequence: when it started, the stage the client was at then,
    the next step (0-based) and when it is due, its state and why it stopped or paused."""

    client = ForeignKeyField(Client, backref="sequences", on_delete="CASCADE", index=False)
    sequence = CharField(max_length=100)
    stage = CharField(max_length=12)
    started_at = DateTimeField(default=utcnow)
    started_by = CharField(max_length=200)
    next_step = SmallIntegerField(default=0)
    next_due_at = DateTimeField(null=True)
    state = CharField(max_length=8, default="running",
                      constraints=[one_of("state", SEQUENCE_STATES)])
    reason = TextField(default="")
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("state", "next_due_at"), False), (("client", "id"), False))


SequenceEnrolment.add_index(
    SequenceEnrolment.index(SequenceEnrolment.client, SequenceEnrolment.sequence, unique=True,
                            name="sequence_enrolment_live")
    .where(SequenceEnrolment.state.in_(LIVE_STATES)))


class SequenceStep(BaseModel):
    """A step an enrolment has run: when, and the e-mail it queued or the task it created."""

    enrolment = ForeignKeyField(SequenceEnrolment, backref="steps", on_delete="CASCADE",
                                index=False)
    step = SmallIntegerField()
    kind = CharField(max_length=5, constraints=[one_of("kind", ("email", "task"))])
    done_at = DateTimeField(default=utcnow)
    outbox = ForeignKeyField(Outbox, null=True, on_delete="SET NULL")
    task = ForeignKeyField(Task, null=True, on_delete="SET NULL")
    summary = TextField(default="")

    class Meta:
        indexes = ((("enrolment", "step"), True),)
