"""The loyalty programme's writes: points earned by fulfilled orders, points expired, and
tiers recomputed (the background step `loyalty`, run by `desk tick` and the app), and the
ledger entry every other change of points goes through.

Each entry is written with the client's standing and an audit row in one transaction. The
background entries carry a unique key (earned:TASK, expired:CLIENT:NEWEST), so two runs side
by side write each once. A change of tier is the event "client.loyalty_tier_changed" with
its from and to, which the automation trigger `loyalty_tier_changed` fires on.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from msgspec import Struct, field
from peewee import fn

from desk.clock import stored, utcnow
from desk.crm import loyalty
from desk.dialect import locking
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_admin, require_writer
from desk.kernel.inputs import required_text
from desk.models import (
    Client,
    LoyaltyEntry,
    LoyaltyStanding,
    OrderData,
    Product,
    Task,
    database,
)

if TYPE_CHECKING:
    from desk.config.loyalty import EarnSettings, LoyaltySettings

BATCH = 500  # orders earned for in one run: a first run over years of orders takes turns


class LoyaltyReport(Struct):
    """What one run of the loyalty step did."""

    earned: int = 0
    expired: int = 0
    tier_changes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for `desk tick`."""
        return (f"loyalty: {self.earned} orders earned points, {self.expired} clients' points "
                f"expired, {len(self.tier_changes)} tiers changed")


def order_points(earn: EarnSettings, total: Decimal, quantity: int, product: str) -> int:
    """The points an order of `quantity` × `product` with `total` earns."""
    rates = {name.casefold(): rate for name, rate in earn.per_product.items()}
    points = (total * Decimal(str(earn.per_amount))
              + quantity * Decimal(str(rates.get(product.casefold(), 0))))
    return int(points.to_integral_value(ROUND_FLOOR)) + earn.per_order


def add_entry(agent: AgentRef | None, client_id: int, points: int, reason: str, at: datetime, *,
              task_id: int | None = None, note: str = "", key: str | None = None) -> bool:
    """Write one ledger entry with the client's standing and its audit row; call inside the
    writing transaction. False (nothing written) when an entry with `key` exists already."""
    inserted = list(LoyaltyEntry.insert(
        client=client_id, task=task_id, points=points, reason=reason, note=note, at=at,
        agent=agent.id if agent else None, key=key,
    ).on_conflict_ignore().returning(LoyaltyEntry.id).execute())
    if not inserted:
        return False
    row = locking(LoyaltyStanding.select().where(LoyaltyStanding.client == client_id)).first()
    before = row.points if row is not None else 0
    if row is None:
        LoyaltyStanding.insert(client=client_id, points=points).on_conflict_ignore().execute()
    else:
        (LoyaltyStanding.update(points=LoyaltyStanding.points + points,
                                version=LoyaltyStanding.version + 1)
         .where(LoyaltyStanding.client == client_id).execute())
    audit.record("client", client_id, agent, {"loyalty_points": (before, before + points)},
                 None, f"loyalty.{reason}",
                 {"points": points, "task_id": task_id, "note": note}, at=at)
    return True


def adjust(agent: AgentRef, client_id: int, points: int, note: str,
           now: datetime | None = None) -> int:
    """Add (or, negative, take away) points by hand, with the reason in `note`; admins only.
    Returns the points the client holds afterwards; refused when it would go below zero."""
    require_admin(agent)
    text = required_text(note, what="the reason", limit=200,
                         empty="say why the points change (--note)")
    if isinstance(points, bool) or not isinstance(points, int) or points == 0:
        raise InvalidInput(f"the points must be a whole number other than 0, not {points!r}")
    moment = stored(now) or utcnow()
    with database.atomic():
        if not Client.select().where(Client.id == client_id).exists():
            raise NotFound(f"no client {client_id}")
        locking(LoyaltyStanding.select().where(LoyaltyStanding.client == client_id)).first()
        held = loyalty.balances([client_id]).get(client_id, 0)
        if held + points < 0:
            raise InvalidInput(f"the client has {held} points; it cannot lose {-points}")
        add_entry(agent, client_id, points, "adjusted", moment, note=text)
    return held + points


