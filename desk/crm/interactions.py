"""Interactions and the relationship clock: every touch with a client moves its last contact.

A call, e-mail, meeting, reply, note or order logged against a client is an Interaction, and
logging one moves the client's `last_contact_at` forward to when it happened (never backwards:
logging last month's call does not rewind the clock). The clock move is a versioned change of
the client's `last_contact_at` field, so an agent editing other fields of the client from an
older version still merges instead of meeting a conflict.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec import Struct
from peewee import JOIN

from desk.clock import stored, to_utc, utcnow
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import free_text
from desk.models import Agent, Client, Interaction, Task, database
from desk.vocabulary import INTERACTION_KINDS


class InteractionRow(Struct, frozen=True):
    """One logged touch with a client, as the client screen and the CLI show it."""

    id: int
    client_id: int
    kind: str
    summary: str
    agent: str | None
    task_id: int | None
    occurred_at: datetime


class Clock(Struct, frozen=True):
    """The relationship clock of a client: how long since the last contact, against its cadence.

    `contact_overdue` is true when a cadence is set and the last contact is older than that many
    days, or the client was never contacted.
    """

    last_contact_at: datetime | None
    days_since_contact: int | None
    cadence_days: int | None
    contact_overdue: bool


def clock(last_contact_at: datetime | None, cadence_days: int | None,
          now: datetime | None = None) -> Clock:
    """The clock of a client last contacted at `last_contact_at` (naive UTC) as of `now`."""
    now = now or utcnow()
    days = None if last_contact_at is None else (now - last_contact_at).days
    overdue = cadence_days is not None and (
        last_contact_at is None or last_contact_at < now - timedelta(days=cadence_days))
    return Clock(last_contact_at, days, cadence_days, overdue)


def log(agent: AgentRef, client_id: int, kind: str, summary: str = "", *,
        task_id: int | None = None, occurred_at: datetime | None = None,
        now: datetime | None = None) -> InteractionRow:
    """Log a touch with a client and move its relationship clock, in one transaction.

    `occurred_at` defaults to now; an aware datetime is converted to UTC, a naive one is taken
    as UTC. A moment in the future is refused. `now` is when it is logged (default: the
    current time; a caller recording history passes the moment it was logged).
    """
    require_writer(agent)
    kind = _kind(kind)
    summary = free_text(summary, "an interaction summary")
    logged = stored(now) or utcnow()
    at = _moment(occurred_at, logged)
    with database.atomic():
        if task_id is not None and not Task.select().where(Task.id == task_id).exists():
            raise NotFound(f"no task {task_id}")
        touch_client(client_id, at, agent, now=logged)
        interaction = Interaction.create(client=client_id, agent=agent.id, kind=kind,
                                         summary=summary, task=task_id, occurred_at=at)
        audit.record("interaction", interaction.id, agent, {}, None, "interaction.logged",
                     {"client_id": client_id, "kind": kind, "task_id": task_id}, at=logged)
    return _row(interaction, agent.username)


def touch_client(client_id: int, at: datetime, agent: AgentRef | None, *,
                 now: datetime | None = None) -> bool:
    """Move the client's last contact forward to `at` (naive UTC); never backwards.

    Call inside the writing transaction. A move bumps the client's version and records the
    `last_contact_at` change (made at `now`, by default the current time); returns whether
    the clock moved. NotFound for an unknown client.
    """
    client = versions.load_for_update(Client, client_id, "client")
    old = client.last_contact_at
    if old is not None and old >= at:
        return False
    new_version = versions.bump(Client, client_id, client.version, "client",
                                {"last_contact_at": at})
    audit.record("client", client_id, agent, {"last_contact_at": (old, at)}, new_version,
                 "client.updated", {"kind": client.kind}, at=stored(now))
    return True


def for_client(client_id: int, limit: int = 50) -> list[InteractionRow]:
    """The client's newest interactions first, at most `limit` of them."""
    query = (Interaction.select(Interaction, Agent.username)
             .join(Agent, JOIN.LEFT_OUTER, on=Interaction.agent == Agent.id)
             .where(Interaction.client == client_id)
             .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
             .limit(limit))
    return [_row(interaction, interaction.agent.username if interaction.agent_id else None)
            for interaction in query]


def _row(interaction: Interaction, username: str | None) -> InteractionRow:
    """The plain row of a stored interaction."""
    return InteractionRow(
        id=interaction.id, client_id=interaction.client_id, kind=interaction.kind,
        summary=interaction.summary, agent=username, task_id=interaction.task_id,
        occurred_at=interaction.occurred_at,
    )


def _kind(kind: str) -> str:
    """A known interaction kind, case-insensitively."""
    word = str(kind).strip().lower()
    if word not in INTERACTION_KINDS:
        raise InvalidInput(
            f"interaction kind must be one of {', '.join(INTERACTION_KINDS)}, not {kind!r}")
    return word


def _moment(occurred_at: datetime | None, now: datetime) -> datetime:
    """When an interaction happened, as naive UTC; `now` when not given, never after it."""
    if occurred_at is None:
        return now
    if not isinstance(occurred_at, datetime):
        raise InvalidInput(f"occurred at must be a date and time, not {occurred_at!r}")
    at = to_utc(occurred_at) if occurred_at.tzinfo is not None else occurred_at
    if at > now:
        raise InvalidInput(f"occurred at {at:%Y-%m-%d %H:%M} UTC is in the future")
    return at
