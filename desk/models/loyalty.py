"""The loyalty programme: every client's points ledger and its stored standing (points and
tier), so that the clients list shows them and a change of tier is noticed at once."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from desk.models.base import BaseModel, one_of
from desk.models.clients import Client
from desk.models.people import Agent
from desk.models.tasks import Task
from desk.vocabulary import LOYALTY_REASONS


class LoyaltyEntry(BaseModel):
    """Points a client gained or lost: earned by a fulfilled order, redeemed on an order,
    expired, or adjusted by hand. `key` makes a background step's entry unique (earned:TASK,
    expired:CLIENT:LOT), so two runs side by side write it once."""

    client = ForeignKeyField(Client, on_delete="CASCADE", index=False)
    task = ForeignKeyField(Task, null=True, on_delete="SET NULL")
    points = IntegerField()
    reason = CharField(max_length=8, constraints=[one_of("reason", LOYALTY_REASONS)])
    note = CharField(max_length=200, default="")
    at = DateTimeField()
    agent = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    key = CharField(max_length=80, null=True, unique=True)

    class Meta:
        indexes = ((("client", "at"), False), (("task",), False))


class LoyaltyStanding(BaseModel):
    """A client's current points and tier (None below the lowest tier), kept with the
    ledger; `changed_at` is when the tier last changed."""

    client = ForeignKeyField(Client, primary_key=True, on_delete="CASCADE")
    points = IntegerField(default=0)
    tier = CharField(max_length=100, null=True)
    changed_at = DateTimeField(null=True)
    version = IntegerField(default=1)
