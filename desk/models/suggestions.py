"""What agents did with a suggested next best action: acted on it (the task it became),
snoozed it until a day, or dismissed it with a reason."""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from desk.clock import utcnow
from desk.models.base import BaseModel, one_of
from desk.models.clients import Client
from desk.models.people import Agent
from desk.models.tasks import Task

SUGGESTION_OUTCOMES = ("acted", "snoozed", "dismissed")
"""What an agent did with a suggestion."""


class SuggestionState(BaseModel):
    """The latest decision about one suggestion: a client, a rule and the rule's subject key
    (e.g. the cycle end date). `fingerprint` is the data the suggestion was made from; when
    the data changes, the suggestion comes back."""

    client = ForeignKeyField(Client, on_delete="CASCADE", index=False)
    rule = CharField(max_length=40)
    subject = CharField(max_length=200)
    fingerprint = CharField(max_length=64)
    outcome = CharField(max_length=9, constraints=[one_of("outcome", SUGGESTION_OUTCOMES)])
    task = ForeignKeyField(Task, null=True, on_delete="SET NULL")
    snoozed_until = DateField(null=True)
    reason = TextField(default="")
    agent = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("client", "rule", "subject"), True),)
