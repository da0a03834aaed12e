"""The `loyalty:` settings: how clients earn points, the tiers they reach, the rewards they
redeem and when points expire (desk.crm.loyalty and `desk loyalty`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from msgspec import Meta, field

from desk.config.checks import Count, Name, Positive
from desk.config.defaults import shipped
from desk.config.validate import Check, Section, SettingProblem, convert

Rate = Annotated[float, Meta(ge=0)]
"""Points for one unit of something: a number from 0 up (0.1 = a point for every 10)."""

Money = Annotated[float, Meta(gt=0)]
"""An amount of money above zero."""


class EarnSettings(Section):
    """How many points a fulfilled order earns: the three rates add up."""

    per_amount: Rate = 1.0
    """Points for each whole unit of currency of the order's total (0.1 = one per 10)."""

    per_order: Count = 0
    """Points for every fulfilled order, whatever its size."""

    per_product: dict[Name, Rate] = field(default_factory=dict)
    """Product name -> extra points for each unit ordered of it."""


class TierLevel(Section):
    """A tier: its name and the least a client needs on the basis to reach it."""

    name: Name
    """The tier's name, e.g. Silver."""

    min: Annotated[float, Meta(gt=0)]
    """What a client needs to reach it on the basis (points, purchases or revenue)."""


def _check_levels(levels: list[Any]) -> None:
    """Tiers have different names and rising thresholds."""
    names: set[str] = set()
    last = 0.0
    for index, level in enumerate(levels):
        if level.name.casefold() in names:
            raise SettingProblem((index, "name"), f"tier {level.name!r} is named twice")
        if level.min <= last:
            raise SettingProblem((index, "min"), f"tier {level.name!r} needs a min above "
                                                 f"{last:g}, the tier before it")
        names.add(level.name.casefold())
        last = level.min


SHIPPED_LEVELS: tuple[TierLevel, ...] = tuple(
    convert(shipped("loyalty", "tiers", "levels"), list[TierLevel], ("loyalty", "tiers", "levels")))


class TierSettings(Section):
    """The tiers: what they are measured on, over how long, and their thresholds."""

    basis: Literal["purchases", "revenue", "points"] = "purchases"
    """purchases = orders fulfilled in the window; revenue = their totals; points = the
    points earned in the window."""

    window_months: Positive = 12
    """The window the basis is counted in: the last this many months."""

    levels: Annotated[list[TierLevel], Check(_check_levels)] = field(
        default_factory=lambda: list(SHIPPED_LEVELS))
    """The tiers, lowest first; below the first a client has no tier."""


def _check_reward(reward: Any) -> None:
    """A reward gives an amount off or a percent off, not both."""
    if (reward.amount is None) == (reward.percent is None):
        raise SettingProblem(("name",), f"reward {reward.name!r} needs either amount or "
                                        "percent (one of them)")


class Reward(Section):
    """A reward a client spends points on: a discount on one order."""

    name: Name
    """The reward's name, e.g. "10% off"."""

    points: Positive
    """What it costs in points."""

    amount: Money | None = None
    """The discount as an amount of money (or give percent)."""

    percent: Annotated[int, Meta(ge=1, le=100)] | None = None
    """The discount as a percent of the order's total (or give amount)."""


def _check_rewards(rewards: list[Any]) -> None:
    """Rewards have different names."""
    names: set[str] = set()
    for index, reward in enumerate(rewards):
        if reward.name.casefold() in names:
            raise SettingProblem((index, "name"), f"reward {reward.name!r} is named twice")
        names.add(reward.name.casefold())


SHIPPED_REWARDS: tuple[Reward, ...] = tuple(
    convert(shipped("loyalty", "rewards"), list[Reward], ("loyalty", "rewards")))


class LoyaltySettings(Section):
    """The loyalty programme: points for fulfilled orders, tiers, rewards and expiry."""

    enabled: bool = True
    """Whether orders earn points and tiers are kept at all."""

    earn: EarnSettings = field(default_factory=EarnSettings)
    """How many points a fulfilled order earns."""

    tiers: TierSettings = field(default_factory=TierSettings)
    """The tiers and what they are measured on."""

    rewards: Annotated[list[Annotated[Reward, Check(_check_reward)]], Check(_check_rewards)] = (
        field(default_factory=lambda: list(SHIPPED_REWARDS)))
    """What points can be spent on: discounts on an order."""

    expire_months: Count = 12
    """Points expire this many months after they were earned (the oldest go first);
    0 = never."""

    expiring_days: Positive = 30
    """`desk loyalty` shows the points that expire within this many days."""
