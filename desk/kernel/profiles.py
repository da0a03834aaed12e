"""Agents' profiles: the display name, e-mail address, signature and away flag each agent
keeps, and the teams they are in.

Anyone may edit their own profile; an admin may edit anyone's. An edit names the version it
read (`Profile.version`): fields someone else changed meanwhile conflict, others merge
(desk.kernel.versions), and every change is recorded as activity of the agent. Team
membership is an admin's to change.
"""

from __future__ import annotations

from collections.abc import Mapping

from msgspec import Struct

from desk.email_address import check_address
from desk.errors import InvalidInput
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, find, join_teams, require_admin, require_writer
from desk.kernel.inputs import (
    checked_field,
    free_text,
    known_fields,
    required_text,
    storable_text,
)
from desk.models import Agent, Team, TeamMember, database

SIGNATURE_LIMIT = 2000
"""The most characters a signature may have."""
_YES = ("yes", "true", "on", "1")
_NO = ("no", "false", "off", "0")


class Profile(Struct, frozen=True):
    """One agent's profile as the form and `desk agents show` give it."""

    username: str
    name: str
    email: str
    signature: str
    away: bool
    teams: tuple[str, ...]
    version: int


def _email(value: object) -> str:
    """An e-mail address, or "" for none."""
    text = storable_text(str(value or "").strip(), "email")
    if not text:
        return ""
    if len(text) > 254:
        raise InvalidInput("email can have at most 254 characters")
    try:
        return check_address(text)
    except ValueError:
        raise InvalidInput(f"email {text!r} is not an e-mail address like "
                           "ada@example.com") from None


def _signature(value: object) -> str:
    """A signature: free text of a few lines at most SIGNATURE_LIMIT characters."""
    text = free_text(value, "signature").strip("\n")
    if len(text) > SIGNATURE_LIMIT:
        raise InvalidInput(f"signature can have at most {SIGNATURE_LIMIT} characters")
    return text


def _away(value: object) -> bool:
    """A yes/no flag, given as a bool or as yes/no, true/false, on/off, 1/0."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word not in _YES + _NO:
        raise InvalidInput(f"away must be yes or no, not {value!r}")
    return word in _YES


FIELDS = {
    "name": lambda value: required_text(value, what="name", limit=200),
    "email": _email,
    "signature": _signature,
    "away": _away,
}
"""The fields of a profile and how each is checked; each message names its field."""


def check(changes: Mapping[str, object]) -> dict[str, object]:
    """The changes validated (FieldError naming the first bad field); unknown fields are
    refused."""
    known_fields(dict(changes), tuple(FIELDS), "profile")
    return {field: checked_field(FIELDS, field, value) for field, value in changes.items()}


def profile(username: str) -> Profile:
    """The profile of the agent with this user name (NotFound when there is none)."""
    agent = find(username)
    teams = tuple(name for (name,) in Team.select(Team.name).join(TeamMember)
                  .where(TeamMember.agent == agent.id).order_by(Team.name).tuples())
    return Profile(agent.username, agent.name, agent.email, agent.signature, agent.away,
                   teams, agent.version)


def update(actor: AgentRef, username: str, version: int, **changes: object) -> Profile:
    """Change fields of a profile read at `version` (name, email, signature, away): your
    own, or anyone's as an admin. Nothing is written when a field is bad."""
    require_writer(actor)
    if username != actor.username:
        require_admin(actor)
    wanted = check(changes)
    with database.atomic():
        agent = versions.load_for_update(Agent, find(username).id, "agent")
        current = {field: getattr(agent, field) for field in FIELDS}
        effective = versions.effective_changes("agent", agent.id, version, agent.version,
                                               current, wanted)
        if effective:
            columns = {field: new for field, (_, new) in effective.items()}
            new_version = versions.bump(Agent, agent.id, agent.version, "agent", columns)
            audit.record("agent", agent.id, actor, effective, new_version, "agent.updated")
    return profile(username)


def leave_teams(actor: AgentRef, username: str, teams: tuple[str, ...]) -> tuple[str, ...]:
    """Take an agent out of `teams` (admins only); returns the teams left. A team the agent
    is not in is refused, naming it."""
    require_admin(actor)
    names = sorted({required_text(team, what="a team name", limit=100) for team in teams})
    with database.atomic():
        agent = find(username)
        member_of = dict(Team.select(Team.name, Team.id).join(TeamMember)
                         .where(TeamMember.agent == agent.id).tuples())
        missing = [name for name in names if name not in member_of]
        if missing:
            raise InvalidInput(f"{username} is not in the team {missing[0]!r}")
        if names:
            (TeamMember.delete().where((TeamMember.agent == agent.id)
                                       & TeamMember.team.in_([member_of[n] for n in names]))
             .execute())
            audit.record("agent", agent.id, actor, {"team": (tuple(names), None)}, None,
                         "agent.updated")
    return tuple(names)


def change_teams(actor: AgentRef, username: str, join: tuple[str, ...],
                 leave: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Take an agent out of `leave` and put them in `join` (admins only), in one transaction:
    when either is refused nothing changes. Returns (joined, left)."""
    with database.atomic():
        left = leave_teams(actor, username, leave)
        joined = join_teams(actor, username, join)
    return joined, left


def save(actor: AgentRef, username: str, version: int, changes: Mapping[str, object],
         teams: tuple[str, ...] | None = None) -> Profile:
    """Change a profile read at `version` (as `update`) and, when `teams` is given, make the
    agent's teams exactly those (admins only: teams that are new are created), in one
    transaction: when either is refused nothing changes."""
    wanted = None if teams is None else {
        required_text(team, what="a team name", limit=100) for team in teams}
    with database.atomic():
        if changes:
            update(actor, username, version, **changes)
        if wanted is not None:
            current = set(profile(username).teams)
            if wanted != current:
                change_teams(actor, username, tuple(sorted(wanted - current)),
                             tuple(sorted(current - wanted)))
    return profile(username)
