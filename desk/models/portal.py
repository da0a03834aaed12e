"""The client portal: sign-in links, sessions, the counts its rate limits read, and each
client's portal settings. Links and sessions are stored by the SHA-256 of their token."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from desk.models.base import BaseModel, one_of
from desk.models.clients import Client

ATTEMPT_KINDS = ("address", "ip")
"""What a rate-limit count is kept by: the address asked for, or the asker's IP."""


class PortalLink(BaseModel):
    """A sign-in link e-mailed to a client's contact: single use, expiring."""

    token_hash = CharField(max_length=64, unique=True)
    address = CharField(max_length=254)
    client = ForeignKeyField(Client, on_delete="CASCADE")
    created_at = DateTimeField()
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("client",), False),)


class PortalSession(BaseModel):
    """A contact signed in to the portal, until `expires_at` or signing out."""

    token_hash = CharField(max_length=64, unique=True)
    address = CharField(max_length=254)
    client = ForeignKeyField(Client, on_delete="CASCADE")
    created_at = DateTimeField()
    expires_at = DateTimeField()

    class Meta:
        indexes = ((("client",), False),)


class PortalAttempt(BaseModel):
    """One request for a sign-in link, counted by address and by IP for the rate limits."""

    kind = CharField(max_length=8, constraints=[one_of("kind", ATTEMPT_KINDS)])
    key = CharField(max_length=254)
    at = DateTimeField()

    class Meta:
        indexes = ((("kind", "key", "at"), False),)


class PortalClient(BaseModel):
    """A client's portal settings: `shared` lets every contact see all its requests;
    `enabled` False turns the portal off for it. No row: enabled, not shared."""

    client = ForeignKeyField(Client, unique=True, on_delete="CASCADE")
    shared = BooleanField(default=False)
    enabled = BooleanField(default=True)
    version = IntegerField(default=1)
    notes_shared = BooleanField(default=False)
    """Whether the client's notes (its requirements document) show on its portal."""
