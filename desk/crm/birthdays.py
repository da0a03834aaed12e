"""Clients' birthdays: when the next one falls, and whose fall in a span of days.

Shared by the birthday automation trigger and the dashboard. A 29 February birthday is kept
on 28 February in common years. The database picks the candidates by month and day, so no
client list is read whole.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from msgspec import Struct

from desk.dialect import month_day
from desk.models import Client


class Birthday(Struct, frozen=True):
    """A client's coming birthday: the day it is kept and the date of birth."""

    client_id: int
    name: str
    day: date
    born: date


def next_birthday(born: date, today: date) -> date:
    """The first birthday on or after `today` of someone born on `born`."""
    for year in (today.year, today.year + 1):
        leap_day = born.month == 2 and born.day == 29 and not calendar.isleap(year)
        day = date(year, 2, 28) if leap_day else born.replace(year=year)
        if day >= today:
            return day
    raise AssertionError("a birthday comes round within a year")


def between(first: date, last: date) -> list[Birthday]:
    """The birthdays kept from `first` to `last` (both included, at most a year apart),
    soonest first, then by name."""
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    month_days = {f"{day:%m-%d}" for day in days}
    if any(day.month == 2 and day.day == 28 and not calendar.isleap(day.year) for day in days):
        month_days.add("02-29")
    found = []
    for client_id, name, born in (Client.select(Client.id, Client.name, Client.birthday)
                                  .where(month_day(Client.birthday).in_(sorted(month_days)))
                                  .tuples()):
        day = next_birthday(born, first)
        if day <= last:
            found.append(Birthday(client_id, name, day, born))
    return sorted(found, key=lambda birthday: (birthday.day, birthday.name, birthday.client_id))
