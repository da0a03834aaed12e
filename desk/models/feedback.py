"""Feedback beyond CSAT: the NPS surveys sent to clients with their answers, and the
one-click links of the survey e-mails (NPS and CSAT). Links are stored by the SHA-256 of
their token, never the token itself."""

from __future__ import annotations

from peewee import SQL, CharField, DateTimeField, ForeignKeyField, SmallIntegerField, TextField

from desk.models.base import BaseModel, one_of
from desk.models.clients import Client
from desk.models.mail import Outbox
from desk.models.tasks import Task

NPS_CHANNELS = ("email", "portal")
"""How an NPS answer came back: a reply to the e-mail, or a click in the portal."""
LINK_KINDS = ("nps", "csat")
"""What a one-click link answers: an NPS survey or a query's CSAT survey."""


class NpsSurvey(BaseModel):
    """One NPS survey sent to a client's decision maker (when, to whom, the e-mail), and the
    answer once it comes: the score (0 to 10), the free text, when and by which channel. The
    newest `sent_at` of a client is what the cadence counts from."""

    client = ForeignKeyField(Client, on_delete="CASCADE", index=False)
    address = CharField(max_length=254)
    sent_at = DateTimeField()
    outbox = ForeignKeyField(Outbox, null=True, on_delete="SET NULL")
    score = SmallIntegerField(null=True)
    comment = TextField(default="")
    answered_at = DateTimeField(null=True)
    channel = CharField(max_length=8, null=True,
                        constraints=[SQL(f"CHECK (channel IS NULL OR channel IN "
                                         f"({', '.join(repr(c) for c in NPS_CHANNELS)}))")])

    class Meta:
        indexes = ((("client", "sent_at"), False), (("answered_at",), False))
        constraints = [SQL("CHECK (score IS NULL OR score BETWEEN 0 AND 10)")]


class FeedbackLink(BaseModel):
    """The one-click token of a survey e-mail: for an NPS survey or a query's CSAT. It works
    once (`used_at`)."""

    token_hash = CharField(max_length=64, unique=True)
    kind = CharField(max_length=4, constraints=[one_of("kind", LINK_KINDS)])
    survey = ForeignKeyField(NpsSurvey, null=True, on_delete="CASCADE")
    task = ForeignKeyField(Task, null=True, on_delete="CASCADE")
    address = CharField(max_length=254)
    created_at = DateTimeField()
    used_at = DateTimeField(null=True)
