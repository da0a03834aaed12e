"""Dates and durations as a person types them: today, fri 15:00, in 3 days, dec 24, 1h30min.

This is the one date reader of desk: due and start dates, snoozes, the query language and
the command line all read dates here. Every function that takes `now` (an aware datetime in
the person's time zone) answers in that zone. Forms that name a day land on that day's local
midnight, so `+1d` across a daylight saving change is still 00:00; `+4h` and `+30min` are
exact amounts of elapsed time from `now`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dateutil.relativedelta import relativedelta

from desk.errors import InvalidInput

FORMS = "fri 15:00, tomorrow 9:00, in 3 days, dec 24, next week, eod or 2026-12-01 14:00"
"""The date forms a person is offered in hints and refusals."""
_WHEN_HINT = f"try {FORMS}"
_RANGE_HINT = "try today, fri, dec 24, next week, month or 2026-12-01"
_DURATION_HINT = "try 30min, 2h, 3d, 1w or 1h30min"

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_NUMBERS = {name: number for number, day in enumerate(_WEEKDAYS) for name in (day, day[:3])}
_RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1}
_WEEK_SPANS = {"lastweek": -1, "week": 0, "nextweek": 1}
_MONTH_SPANS = {"lastmonth": -1, "month": 0, "nextmonth": 1}
_DAY_UNITS = {"d": "days", "w": "weeks", "m": "months"}
_TIME_UNITS = {"h": "hours", "min": "minutes"}
_DURATION_UNITS = {"w": "weeks", "d": "days", "h": "hours", "min": "minutes"}
_END_OF_DAY = time(23, 59, 59)
_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}
"""Month names as dateutil's parser reads them (its parserinfo.MONTHS), held here: importing
dateutil.parser for this table cost every start 17 ms of CPU and 3 MiB."""
_PHRASES = {"this week": "week", "next week": "nextweek", "last week": "lastweek",
            "this month": "month", "next month": "nextmonth", "last month": "lastmonth",
            "end of day": "eod", "end of week": "eow", "end of month": "eom"}
_IN_UNITS = {"minute": "min", "min": "min", "hour": "h", "hr": "h", "h": "h", "day": "d",
             "d": "d", "week": "w", "w": "w", "month": "m", "m": "m"}

_OFFSET = re.compile(r"([+-]?)([0-9]+)\s*(min|h|d|w|m)")
_DURATION = re.compile(r"(?:[0-9]+\s*(?:min|h|d|w)\s*)+")
_DURATION_PART = re.compile(r"([0-9]+)\s*(min|h|d|w)")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_IN = re.compile(r"in ([0-9]+) ?([a-z]+?)s?")
_NEXT_WEEKDAY = re.compile(r"next ([a-z]+)")
_AT_CLOCK = re.compile(r"(?:(.*?) )?(?:at )?([0-9]{1,2})(?::([0-9]{2}))? ?(am|pm)?")
_MONTH_DAY = re.compile(
    r"([a-z]+) ([0-9]{1,2})(?: ([0-9]{4}))?|([0-9]{1,2}) ([a-z]+)(?: ([0-9]{4}))?")
_ISO_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[t ][0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:z|[+-][0-9]{2}:[0-9]{2})?"
)


def parse_when(text: str, now: datetime) -> datetime:
    """Read one moment, case-insensitively, as an aware datetime in `now`'s time zone.

    Day forms give local midnight: `today`, `tomorrow`, `yesterday`; `+3d`, `-2d`, `+1w`, `+2m`
    (months; no sign means +) and `in 3 days`, `in 2 weeks`, `in 1 month` counted from today;
    a weekday such as `fri`, `friday` or `next fri` (the next one strictly after today); a
    month and day `dec 24` or `24 december` (the next one on or after today) or with a year
    `dec 24 2027`; an ISO date `2026-12-01`; `week`, `next week`, `month`, `next month` (their
    first day). Moments: `now`; `+4h`, `-30min`, `in 2 hours`, `in 30 minutes` of elapsed time
    from now; `eod`, `eow` and `eom`, the last second (23:59:59) of today, of this ISO week's
    Sunday or of this month's last day; a day form and a clock time, `fri 15:00`,
    `tomorrow 9am`, `dec 24 at 10:30`, or a clock time alone (`15:00`, today); an ISO date and
    time `2026-12-01T14:00`, taken in now's zone unless it carries its own offset. Raises
    InvalidInput for anything else.
    """
    zone = _zone(now)
    word = _normalise(text)
    with _calendar_errors(text, "date"):
        span = _named_span(word, now.date())
        day = span[0] if span else _day(word, now.date())
        moment = _moment(word, now) if day is None else _at_midnight(day, zone)
    if moment is None:
        raise InvalidInput(f"cannot read {text.strip()!r} as a date; {_WHEN_HINT}")
    return moment


def spoken(moment: datetime, now: datetime) -> str:
    """A moment as a person reads it back in `now`'s zone: "Fri 11 Dec 15:00", with the year
    when it is not this year's, and "end of day" for the last second of a day."""
    local = moment.astimezone(_zone(now))
    clock = "end of day" if local.time() == _END_OF_DAY else f"{local:%H:%M}"
    return f"{spoken_day(local.date(), now.date())} {clock}"


