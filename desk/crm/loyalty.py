"""The loyalty programme read: each client's points, tier, the next tier and what is missing
for it, the points about to expire, and the ledger's history.

An order counts once it is fulfilled: from its fulfilled time, or (when that is not set) from
when it moved to a done or closed status. A tier is measured on the orders fulfilled, their
revenue or the points earned within the last `window_months` (a calendar window: from
29 February a year back is 28 February). Points expire the oldest first: whatever of the
points earned before the expiry cut-off is not yet spent (redeemed, expired, adjusted away)
is what expires. The writes are desk.crm.loyalty_points'.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from msgspec import Struct
from peewee import JOIN, fn

from desk.clock import stored
from desk.errors import NotFound
from desk.models import Agent, Client, LoyaltyEntry, LoyaltyStanding, OrderData, Task

if TYPE_CHECKING:
    from desk.config.loyalty import LoyaltySettings, TierLevel


class Standing(Struct, frozen=True):
    """Where a client stands: points held, the stored tier, what the tier is measured on
    (`measure`: purchases, revenue or points in the window), the next tier and how much of
    the measure it still needs, and the points that expire within the warning days."""

    client_id: int
    client: str
    points: int
    tier: str | None
    measure: Decimal
    next_tier: str | None
    missing: Decimal | None
    expiring: int


class Entry(Struct, frozen=True):
    """One line of a client's points ledger."""

    id: int
    at: datetime
    points: int
    reason: str
    note: str
    task_id: int | None
    agent: str | None


def fulfilled_moment():
    """The SQL moment an order counts from: its fulfilled time, else when it was closed."""
    return fn.COALESCE(OrderData.fulfilled_at, Task.closed_at)


def window_start(now: datetime, months: int) -> datetime:
    """The first stored moment inside a window of `months` calendar months ending at `now`."""
    return stored(now) - relativedelta(months=months)


def threshold(level: TierLevel) -> Decimal:
    """A tier's threshold as a Decimal, without a fraction when it is whole (5, not 5.0)."""
    value = Decimal(str(level.min))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def tier_for(levels: list[TierLevel], measure: Decimal) -> TierLevel | None:
    """The highest tier whose threshold `measure` reaches, or None below the first."""
    reached = None
    for level in levels:
        if measure >= threshold(level):
            reached = level
    return reached


def measures(settings: LoyaltySettings, now: datetime,
             client_ids: list[int] | None = None) -> dict[int, Decimal]:
    """What each client's tier is measured on at `now` (the clients with anything to count),
    in a grouped query: purchases, revenue or points earned in the window."""
    start = window_start(now, settings.tiers.window_months)
    moment = stored(now)
    basis = settings.tiers.basis
    if basis == "points":
        query = (LoyaltyEntry.select(LoyaltyEntry.client, fn.SUM(LoyaltyEntry.points))
                 .where(LoyaltyEntry.reason == "earned", LoyaltyEntry.at >= start,
                        LoyaltyEntry.at <= moment)
                 .group_by(LoyaltyEntry.client))
        if client_ids is not None:
            query = query.where(LoyaltyEntry.client.in_(client_ids))
    else:
        value = fn.COUNT(Task.id) if basis == "purchases" else fn.SUM(OrderData.total)
        query = (OrderData.select(Task.client, value).join(Task)
                 .where(Task.client.is_null(False), fulfilled_moment() >= start,
                        fulfilled_moment() <= moment)
                 .group_by(Task.client))
        if client_ids is not None:
            query = query.where(Task.client.in_(client_ids))
    return {client_id: Decimal(str(total or 0)) for client_id, total in query.tuples()}


def balances(client_ids: list[int] | None = None) -> dict[int, int]:
    """Points each client holds (the ledger's sum), for the clients with a ledger."""
    query = (LoyaltyEntry.select(LoyaltyEntry.client, fn.SUM(LoyaltyEntry.points))
             .group_by(LoyaltyEntry.client))
    if client_ids is not None:
        query = query.where(LoyaltyEntry.client.in_(client_ids))
    return {client_id: int(total or 0) for client_id, total in query.tuples()}