def earn(settings: LoyaltySettings, now: datetime, agent: AgentRef | None,
         limit: int = BATCH) -> int:
    """Points for up to `limit` fulfilled orders of a client that have earned none yet, in
    one transaction; returns how many orders earned. An order fulfilled longer ago than
    points last earns none: its points would expire at once."""
    moment = stored(now)
    earned = LoyaltyEntry.select().where((LoyaltyEntry.task == Task.id)
                                         & (LoyaltyEntry.reason == "earned"))
    terms = [Task.client.is_null(False), loyalty.fulfilled_moment().is_null(False),
             loyalty.fulfilled_moment() <= moment, ~fn.EXISTS(earned)]
    if settings.expire_months:
        terms.append(loyalty.fulfilled_moment()
                     > moment - relativedelta(months=settings.expire_months))
    count = 0
    with database.atomic():
        pending = (OrderData.select(Task.id, Task.client, OrderData.total, OrderData.quantity,
                                    Product.name, loyalty.fulfilled_moment())
                   .join(Task).switch(OrderData).join(Product)
                   .where(*terms).order_by(Task.id).limit(limit).tuples())
        for task_id, client_id, total, quantity, product, at in list(pending):
            points = order_points(settings.earn, Decimal(str(total)), quantity, product)
            if points > 0:
                count += add_entry(agent, client_id, points, "earned", _moment(at),
                                   task_id=task_id, key=f"earned:{task_id}")
    return count


def expire(settings: LoyaltySettings, now: datetime, agent: AgentRef | None) -> int:
    """Expire the points due to by `now`, in one transaction; returns for how many
    clients. The unique key of each (the client and its newest lot) keeps a run alongside
    from expiring the same points twice."""
    moment = stored(now)
    count = 0
    with database.atomic():
        for client_id, (points, newest) in loyalty.due_to_expire(settings, moment).items():
            count += add_entry(agent, client_id, -points, "expired", moment,
                               note=f"{points} points older than {settings.expire_months} "
                                    "months", key=f"expired:{client_id}:{newest}")
    return count


def recompute_tiers(settings: LoyaltySettings, now: datetime, agent: AgentRef | None,
                    client_ids: list[int] | None = None) -> list[str]:
    """Store each client's tier as it is at `now`; each change is audited and is the event
    "client.loyalty_tier_changed". Returns one line per change."""
    measured = loyalty.measures(settings, now, client_ids)
    held = LoyaltyStanding.select(LoyaltyStanding.client, LoyaltyStanding.tier)
    if client_ids is not None:
        held = held.where(LoyaltyStanding.client.in_(client_ids))
    stored_tiers = dict(held.tuples())
    changes = []
    moment = stored(now)
    for client_id in sorted(set(measured) | {cid for cid, tier in stored_tiers.items() if tier}):
        level = loyalty.tier_for(settings.tiers.levels, measured.get(client_id, Decimal(0)))
        new = level.name if level else None
        old = stored_tiers.get(client_id)
        if new == old:
            continue
        with database.atomic():
            if not _store_tier(agent, client_id, old, new, moment):
                continue
        changes.append(f"client {client_id}: {old or 'no tier'} -> {new or 'no tier'}")
    return changes


def _store_tier(agent: AgentRef | None, client_id: int, old: str | None, new: str | None,
                moment: datetime) -> bool:
    """Move a client's stored tier from `old` to `new` with its history and event; False
    when a run alongside has moved it meanwhile (or the client is gone)."""
    if not Client.select().where(Client.id == client_id).exists():
        return False
    LoyaltyStanding.insert(client=client_id, points=0).on_conflict_ignore().execute()
    row = locking(LoyaltyStanding.select().where(LoyaltyStanding.client == client_id)).first()
    if row.tier != old:
        return False
    (LoyaltyStanding.update(tier=new, changed_at=moment, version=LoyaltyStanding.version + 1)
     .where(LoyaltyStanding.client == client_id).execute())
    audit.record("client", client_id, agent, {"loyalty_tier": (old, new)}, None,
                 "client.loyalty_tier_changed", {"from": old, "to": new}, at=moment)
    return True


def run(settings: LoyaltySettings, now: datetime, agent: AgentRef | None) -> LoyaltyReport:
    """The background step: earn for newly fulfilled orders, expire old points, then store
    the tiers; nothing while the programme is off."""
    report = LoyaltyReport()
    if not settings.enabled:
        return report
    if agent is not None:
        require_writer(agent)
    report.earned = earn(settings, now, agent)
    report.expired = expire(settings, now, agent)
    report.tier_changes = recompute_tiers(settings, now, agent)
    return report


def _moment(value: object) -> datetime:
    """A moment as the database returned it (SQLite may give text for COALESCE)."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