def spoken_day(day: date, today: date) -> str:
    """A calendar day as a person reads it back: "Fri 11 Dec", with the year when it is not
    `today`'s year ("Mon 4 Jan 2027")."""
    year = f" {day.year}" if day.year != today.year else ""
    return f"{day:%a} {day.day} {day:%b}{year}"


def parse_range(text: str, now: datetime) -> tuple[datetime, datetime]:
    """Read a half-open range [start, end) of whole local days in `now`'s time zone.

    Accepts `week`, `lastweek`, `nextweek` (ISO weeks, Monday 00:00 to the next Monday),
    `month`, `lastmonth`, `nextmonth` (calendar months), and any day form of `parse_when`
    (`today`, `fri`, `+3d`, `2026-12-01`, ...) meaning that whole day. Raises InvalidInput
    for anything else, including moments such as `now`, `+4h` or `eow`.
    """
    zone = _zone(now)
    word = _normalise(text)
    with _calendar_errors(text, "date range"):
        span = _named_span(word, now.date()) or _whole_day(_day(word, now.date()))
        if span is None:
            raise InvalidInput(f"cannot read {text.strip()!r} as a date range; {_RANGE_HINT}")
        return _at_midnight(span[0], zone), _at_midnight(span[1], zone)


def parse_due(text: str, now: datetime) -> datetime:
    """A due moment: a day form (`today`, `fri`, `2026-12-01`, `week`) means the last second
    of that day or span, so it is not overdue before it ends; a moment (`+4h`,
    `2026-12-01 14:00`) is taken as it is."""
    try:
        _, end = parse_range(text, now)
    except InvalidInput:
        return parse_when(text, now)
    return end - timedelta(seconds=1)


def parse_duration(text: str) -> timedelta:
    """Read a length of time such as `30min`, `2h`, `3d`, `1w` or `1h30min` (units add up).

    Months are refused: they have no fixed length. Raises InvalidInput for anything else.
    """
    word = _normalise(text)
    if not _DURATION.fullmatch(word):
        raise InvalidInput(f"cannot read {text.strip()!r} as a duration; {_DURATION_HINT}")
    with _calendar_errors(text, "duration"):
        parts = (
            timedelta(**{_DURATION_UNITS[unit]: int(amount)})
            for amount, unit in _DURATION_PART.findall(word)
        )
        return sum(parts, timedelta())


def _normalise(text: str) -> str:
    """The text as compared against the known forms: lower case, single spaces, and a phrase
    (`next week`, `end of day`, `in 3 days`) in its short form (`nextweek`, `eod`, `+3d`)."""
    word = " ".join(text.lower().split())
    if (within := _IN.fullmatch(word)) and within[2] in _IN_UNITS:
        return f"+{within[1]}{_IN_UNITS[within[2]]}"
    return _PHRASES.get(word, word)


