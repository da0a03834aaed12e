"""A retainer about to be exceeded: the client has used at least `retainer_share` percent of
the hours its retainer includes in this cycle (desk.crm.retainers), so the account manager
should talk to them before the overage is billed."""

from __future__ import annotations

from collections.abc import Iterator

from desk.automation.suggestions.base import Rule, Scope, Suggestion, clients, days_text, digest
from desk.crm import retainers
from desk.durations import hours
from desk.models import Client
from desk.money import money_text


def find(scope: Scope) -> Iterator[Suggestion]:
    """Retainer clients at or over the share, in two queries for all of them."""
    share = scope.settings.retainer_share / 100
    found = [usage for usage in retainers.usages(
        scope.today, None if scope.client_id is None else [scope.client_id])
        if usage.share >= share]
    managers = {client_id: manager for client_id, _, manager in clients(scope).where(
        Client.id.in_([usage.client_id for usage in found])).tuples()}
    for usage in found:
        if usage.client_id not in managers:
            continue  # archived
        used, included = hours(usage.used_minutes), hours(usage.included_minutes)
        left = (usage.cycle.end - scope.today).days
        over = usage.overage_minutes > 0
        reason = (f"{used} of {included} retainer hours used ({usage.share:.0%}); the cycle "
                  f"ends {usage.cycle.end} ({days_text(left)})")
        facts = [("Cycle", f"{usage.cycle.start} to {usage.cycle.end}"),
                 ("Hours used", f"{used} of {included} ({usage.share:.0%})")]
        if over:
            amount = usage.overage_amount
            facts.append(("Overage", f"{hours(usage.overage_minutes)} h"
                          + (f" = {money_text(amount, scope.currency)}" if amount is not None
                             else "")))
        yield Suggestion(
            client_id=usage.client_id, client=usage.client, rule="retainer",
            subject=str(usage.cycle.start), reason=reason, facts=tuple(facts),
            why_now=(f"The cycle's billable hours reached {scope.settings.retainer_share}% of "
                     "those the retainer includes."),
            when=usage.cycle.end, title=f"Talk to {usage.client} about their retainer hours",
            due=scope.today, assignee=managers[usage.client_id],
            fingerprint=digest(usage.cycle.start, over))


RULE = Rule("retainer", "a retainer about to be exceeded this cycle", find)
