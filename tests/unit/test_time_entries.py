"""Tests for desk.work.time: the timer, entries by hand, corrections, and estimates against
the time spent rolled up through subtasks."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from peewee import IntegrityError

from desk.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Event, TimeEntry, database
from desk.work import tasks, workspace
from desk.work.time import entries, estimates

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 18, 10, 30, tzinfo=BERLIN)


@pytest.fixture
def list_id(admin) -> int:
    """A list to put tasks on."""
    workspace.create_space(admin, "Work")
    return workspace.create_list(admin, "Work", "Projects").id


@pytest.fixture
def task_id(admin, list_id) -> int:
    """A task estimated at two hours."""
    return tasks.create(admin, "Redesign", list_id, estimate_minutes=120).row.id


def test_a_timer_runs_until_stopped_and_becomes_an_entry_of_its_minutes(admin, task_id):
    timer, stopped = entries.start(admin, task_id, NOW)
    assert stopped is None and timer.minutes is None and timer.day == date(2026, 11, 18)
    assert entries.running(admin.id) == timer  # read again, as after a restart
    entry = entries.stop(admin, NOW + timedelta(minutes=95, seconds=40))
    assert (entry.id, entry.minutes, entry.day, entry.billable) == (timer.id, 95, NOW.date(),
                                                                    True)
    assert entries.running(admin.id) is None
    kinds = [kind for (kind,) in Event.select(Event.kind).where(Event.entity == "time_entry")
             .order_by(Event.id).tuples()]
    assert kinds == ["time.started", "time.logged"]


def test_starting_on_another_task_stops_the_running_timer(admin, list_id, task_id):
    other = tasks.create(admin, "Other", list_id).row.id
    entries.start(admin, task_id, NOW)
    timer, stopped = entries.start(admin, other, NOW + timedelta(minutes=30))
    assert (stopped.task_id, stopped.minutes) == (task_id, 30)
    assert entries.running(admin.id) == timer and timer.task_id == other
    again, none = entries.start(admin, other, NOW + timedelta(minutes=40))
    assert again == timer and none is None


def test_the_database_keeps_one_running_timer_per_agent(admin, task_id):
    entries.start(admin, task_id, NOW)
    with pytest.raises(IntegrityError), database.atomic():
        TimeEntry.create(task=task_id, agent=admin.id, day=NOW.date())


def test_a_timer_stopped_within_a_minute_logs_nothing(admin, task_id):
    entries.start(admin, task_id, NOW)
    assert entries.stop(admin, NOW + timedelta(seconds=59)) is None
    assert TimeEntry.select().count() == 0
    with pytest.raises(InvalidInput, match="no timer is running"):
        entries.stop(admin, NOW)


def test_a_timer_started_before_midnight_counts_on_the_local_day_it_started(admin, task_id):
    late = datetime(2026, 3, 28, 23, 30, tzinfo=BERLIN)  # the night before summer time
    entries.start(admin, task_id, late)
    entry = entries.stop(admin, datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN))
    assert entry.day == date(2026, 3, 28)
    assert entry.minutes == 180  # 23:30 CET to 03:30 CEST is three hours, not four


def test_time_logged_by_hand_and_corrected_at_a_version(admin, task_id):
    entry = entries.log(admin, task_id, 90, NOW, day=date(2026, 11, 16), note="calls",
                        billable=False)
    assert (entry.minutes, entry.day, entry.note, entry.billable) == (
        90, date(2026, 11, 16), "calls", False)
    fixed = entries.correct(admin, entry.id, entry.version, minutes=60, billable=True)
    assert (fixed.minutes, fixed.billable, fixed.note, fixed.version) == (60, True, "calls", 2)
    history = (Activity.select(Activity.field, Activity.old, Activity.new)
               .where((Activity.entity == "time_entry") & (Activity.version == 2))
               .order_by(Activity.field).tuples())
    assert list(history) == [("billable", "no", "yes"), ("minutes", "90", "60")]
    with pytest.raises(ConflictError):
        entries.correct(admin, entry.id, entry.version, minutes=30)
    assert entries.for_task(task_id)[0].minutes == 60


def test_deleting_an_entry_names_the_version_read(admin, task_id):
    entry = entries.log(admin, task_id, 30, NOW)
    entries.correct(admin, entry.id, entry.version, note="moved")
    with pytest.raises(ConflictError):
        entries.delete(admin, entry.id, entry.version)
    entries.delete(admin, entry.id, entry.version + 1)
    assert entries.for_task(task_id) == []
    with pytest.raises(NotFound):
        entries.delete(admin, entry.id, None)


@pytest.mark.parametrize(("minutes", "note", "message"), [
    (0, "", "0 minutes is not a duration"), (1441, "", "1441 minutes"),
    (10, "a\x00b", "a note cannot contain a NUL"),
])
def test_bad_entries_are_refused_and_nothing_is_written(admin, task_id, minutes, note, message):
    with pytest.raises(InvalidInput, match=message):
        entries.log(admin, task_id, minutes, NOW, note=note)
    with pytest.raises(NotFound, match="no task 999"):
        entries.log(admin, 999, 10, NOW)
    assert TimeEntry.select().count() == 0


def test_viewers_track_no_time(admin, task_id):
    vera = agents.add(admin, "vera", role="viewer")
    with pytest.raises(PermissionDenied):
        entries.start(vera, task_id, NOW)
    with pytest.raises(PermissionDenied):
        entries.log(vera, task_id, 10, NOW)
    assert TimeEntry.select().count() == 0


def test_estimates_and_time_roll_up_through_subtasks(admin, list_id, task_id):
    child = tasks.create(admin, "Mockups", list_id, parent_id=task_id,
                         estimate_minutes=60).row.id
    grandchild = tasks.create(admin, "Icons", list_id, parent_id=child).row.id
    entries.log(admin, task_id, 30, NOW)
    entries.log(admin, child, 45, NOW)
    entries.log(admin, grandchild, 120, NOW)
    entries.start(admin, grandchild, NOW)  # running: not counted yet
    found = estimates.figures(task_id)
    assert (found.estimate, found.spent, found.total_estimate, found.total_spent) == (
        120, 30, 180, 195)
    assert found.remaining == -15
    alone = estimates.figures(grandchild)
    assert (alone.estimate, alone.total_estimate, alone.remaining, alone.total_spent) == (
        None, None, None, 120)


def test_the_task_screen_shows_time_against_the_estimate_and_the_newest_entries(
        admin, list_id, task_id):
    from desk.pages import task as task_page
    from desk.screens.renderers.task_time_lines import time_lines

    child = tasks.create(admin, "Mockups", list_id, parent_id=task_id,
                         estimate_minutes=60).row.id
    for day in range(1, 8):
        entries.log(admin, task_id, 15, NOW, day=date(2026, 11, day), note=f"day {day}")
    entries.log(admin, child, 90, NOW, billable=False, note="\x1b[2J[b]x[/b]")
    page = task_page.load(task_id)
    lines = [(label, value.plain) for label, value in time_lines(page.time)]
    assert lines[:3] == [("Time spent", "1h45 of 2h (15m left)"),
                         ("With subtasks", "3h15 of 3h (15m over)"),
                         ("", f"2026-11-07     15m {admin.username} day 7")]
    assert lines[-1] == ("", "… 2 more entries") and len(lines) == 8
    child_lines = [(label, value.plain) for label, value in
                   time_lines(task_page.load(child).time)]
    assert child_lines[0] == ("Time spent", "1h30 of 1h (30m over)")
    assert child_lines[1][1].endswith("not billable " + admin.username + " ␛[2J[b]x[/b]")
