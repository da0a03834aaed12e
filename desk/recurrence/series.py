"""Recurring series: set, read and stop a task's series, and what the generator shares.

A task's series is one row (replaced when set again). Rule text lives in
desk.recurrence.rules, the dates in desk.recurrence.schedule (month ends,
daylight saving, skip_weekends; working days are those of the business calendar each call is
given), the generator in desk.recurrence.tick.

Decided here:
- The series' task is the template; "the previous occurrence's task" is the task of the
  series' newest occurrence, or in mode "reopen" the series' task itself.
- A new series starts today at the task's due time of day (09:00 when it has none), unless
  a start is given. next_at becomes its first date from now on; in mode "reopen" the first
  date after the task's current due date; with the anchor on completion, the date after the
  previous occurrence's task was done, or empty while it is still open.
- Every change of a series (set, replaced, stopped, advanced by the generator) is a new
  version with activity of the entity "series" and an event series.created, series.updated,
  series.stopped or series.advanced (data: task_id).
"""

from __future__ import annotations

from datetime import datetime, time, tzinfo

from msgspec import Struct
from msgspec.structs import replace

from desk import dates
from desk.business_hours import Calendar
from desk.clock import stored, to_local, utcnow
from desk.dialect import locking
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.models import Occurrence, RecurringSeries, Task, database
from desk.recurrence.schedule import (
    Schedule,
    SeriesSpec,
    checked,
    describe,
    preview,
    schedule_of,
    wall,
)

__all__ = ["SeriesSpec", "SeriesView", "checked", "default_start", "describe", "preview",
           "series_for", "set_series", "start_from_text", "stop_series", "upcoming"]

DEFAULT_TIME = time(9)  # the time of day of a series whose task has no due date
ENTITY = "series"
_SPEC_FIELDS = ("rule", "anchor", "mode", "skip_weekends", "skip_if_open", "catch_up",
                "starts_at", "until", "count")


class SeriesView(Struct, frozen=True):
    """A task's recurring series as stored (times naive UTC), with its occurrence count."""

    id: int
    task_id: int
    rule: str
    anchor: str
    mode: str
    skip_weekends: bool
    skip_if_open: bool
    catch_up: str
    starts_at: datetime
    until: datetime | None
    count: int | None
    next_at: datetime | None
    active: bool
    version: int
    occurrences: int

    @property
    def spec(self) -> SeriesSpec:
        """The series' settings, as `set_series` takes them."""
        return SeriesSpec(**{name: getattr(self, name) for name in _SPEC_FIELDS})


# --- the series of a task ------------------------------------------------------------------


def default_start(task_id: int, now: datetime) -> datetime:
    """Where a new series of the task starts: today (in `now`'s zone) at the task's due time
    of day, or at 09:00 when it has no due date. Aware, in `now`'s zone."""
    return _today_at(now, _time_of_day(_task(task_id), now.tzinfo))


def start_from_text(text: str, task_id: int, now: datetime) -> datetime:
    """A start typed as desk.dates reads it: a day form (fri, +3d, 2026-12-01) means that day
    at the task's due time of day (or 09:00); a moment (2026-12-01 14:00) is taken as it is."""
    try:
        first, _ = dates.parse_range(text, now)
    except InvalidInput:
        return dates.parse_when(text, now)
    return _today_at(first, _time_of_day(_task(task_id), now.tzinfo))


def _today_at(day: datetime, moment: time) -> datetime:
    """`day`'s date at `moment` in `day`'s zone."""
    return datetime.combine(day.date(), moment).replace(tzinfo=day.tzinfo)


def _time_of_day(task: Task, zone: tzinfo) -> time:
    """The local time of day of the task's due date, or DEFAULT_TIME."""
    return wall(task.due_at, zone).time().replace(second=0) if task.due_at else DEFAULT_TIME


