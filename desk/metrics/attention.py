"""Relationship attention: who is past their contact cadence, whose birthday is coming, and
who is at risk.

Definitions (the README's "Dashboard metrics: definitions" says the same):
- past cadence: clients not churned whose last contact is older than their contact cadence, or
  who were never contacted though they have one (the client query `is:overdue`, which is the
  relationship clock of desk.crm.interactions);
- birthdays: clients whose birthday falls on one of the 14 days from today (today included);
  a 29 February birthday falls on 28 February in common years;
- at risk: clients not churned whose stage is at risk, or who gave a CSAT score of 1 or 2 on a
  query resolved in the last 90 days, or who have a query with an SLA breach in the last 90
  days (desk.metrics.sla.breaches).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from msgspec import Struct
from peewee import Expression

from desk.clock import to_utc
from desk.crm import birthdays, interactions
from desk.crm.birthdays import Birthday
from desk.metrics.figures import (
    CLIENTS,
    MAX_IDS,
    Figure,
    by_ids,
    by_query,
    window,
)
from desk.metrics.sla import breaches
from desk.metrics.sql import with_data, within
from desk.models import Client, QueryData, Task
from desk.work import filters, listing

BIRTHDAY_DAYS = 14
LOW_CSAT = 2
"""The highest CSAT score that puts a client at risk."""
LONGEST_SHOWN = 10
"""How many of the clients past their cadence are listed with their clock."""
PAST_CADENCE = "is:overdue -stage:churned"


class ClientClock(Struct, frozen=True):
    """A client past its cadence and its relationship clock."""

    client_id: int
    name: str
    clock: interactions.Clock


class AtRisk(Struct, frozen=True):
    """A client at risk and why: "stage" (its stage is at risk), "low CSAT", "SLA breach"."""

    client_id: int
    name: str
    reasons: tuple[str, ...]


class Attention(Struct, frozen=True):
    """The clients that need attention now.

    `longest_without_contact` lists the clients past their cadence that have gone longest
    without contact (never contacted first), at most LONGEST_SHOWN of them; `birthdays` and
    `at_risk_clients` list the clients the figures count (up to MAX_IDS), by day and by name.
    """

    past_cadence: Figure
    longest_without_contact: tuple[ClientClock, ...]
    birthdays: Figure
    upcoming_birthdays: tuple[Birthday, ...]
    at_risk: Figure
    at_risk_clients: tuple[AtRisk, ...]


def attention(now: datetime) -> Attention:
    """The attention figures at `now` (aware, in the workspace's time zone)."""
    past, longest = past_cadence(now)
    birthdays = upcoming_birthdays(now.date())
    at_risk = at_risk_clients(now)
    return Attention(
        past_cadence=past, longest_without_contact=longest,
        birthdays=_listed("birthdays", [b.client_id for b in birthdays]),
        upcoming_birthdays=birthdays[:MAX_IDS],
        at_risk=_listed("at risk", [c.client_id for c in at_risk]),
        at_risk_clients=at_risk[:MAX_IDS],
    )


def _listed(label: str, client_ids: list[int]) -> Figure:
    """How many clients a list holds, named by id (the first MAX_IDS)."""
    return Figure(label, len(client_ids),
                  by_ids(CLIENTS, client_ids[:MAX_IDS], len(client_ids) <= MAX_IDS))


def past_cadence(now: datetime) -> tuple[Figure, tuple[ClientClock, ...]]:
    """The clients past their contact cadence, counted by the client query that lists them,
    and the longest without contact with their clocks."""
    context = filters.Context("", now, admin=True)
    conditions = filters.client_conditions(filters.parse_clients(PAST_CADENCE), context)
    longest = (Client.select(Client.id, Client.name, Client.last_contact_at,
                             Client.contact_cadence_days)
               .where(*conditions)
               .order_by(Client.last_contact_at.asc(nulls="FIRST"), Client.id)
               .limit(LONGEST_SHOWN).tuples())
    clocks = tuple(ClientClock(client_id, name, interactions.clock(last, cadence, to_utc(now)))
                   for client_id, name, last, cadence in longest)
    figure = Figure("past cadence", listing.client_count(PAST_CADENCE, context),
                    by_query(CLIENTS, PAST_CADENCE))
    return figure, clocks


def upcoming_birthdays(today: date) -> tuple[Birthday, ...]:
    """The birthdays on the BIRTHDAY_DAYS days from `today`, soonest first, then by name."""
    return tuple(birthdays.between(today, today + timedelta(days=BIRTHDAY_DAYS - 1)))


def at_risk_clients(now: datetime) -> tuple[AtRisk, ...]:
    """The clients at risk at `now`, by name: not churned, and at the at-risk stage, or with
    a low CSAT score on a query resolved in the last 90 days, or an SLA breach in them."""
    recent = window("90d", now)
    start, end = recent.start_utc, recent.end_utc
    unhappy = Client.id.in_(_clients_of(
        (QueryData.csat_score <= LOW_CSAT) & within(QueryData.resolved_at, start, end, last=True)))
    breached = Client.id.in_(_clients_of(breaches(start, end)))
    rows = (Client.select(Client.id, Client.name, Client.lifecycle_stage, unhappy, breached)
            .where((Client.lifecycle_stage != "churned")
                   & ((Client.lifecycle_stage == "at_risk") | unhappy | breached))
            .order_by(Client.name, Client.id).tuples())
    return tuple(
        AtRisk(client_id, name, tuple(reason for reason, applies in (
            ("stage", stage == "at_risk"), ("low CSAT", bool(low)), ("SLA breach", bool(late)))
            if applies))
        for client_id, name, stage, low, late in rows)


def _clients_of(condition: Expression):
    """The SELECT of the client ids of the queries whose support data meets `condition`."""
    return with_data(QueryData, Task.client).where(Task.client.is_null(False) & condition)
