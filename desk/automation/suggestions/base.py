"""What a suggestion is, what a rule gets to find them, and the client query the rules share.

A rule is a function of a `Scope` (today in the workspace's zone, the settings, maybe one
client) that reads the data it names in one or two queries for all clients and yields
`Suggestion`s. Each suggestion names its rule, its data (`facts`), why it comes now, and the
task it proposes; nothing is scored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date, datetime, tzinfo

from msgspec import Struct
from peewee import JOIN, ModelSelect

from desk.clock import to_local
from desk.config.suggestions import SuggestionSettings
from desk.models import Agent, Client


class Scope(Struct, frozen=True):
    """What a rule runs against: `today` in `zone` (the workspace's), `now` (naive UTC),
    the settings, the workspace's `currency` for the amounts it names, and `client_id`
    (None: every client)."""

    today: date
    now: datetime
    zone: tzinfo
    settings: SuggestionSettings
    currency: str
    client_id: int | None = None


class Suggestion(Struct, frozen=True):
    """One next best action for one client.

    `subject` tells apart two suggestions of one rule for one client (a cycle's end date, a
    product); `fingerprint` digests the data it was made from, so a dismissed or snoozed
    suggestion comes back when that data changes. `when` is the day it is about (a cycle's
    end, a birthday, the day contact fell due): suggestions of one rule are listed soonest
    first. The proposed action is a task: `title`, due on `due`, for `assignee` (the
    account manager's user name, or None).
    """

    client_id: int
    client: str
    rule: str
    subject: str
    reason: str
    facts: tuple[tuple[str, str], ...]
    why_now: str
    when: date
    title: str
    due: date | None
    assignee: str | None
    fingerprint: str

    @property
    def key(self) -> str:
        """The suggestion's id for the CLI and the screens: CLIENT:RULE:SUBJECT."""
        return f"{self.client_id}:{self.rule}:{self.subject}"


class Rule(Struct, frozen=True):
    """A rule: its name (as `suggestions.rules` lists it), what it looks for in words, and
    the function that finds its suggestions."""

    name: str
    looks_for: str
    find: Callable[[Scope], Iterable[Suggestion]]


def digest(*values: object) -> str:
    """A short fingerprint of the data a suggestion was made from."""
    text = "\x1f".join("" if value is None else str(value) for value in values)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def clients(scope: Scope, *fields) -> ModelSelect:
    """The clients a rule may suggest for (not archived; only `scope.client_id` when set),
    selecting the client's id, name and account manager's user name, then `fields`."""
    query = (Client.select(Client.id, Client.name, Agent.username, *fields)
             .join(Agent, JOIN.LEFT_OUTER, on=Client.account_manager == Agent.id)
             .where(Client.archived_at.is_null()))
    if scope.client_id is not None:
        query = query.where(Client.id == scope.client_id)
    return query


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The calendar day in `zone` of a stored (naive UTC) moment."""
    return to_local(moment, zone).date()


def days_text(days: int) -> str:
    """"today", "in 1 day", "in 5 days", "1 day ago"."""
    if days == 0:
        return "today"
    amount = f"{abs(days)} day{'s' if abs(days) != 1 else ''}"
    return f"in {amount}" if days > 0 else f"{amount} ago"