def _task(task_id: int) -> Task:
    """The task, or NotFound."""
    task = Task.get_or_none(Task.id == task_id)
    if task is None:
        raise NotFound(f"no task {task_id}")
    return task


def set_series(agent: AgentRef, task_id: int, spec: SeriesSpec, tz: tzinfo, *,
               calendar: Calendar, now: datetime | None = None,
               version: int | None = None) -> SeriesView:
    """Make the task recur by `spec` (its working days those of the business `calendar`),
    replacing its series if it has one; returns it.

    `version`, when given, is the version of the series the person edited: a field someone
    else saved since then and this save changes differently is a ConflictError. next_at
    becomes the first date from now on (anchor completion: from the previous occurrence's
    completion, or empty while it is open; mode reopen: after the task's current due date).
    Recorded as activity of the series, event series.created or series.updated.
    """
    require_writer(agent)
    moment = stored(now) or utcnow()
    with database.atomic():
        task = versions.load_for_update(Task, task_id, "task")  # one series per task
        spec = _complete(spec, task, tz, moment)
        row = RecurringSeries.select().where(RecurringSeries.task == task_id).first()
        next_at = _first_next(spec, task, row, tz, calendar, moment)
        values = {**{name: getattr(spec, name) for name in _SPEC_FIELDS},
                  "next_at": next_at, "active": True}
        if row is None:
            row = RecurringSeries.create(task=task_id, created_by=agent.id, created_at=moment,
                                         **values)
            changes = {name: (None, value) for name, value in values.items()
                       if value not in (None, False)}
            audit.record(ENTITY, row.id, agent, changes, 1, "series.created",
                         {"task_id": task_id}, at=moment)
        else:
            current = {name: getattr(row, name) for name in values}
            changes = versions.effective_changes(
                ENTITY, row.id, row.version if version is None else version, row.version,
                current, values)
            if changes:
                new_version = versions.bump(RecurringSeries, row.id, row.version, ENTITY,
                                            {name: new for name, (_, new) in changes.items()})
                audit.record(ENTITY, row.id, agent, changes, new_version, "series.updated",
                             {"task_id": task_id}, at=moment)
    return _view(RecurringSeries.get_by_id(row.id))


def upcoming(task_id: int, spec: SeriesSpec, tz: tzinfo, *, calendar: Calendar,
             now: datetime | None = None, count: int = 5) -> list[datetime]:
    """The next `count` dates the series would have if set now, from the next_at `set_series`
    would store (aware, in `tz`; working days those of `calendar`); for the recurrence
    editor and `desk recur`. Raises what set_series would raise for the spec."""
    moment = stored(now) or utcnow()
    task = _task(task_id)
    spec = _complete(spec, task, tz, moment)
    row = RecurringSeries.select().where(RecurringSeries.task == task_id).first()
    first = _first_next(spec, task, row, tz, calendar, moment)
    return preview(spec, first or moment, count, tz, calendar=calendar)


def _complete(spec: SeriesSpec, task: Task, zone: tzinfo, now: datetime) -> SeriesSpec:
    """The spec checked, with its start (default: `default_start`, to the minute)."""
    spec = checked(spec)
    if spec.mode == "new" and task.kind == "order":
        raise InvalidInput("an order repeats by reopening the same task, not as a copy: tick "
                           "\"Reopen this same task\" (desk recur --mode reopen)")
    start = spec.starts_at or stored(default_start(task.id, to_local(now, zone)))
    return replace(spec, starts_at=start.replace(second=0, microsecond=0))


