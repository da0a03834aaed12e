"""The demo's loyalty programme, with the shipped settings: the points the demo's fulfilled
orders earn and the tiers that follow from them, as the background step would have written
them, and one reward redeemed on an open order by its account manager."""

from __future__ import annotations

from datetime import UTC

from desk.config.loyalty import LoyaltySettings
from desk.crm import loyalty, loyalty_points
from desk.demo.context import Demo
from desk.models import OrderData, Task
from desk.work import loyalty_rewards


def earn_and_rank(demo: Demo) -> None:
    """Points for every fulfilled order, the tiers at `now`, and a first reward redeemed by
    the client with the most points on an open order of theirs (when one has enough)."""
    settings = LoyaltySettings()
    now = demo.now.replace(tzinfo=UTC)
    loyalty_points.earn(settings, now, demo.admin)
    loyalty_points.recompute_tiers(settings, now, demo.admin)
    cheapest = min(settings.rewards, key=lambda reward: reward.points)
    held = sorted(loyalty.balances().items(), key=lambda pair: (-pair[1], pair[0]))
    for client_id, points in held:
        if points < cheapest.points:
            return
        open_order = (OrderData.select(Task.id).join(Task)
                      .where(Task.client == client_id, Task.closed_at.is_null())
                      .order_by(Task.id).scalar())
        if open_order is not None:
            loyalty_rewards.redeem(demo.admin, settings, client_id, cheapest.name, open_order,
                                   now=demo.now)
            return
