"""Check-in past the contact cadence: the relationship clock (desk.crm.interactions) of a
client with a cadence has run out, or the client was never contacted. Churned clients are
the win-back rule's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from desk.automation.suggestions.base import (
    Rule,
    Scope,
    Suggestion,
    clients,
    days_text,
    digest,
    local_day,
)
from desk.dialect import days_before
from desk.models import Client


def find(scope: Scope) -> Iterator[Suggestion]:
    """Clients whose last contact is older than their cadence, in one query."""
    query = clients(scope, Client.last_contact_at, Client.contact_cadence_days).where(
        Client.contact_cadence_days.is_null(False), Client.lifecycle_stage != "churned",
        Client.last_contact_at.is_null()
        | (Client.last_contact_at < days_before(scope.now, Client.contact_cadence_days)))
    for client_id, name, manager, last_contact, cadence in query.tuples():
        every = f"every {cadence} day{'s' if cadence != 1 else ''}"
        if last_contact is None:
            reason, when = f"Never contacted; the cadence is {every}", scope.today
            facts = (("Last contact", "never"), ("Cadence", every))
        else:
            last_day = local_day(last_contact, scope.zone)
            when = last_day + timedelta(days=cadence)
            reason = (f"Last contact {last_day} ({days_text((last_day - scope.today).days)}); "
                      f"the cadence is {every}")
            facts = (("Last contact", str(last_day)), ("Cadence", every),
                     ("Contact was due", f"{when} ({days_text((when - scope.today).days)})"))
        yield Suggestion(
            client_id=client_id, client=name, rule="check_in", subject="cadence",
            reason=reason, facts=facts,
            why_now="The last contact is older than the client's contact cadence.",
            when=when, title=f"Check in with {name}", due=scope.today, assignee=manager,
            fingerprint=digest(last_contact, cadence))


RULE = Rule("check_in", "a client past its contact cadence", find)
