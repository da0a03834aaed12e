"""The loyalty lines of the client screen: a heading, then the tier, points, the next tier
and the points about to expire on one line; and the lines of the points history and of the
redeeming choices. Tier, reward and order names are stored text: drawn with `safe_line`."""

from __future__ import annotations

from datetime import tzinfo
from decimal import Decimal
from typing import Any

from textual.content import Content

from desk.clock import to_local
from desk.crm.loyalty import Entry
from desk.money import money_text
from desk.pages.client_loyalty import LoyaltyPart
from desk.screens.safe import safe_line
from desk.text import one_line

UNITS = {"purchases": "purchases", "revenue": "in revenue", "points": "points earned"}
"""How what is missing for the next tier is written, by the tiers' basis."""


def loyalty_items(part: LoyaltyPart | None,
                  currency: str) -> list[tuple[tuple[str, Any], Content]]:
    """The heading and the standing line (revenue in `currency`), as (item, prompt) pairs;
    none while the programme is off."""
    if part is None:
        return []
    return [(("heading", None), Content.styled("Loyalty", "bold")),
            (("loyalty", part.standing.client_id), standing_line(part, currency))]


def standing_line(part: LoyaltyPart, currency: str) -> Content:
    """ "  Silver · 3,850 points · Gold in 5 more purchases · 500 expire in 30 days"; a tier
    reached by revenue: "Gold in £250.00 more in revenue"."""
    standing = part.standing
    tier = safe_line(standing.tier, 30).stylize("bold") if standing.tier else Content("no tier")
    parts = [f"{standing.points:,} points"]
    if standing.next_tier is not None and standing.missing is not None:
        missing = amount(standing.missing, part.basis, currency)
        parts.append(f"{one_line(standing.next_tier, 30)} in {missing} more "
                     f"{UNITS[part.basis]}")
    else:
        parts.append("the highest tier")
    if standing.expiring:
        parts.append(f"{standing.expiring:,} expire within {part.expiring_days} days")
    return Content("  ") + tier + Content(" · " + " · ".join(parts))


def amount(value: Decimal, basis: str, currency: str) -> str:
    """A measure of the tiers' `basis` as people read it: 5 (purchases), £1,250.50
    (revenue)."""
    if basis == "revenue":
        return money_text(value, currency)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def history_label(entry: Entry, zone: tzinfo) -> str:
    """One ledger entry as a choice's label: when, points, why, for which order, by whom."""
    when = to_local(entry.at, zone).strftime("%Y-%m-%d")
    order = f" order #{entry.task_id}" if entry.task_id else ""
    who = f" ({entry.agent})" if entry.agent else ""
    return f"{when}  {entry.points:+,}  {entry.reason}{order}  {entry.note}{who}"
