"""Support queries: the typed data of a task of kind query (with the partial indexes the SLA
scan reads) and the conversation on a task."""

from __future__ import annotations

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from desk.clock import utcnow
from desk.models.base import BaseModel, one_of
from desk.models.contacts import Contact
from desk.models.people import Agent
from desk.models.tasks import Task
from desk.vocabulary import CHANNELS, COMMENT_KINDS, WAITING_ON


class QueryData(BaseModel):
    """The support data of a task of kind query: requester, channel, SLA times, CSAT."""

    task = ForeignKeyField(Task, primary_key=True, backref="query_data", on_delete="CASCADE")
    requester_name = CharField(max_length=200, default="")
    requester_email = CharField(max_length=254, default="")
    requester_contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL")
    channel = CharField(max_length=8, default="form", constraints=[one_of("channel", CHANNELS)])
    message_id = CharField(max_length=500, null=True, index=True)
    waiting_on = CharField(max_length=4, default="us",
                           constraints=[one_of("waiting_on", WAITING_ON)])
    first_response_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True)
    csat_score = SmallIntegerField(null=True)
    csat_comment = TextField(default="")
    first_response_due = DateTimeField(null=True)  # by the SLA policy (desk.sla)
    resolution_due = DateTimeField(null=True)
    waiting_since = DateTimeField(null=True)
    """When the query began to wait on the customer (None while it waits on us)."""
    waited_seconds = IntegerField(constraints=[SQL("DEFAULT 0")])
    """The business time spent waiting on the customer, given back to the resolution target
    (desk.sla.resume) while `sla.pause_while_waiting`. Its default is the database's, so an
    insert names it only when it sets it (as migration tests insert rows of older schemas)."""

    class Meta:
        constraints = [SQL("CHECK (csat_score IS NULL OR csat_score BETWEEN 1 AND 5)")]


# What the SLA scan and the "overdue" counts read: the targets not yet met, by due time
# (desk/migrations/0004_sla.py creates them by name).
QueryData.add_index(
    QueryData.index(QueryData.first_response_due, name="query_data_first_response_open")
    .where(QueryData.first_response_at.is_null())
)
QueryData.add_index(
    QueryData.index(QueryData.resolution_due, name="query_data_resolution_open")
    .where(QueryData.resolved_at.is_null())
)


class Comment(BaseModel):
    """A reply to the client, an internal note, or a message from the requester. Append-only,
    but for whether an agent shared it with the client's portal."""

    task = ForeignKeyField(Task, backref="comments", on_delete="CASCADE", index=False)
    kind = CharField(max_length=8, constraints=[one_of("kind", COMMENT_KINDS)])
    author = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    author_name = CharField(max_length=200, default="")
    body = TextField()
    message_id = CharField(max_length=500, null=True, index=True)
    created_at = DateTimeField(default=utcnow)
    portal_shared = BooleanField(default=False)
    """Shared with the client's portal by an agent (desk.support.portal.sharing)."""

    class Meta:
        indexes = ((("task", "id"), False),)
