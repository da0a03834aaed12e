"""The stored urgency score: each inbox task's score kept in `task.urgency_rank` (negated,
so the inbox's order is one ascending index walk), current as tasks change and as the clock
moves.

Migration 0029 adds the score and `urgency_until`, the moment the stored score stops
holding, and triggers that make a task due in the statement of every write that changes
what the score reads, by setting `urgency_until` to its `inbox_at`: due at once in the
inbox, when it enters from outside, never when it never enters. `refresh` scores the due
tasks at a moment (all in the inbox; the partial index on `urgency_until` finds them), in
batches, and stores when each is due again:

- while its SLA term or its age term is on its ramp (the deadline within `sla_horizon` of
  the moment, or younger than `age_full`): RESCORE_EVERY later, so while the background
  work runs a moving score is never much older (at the shipped weights some 0.03 points a
  minute);
- while its deadline is more than `sla_horizon` away and its age is full: when the deadline
  comes within the horizon, the next moment its score moves;
- otherwise never (NULL): nothing but a write changes its score.

A task that leaves the inbox does so by a write (assigned, snoozed, done: its `inbox_at`
or `closed_at` changes), which makes it due again when (if ever) it comes back; so a task
outside the inbox is never scored, and a snoozed one (`is:snoozed`) ranks by the score it
had when it left.

The settings the scores were computed with are stored too (the `urgency_basis` row of
`meta`): a change of the weights, the ramps or sla.pause_while_waiting makes the inbox due
once. The inbox's score order calls `refresh` before it reads a page for the tasks a write
made due (one probe of the index when there are none), so a change ranks at once; the
background work (every minute in the app, 5 s after it starts, and in `desk tick`) also
rescores the scores the clock moved (some 7,600 at 1M tasks: 0.4 s), which the page leaves
alone so that its first page stays a few milliseconds. Rescoring is derived data, like
`inbox_at`: it writes no version, audit row or change notice. A role that may not write (a
viewer in the postgres identity mode) reads the scores as they are.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import msgspec
from peewee import ProgrammingError

from desk.clock import stored
from desk.config import UrgencySettings
from desk.dates import parse_duration
from desk.dialect import as_moment, epoch, epoch_of, rows_statement, run_rows, serialize
from desk.models import Meta, Task, database
from desk.support import urgency

RESCORE_EVERY = timedelta(minutes=1)
"""How old a moving score may grow before it is computed again."""
BATCH = 5_000
"""Tasks rescored per transaction."""
ROWS_PER_STATEMENT = 500
"""Scores stored per UPDATE statement. SQLite holds a whole statement's parse in memory:
rescoring 7,400 tasks at a million grew the process by 10.5 MiB in statements of 5,000
rows and by 2.8 MiB in statements of 500, in the same time (some 150 ms; on PostgreSQL
0.8-1.0 s either way)."""
SERIAL_KEY = "urgency_store"
"""The key rescoring transactions take turns on (PostgreSQL; SQLite's writers always do)."""
BASIS_KEY = "urgency_basis"
"""The `meta` row that holds the settings the stored scores were computed with."""


def basis(settings: UrgencySettings, pause_while_waiting: bool) -> str:
    """The settings a score is computed with, as the text `meta` stores."""
    return json.dumps({"urgency": msgspec.to_builtins(settings),
                       "pause_while_waiting": pause_while_waiting}, sort_keys=True)


def refresh(settings: UrgencySettings, now: datetime, *, pause_while_waiting: bool = True,
            clock: bool = True) -> int:
    """Score every task whose stored score is due at `now` (the whole inbox once after a
    change of `settings` or `pause_while_waiting`), in batches of BATCH per transaction;
    how many were scored. Without `clock`, only those a write or entering the inbox made
    due, not those the clock moved (what a page does: the background work keeps those).
    A database role that may not write tasks (a viewer's in the postgres identity mode)
    scores nothing."""
    moment = stored(now)
    wanted = basis(settings, pause_while_waiting)
    due = (Task.closed_at.is_null(), Task.urgency_until <= moment,
           *(() if clock else (Task.urgency_until == Task.inbox_at,)))
    if _stored_basis() == wanted and not Task.select().where(*due).exists():
        return 0
    try:
        with database.atomic():
            serialize(SERIAL_KEY)
            if (old := _stored_basis()) != wanted:
                _rescore_all(old, wanted, moment)
        done = 0
        while True:
            with database.atomic():
                serialize(SERIAL_KEY)  # a second rescorer waits, then finds these done
                count = _rescore(due, settings, moment, pause_while_waiting)
            done += count
            if count < BATCH:
                return done
    except ProgrammingError as error:  # PostgreSQL: a role that may not write tasks
        if "permission denied" not in str(error):
            raise
        return 0


def _stored_basis() -> str | None:
    """The settings the stored scores were computed with (None: not yet)."""
    return Meta.select(Meta.value).where(Meta.key == BASIS_KEY).scalar()


def _rescore_all(old: str | None, wanted: str, moment: datetime) -> None:
    """Make the inbox at `moment` due, unless no score was stored yet (`old` None: every
    task is due or outside the inbox already), and store `wanted` as the scores' basis."""
    if old is not None:
        (Task.update(urgency_until=Task.inbox_at)
         .where(Task.closed_at.is_null(), Task.inbox_at <= moment).execute())
    (Meta.insert(key=BASIS_KEY, value=wanted)
     .on_conflict(conflict_target=[Meta.key], update={Meta.value: wanted}).execute())


def _rescore(due: tuple, settings: UrgencySettings, moment: datetime,
             pause_while_waiting: bool) -> int:
    """Store the score at `moment` of up to BATCH tasks that meet the conditions `due`, and
    when each is due next (never before `moment`: a batch is not taken twice)."""
    horizon = parse_duration(settings.sla_horizon).total_seconds()
    age_full = parse_duration(settings.age_full).total_seconds()
    now = epoch(moment)
    query = (urgency.joined(Task.select(
        Task.id, urgency.expression(settings, moment, pause_while_waiting=pause_while_waiting),
        urgency.deadline_seconds(pause_while_waiting), epoch_of(Task.created_at)))
        .where(*due).limit(BATCH))
    rows = []
    for task_id, score, deadline, created in database.execute(query).fetchall():
        until = _next_move(now, deadline, created, horizon, age_full)
        rows.append((-score, None if until is None else moment + timedelta(
            seconds=until - now), task_id))
    # a statement of many rows: on PostgreSQL 5,000 single-row updates cost 20% more
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        chunk = rows[start:start + ROWS_PER_STATEMENT]
        run_rows(rows_statement(
            "UPDATE task SET urgency_rank = scored.column1, "
            f"urgency_until = {as_moment('scored.column2')} FROM (", 3, len(chunk),
            ") AS scored WHERE task.id = scored.column3"),
            [value for row in chunk for value in row])
    return len(rows)


def _next_move(now: float, deadline: float, created: float, horizon: float,
               age_full: float) -> float | None:
    """When (seconds since 1970) a score computed at `now` is due again: soon while a clock
    term moves, when the deadline comes within the horizon, or never (None)."""
    has_deadline = deadline < urgency.NEVER
    if now - created < age_full or (has_deadline and abs(deadline - now) < horizon):
        return now + RESCORE_EVERY.total_seconds()
    if has_deadline and deadline - horizon > now:
        return deadline - horizon
    return None
