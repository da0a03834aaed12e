"""Who works the desk: agents, their teams, whose turn it is in a team, and the views
they save."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from desk.clock import utcnow
from desk.models.base import BaseModel, one_of
from desk.vocabulary import ROLES, SAVED_VIEW_SCOPES


class Team(BaseModel):
    """A group of agents that work can be assigned to (e.g. Fulfilment, Support)."""

    name = CharField(unique=True, max_length=100)


class Agent(BaseModel):
    """A person who works the desk, identified by the identity mode (desk.kernel.access.identity):
    by default their operating-system account. A disabled agent can no longer open the desk;
    their name stays on everything they did."""

    username = CharField(unique=True, max_length=64)
    name = CharField(max_length=200)
    email = CharField(max_length=254, default="")
    signature = TextField(default="")
    role = CharField(max_length=8, default="agent", constraints=[one_of("role", ROLES)])
    away = BooleanField(default=False)
    disabled = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)  # of the profile (name, e-mail, signature, away)


class TeamMember(BaseModel):
    """Membership of an agent in a team."""

    team = ForeignKeyField(Team, backref="members", on_delete="CASCADE", index=False)
    agent = ForeignKeyField(Agent, backref="memberships", on_delete="CASCADE")

    class Meta:
        indexes = ((("team", "agent"), True), (("agent",), False))


class RoundRobin(BaseModel):
    """Whose turn it is in a team: the agent the team's last round-robin assignment went to."""

    team = ForeignKeyField(Team, unique=True, on_delete="CASCADE")
    agent = ForeignKeyField(Agent, null=True, on_delete="SET NULL")


class SavedView(BaseModel):
    """A named query for a screen, personal (owner) or shared (no owner)."""

    scope = CharField(max_length=8, constraints=[one_of("scope", SAVED_VIEW_SCOPES)])
    name = CharField(max_length=100)
    query = TextField()
    sort = CharField(max_length=40, default="")
    owner = ForeignKeyField(Agent, null=True, on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("scope", "owner", "name"), True),)


SavedView.add_index(
    SavedView.index(SavedView.scope, SavedView.name, unique=True,
                    name="saved_view_shared_name").where(SavedView.owner.is_null())
)


class SshKey(BaseModel):
    """An SSH public key that lets an agent in over SSH (identity.mode ssh): sshd checks the
    key, and desk acts as its agent, recording its fingerprint with every change. Removing
    the row shuts the key out, and ends an open session of it within seconds."""

    agent = ForeignKeyField(Agent, backref="ssh_keys", on_delete="CASCADE")
    kind = CharField(max_length=64)  # the key's algorithm as OpenSSH names it: ssh-ed25519
    public_key = TextField()  # the key's base64 blob, as in an authorized_keys line
    fingerprint = CharField(unique=True, max_length=60)  # "SHA256:" and unpadded base64
    comment = CharField(max_length=200, default="")
    added_at = DateTimeField(default=utcnow)
    added_by = ForeignKeyField(Agent, null=True, backref="ssh_keys_added", on_delete="SET NULL")
