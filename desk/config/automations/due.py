"""The due forms of automation rules (`due: +3 business days`) and the moment each one names.

The config checks a rule's due form with `due_moment` while it loads; the automations use it
to date the tasks a rule creates. Business days are the working days of the business
calendar the caller gives (desk.business_hours): its working weekdays, without its holidays.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from desk import dates
from desk.business_hours import Calendar

_BUSINESS_DAYS = re.compile(r"\+?\s*([0-9]+)\s*business\s+days?")


def due_moment(text: str, now: datetime, calendar: Calendar,
               birthday: date | None = None) -> datetime:
    """The moment a due form names at `now` (aware; its zone counts the days). Day forms end
    at 23:59:59 that day, as `desk add --due` has them; "+3 business days" counts the working
    days of `calendar`. `birthday` is the occasion of a birthday rule ("birthday" names that
    day). Raises InvalidInput."""
    word = text.strip().lower()
    day = None
    if word == "birthday" and birthday is not None:
        day = birthday
    elif (match := _BUSINESS_DAYS.fullmatch(word)) is not None:
        day = calendar.add_working_days(now.date(), int(match[1]))
    return dates.parse_due(day.isoformat() if day else text, now)