def due_to_expire(settings: LoyaltySettings, moment: datetime,
                  client_ids: list[int] | None = None) -> dict[int, tuple[int, int]]:
    """Client -> (points, the newest entry id among them) that have expired by `moment`
    (stored form): of the points gained up to the cut-off, those not yet spent; the
    clients with nothing to expire are left out, and so is everything when points never
    expire."""
    if not settings.expire_months:
        return {}
    cutoff = moment - relativedelta(months=settings.expire_months)
    gained = (LoyaltyEntry.select(LoyaltyEntry.client, fn.SUM(LoyaltyEntry.points),
                                  fn.MAX(LoyaltyEntry.id))
              .where(LoyaltyEntry.points > 0, LoyaltyEntry.at <= cutoff)
              .group_by(LoyaltyEntry.client))
    spent_query = (LoyaltyEntry.select(LoyaltyEntry.client, fn.SUM(LoyaltyEntry.points))
                   .where(LoyaltyEntry.points < 0).group_by(LoyaltyEntry.client))
    if client_ids is not None:
        gained = gained.where(LoyaltyEntry.client.in_(client_ids))
        spent_query = spent_query.where(LoyaltyEntry.client.in_(client_ids))
    spent = {client_id: -int(total or 0) for client_id, total in spent_query.tuples()}
    due = {}
    for client_id, total, newest in gained.tuples():
        left = int(total or 0) - spent.get(client_id, 0)
        if left > 0:
            due[client_id] = (left, newest)
    return due


def expiring(settings: LoyaltySettings, now: datetime,
             client_ids: list[int] | None = None) -> dict[int, int]:
    """Client -> points that expire within `expiring_days` of `now` (beyond those already
    due)."""
    moment = stored(now)
    later = due_to_expire(settings, moment + timedelta(days=settings.expiring_days), client_ids)
    already = due_to_expire(settings, moment, client_ids)
    return {client_id: points - already.get(client_id, (0, 0))[0]
            for client_id, (points, _) in later.items()
            if points > already.get(client_id, (0, 0))[0]}


def standings(settings: LoyaltySettings, now: datetime,
              client_ids: list[int] | None = None) -> list[Standing]:
    """The standing of every client that is not archived (or of `client_ids`, archived or
    not), by name."""
    query = (Client.select(Client.id, Client.name, LoyaltyStanding.points,
                           LoyaltyStanding.tier)
             .join(LoyaltyStanding, JOIN.LEFT_OUTER,
                   on=LoyaltyStanding.client == Client.id)
             .order_by(Client.name, Client.id))
    query = query.where(Client.archived_at.is_null() if client_ids is None
                        else Client.id.in_(client_ids))
    rows = list(query.tuples())
    ids = [row[0] for row in rows] if client_ids is not None else None
    measured = measures(settings, now, ids)
    soon = expiring(settings, now, ids)
    levels = settings.tiers.levels
    result = []
    for client_id, name, points, tier in rows:
        measure = measured.get(client_id, Decimal(0))
        above = [level for level in levels if threshold(level) > measure]
        following = above[0] if above else None
        result.append(Standing(
            client_id, name, int(points or 0), tier, measure,
            following.name if following else None,
            threshold(following) - measure if following else None,
            soon.get(client_id, 0)))
    return result


def standing(settings: LoyaltySettings, client_id: int, now: datetime) -> Standing:
    """One client's standing, or NotFound."""
    found = standings(settings, now, [client_id])
    if not found:
        raise NotFound(f"no client {client_id}")
    return found[0]


def history(client_id: int, limit: int | None = None) -> list[Entry]:
    """A client's points ledger, newest first (at most `limit` entries)."""
    query = (LoyaltyEntry.select(LoyaltyEntry, Agent.name.alias("agent_name"))
             .join(Agent, JOIN.LEFT_OUTER, on=LoyaltyEntry.agent == Agent.id)
             .where(LoyaltyEntry.client == client_id)
             .order_by(LoyaltyEntry.at.desc(), LoyaltyEntry.id.desc()).objects())
    if limit is not None:
        query = query.limit(limit)
    return [Entry(row.id, row.at, row.points, row.reason, row.note, row.task_id,
                  row.agent_name) for row in query]
