"""The retainer triggers: `retainer_threshold` (a client has used a share of this cycle's
included hours, 0.8 by default) and `retainer_cycle_end` (a cycle ended: its time report is
ready to send), each fired once per client and cycle by the background work's scan.

A cycle end is judged from the day after the cycle's last day, for up to `LOOKBACK_DAYS`
days, so a desk that was off that day still sends it, and a rule added today does not fire
for cycles long gone. The rule's e-mail or task can name the cycle's figures:
{retainer.cycle}, {retainer.used}, {retainer.included}, {retainer.share}, {retainer.overage}
and {retainer.overage_amount} (hours, the share in percent, the amount at the overage rate).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from msgspec.structs import replace

from desk.automation.subjects import Subject
from desk.config.automations.schema import Rule
from desk.crm import retainers
from desk.durations import hours
from desk.models import RuleFiring
from desk.money import money_text

KINDS = ("retainer_threshold", "retainer_cycle_end")
LOOKBACK_DAYS = 7


def moments(rule: Rule, today: date) -> list[tuple[int, str, None]]:
    """(client id, key, None) of the clients the rule is due for and not yet judged for:
    one key per cycle ("retainer 2026-11-01")."""
    found = [(usage.client_id, _key(usage)) for usage in _usages(rule, today)]
    judged = set(RuleFiring.select(RuleFiring.entity_id, RuleFiring.key)
                 .where((RuleFiring.rule == rule.name) & (RuleFiring.entity == "client")
                        & RuleFiring.key.in_([key for _, key in found] or [""])).tuples())
    return [(client_id, key, None) for client_id, key in found
            if (client_id, key) not in judged]


def with_figures(rule: Rule, subjects: Mapping[int, Subject], today: date, currency: str
                 ) -> Mapping[int, Subject]:
    """The subjects of a retainer rule with their cycle's figures as placeholder values,
    amounts in `currency` (other rules' subjects as they are)."""
    if rule.trigger.kind not in KINDS:
        return subjects
    figures = {usage.client_id: figures_of(usage, currency) for usage in _usages(rule, today)}
    return {client_id: replace(subject, values={**subject.values,
                                                **figures.get(client_id, {})})
            for client_id, subject in subjects.items()}


def figures_of(usage: retainers.Usage, currency: str) -> dict[str, str]:
    """A cycle's figures as a rule's placeholders show them, amounts in `currency`."""
    amount = usage.overage_amount
    return {"retainer.cycle": f"{usage.cycle.start.isoformat()} to {usage.cycle.end.isoformat()}",
            "retainer.used": str(hours(usage.used_minutes)),
            "retainer.included": str(hours(usage.included_minutes)),
            "retainer.share": f"{usage.share:.0%}",
            "retainer.overage": str(hours(usage.overage_minutes)),
            "retainer.overage_amount": "" if amount is None else money_text(amount, currency)}


def _usages(rule: Rule, today: date) -> list[retainers.Usage]:
    """The retainer usages the rule is about today: the clients past its share this cycle,
    or the cycles that ended in the last LOOKBACK_DAYS days."""
    if rule.trigger.kind == "retainer_threshold":
        return retainers.near_limit(today, rule.trigger.share)
    ended = []
    for back in range(1, LOOKBACK_DAYS + 1):
        day = today - timedelta(days=back)
        ended += [usage for usage in retainers.usages(day) if usage.cycle.end == day]
    return ended


def _key(usage: retainers.Usage) -> str:
    """What a firing is kept by: the cycle's first day."""
    return f"retainer {usage.cycle.start.isoformat()}"
