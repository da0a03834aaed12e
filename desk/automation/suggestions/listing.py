"""The suggestions to show: every configured rule run for all clients (or one), less those
an agent acted on, dismissed, or snoozed to a day still to come, while their data is the
same. Listed in the order of `suggestions.rules`, then soonest first, then by client name:
there is no score."""

from __future__ import annotations

from datetime import datetime

from desk.automation.suggestions.base import Scope, Suggestion
from desk.automation.suggestions.registry import RULES
from desk.clock import stored, to_local
from desk.config.schema import Settings
from desk.errors import NotFound
from desk.models import SuggestionState


def scope(settings: Settings, now: datetime, client_id: int | None = None) -> Scope:
    """The scope of a run as of `now` (aware, or naive UTC) in the settings' zone."""
    moment = stored(now)
    return Scope(today=to_local(moment, settings.tz).date(), now=moment, zone=settings.tz,
                 settings=settings.suggestions, currency=settings.money.currency,
                 client_id=client_id)


def suggestions(settings: Settings, now: datetime,
                client_id: int | None = None) -> list[Suggestion]:
    """The suggestions to act on as of `now`, for every client or `client_id`."""
    run = scope(settings, now, client_id)
    order = {name: position for position, name in enumerate(run.settings.rules)}
    found = [suggestion for name in run.settings.rules for suggestion in RULES[name].find(run)]
    hidden = _hidden(run, found)
    shown = [s for s in found if (s.client_id, s.rule, s.subject, s.fingerprint) not in hidden]
    return sorted(shown, key=lambda s: (order[s.rule], s.when, s.client.lower(), s.client_id,
                                        s.subject))


def one(settings: Settings, now: datetime, key: str) -> Suggestion:
    """The suggestion `key` (CLIENT:RULE:SUBJECT) as it stands now; NotFound when the rule
    does not suggest it (any more), or it was acted on, dismissed or snoozed."""
    client_id, rule, _ = parse_key(key)
    if rule not in settings.suggestions.rules:
        raise NotFound(f"no suggestion {key}: the rule {rule!r} is not in suggestions.rules")
    for suggestion in suggestions(settings, now, client_id):
        if suggestion.key == key:
            return suggestion
    raise NotFound(f"no suggestion {key} now: its rule no longer suggests it, or it was "
                   "acted on, snoozed or dismissed")


def parse_key(key: str) -> tuple[int, str, str]:
    """(client id, rule, subject) of a key CLIENT:RULE:SUBJECT; NotFound when malformed."""
    client, _, rest = str(key).strip().partition(":")
    rule, _, subject = rest.partition(":")
    if not client.isdigit() or rule not in RULES or not subject:
        raise NotFound(f"no suggestion {key!r}: an id looks like 12:check_in:cadence "
                       "(see desk suggestions)")
    return int(client), rule, subject


def _hidden(run: Scope, found: list[Suggestion]) -> set[tuple[int, str, str, str]]:
    """(client, rule, subject, fingerprint) of the decisions that still hide a suggestion:
    acted on or dismissed, or snoozed until after today."""
    if not found:
        return set()
    query = SuggestionState.select(SuggestionState.client, SuggestionState.rule,
                                   SuggestionState.subject, SuggestionState.fingerprint,
                                   SuggestionState.outcome, SuggestionState.snoozed_until)
    if run.client_id is not None:
        query = query.where(SuggestionState.client == run.client_id)
    return {(client_id, rule, subject, fingerprint)
            for client_id, rule, subject, fingerprint, outcome, until in query.tuples()
            if outcome != "snoozed" or until > run.today}
