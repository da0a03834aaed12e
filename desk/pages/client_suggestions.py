"""The client screen's "Next best action": the suggestions for one client as of now
(desk.automation.suggestions: the configured rules, in their order, without those acted on,
snoozed or dismissed)."""

from __future__ import annotations

from datetime import datetime

from desk.automation.suggestions.base import Suggestion
from desk.automation.suggestions.listing import suggestions
from desk.config.schema import Settings


def load(client_id: int, now: datetime, settings: Settings | None) -> tuple[Suggestion, ...]:
    """The client's suggestions as of `now`; none without settings (a caller that shows no
    suggestions)."""
    return () if settings is None else tuple(suggestions(settings, now, client_id))
