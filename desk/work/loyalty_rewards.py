"""Redeeming a loyalty reward on an order: the client's points go down by the reward's cost
and the order gets a discount line (its total is quantity × unit price less the discount),
all in one transaction with the history of both."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from msgspec import Struct

from desk.clock import stored, utcnow
from desk.crm import loyalty, loyalty_points
from desk.dialect import locking
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.models import LoyaltyStanding, OrderData, Task, database
from desk.money import CENTS
from desk.text import one_line

if TYPE_CHECKING:
    from desk.config.loyalty import LoyaltySettings, Reward


class Redemption(Struct, frozen=True):
    """A reward redeemed: on which order, the discount it gave, the order's new total and
    the points the client has left."""

    reward: str
    task_id: int
    discount: Decimal
    total: Decimal
    points_left: int


def find_reward(settings: LoyaltySettings, name: str) -> Reward:
    """A configured reward by name (case-insensitive), or NotFound naming the rewards."""
    for reward in settings.rewards:
        if reward.name.casefold() == str(name).strip().casefold():
            return reward
    known = ", ".join(reward.name for reward in settings.rewards) or "none configured"
    raise NotFound(f"no reward {one_line(str(name), 60)!r} (rewards: {known})")


def reward_discount(reward: Reward, gross: Decimal) -> Decimal:
    """What a reward takes off an order of `gross` (quantity × unit price)."""
    if reward.percent is not None:
        return (gross * reward.percent / 100).quantize(CENTS)
    return Decimal(str(reward.amount)).quantize(CENTS)


def redeem(agent: AgentRef, settings: LoyaltySettings, client_id: int, reward_name: str,
           task_id: int, now: datetime | None = None) -> Redemption:
    """Spend a client's points on a reward for one of their open orders: a ledger entry
    (redeemed), the order's discount and total, the task's next version, and the history of
    each. The discount never takes the total below zero."""
    require_writer(agent)
    if not settings.enabled:
        raise InvalidInput("the loyalty programme is off (loyalty.enabled in the config)")
    reward = find_reward(settings, reward_name)
    moment = stored(now) or utcnow()
    with database.atomic():
        task = versions.load_for_update(Task, task_id, "order")
        order = OrderData.get_or_none(OrderData.task == task_id)
        if order is None or task.client_id != client_id:
            raise InvalidInput(f"task {task_id} is not an order of this client")
        if task.closed_at is not None:
            raise InvalidInput(f"order {task_id} is closed; a reward goes on an open order")
        # the client's standing is locked, so that two redemptions take turns
        locking(LoyaltyStanding.select().where(LoyaltyStanding.client == client_id)).first()
        held = loyalty.balances([client_id]).get(client_id, 0)
        if held < reward.points:
            raise InvalidInput(f"{reward.name!r} needs {reward.points} points; the client has "
                               f"{held}")
        gross = (Decimal(order.unit_price) * order.quantity).quantize(CENTS)
        old_discount = Decimal(order.discount).quantize(CENTS)
        old_total = Decimal(order.total).quantize(CENTS)
        discount = min(reward_discount(reward, gross), old_total)
        if discount <= 0:
            raise InvalidInput(f"order {task_id} has nothing left to discount")
        new_total = old_total - discount
        (OrderData.update(discount=old_discount + discount, total=new_total)
         .where(OrderData.task == task_id).execute())
        version = versions.bump(Task, task_id, task.version, "task", {"updated_at": moment})
        audit.record("task", task_id, agent,
                     {"discount": (old_discount, old_discount + discount),
                      "total": (old_total, new_total)}, version, "order.updated",
                     {"list_id": task.task_list_id, "kind": task.kind,
                      "reward": reward.name}, at=moment)
        loyalty_points.add_entry(agent, client_id, -reward.points, "redeemed", moment,
                                 task_id=task_id, note=reward.name)
    return Redemption(reward.name, task_id, discount, new_total, held - reward.points)
