"""Clients and customers, and the tags that tasks and clients share."""

from __future__ import annotations

from peewee import (
    SQL,
    BooleanField,
    CharField,
    Check,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from desk.clock import utcnow
from desk.models.base import BaseModel, one_of
from desk.models.people import Agent
from desk.vocabulary import CLIENT_KINDS, LIFECYCLE_STAGES


class Tag(BaseModel):
    """A label shared by tasks and clients."""

    name = CharField(unique=True, max_length=100)


class Client(BaseModel):
    """A client (long-term relationship) or customer (transactional), by `kind`."""

    kind = CharField(max_length=8, default="customer", constraints=[one_of("kind", CLIENT_KINDS)])
    name = CharField(max_length=200)
    contact_person = CharField(max_length=200, default="")
    email = CharField(max_length=254, default="")
    phone = CharField(max_length=50, default="")
    acquisition_date = DateField(null=True)
    last_contact_at = DateTimeField(null=True)
    lifecycle_stage = CharField(
        max_length=12, default="lead", constraints=[one_of("lifecycle_stage", LIFECYCLE_STAGES)]
    )
    lead_score = SmallIntegerField(
        default=0, constraints=[Check("lead_score BETWEEN 0 AND 100")]
    )
    account_manager = ForeignKeyField(Agent, null=True, backref="accounts", on_delete="SET NULL",
                                      index=False)
    retainer_amount = DecimalField(max_digits=12, decimal_places=2, null=True)
    retainer_cycle = CharField(max_length=10, null=True)
    retainer_hours = DecimalField(max_digits=8, decimal_places=2, null=True)  # a cycle's
    retainer_overage_rate = DecimalField(max_digits=12, decimal_places=2, null=True)  # an hour
    birthday = DateField(null=True)
    referred_by = ForeignKeyField("self", null=True, backref="referrals", on_delete="SET NULL")
    contact_cadence_days = IntegerField(null=True)
    confidential = BooleanField(default=False)
    notes = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    archived_at = DateTimeField(null=True)  # archived: kept, out of the everyday lists
    version = IntegerField(default=1)

    class Meta:
        constraints = [
            SQL(
                "CHECK (retainer_cycle IS NULL OR retainer_cycle IN "
                "('monthly', 'quarterly', 'yearly'))"
            ),
            SQL("CHECK (contact_cadence_days IS NULL OR contact_cadence_days > 0)"),
        ]
        indexes = (
            (("name", "id"), False),
            (("kind", "name", "id"), False),
            (("lifecycle_stage", "name", "id"), False),
            (("account_manager", "name", "id"), False),
            (("lead_score", "id"), False),
            (("last_contact_at", "id"), False),
            (("email",), False),
            (("referred_by",), False),
        )


class ClientTag(BaseModel):
    """A tag on a client."""

    client = ForeignKeyField(Client, backref="tag_links", on_delete="CASCADE", index=False)
    tag = ForeignKeyField(Tag, on_delete="CASCADE", index=False)

    class Meta:
        indexes = ((("client", "tag"), True), (("tag", "client"), False))
