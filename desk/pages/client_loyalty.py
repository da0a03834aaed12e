"""The loyalty part of the client screen: the client's standing, the rewards it can spend
points on, its open orders a reward can go on, and its newest ledger entries."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from msgspec import Struct

from desk.crm import loyalty
from desk.models import OrderData, Task

if TYPE_CHECKING:
    from desk.config.loyalty import LoyaltySettings

HISTORY_LIMIT = 50  # the newest ledger entries the part carries
ORDER_LIMIT = 10  # the newest open orders a reward can be redeemed on


class OpenOrder(Struct, frozen=True):
    """An open order of the client: a reward can be redeemed on it."""

    task_id: int
    title: str
    total: Decimal


class LoyaltyPart(Struct, frozen=True):
    """What the client screen shows of the loyalty programme: the standing, what the tier is
    measured on (`basis`), the rewards (name, points), the open orders and the history."""

    standing: loyalty.Standing
    basis: str
    expiring_days: int
    rewards: tuple[tuple[str, int], ...]
    open_orders: tuple[OpenOrder, ...]
    history: tuple[loyalty.Entry, ...]


def load(client_id: int, settings: LoyaltySettings, now: datetime) -> LoyaltyPart | None:
    """The loyalty part for one client; None while the programme is off."""
    if not settings.enabled:
        return None
    orders = (OrderData.select(Task.id, Task.title, OrderData.total).join(Task)
              .where(Task.client == client_id, Task.closed_at.is_null())
              .order_by(Task.id.desc()).limit(ORDER_LIMIT).tuples())
    return LoyaltyPart(
        standing=loyalty.standing(settings, client_id, now),
        basis=settings.tiers.basis,
        expiring_days=settings.expiring_days,
        rewards=tuple((reward.name, reward.points) for reward in settings.rewards),
        open_orders=tuple(OpenOrder(task_id, title, Decimal(total))
                          for task_id, title, total in orders),
        history=tuple(loyalty.history(client_id, HISTORY_LIMIT)),
    )
