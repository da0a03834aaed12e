"""How a suggested next best action is drawn: on the Suggestions screen (three lines:
rule and client, reason, the task it proposes) and on the client screen (one line)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from textual.content import Content

from desk.automation.suggestions.base import Suggestion
from desk.dates import spoken_day
from desk.screens.safe import safe_line

RULE_WIDTH = 11
"""Cells for the rule's name."""


def proposal(item: Suggestion, today: date) -> str:
    """The proposed task in words: "→ Renew the retainer of Acme · due Thu 31 Dec · maria"."""
    parts = [f"\u2192 {item.title}"]
    if item.due:
        parts.append(f"due {spoken_day(item.due, today)}")
    if item.assignee:
        parts.append(item.assignee)
    return " · ".join(parts)


def suggestion_lines(item: Suggestion, width: int, today: date) -> list[Content]:
    """The three lines of a suggestion on the Suggestions screen: rule and client, the
    reason, the proposed task."""
    room, indent = max(width - RULE_WIDTH, 10), Content(" " * RULE_WIDTH)
    rule = Content(item.rule.replace("_", "-").ljust(RULE_WIDTH)).stylize("bold")
    return [rule + safe_line(item.client, room).stylize("bold"),
            indent + safe_line(item.reason, room),
            indent + safe_line(proposal(item, today), room).stylize("dim")]


def add_next_actions(add: Callable[[tuple[str, Any], Content], None],
                     found: Sequence[Suggestion]) -> None:
    """The client screen's "Next best action" section through `add(item, line)`: a heading,
    then one ("suggestion", key) item per suggestion: "  renewal · Retainer cycle ends ...";
    nothing when there are none."""
    if not found:
        return
    add(("heading", None), Content.styled(f"Next best action ({len(found)})", "bold"))
    for item in found:
        add(("suggestion", item.key), Content("  ") + Content(
            item.rule.replace("_", "-")).stylize("bold") + Content(" · ")
            + safe_line(item.reason, 90))
