"""Time entries: start and stop an agent's timer, log, correct and delete entries.

Every write checks the agent's role from the database, runs in one transaction, and records
an audit row and an event on the entry (entity "time_entry", its task in the event's data).
An agent has at most one running timer (an entry without minutes; the database's partial
unique index holds it): starting one on another task stops the running one first. `now` is an
aware datetime in the workspace's time zone; an entry's day is its local date.
"""

from __future__ import annotations

from datetime import date, datetime

from msgspec import Struct
from peewee import JOIN

from desk import durations
from desk.clock import stored, to_local
from desk.dialect import locking
from desk.errors import ConflictError, InvalidInput, NotFound
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import storable_text
from desk.models import Agent, Task, TimeEntry, database

NOTE_LIMIT = 1000
"""The longest note an entry keeps."""
ENTITY = "time_entry"


class EntryRow(Struct, frozen=True):
    """One time entry as the task screen and the CLI show it; `minutes` is None while it is
    a running timer."""

    id: int
    task_id: int
    task: str
    agent: str
    day: date
    minutes: int | None
    billable: bool
    note: str
    started_at: datetime | None
    version: int


def start(agent: AgentRef, task_id: int, now: datetime) -> tuple[EntryRow, EntryRow | None]:
    """Start the agent's timer on a task; returns it and the entry of the timer this stopped
    (None when none ran). Starting again on the task whose timer runs changes nothing."""
    require_writer(agent)
    with database.atomic():
        _task(task_id)
        current = _running(agent.id)
        if current is not None and current.task_id == task_id:
            return _row(current.id), None
        stopped = _stop(agent, current, now) if current is not None else None
        entry = TimeEntry.create(task=task_id, agent=agent.id, started_at=stored(now),
                                 day=now.date(), created_at=stored(now))
        audit.record(ENTITY, entry.id, agent, {"timer": (None, "started")}, 1, "time.started",
                     {"task_id": task_id}, at=stored(now))
    return _row(entry.id), stopped


def stop(agent: AgentRef, now: datetime) -> EntryRow | None:
    """Stop the agent's timer: it becomes an entry of the minutes it ran (on the day it
    started), or goes when it ran under a minute (None). InvalidInput when none runs."""
    require_writer(agent)
    with database.atomic():
        current = _running(agent.id)
        if current is None:
            raise InvalidInput("no timer is running: start one with desk time start TASK")
        return _stop(agent, current, now)


def running(agent_id: int) -> EntryRow | None:
    """The agent's running timer, or None."""
    found = TimeEntry.get_or_none((TimeEntry.agent == agent_id) & TimeEntry.minutes.is_null())
    return _row(found.id) if found else None


def log(agent: AgentRef, task_id: int, minutes: int, now: datetime, *, day: date | None = None,
        note: str = "", billable: bool = True) -> EntryRow:
    """Add an entry by hand: `minutes` spent on the task on `day` (default: today)."""
    require_writer(agent)
    _check(minutes, note)
    with database.atomic():
        _task(task_id)
        entry = TimeEntry.create(task=task_id, agent=agent.id, minutes=minutes,
                                 billable=billable, note=note, day=day or now.date(),
                                 created_at=stored(now))
        audit.record(ENTITY, entry.id, agent,
                     {"minutes": (None, minutes), "day": (None, entry.day),
                      "billable": (None, billable), "note": (None, note or None)},
                     1, "time.logged", {"task_id": task_id}, at=stored(now))
    return _row(entry.id)


def correct(agent: AgentRef, entry_id: int, read_version: int | None, *,
            minutes: int | None = None, day: date | None = None, note: str | None = None,
            billable: bool | None = None) -> EntryRow:
    """Change an entry's minutes, day, note or billable flag (None: as it is) at the version
    the person read; a running timer is stopped, not corrected."""
    require_writer(agent)
    wanted = {name: value for name, value in
              (("minutes", minutes), ("day", day), ("note", note), ("billable", billable))
              if value is not None}
    _check(minutes or 1, note or "")
    with database.atomic():
        entry = versions.load_for_update(TimeEntry, entry_id, "time entry")
        if entry.minutes is None:
            raise InvalidInput(f"time entry {entry_id} is a running timer: stop it first")
        versions.save(TimeEntry, entry, read_version, ENTITY, agent, "time.corrected", wanted)
    return _row(entry_id)


