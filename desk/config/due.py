"""The due forms of automation rules (`due: +3 business days`) and the moment each one names.

The config checks a rule's due form with `due_moment` while it loads; the automations use it
to date the tasks a rule creates.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from dateutil.rrule import DAILY, FR, MO, TH, TU, WE, rrule

from desk import dates

_BUSINESS_DAYS = re.compile(r"\+?\s*([0-9]+)\s*business\s+days?")
_WORKDAYS = (MO, TU, WE, TH, FR)


def due_moment(text: str, now: datetime, birthday: date | None = None) -> datetime:
    """The moment a due form names at `now` (aware; its zone counts the days). Day forms end
    at 23:59:59 that day, as `desk add --due` has them. `birthday` is the occasion of a
    birthday rule ("birthday" names that day). Raises InvalidInput."""
    word = text.strip().lower()
    day = None
    if word == "birthday" and birthday is not None:
        day = birthday
    elif (match := _BUSINESS_DAYS.fullmatch(word)) is not None:
        day = business_days_after(now.date(), int(match[1]))
    return dates.parse_due(day.isoformat() if day else text, now)


def business_days_after(start: date, count: int) -> date:
    """The `count`-th working day (Monday to Friday) after `start`; `start` itself if 0."""
    if count == 0:
        return start
    first = datetime.combine(start + timedelta(days=1), datetime.min.time())
    return rrule(DAILY, dtstart=first, byweekday=_WORKDAYS, count=count)[-1].date()