def _zone(now: datetime) -> tzinfo:
    """The time zone of `now`; a naive `now` is a programming error."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be timezone-aware, got {now!r}")
    return now.tzinfo


@contextmanager
def _calendar_errors(text: str, kind: str) -> Iterator[None]:
    """Turn arithmetic beyond the calendar (year 10000, 30 February) into InvalidInput."""
    try:
        yield
    except (OverflowError, ValueError) as error:
        raise InvalidInput(f"{text.strip()!r} is out of range for a {kind}") from error


def _day(word: str, today: date) -> date | None:
    """The day a day form names, or None when `word` is not a day form."""
    if word in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[word])
    if (following := _NEXT_WEEKDAY.fullmatch(word)) and following[1] in _WEEKDAY_NUMBERS:
        word = following[1]
    if word in _WEEKDAY_NUMBERS:
        return _next_weekday(today, _WEEKDAY_NUMBERS[word])
    offset = _OFFSET.fullmatch(word)
    if offset and offset[3] in _DAY_UNITS:
        return today + relativedelta(**{_DAY_UNITS[offset[3]]: _signed_amount(offset)})
    if _ISO_DATE.fullmatch(word):
        return date.fromisoformat(word)
    return _month_day(word, today)


def _month_day(word: str, today: date) -> date | None:
    """The day `dec 24`, `24 december` or `dec 24 2027` names (without a year, the next one
    on or after today), or None when `word` is no month and day."""
    found = _MONTH_DAY.fullmatch(word)
    if found is None:
        return None
    name, day, year = found.group(1, 2, 3) if found[1] else found.group(5, 4, 6)
    month = _MONTHS.get(name.lower())
    if month is None:
        return None
    named = date(int(year) if year else today.year, month, int(day))
    return named if year or named >= today else named.replace(year=today.year + 1)


def _clock_time(word: str, now: datetime) -> datetime | None:
    """The moment a day form and a clock time name (`fri 15:00`, `tomorrow 9am`,
    `dec 24 at 10:30`; a clock time alone is today), or None when `word` is not one."""
    found = _AT_CLOCK.fullmatch(word)
    if found is None or not (found[3] or found[4]):
        return None
    day = now.date() if found[1] is None else _day(found[1], now.date())
    if day is None:
        return None
    hour, minute = int(found[2]), int(found[3] or 0)
    if found[4]:
        if not 1 <= hour <= 12:
            raise ValueError(f"{hour} is no hour on a 12-hour clock")
        hour = hour % 12 + (12 if found[4] == "pm" else 0)
    return _localise(datetime.combine(day, time(hour, minute)), now.tzinfo)


def _moment(word: str, now: datetime) -> datetime | None:
    """The moment a non-day form names, or None when `word` is not one."""
    if word == "now":
        return now
    if word in _PERIOD_ENDS:
        last_day = _PERIOD_ENDS[word](now.date())
        return _localise(datetime.combine(last_day, _END_OF_DAY), now.tzinfo)
    offset = _OFFSET.fullmatch(word)
    if offset and offset[3] in _TIME_UNITS:
        elapsed = timedelta(**{_TIME_UNITS[offset[3]]: _signed_amount(offset)})
        return (now.astimezone(UTC) + elapsed).astimezone(now.tzinfo)
    if _ISO_MOMENT.fullmatch(word):
        return _absolute(datetime.fromisoformat(word.upper()), now.tzinfo)
    return _clock_time(word, now)


def _signed_amount(offset: re.Match[str]) -> int:
    """The number of an offset such as `-2d`, negative when it has a minus sign."""
    amount = int(offset[2])
    return -amount if offset[1] == "-" else amount


def _next_weekday(today: date, weekday: int) -> date:
    """The first day strictly after `today` that falls on `weekday` (Monday is 0)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _end_of_week(today: date) -> date:
    """The Sunday that closes today's ISO week (today itself on a Sunday)."""
    return today + timedelta(days=6 - today.weekday())


def _end_of_month(today: date) -> date:
    """The last day of today's month."""
    return today.replace(day=1) + relativedelta(months=1, days=-1)


_PERIOD_ENDS: dict[str, Callable[[date], date]] = {
    "eod": lambda today: today, "eow": _end_of_week, "eom": _end_of_month}


def _named_span(word: str, today: date) -> tuple[date, date] | None:
    """The [first, end) days of a named week or month, or None when `word` names neither."""
    if word in _WEEK_SPANS:
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=_WEEK_SPANS[word])
        return monday, monday + timedelta(weeks=1)
    if word in _MONTH_SPANS:
        first = today.replace(day=1) + relativedelta(months=_MONTH_SPANS[word])
        return first, first + relativedelta(months=1)
    return None


def _whole_day(day: date | None) -> tuple[date, date] | None:
    """The [day, next day) span, or None when there is no day."""
    return None if day is None else (day, day + timedelta(days=1))


def _at_midnight(day: date, zone: tzinfo) -> datetime:
    """The local start of `day` in `zone`."""
    return _localise(datetime.combine(day, time()), zone)


def _absolute(moment: datetime, zone: tzinfo) -> datetime:
    """An ISO datetime in `zone`: naive ones are local wall time, others are converted."""
    return moment.astimezone(zone) if moment.tzinfo else _localise(moment, zone)


def _localise(wall_time: datetime, zone: tzinfo) -> datetime:
    """Attach `zone` to a naive wall time, moving a time skipped by a clock change forward."""
    return wall_time.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
