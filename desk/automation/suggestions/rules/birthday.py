"""A birthday coming within `birthday_days` (desk.crm.birthdays: a 29 February birthday is
kept on 28 February in a common year)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from desk.automation.suggestions.base import Rule, Scope, Suggestion, clients, days_text, digest
from desk.crm import birthdays
from desk.models import Client


def find(scope: Scope) -> Iterator[Suggestion]:
    """The birthdays from today to `birthday_days` ahead, soonest first."""
    window = scope.settings.birthday_days
    last = scope.today + timedelta(days=window)
    if scope.client_id is None:
        coming = birthdays.between(scope.today, last)
    else:  # one client: its own birthday, not everyone's on the same days
        coming = [birthdays.Birthday(client_id, name, day, born)
                  for client_id, name, born in Client.select(Client.id, Client.name,
                                                             Client.birthday)
                  .where(Client.id == scope.client_id, Client.birthday.is_null(False)).tuples()
                  if (day := birthdays.next_birthday(born, scope.today)) <= last]
    if not coming:
        return
    names = {client_id: (name, manager) for client_id, name, manager in
             clients(scope).where(Client.id.in_([b.client_id for b in coming])).tuples()}
    for birthday in coming:
        if birthday.client_id not in names:  # archived
            continue
        name, manager = names[birthday.client_id]
        facts = [("Born", str(birthday.born)), ("Birthday", str(birthday.day))]
        if (birthday.born.month, birthday.born.day) != (birthday.day.month, birthday.day.day):
            facts.append(("Kept on", "28 February: born on 29 February, not a leap year"))
        yield Suggestion(
            client_id=birthday.client_id, client=name, rule="birthday",
            subject=f"birthday-{birthday.day}",
            reason=f"Birthday on {birthday.day} "
                   f"({days_text((birthday.day - scope.today).days)})",
            facts=tuple(facts),
            why_now=f"It falls within {window} days (suggestions.birthday_days).",
            when=birthday.day, title=f"Send birthday greetings to {name}", due=birthday.day,
            assignee=manager, fingerprint=digest(birthday.born))


RULE = Rule("birthday", "a client's birthday coming", find)