def delete(agent: AgentRef, entry_id: int, read_version: int | None) -> None:
    """Delete an entry (or discard a running timer) at the version the person read."""
    require_writer(agent)
    with database.atomic():
        entry = versions.load_for_update(TimeEntry, entry_id, "time entry")
        if read_version is not None and read_version != entry.version:
            raise ConflictError(ENTITY, entry_id, {}, entry.version)
        audit.record(ENTITY, entry_id, agent,
                     {"minutes": (entry.minutes, None), "day": (entry.day, None)},
                     entry.version + 1, "time.deleted", {"task_id": entry.task_id})
        entry.delete_instance()


def get(entry_id: int) -> EntryRow:
    """One entry; NotFound for an unknown number."""
    if not TimeEntry.select().where(TimeEntry.id == entry_id).exists():
        raise NotFound(f"no time entry {entry_id}")
    return _row(entry_id)


def for_task(task_id: int) -> list[EntryRow]:
    """A task's entries, newest day first, its running timers included."""
    return [_as_row(row) for row in _rows().where(TimeEntry.task == task_id)
            .order_by(TimeEntry.day.desc(), TimeEntry.id.desc()).tuples()]


def _stop(agent: AgentRef, entry: TimeEntry, now: datetime) -> EntryRow | None:
    """Turn the running `entry` into minutes (or delete it under a minute), audited."""
    elapsed = int((stored(now) - entry.started_at).total_seconds() // 60)
    if elapsed < 1:
        entry.delete_instance()
        audit.record(ENTITY, entry.id, agent, {"timer": ("started", "discarded")}, None,
                     "time.discarded", {"task_id": entry.task_id}, at=stored(now))
        return None
    day = to_local(entry.started_at, now.tzinfo).date()
    version = versions.bump(TimeEntry, entry.id, entry.version, ENTITY,
                            {"minutes": elapsed, "day": day})
    audit.record(ENTITY, entry.id, agent, {"minutes": (None, elapsed), "day": (entry.day, day)},
                 version, "time.logged", {"task_id": entry.task_id}, at=stored(now))
    return _row(entry.id)


def _running(agent_id: int) -> TimeEntry | None:
    """The agent's running timer, locked for the transaction."""
    return locking(TimeEntry.select().where(
        (TimeEntry.agent == agent_id) & TimeEntry.minutes.is_null())).first()


def _task(task_id: int) -> None:
    """NotFound unless the task exists."""
    if not Task.select().where(Task.id == task_id).exists():
        raise NotFound(f"no task {task_id}")


def _check(minutes: int, note: str) -> None:
    """InvalidInput for minutes out of range or a note that cannot be stored."""
    if not 0 < minutes <= durations.MAX_MINUTES:
        raise InvalidInput(f"{minutes} minutes is not a duration to log: "
                           f"more than none and at most {durations.MAX_MINUTES}")
    storable_text(note, "a note")
    if len(note) > NOTE_LIMIT:
        raise InvalidInput(f"a note has at most {NOTE_LIMIT} characters")


def _rows():
    """The SELECT an EntryRow is read from."""
    return (TimeEntry.select(TimeEntry.id, TimeEntry.task, Task.title, Agent.username,
                             TimeEntry.day, TimeEntry.minutes, TimeEntry.billable,
                             TimeEntry.note, TimeEntry.started_at, TimeEntry.version)
            .join(Task, on=TimeEntry.task == Task.id)
            .join(Agent, JOIN.LEFT_OUTER, on=TimeEntry.agent == Agent.id))


def _as_row(values: tuple) -> EntryRow:
    """An EntryRow from a tuple of `_rows`."""
    entry_id, task_id, title, username, *rest = values
    return EntryRow(entry_id, task_id, title, username or "", *rest)


def _row(entry_id: int) -> EntryRow:
    """The entry as a row."""
    return _as_row(_rows().where(TimeEntry.id == entry_id).tuples().get())
