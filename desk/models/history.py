"""What happened: touches with clients, the audit trail, the events the automations consume
and the moments their rules have fired for."""

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
from desk.models.people import Agent
from desk.models.tasks import Task
from desk.vocabulary import INTERACTION_KINDS


class Interaction(BaseModel):
    """A touch with a client (call, email, meeting, reply, note, order): moves the client clock."""

    client = ForeignKeyField(Client, backref="interactions", on_delete="CASCADE", index=False)
    agent = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    kind = CharField(max_length=8, constraints=[one_of("kind", INTERACTION_KINDS)])
    summary = TextField(default="")
    task = ForeignKeyField(Task, null=True, on_delete="SET NULL")
    occurred_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "occurred_at"), False),)


class Activity(BaseModel):
    """The audit trail: one row per changed field (who, when, what, old, new)."""

    at = DateTimeField(default=utcnow)
    agent = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    actor = CharField(max_length=200)  # agent username, or "rule:NAME" for automations
    entity = CharField(max_length=20)
    entity_id = IntegerField()
    field = CharField(max_length=100)
    old = TextField(null=True)
    new = TextField(null=True)
    version = IntegerField(null=True)  # the entity version this change produced
    via = TextField(null=True)  # how the identity mode knew the agent: "os uid 1000"

    class Meta:
        indexes = ((("entity", "entity_id", "id"), False),)


class Event(BaseModel):
    """A change for the automation processor to consume, written with the change itself."""

    at = DateTimeField(default=utcnow)
    kind = CharField(max_length=40)
    entity = CharField(max_length=20)
    entity_id = IntegerField()
    agent = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    data = TextField(default="{}")  # JSON
    depth = SmallIntegerField(default=0)
    processed_at = DateTimeField(null=True)


Event.add_index(Event.index(Event.id, name="event_pending").where(Event.processed_at.is_null()))


class RuleFiring(BaseModel):
    """That an automation rule fired on a row for a moment (a due date, a birthday): the
    unique key lets each time trigger fire once, whoever runs the automations."""

    rule = CharField(max_length=100)
    entity = CharField(max_length=20)
    entity_id = IntegerField()
    key = CharField(max_length=100)
    fired_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("rule", "entity", "entity_id", "key"), True),)
