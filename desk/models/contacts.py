"""The people of a client: any number of contacts, each with a role, one of them primary."""

from __future__ import annotations

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from desk.clock import utcnow
from desk.models.base import BaseModel, one_of
from desk.models.clients import Client
from desk.vocabulary import CONTACT_ROLES


class Contact(BaseModel):
    """A person at a client. At most one contact of a client is its primary (a partial
    unique index); removing a contact deletes the row, its history stays in the audit."""

    client = ForeignKeyField(Client, backref="contacts", on_delete="CASCADE", index=False)
    name = CharField(max_length=200)
    email = CharField(max_length=254, default="")
    phone = CharField(max_length=50, default="")
    title = CharField(max_length=200, default="")
    birthday = DateField(null=True)
    notes = TextField(default="")
    role = CharField(max_length=16, default="user", constraints=[one_of("role", CONTACT_ROLES)])
    is_primary = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("client", "name", "id"), False), (("email",), False))


Contact.add_index(Contact.index(Contact.client, unique=True, name="contact_one_primary")
                  .where(SQL("is_primary")))
