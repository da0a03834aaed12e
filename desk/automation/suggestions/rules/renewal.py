"""Renewal due: a retainer cycle, or a client's recurring work, ending within
`renewal_days`.

A retainer's cycles run from the client's acquisition date in steps of one, three or twelve
months; a step that lands on a day the month lacks (the 31st) is kept on the month's last
day, so a monthly cycle begun on 31 January ends on 27 February and the next begins on the
28th. Without an acquisition date the cycles are calendar months, quarters and years. Only
the cycles of `renewal_cycles` renew (a monthly retainer renews itself). Recurring work is a
series whose task belongs to the client and has an end (`until`)."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterator
from datetime import date, timedelta

from desk.automation.suggestions.base import (
    Rule,
    Scope,
    Suggestion,
    clients,
    days_text,
    digest,
    local_day,
)
from desk.models import Client, RecurringSeries, Task
from desk.money import money_text

MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
"""The months of each retainer cycle."""


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, kept on the month's last day when it is shorter
    (31 January + 1 month = 28 February)."""
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def cycle(anchor: date | None, months: int, today: date) -> tuple[date, date]:
    """The first and last day of the retainer cycle that holds `today`: steps of `months`
    from `anchor`, or calendar periods without one."""
    if anchor is None:
        first = date(today.year, (today.month - 1) // months * months + 1, 1)
        return first, add_months(first, months) - timedelta(days=1)
    steps = max(0, ((today.year - anchor.year) * 12 + today.month - anchor.month) // months)
    while steps and add_months(anchor, steps * months) > today:
        steps -= 1
    while add_months(anchor, (steps + 1) * months) <= today:
        steps += 1
    return (add_months(anchor, steps * months),
            add_months(anchor, (steps + 1) * months) - timedelta(days=1))


def find(scope: Scope) -> Iterator[Suggestion]:
    """The retainer cycles and the recurring work ending within `renewal_days`."""
    yield from _retainers(scope)
    yield from _series(scope)


def _retainers(scope: Scope) -> Iterator[Suggestion]:
    """Clients on a renewing retainer whose current cycle ends soon."""
    window = scope.settings.renewal_days
    query = clients(scope, Client.retainer_cycle, Client.retainer_amount,
                    Client.acquisition_date).where(
        Client.retainer_cycle.in_(scope.settings.renewal_cycles or [""]),
        Client.lifecycle_stage != "churned")
    for client_id, name, manager, cycle_name, amount, anchor in query.tuples():
        first, last = cycle(anchor, MONTHS[cycle_name], scope.today)
        left = (last - scope.today).days
        if left > window:
            continue
        basis = f"from the acquisition date {anchor}" if anchor else "calendar periods"
        yield Suggestion(
            client_id=client_id, client=name, rule="renewal", subject=f"retainer-{last}",
            reason=f"Retainer cycle ends {last} ({days_text(left)})",
            facts=(("Retainer", f"{money_text(amount or 0, scope.currency)} {cycle_name}"),
                   ("Cycle", f"{first} to {last}"), ("Cycles run", basis)),
            why_now=f"The cycle ends within {window} days (suggestions.renewal_days).",
            when=last, title=f"Renew the {cycle_name} retainer of {name}", due=last,
            assignee=manager, fingerprint=digest(cycle_name, amount, anchor, last))


def _series(scope: Scope) -> Iterator[Suggestion]:
    """Clients' recurring work that ends soon (an active series with an end)."""
    window = scope.settings.renewal_days
    ending = (RecurringSeries.select(RecurringSeries.task)
              .where(RecurringSeries.active, RecurringSeries.until >= scope.now,
                     RecurringSeries.until < scope.now + timedelta(days=window + 2)))
    query = (clients(scope, RecurringSeries.id, RecurringSeries.until, RecurringSeries.rule,
                     Task.title)
             .switch(Client).join(Task, on=Task.client == Client.id)
             .join(RecurringSeries, on=RecurringSeries.task == Task.id)
             .where(Task.id.in_(ending), RecurringSeries.active,
                    RecurringSeries.until >= scope.now, Client.lifecycle_stage != "churned"))
    for client_id, name, manager, series_id, until, rule, title in query.tuples():
        last = local_day(until, scope.zone)
        left = (last - scope.today).days
        if left > window:
            continue
        yield Suggestion(
            client_id=client_id, client=name, rule="renewal",
            subject=f"series-{series_id}-{last}",
            reason=f"Recurring \u201c{title}\u201d ends {last} ({days_text(left)})",
            facts=(("Recurring work", title), ("Rule", rule), ("Ends", str(last))),
            why_now=f"It ends within {window} days (suggestions.renewal_days).",
            when=last, title=f"Renew \u201c{title}\u201d with {name}", due=last,
            assignee=manager, fingerprint=digest(series_id, until, rule))


RULE = Rule("renewal", "a retainer cycle or recurring work ending soon", find)
