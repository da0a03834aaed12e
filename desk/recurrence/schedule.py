"""The dates a recurring series falls on, and their preview (pure: no database here).

Dates are evaluated in local wall time of the configured zone, so 09:00 stays 09:00 across a
daylight-saving change; a wall time the change skips moves forward by the gap (02:30 becomes
03:30). Working days are the business calendar's (desk.business_hours): a rule on working
days follows it (desk.recurrence.workdays), and so does `skip_weekends`. `until` and `count`
bound the rule's own dates (as UNTIL and COUNT would); after that, `skip_weekends` moves a
date on a day off (a Saturday or Sunday on the shipped calendar, or a holiday) to the next
working day at the same time, and a moved date that lands on or before a date already given
is dropped (a daily rule's weekend dates merge into Monday's).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, tzinfo
from itertools import dropwhile, islice

from msgspec import Struct
from msgspec.structs import replace

from desk.business_hours import Calendar
from desk.clock import stored, to_local
from desk.errors import InvalidInput
from desk.recurrence import workdays
from desk.recurrence.rule_words import rule_words
from desk.recurrence.rules import rule_from_text

ANCHORS = ("schedule", "completion")
MODES = ("new", "reopen")
CATCH_UPS = ("latest", "all")


class SeriesSpec(Struct, frozen=True):
    """How a task recurs: its rule and options, as a person set them.

    `starts_at`, `until`: aware datetimes (or naive UTC); `starts_at` None means the default
    start (`recurrence.default_start`). `rule` may be friendly text until it is checked.
    """

    rule: str
    anchor: str = "schedule"
    mode: str = "new"
    skip_weekends: bool = False
    skip_if_open: bool = False
    catch_up: str = "latest"
    starts_at: datetime | None = None
    until: datetime | None = None
    count: int | None = None


def checked(spec: SeriesSpec) -> SeriesSpec:
    """The spec with its rule normalised and its options checked, or InvalidInput."""
    for name, value, allowed in (("anchor", spec.anchor, ANCHORS), ("mode", spec.mode, MODES),
                                 ("catch_up", spec.catch_up, CATCH_UPS)):
        if value not in allowed:
            raise InvalidInput(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    if spec.count is not None and (isinstance(spec.count, bool) or not isinstance(spec.count, int)
                                   or spec.count < 1):
        raise InvalidInput(f"count must be a whole number of at least 1, not {spec.count!r}")
    for name in ("starts_at", "until"):
        value = getattr(spec, name)
        if value is not None and not isinstance(value, datetime):
            raise InvalidInput(f"{name} must be a date and time, not {value!r}")
    starts, until = stored(spec.starts_at), stored(spec.until)
    if starts is not None and until is not None and until < starts:
        raise InvalidInput("the series cannot end (until) before it starts")
    return replace(spec, rule=rule_from_text(spec.rule), starts_at=starts, until=until)


def describe(spec: SeriesSpec, zone: tzinfo) -> str:
    """How a series reads to a person: its rule in words and the options that are on, e.g.
    "recurs weekly on fri, creating a new task each time, counted from the schedule"."""
    words = [f"recurs {rule_words(spec.rule)}",
             "creating a new task each time" if spec.mode == "new" else "reopening the task",
             "counted from the schedule" if spec.anchor == "schedule"
             else "counted from completion"]
    words += [text for on, text in ((spec.skip_weekends, "weekends moved to Monday"),
                                    (spec.skip_if_open, "skipped while the previous is open"),
                                    (spec.catch_up == "all", "catching up every missed date"))
              if on]
    if spec.until:
        words.append(f"until {to_local(spec.until, zone):%Y-%m-%d %H:%M}")
    if spec.count:
        words.append(f"{spec.count} times")
    return ", ".join(words)


def wall(moment: datetime, zone: tzinfo) -> datetime:
    """A stored (naive UTC) moment as naive local wall time in `zone`."""
    return to_local(moment, zone).replace(tzinfo=None)


def instant(wall_time: datetime, zone: tzinfo) -> datetime:
    """Naive local wall time in `zone` as a stored (naive UTC) moment; a wall time skipped by
    a daylight-saving change moves forward by the gap."""
    return wall_time.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


class Schedule(Struct, frozen=True):
    """The dates of a rule from a start, in a zone, with the working days of a business
    calendar: stored (naive UTC) moments."""

    rule: str
    starts_at: datetime
    zone: tzinfo
    calendar: Calendar
    skip_weekends: bool = False
    until: datetime | None = None
    count: int | None = None

    def _own(self, start_wall: datetime, *, counted: bool = True) -> Iterator[datetime]:
        """The rule's own dates from `start_wall` (local wall times), bounded by the count
        when `counted` (`_moved` applies until, so that both can end a series)."""
        found = workdays.dates(self.rule, start_wall, self.calendar)
        return islice(found, self.count) if counted and self.count else found

    def dates(self, after: datetime, *, inclusive: bool = True) -> Iterator[datetime]:
        """The dates from `after` on (`inclusive`) or strictly after it, ascending."""
        # From the last working day before `after`: a date on a day off since then may move
        # to `after` or later (skip_weekends). A day's margin also covers a daylight-saving
        # change shifting wall time against UTC.
        first = datetime.combine(
            self.calendar.add_working_days(wall(after, self.zone).date(), -1), time())
        walls = dropwhile(lambda moment: moment < first,
                          self._own(wall(self.starts_at, self.zone)))
        return self._moved(walls, after, inclusive)

    def after_completion(self, done_at: datetime, later_than: datetime | None) -> datetime | None:
        """The first date after the day `done_at` falls on, counted from that day at the
        series' time of day (and after `later_than`, the last occurrence); None when the
        series has ended by then."""
        start = wall(self.starts_at, self.zone)
        day_start = datetime.combine(wall(done_at, self.zone).date(), start.time())
        walls = dropwhile(lambda moment: moment <= day_start,
                          self._own(day_start, counted=False))
        floor = max(instant(day_start, self.zone), later_than or datetime.min)
        return next(self._moved(walls, floor, False), None)

    def _moved(self, walls: Iterator[datetime], after: datetime,
               inclusive: bool) -> Iterator[datetime]:
        """Wall times as stored moments past `after` up to until, those on a day off moved
        to the next working day when the series skips weekends."""
        last = None
        for wall_time in walls:
            if self.until is not None and instant(wall_time, self.zone) > self.until:
                return
            day = wall_time.date()
            if self.skip_weekends and not self.calendar.is_working_day(day):
                wall_time = datetime.combine(self.calendar.add_working_days(day, 1),
                                             wall_time.time())
            moment = instant(wall_time, self.zone)
            if moment < after or (moment == after and not inclusive):
                continue
            if last is not None and moment <= last:
                continue
            last = moment
            yield moment


def schedule_of(spec: SeriesSpec, zone: tzinfo, calendar: Calendar) -> Schedule:
    """The Schedule of a checked spec with a start, on the business `calendar`."""
    if spec.starts_at is None:
        raise ValueError("the spec needs its start; see recurrence.default_start")
    return Schedule(spec.rule, stored(spec.starts_at), zone, calendar, spec.skip_weekends,
                    stored(spec.until), spec.count)


def preview(spec: SeriesSpec, after: datetime, count: int = 5, tz: tzinfo = UTC, *,
            calendar: Calendar) -> list[datetime]:
    """The next `count` dates of the series from `after` on, as aware datetimes in `tz`,
    with the working days of the business `calendar`.

    A spec without a start starts at `after`. With the anchor on completion each date after
    the first really counts from when the previous one is done; the preview assumes each is
    done on its day.
    """
    spec = checked(spec)
    start = stored(after)
    if spec.starts_at is None:
        spec = replace(spec, starts_at=start)
    dates = schedule_of(spec, tz, calendar).dates(max(start, spec.starts_at))
    return [to_local(moment, tz) for _, moment in zip(range(count), dates, strict=False)]