def _first_next(spec: SeriesSpec, task: Task, row: RecurringSeries | None, zone: tzinfo,
                calendar: Calendar, now: datetime) -> datetime | None:
    """The first next_at of a series being set (see set_series); None while an anchor on
    completion waits for the previous occurrence. InvalidInput when no date is left."""
    schedule = schedule_of(spec, zone, calendar)
    previous = (previous_task(row, task.id, spec.mode) if row is not None
                else task if spec.mode == "reopen" else None)
    if spec.anchor == "completion" and previous is not None:
        if previous.closed_at is None:
            return None
        found = schedule.after_completion(previous.closed_at, last_occurrence(row))
    else:
        floor = max(spec.starts_at, now)
        if spec.mode == "reopen" and task.due_at is not None and task.due_at >= floor:
            found = next(schedule.dates(task.due_at, inclusive=False), None)
        else:
            found = next(schedule.dates(floor), None)
    if found is None:
        raise InvalidInput(f"the rule {spec.rule} has no date left after "
                           f"{to_local(now, zone):%Y-%m-%d %H:%M}: check its start, until "
                           "and count")
    return found


def series_for(task_id: int) -> SeriesView | None:
    """The task's series (active or stopped), or None."""
    row = RecurringSeries.select().where(RecurringSeries.task == task_id).first()
    return None if row is None else _view(row)


def _view(row: RecurringSeries) -> SeriesView:
    """The view of a stored series."""
    occurrences = Occurrence.select().where(Occurrence.series == row.id).count()
    return SeriesView(
        id=row.id, task_id=row.task_id, rule=row.rule, anchor=row.anchor, mode=row.mode,
        skip_weekends=row.skip_weekends, skip_if_open=row.skip_if_open,
        catch_up=row.catch_up, starts_at=row.starts_at, until=row.until, count=row.count,
        next_at=row.next_at, active=row.active, version=row.version, occurrences=occurrences)


def stop_series(agent: AgentRef, task_id: int) -> SeriesView:
    """Stop the task's series: no more occurrences (its history stays). NotFound when the
    task has no series; stopping a stopped series changes nothing."""
    require_writer(agent)
    with database.atomic():
        row = locking(RecurringSeries.select()
                               .where(RecurringSeries.task == task_id)).first()
        if row is None:
            raise NotFound(f"task {task_id} does not recur")
        if row.active:
            advance(row, agent, None, active=False, event="series.stopped")
    return _view(RecurringSeries.get_by_id(row.id))


# --- shared with the generator -----------------------------------------------------------


def advance(row: RecurringSeries, agent: AgentRef | None, next_at: datetime | None, *,
            active: bool, event: str = "series.advanced") -> None:
    """Store the series' next_at and active flag (a new version) with its activity."""
    changes = {name: (getattr(row, name), value) for name, value in
               (("next_at", next_at), ("active", active)) if getattr(row, name) != value}
    if not changes:
        return
    new_version = versions.bump(RecurringSeries, row.id, row.version, ENTITY,
                                {"next_at": next_at, "active": active})
    audit.record(ENTITY, row.id, agent, changes, new_version, event, {"task_id": row.task_id})


def previous_task(row: RecurringSeries, task_id: int, mode: str) -> Task | None:
    """The previous occurrence's task: the newest occurrence's, or in mode reopen the
    series' task itself; None before the first occurrence of mode new."""
    if mode == "reopen":
        return Task.get_by_id(task_id)
    return (Task.select().join(Occurrence, on=Occurrence.task == Task.id)
            .where(Occurrence.series == row.id)
            .order_by(Occurrence.occurs_at.desc()).first())


def last_occurrence(row: RecurringSeries | None) -> datetime | None:
    """When the series' newest occurrence fell, or None."""
    if row is None:
        return None
    return (Occurrence.select(Occurrence.occurs_at).where(Occurrence.series == row.id)
            .order_by(Occurrence.occurs_at.desc()).scalar())


def stored_schedule(row: RecurringSeries, zone: tzinfo, calendar: Calendar) -> Schedule:
    """The Schedule of a stored series, on the business `calendar`."""
    return Schedule(row.rule, row.starts_at, zone, calendar, row.skip_weekends, row.until,
                    row.count)


def locked(series_id: int) -> RecurringSeries:
    """The series row, locked for this transaction."""
    return versions.load_for_update(RecurringSeries, series_id, ENTITY)
