"""Business hours: the desk's one calendar of working days, and time arithmetic over it.

A `Calendar` has a time zone, working weekdays, one span of working hours a day (wall-clock,
e.g. 09:00-17:30; "24:00" closes at midnight) and holidays. It is the one place that says
what a working day is: SLA targets are counted in its hours (desk.sla), automation due
dates such as "+3 business days" count its working days (desk.automation.rules), and
recurring series take their working days from it (desk.recurrence). The faces build it from
the config's `calendar:` section (`calendar`) and pass it down with each call.

`Calendar.is_working_day` and `Calendar.add_working_days` answer for whole days. `add`
finds the moment a length of business time after a start; `between` measures the business
time from one moment to another. Both step through calendar dates (never through datetimes
plus 24 hours) and place each day's opening and closing in the zone before converting to
UTC, so a day on which daylight saving time starts or ends has exactly the working time its
wall clock shows.

Moments given naive are stored UTC (desk's convention) and come back naive UTC; aware ones
come back aware, in the calendar's zone. Nothing here touches the database.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from msgspec import Struct

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {name: index for index, day in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    for name in (day, day[:3])}
_HOURS = re.compile(r"([01][0-9]|2[0-4]):([0-5][0-9])\s*-\s*([01][0-9]|2[0-4]):([0-5][0-9])")
_SPAN = re.compile(r"(?:[0-9]+\s*(?:min|h|d|w)\s*)+")
_SPAN_PART = re.compile(r"([0-9]+)\s*(min|h|d|w)")
_SPAN_HINT = "try 30min, 4h, 1h30min, 3d (working days) or 1w (working weeks)"


class Span(Struct, frozen=True):
    """A length of business time as people write it: minutes (from min and h), working days
    and working weeks; a calendar turns it into a timedelta (`Calendar.length`)."""

    minutes: int = 0
    days: int = 0
    weeks: int = 0


class Calendar(Struct, frozen=True):
    """When the desk works: `zone`, the working `weekdays` (0 = Monday), the daily hours from
    `opens` to `closes` (None = midnight at the end of the day) and the `holidays`."""

    zone: tzinfo
    weekdays: frozenset[int]
    opens: time
    closes: time | None
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if not self.weekdays:
            raise ValueError("a calendar needs at least one working day")
        if self.closes is not None and self.closes <= self.opens:
            raise ValueError("a working day must close after it opens")

    @property
    def day_length(self) -> timedelta:
        """The working time of a day by the wall clock, e.g. 8h30 for 09:00-17:30."""
        day = date(2000, 1, 1)  # any day: the wall clock alone counts here
        end = (datetime.combine(day, self.closes) if self.closes
               else datetime.combine(day + timedelta(days=1), time(0)))
        return end - datetime.combine(day, self.opens)

    def length(self, span: Span) -> timedelta:
        """The business time `span` stands for: a day is `day_length`, a week as many days
        as the calendar has working weekdays."""
        days = span.days + span.weeks * len(self.weekdays)
        return timedelta(minutes=span.minutes) + days * self.day_length

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a working day: a working weekday and no holiday."""
        return day.weekday() in self.weekdays and day not in self.holidays

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day`, or before it when `count` is negative;
        `day` itself for 0. The next working day is `add_working_days(day, 1)`, the last
        working day of a month `add_working_days(first day of the next month, -1)`."""
        step = timedelta(days=1 if count > 0 else -1)
        for _ in range(abs(count)):
            day += step
            while not self.is_working_day(day):
                day += step
        return day

    def hours_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The working hours of `day` as aware UTC moments (opening, closing), or None on a
        day off (a weekday the desk does not work, or a holiday)."""
        return _hours_on(self, day)


@functools.lru_cache(maxsize=4096)
def _hours_on(cal: Calendar, day: date) -> tuple[datetime, datetime] | None:
    """`Calendar.hours_on`, remembered: SLA work asks for the same few weeks again and
    again."""
    if not cal.is_working_day(day):
        return None
    opening = datetime.combine(day, cal.opens, tzinfo=cal.zone)
    closing = (datetime.combine(day, cal.closes, tzinfo=cal.zone) if cal.closes
               else datetime.combine(day + timedelta(days=1), time(0), tzinfo=cal.zone))
    return opening.astimezone(UTC), closing.astimezone(UTC)


def parse_hours(text: str) -> tuple[time, time | None]:
    """Working hours written "09:00-17:30" as (opens, closes); "24:00" closes at midnight
    (None). Raises ValueError."""
    match = _HOURS.fullmatch(str(text).strip())
    if match is None:
        raise ValueError(f"cannot read {text!r} as working hours; write them like 09:00-17:30")
    open_hour, open_minute, close_hour, close_minute = (int(part) for part in match.groups())
    if open_hour == 24 or (close_hour == 24 and close_minute):
        raise ValueError(f"cannot read {text!r} as working hours: 24:00 can only close a day")
    opens = time(open_hour, open_minute)
    closes = None if close_hour == 24 else time(close_hour, close_minute)
    if closes is not None and closes <= opens:
        raise ValueError(f"working hours {text!r} must close after they open")
    return opens, closes


def parse_week(text: str) -> tuple[tuple[str, ...], str]:
    """Working time written "Mon-Fri 09:00-17:30" (days as ranges or lists, e.g.
    "Mon,Wed,Fri", "Mon-Thu,Sat" or "Sun-Thu", a range going round the week) as (working
    weekdays in WEEKDAYS order, "09:00-17:30"). Raises ValueError."""
    days_text, _, hours = str(text).strip().partition(" ")
    example = "write them like Mon-Fri 09:00-17:30"
    if not hours.strip():
        raise ValueError(f"cannot read {text!r} as working days and hours; {example}")
    opens, closes = parse_hours(hours)
    days: set[str] = set()
    for part in days_text.lower().split(","):
        first, _, last = part.strip().partition("-")
        if first not in _DAY_NAMES or (last and last not in _DAY_NAMES):
            raise ValueError(f"cannot read {part.strip()!r} as working days; {example}")
        start, end = _DAY_NAMES[first], _DAY_NAMES[last or first]
        days.update(WEEKDAYS[(start + step) % 7] for step in range((end - start) % 7 + 1))
    closing = closes.strftime("%H:%M") if closes else "24:00"
    return tuple(day for day in WEEKDAYS if day in days), f"{opens:%H:%M}-{closing}"


def parse_span(text: str) -> Span:
    """A length of business time such as 30min, 4h, 1h30min, 3d (working days) or 1w
    (working weeks); the units add up. Raises ValueError, also for a length of zero."""
    word = str(text).strip().lower()
    if not _SPAN.fullmatch(word):
        raise ValueError(f"cannot read {text!r} as a length of business time; {_SPAN_HINT}")
    amounts = {"min": 0, "h": 0, "d": 0, "w": 0}
    for amount, unit in _SPAN_PART.findall(word):
        amounts[unit] += int(amount)
    span = Span(amounts["min"] + 60 * amounts["h"], amounts["d"], amounts["w"])
    if span == Span():
        raise ValueError(f"{text!r} is no time at all; {_SPAN_HINT}")
    return span


def add(cal: Calendar, start: datetime, amount: timedelta) -> datetime:
    """The earliest moment by which `amount` of business time has passed since `start`
    (`start` itself for none). A start outside the working hours counts from the next
    opening. Raises ValueError for a negative amount."""
    if amount < timedelta(0):
        raise ValueError(f"cannot add a negative business time ({amount})")
    moment = _utc(start)
    left = amount
    day = moment.astimezone(cal.zone).date()
    while left:
        hours = cal.hours_on(day)
        if hours is not None and moment < hours[1]:
            begin = max(moment, hours[0])
            available = hours[1] - begin
            if left <= available:
                moment = begin + left
                break
            left -= available
        day += timedelta(days=1)
    return _like(start, moment, cal.zone)


def between(cal: Calendar, start: datetime, end: datetime) -> timedelta:
    """The business time from `start` to `end` (negative when `end` comes first)."""
    first, last = _utc(start), _utc(end)
    if last < first:
        return -between(cal, end, start)
    total = timedelta(0)
    day = first.astimezone(cal.zone).date()
    final = last.astimezone(cal.zone).date()
    while day <= final:
        hours = cal.hours_on(day)
        if hours is not None:
            overlap = min(last, hours[1]) - max(first, hours[0])
            total += max(overlap, timedelta(0))
        day += timedelta(days=1)
    return total


def _utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime (a naive one is stored UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _like(given: datetime, moment: datetime, zone: tzinfo) -> datetime:
    """The aware UTC `moment` in the form `given` came in: naive UTC, or aware in `zone`."""
    if given.tzinfo is None:
        return moment.replace(tzinfo=None)
    return moment.astimezone(zone)
