"""How the client screen draws its feedback section: the newest NPS answer on one line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.content import Content

from desk.clock import to_local
from desk.pages.client_feedback import LastNps
from desk.screens.safe import safe_line

STYLES = {"promoter": "green", "passive": "yellow", "detractor": "red"}
"""The colour of each group's score."""


def add_feedback(add: Callable[[tuple[str, Any], Content], None], nps: LastNps | None,
                 now: datetime) -> None:
    """Add the section to the client screen's list through its `add(item, prompt)`: a
    heading and the newest NPS answer (its date, score, group, channel and text), or a line
    saying there is none."""
    add(("heading", None), Content.styled("Feedback", "bold"))
    if nps is None:
        add(("heading", None), Content.styled("  No NPS answer yet", "dim"))
        return
    when = to_local(nps.answered_at, now.tzinfo).strftime("%Y-%m-%d")
    add(("nps", nps.survey_id), Content.assemble(
        (f"  {when} ", "dim"), ("NPS ", "bold"), (f"{nps.score:>2}", STYLES[nps.group]),
        (f" {nps.group} by {nps.channel}  ", "dim"), safe_line(nps.comment, 80)))
