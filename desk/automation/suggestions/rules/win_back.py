"""Win-back: a churned client whose last contact is at least `win_back_after_days` old,
with what it ordered before it left."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from peewee import fn

from desk.automation.suggestions.base import (
    Rule,
    Scope,
    Suggestion,
    clients,
    days_text,
    digest,
    local_day,
)
from desk.models import Client, OrderData, Task
from desk.money import money_text


def find(scope: Scope) -> Iterator[Suggestion]:
    """Churned clients quiet for long enough: one query for them, one for their orders."""
    wait = scope.settings.win_back_after_days
    query = clients(scope, Client.last_contact_at).where(
        Client.lifecycle_stage == "churned",
        Client.last_contact_at.is_null()
        | (Client.last_contact_at <= scope.now - timedelta(days=wait)))
    found = list(query.tuples())
    orders = _orders([row[0] for row in found])
    for client_id, name, manager, last_contact in found:
        count, total, last_order = orders.get(client_id, (0, 0, None))
        last_day = local_day(last_contact, scope.zone) if last_contact else None
        since = (f"last contact {last_day} ({days_text((last_day - scope.today).days)})"
                 if last_day else "never contacted")
        bought = (f"{count} order{'s' if count != 1 else ''} worth "
                  f"{money_text(total or 0, scope.currency)}"
                  if count else "no orders")
        yield Suggestion(
            client_id=client_id, client=name, rule="win_back", subject="churned",
            reason=f"Churned; {since}; {bought} before",
            facts=(("Stage", "churned"), ("Last contact", str(last_day or "never")),
                   ("Orders", bought),
                   ("Last order", str(local_day(last_order, scope.zone)) if last_order
                    else "none")),
            why_now=f"The last contact is at least {wait} days old "
                    "(suggestions.win_back_after_days).",
            when=(last_day + timedelta(days=wait)) if last_day else scope.today,
            title=f"Win back {name}", due=scope.today, assignee=manager,
            fingerprint=digest(last_contact))


def _orders(client_ids: list[int]) -> dict[int, tuple[int, object, object]]:
    """Each client's order count, total and newest order, in one grouped query."""
    if not client_ids:
        return {}
    query = (Task.select(Task.client, fn.COUNT(Task.id), fn.SUM(OrderData.total),
                         fn.MAX(Task.created_at))
             .join(OrderData, on=OrderData.task == Task.id)
             .where(Task.kind == "order", Task.client.in_(client_ids))
             .group_by(Task.client))
    return {client_id: (count, total, last) for client_id, count, total, last in query.tuples()}


RULE = Rule("win_back", "a churned client to win back", find)
