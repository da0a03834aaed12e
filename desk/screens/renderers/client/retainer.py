"""The lines of the client screen's Retainer section: the cycle and the hours used of those
included, a burn-down of the hours left day by day, and the overage with what it costs."""

from __future__ import annotations

from typing import Any

from textual.content import Content

from desk.crm.retainers import Usage
from desk.durations import hours
from desk.money import money_text
from desk.screens.widgets.dashboard_tile import SPARKS

BURN_WIDTH = 46
"""The days of a cycle the burn-down shows at most (the last ones)."""


def retainer_items(usage: Usage | None,
                   currency: str) -> list[tuple[tuple[str, Any], Content]]:
    """The section's list items and their lines, the overage's cost in `currency`; none for a
    client without a retainer."""
    if usage is None:
        return []
    cycle = f"{usage.cycle.start:%Y-%m-%d} – {usage.cycle.end:%Y-%m-%d}"
    used = Content.assemble(
        "  ", (f"{hours(usage.used_minutes)} of {hours(usage.included_minutes)} h", "bold"),
        f" used ({usage.share:.0%})  ", (cycle, "dim"))
    lines = [(("heading", None), Content.styled("Retainer", "bold")),
             (("retainer", "used"), used),
             (("retainer", "burn"), Content.assemble(
                 ("  hours left  ", "dim"), burn_down(usage), ("  by day", "dim")))]
    if usage.overage_minutes:
        amount = usage.overage_amount
        cost = (f" = {money_text(amount, currency)} at "
                f"{money_text(usage.overage_rate, currency)} an hour" if amount else "")
        lines.append((("retainer", "overage"), Content.styled(
            f"  Over by {hours(usage.overage_minutes)} h{cost}", "bold $error")))
    return lines


def burn_down(usage: Usage) -> str:
    """The included hours left at the end of each day so far, as block heights from none
    left (lowest) to all of them (highest)."""
    left = usage.included_minutes
    steps = len(SPARKS) - 1
    heights = []
    for minutes in usage.burn:
        left -= minutes
        share = max(0.0, left / usage.included_minutes) if usage.included_minutes else 0.0
        heights.append(SPARKS[round(share * steps)])
    return "".join(heights[-BURN_WIDTH:])
