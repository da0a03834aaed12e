"""Working days in recurrence rules: the business calendar says which days they are.

The friendly forms write working days as BYDAY=MO,TU,WE,TH,FR (desk.recurrence.rules), alone
("every weekday") or with one BYSETPOS ("monthly on last working day", "monthly on first
working day"). A rule of that shape is read on the calendar (desk.business_hours), so that a
holiday or another working week moves it as it moves the SLA clocks and automation due dates:

- without BYSETPOS, the rule falls on the calendar's working weekdays, holidays left out;
- with BYSETPOS=N, dateutil gives each period's first day (N > 0) or last day (N < 0) at the
  rule's time, and the calendar counts N working days from there: the last working day of
  a month is its last day, or the working day before it.

With the shipped calendar (Monday to Friday, no holidays) both mean what RFC 5545 says. Any
other rule is dateutil's alone. COUNT counts the dates given here (the series applies it).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from dateutil.rrule import rrulestr

from desk.business_hours import Calendar
from desk.recurrence.rules import WORKING_DAYS

_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # by weekday number, 0 = Monday
# The parts a working-day rule may have besides BYDAY and BYSETPOS: with others (a day of
# the month, a week number...) the days are not the calendar's to choose.
_PLAIN_PARTS = frozenset({"FREQ", "INTERVAL", "WKST", "BYMONTH", "BYHOUR", "BYMINUTE"})


def dates(rule: str, start: datetime, calendar: Calendar) -> Iterator[datetime]:
    """The dates of the normalised RRULE text `rule` from `start` on (naive wall times,
    ascending), with its working days the calendar's; without COUNT."""
    parts = dict(piece.split("=", 1) for piece in rule.split(";"))
    if not _on_working_days(parts):
        return iter(rrulestr(rule, dtstart=start))
    position = parts.pop("BYSETPOS", None)
    if position is None:
        parts["BYDAY"] = ",".join(_CODES[day] for day in sorted(calendar.weekdays))
        return (moment for moment in _rrule(parts, start)
                if calendar.is_working_day(moment.date()))
    return _counted_in_periods(parts, int(position), start, calendar)


def _on_working_days(parts: dict[str, str]) -> bool:
    """Whether the rule names the working days: BYDAY of exactly Monday to Friday, at most
    one BYSETPOS, and nothing else that picks days."""
    return (set(parts.get("BYDAY", "").split(",")) == set(WORKING_DAYS.split(","))
            and parts.keys() - {"BYDAY", "BYSETPOS"} <= _PLAIN_PARTS
            and "," not in parts.get("BYSETPOS", ""))


def _counted_in_periods(parts: dict[str, str], position: int, start: datetime,
                        calendar: Calendar) -> Iterator[datetime]:
    """The `position`-th working day of each period of the rule (from the end when
    negative), from `start` on."""
    edges = {**parts, "BYDAY": ",".join(_CODES), "BYSETPOS": "1" if position > 0 else "-1"}
    # Counted from the day before the period's first day, or after its last day.
    outside = timedelta(days=-1 if position > 0 else 1)
    # From the start of the period `start` falls in, so that its own working day counts.
    for edge in _rrule(edges, _period_start(parts, start)):
        day = calendar.add_working_days(edge.date() + outside, position)
        moment = datetime.combine(day, edge.time())
        if moment >= start:
            yield moment


def _period_start(parts: dict[str, str], start: datetime) -> datetime:
    """The first day of the rule's period (day, week, month, year) that `start` falls in,
    at `start`'s time of day."""
    frequency = parts["FREQ"]
    if frequency == "YEARLY":
        return start.replace(month=1, day=1)
    if frequency == "MONTHLY":
        return start.replace(day=1)
    if frequency == "WEEKLY":
        week_start = _CODES.index(parts.get("WKST", "MO"))
        return start - timedelta(days=(start.weekday() - week_start) % 7)
    return start


def _rrule(parts: dict[str, str], start: datetime) -> Iterator[datetime]:
    """dateutil's dates of the rule `parts` from `start`."""
    return iter(rrulestr(";".join(f"{name}={value}" for name, value in parts.items()),
                         dtstart=start))
