"""Recurring series: rule text, the dates a series falls on, and setting, reading and stopping
a task's series. The generator is tested in test_tick.py.

Times are fixed (Europe/Berlin); tests with the `db` fixture run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from desk.clock import stored
from desk.config import Settings
from desk.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Event, RecurringSeries, Task
from desk.recurrence import series as recurrence
from desk.recurrence.rules import rule_from_text
from desk.recurrence.series import SeriesSpec, preview
from desk.work import tasks, workspace

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = Settings().business_calendar()  # Monday to Friday, no holidays


def at(*parts: int) -> datetime:
    """A Berlin wall time."""
    return datetime(*parts, tzinfo=BERLIN)


def set_series(agent, task_id: int, spec: SeriesSpec, **options) -> recurrence.SeriesView:
    """recurrence.set_series in Berlin, on the office calendar."""
    return recurrence.set_series(agent, task_id, spec, BERLIN, calendar=OFFICE, **options)


def dates(rule: str, start: datetime, shown: int = 5, after: datetime | None = None,
          **options) -> list[str]:
    """The first `shown` previewed dates as "Mon 2026-01-05 09:00 CET" strings."""
    spec = SeriesSpec(rule, starts_at=start, **options)
    return [f"{moment:%a %Y-%m-%d %H:%M %Z}"
            for moment in preview(spec, after or start, shown, BERLIN, calendar=OFFICE)]


# --- rule text -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "rule"), [
    ("daily", "FREQ=DAILY"),
    ("every day", "FREQ=DAILY"),
    ("every 2 days", "FREQ=DAILY;INTERVAL=2"),
    ("every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("weekly", "FREQ=WEEKLY"),
    ("weekly on mon,wed", "FREQ=WEEKLY;BYDAY=MO,WE"),
    ("Weekly on Wednesday and Monday", "FREQ=WEEKLY;BYDAY=MO,WE"),
    ("every mon, thu", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ("every 2 weeks on fri", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
    ("every other week on tue", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
    ("monthly on 1", "FREQ=MONTHLY;BYMONTHDAY=1"),
    ("monthly on the 1st and 15th", "FREQ=MONTHLY;BYMONTHDAY=1,15"),
    ("monthly on 31", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ("monthly on 30", "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"),
    ("monthly on last day", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ("monthly on last working day", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"),
    ("monthly on first working day", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1"),
    ("monthly on 2nd tue", "FREQ=MONTHLY;BYDAY=2TU"),
    ("monthly on last fri", "FREQ=MONTHLY;BYDAY=-1FR"),
    ("every 3 months on 15", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"),
    ("yearly", "FREQ=YEARLY"),
    ("yearly on 03-15", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"),
    ("yearly on 02-29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1"),
    ("weekly on fri at 16:30", "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=30"),
    ("FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;BYDAY=MO,WE"),
    ("RRULE:freq=monthly; bysetpos=-1; byday=mo,tu,we,th,fr",
     "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"),
])
def test_rule_text_is_normalised(text, rule):
    assert rule_from_text(text) == rule
    assert rule_from_text(rule) == rule  # the normalised form reads back as itself


@pytest.mark.parametrize(("text", "named"), [
    ("fortnightly", "'fortnightly'"),
    ("every 2 fortnights", "'fortnights'"),
    ("weekly on funday", "'funday'"),
    ("weekly on mon!", "'mon!'"),
    ("daily on mon", "'on'"),
    ("daily at 25:00", "'25:00'"),
    ("monthly on 32", "'32'"),
    ("monthly on 15,30", "day 29 or 30"),
    ("yearly on 02-30", "'02-30'"),
    ("every 0 days", "every 0"),
    ("", "cannot be empty"),
    ("FREQ=WEEKLI", "FREQ=WEEKLI"),
    ("FREQ=HOURLY", "FREQ=HOURLY"),
    ("FREQ=DAILY;FOO=1", "'FOO=1'"),
    ("FREQ=WEEKLY;BYDAY=XX", "BYDAY"),
    ("FREQ=MONTHLY;BYMONTHDAY=40", "BYMONTHDAY=40"),
    ("FREQ=WEEKLY;COUNT=3", "COUNT"),
    ("FREQ=WEEKLY;UNTIL=20270101", "UNTIL"),
    ("BYDAY=MO", "needs a FREQ"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never gives a date"),
])
def test_a_bad_rule_names_the_bad_word(text, named):
    with pytest.raises(InvalidInput) as caught:
        rule_from_text(text)
    assert named in str(caught.value)


# --- the dates of a series -----------------------------------------------------------------


def test_daily_and_every_n_days():
    assert dates("daily", at(2026, 1, 1, 9), 3) == [
        "Thu 2026-01-01 09:00 CET", "Fri 2026-01-02 09:00 CET", "Sat 2026-01-03 09:00 CET"]
    assert dates("every 3 days", at(2026, 1, 1, 9), 3) == [
        "Thu 2026-01-01 09:00 CET", "Sun 2026-01-04 09:00 CET", "Wed 2026-01-07 09:00 CET"]


def test_weekly_on_chosen_days_and_every_two_weeks():
    assert dates("weekly on mon,wed", at(2026, 1, 1, 9), 4) == [
        "Mon 2026-01-05 09:00 CET", "Wed 2026-01-07 09:00 CET", "Mon 2026-01-12 09:00 CET",
        "Wed 2026-01-14 09:00 CET"]
    assert dates("every 2 weeks on fri", at(2026, 1, 2, 16), 3) == [
        "Fri 2026-01-02 16:00 CET", "Fri 2026-01-16 16:00 CET", "Fri 2026-01-30 16:00 CET"]


def test_monthly_on_a_day_and_the_last_working_day():
    assert dates("monthly on 15", at(2026, 1, 1, 9), 2) == [
        "Thu 2026-01-15 09:00 CET", "Sun 2026-02-15 09:00 CET"]
    # January 2026 ends on a Saturday, May on a Sunday: the Friday before.
    assert dates("monthly on last working day", at(2026, 1, 1, 9), 5) == [
        "Fri 2026-01-30 09:00 CET", "Fri 2026-02-27 09:00 CET", "Tue 2026-03-31 09:00 CEST",
        "Thu 2026-04-30 09:00 CEST", "Fri 2026-05-29 09:00 CEST"]


def test_month_ends_fall_on_the_last_day_in_friendly_forms():
    assert dates("monthly on 31", at(2026, 1, 31, 9), 4) == [
        "Sat 2026-01-31 09:00 CET", "Sat 2026-02-28 09:00 CET", "Tue 2026-03-31 09:00 CEST",
        "Thu 2026-04-30 09:00 CEST"]
    assert dates("monthly on 30", at(2028, 1, 30, 9), 3) == [
        "Sun 2028-01-30 09:00 CET", "Tue 2028-02-29 09:00 CET", "Thu 2028-03-30 09:00 CEST"]


def test_raw_rrule_skips_months_without_the_day():
    assert dates("FREQ=MONTHLY;BYMONTHDAY=31", at(2026, 1, 31, 9), 3) == [
        "Sat 2026-01-31 09:00 CET", "Tue 2026-03-31 09:00 CEST", "Sun 2026-05-31 09:00 CEST"]


def test_yearly_and_leap_days():
    assert dates("yearly on 03-15", at(2026, 1, 1, 9), 2) == [
        "Sun 2026-03-15 09:00 CET", "Mon 2027-03-15 09:00 CET"]
    # The friendly form keeps a yearly 29 February on the 28th in common years...
    assert dates("yearly on 02-29", at(2028, 1, 1, 9), 3) == [
        "Tue 2028-02-29 09:00 CET", "Wed 2029-02-28 09:00 CET", "Thu 2030-02-28 09:00 CET"]
    # ...while plain "yearly" from a leap day follows RFC 5545: leap years only.
    assert dates("yearly", at(2028, 2, 29, 9), 2) == [
        "Tue 2028-02-29 09:00 CET", "Sun 2032-02-29 09:00 CET"]


def test_nine_stays_nine_across_both_daylight_saving_changes():
    spring = dates("daily", at(2026, 3, 28, 9), 3)
    assert spring == ["Sat 2026-03-28 09:00 CET", "Sun 2026-03-29 09:00 CEST",
                      "Mon 2026-03-30 09:00 CEST"]
    autumn = dates("weekly on sun", at(2026, 10, 18, 9), 2)
    assert autumn == ["Sun 2026-10-18 09:00 CEST", "Sun 2026-10-25 09:00 CET"]
    moments = preview(SeriesSpec("daily", starts_at=at(2026, 3, 28, 9)), at(2026, 3, 28), 2,
                      BERLIN, calendar=OFFICE)
    assert [stored(m).hour for m in moments] == [8, 7]  # UTC moves, local time does not


def test_a_wall_time_the_clock_skips_moves_forward_by_the_gap():
    assert dates("daily", at(2026, 3, 28, 2, 30), 3) == [
        "Sat 2026-03-28 02:30 CET", "Sun 2026-03-29 03:30 CEST", "Mon 2026-03-30 02:30 CEST"]


def test_skip_weekends_moves_to_monday_and_merges_daily_dates():
    # 1 August 2026 is a Saturday, 1 November a Sunday.
    assert dates("monthly on 1", at(2026, 7, 1, 9), 5, skip_weekends=True) == [
        "Wed 2026-07-01 09:00 CEST", "Mon 2026-08-03 09:00 CEST", "Tue 2026-09-01 09:00 CEST",
        "Thu 2026-10-01 09:00 CEST", "Mon 2026-11-02 09:00 CET"]
    assert dates("daily", at(2026, 1, 1, 9), 4, skip_weekends=True) == [
        "Thu 2026-01-01 09:00 CET", "Fri 2026-01-02 09:00 CET", "Mon 2026-01-05 09:00 CET",
        "Tue 2026-01-06 09:00 CET"]


def test_until_and_count_end_the_dates():
    assert dates("daily", at(2026, 1, 1, 9), 9, until=at(2026, 1, 3, 23, 59)) == [
        "Thu 2026-01-01 09:00 CET", "Fri 2026-01-02 09:00 CET", "Sat 2026-01-03 09:00 CET"]
    assert dates("weekly", at(2026, 1, 1, 9), 9, count=2) == [
        "Thu 2026-01-01 09:00 CET", "Thu 2026-01-08 09:00 CET"]
    # count counts from the start, also when the preview begins later
    assert dates("weekly", at(2026, 1, 1, 9), 9, count=3, after=at(2026, 1, 10)) == [
        "Thu 2026-01-15 09:00 CET"]


def test_preview_begins_after_the_given_moment():
    assert dates("daily", at(2026, 1, 1, 9), 2, after=at(2026, 1, 10, 9, 1)) == [
        "Sun 2026-01-11 09:00 CET", "Mon 2026-01-12 09:00 CET"]


@pytest.mark.parametrize(("options", "message"), [
    ({"anchor": "due"}, "anchor must be one of schedule, completion"),
    ({"mode": "copy"}, "mode must be one of new, reopen"),
    ({"catch_up": "none"}, "catch_up must be one of latest, all"),
    ({"count": 0}, "count must be a whole number of at least 1"),
    ({"until": at(2025, 12, 31)}, r"cannot end \(until\) before it starts"),
])
def test_bad_options_are_refused(options, message):
    with pytest.raises(InvalidInput, match=message):
        preview(SeriesSpec("daily", starts_at=at(2026, 1, 1, 9), **options), at(2026, 1, 1),
                calendar=OFFICE)


# --- a task's series -----------------------------------------------------------------------


@pytest.fixture
def task_id(admin) -> int:
    """A task due Friday 2026-01-09 17:00 Berlin on Ops/Duties."""
    workspace.create_space(admin, "Ops")
    duties = workspace.create_list(admin, "Ops", "Duties")
    return tasks.create(admin, "Weekly report", duties.id, due_at=at(2026, 1, 9, 17)).row.id


def series_events() -> list[tuple[str, dict]]:
    """The series events in order, with their data."""
    return [(e.kind, json.loads(e.data)) for e in
            Event.select().where(Event.entity == "series").order_by(Event.id)]


def test_set_series_stores_it_with_its_first_date_and_history(admin, task_id):
    view = set_series(admin, task_id, SeriesSpec("weekly on fri"),
                      now=at(2026, 1, 6, 12))
    # Starts today at the task's due time of day; the first date from now on is Friday.
    assert view.starts_at == stored(at(2026, 1, 6, 17))
    assert view.next_at == stored(at(2026, 1, 9, 17))
    assert (view.rule, view.anchor, view.mode, view.active, view.version) == (
        "FREQ=WEEKLY;BYDAY=FR", "schedule", "new", True, 1)
    assert recurrence.series_for(task_id) == view
    [(kind, data)] = series_events()
    assert kind == "series.created" and data["task_id"] == task_id
    fields = {row.field: row.new for row in Activity.select().where(Activity.entity == "series")}
    assert fields["rule"] == "FREQ=WEEKLY;BYDAY=FR" and fields["next_at"].startswith(
        "2026-01-09 16:00")


def test_a_task_without_due_date_recurs_at_nine(admin, task_id):
    Task.update(due_at=None).where(Task.id == task_id).execute()
    view = set_series(admin, task_id, SeriesSpec("daily"),
                      now=at(2026, 1, 6, 12))
    assert view.next_at == stored(at(2026, 1, 7, 9))


def test_setting_again_replaces_the_series_and_records_what_changed(admin, task_id):
    first = set_series(admin, task_id, SeriesSpec("weekly on fri"),
                       now=at(2026, 1, 6, 12))
    second = set_series(
        admin, task_id, SeriesSpec("monthly on 1", skip_weekends=True,
                                   starts_at=first.starts_at), now=at(2026, 1, 6, 12))
    assert second.id == first.id and second.version == 2
    assert RecurringSeries.select().count() == 1
    # 1 February 2026 is a Sunday: Monday the 2nd.
    assert second.next_at == stored(at(2026, 2, 2, 17))
    assert [kind for kind, _ in series_events()] == ["series.created", "series.updated"]
    changed = {row.field for row in Activity.select().where((Activity.entity == "series")
                                                            & (Activity.version == 2))}
    assert changed == {"rule", "skip_weekends", "next_at"}


def test_a_stale_version_conflicts_on_the_fields_saved_since(admin, task_id):
    first = set_series(admin, task_id, SeriesSpec("weekly on fri"),
                       now=at(2026, 1, 6, 12))
    set_series(admin, task_id, SeriesSpec("weekly on mon"),
               now=at(2026, 1, 6, 12), version=first.version)
    with pytest.raises(ConflictError):
        set_series(admin, task_id, SeriesSpec("weekly on tue"),
                   now=at(2026, 1, 6, 12), version=first.version)
    assert recurrence.series_for(task_id).rule == "FREQ=WEEKLY;BYDAY=MO"


def test_stop_makes_it_inactive_once(admin, task_id):
    set_series(admin, task_id, SeriesSpec("daily"), now=at(2026, 1, 6, 12))
    stopped = recurrence.stop_series(admin, task_id)
    assert (stopped.active, stopped.next_at, stopped.version) == (False, None, 2)
    assert recurrence.stop_series(admin, task_id).version == 2
    assert [kind for kind, _ in series_events()] == ["series.created", "series.stopped"]
    again = set_series(admin, task_id, SeriesSpec("daily"),
                       now=at(2026, 1, 6, 12))
    assert again.active and again.next_at == stored(at(2026, 1, 6, 17))


def test_reopen_mode_starts_after_the_current_due_date(admin, task_id):
    view = set_series(admin, task_id, SeriesSpec("daily", mode="reopen"),
                      now=at(2026, 1, 6, 12))
    assert view.next_at == stored(at(2026, 1, 10, 17))


def test_completion_anchor_waits_while_the_task_of_reopen_mode_is_open(admin, task_id):
    view = set_series(
        admin, task_id, SeriesSpec("daily", mode="reopen", anchor="completion"),
        now=at(2026, 1, 6, 12))
    assert view.active and view.next_at is None


def test_bad_series_change_nothing(admin, task_id):
    now = at(2026, 1, 6, 12)
    with pytest.raises(InvalidInput, match="'fortnightly'"):
        set_series(admin, task_id, SeriesSpec("fortnightly"), now=now)
    with pytest.raises(InvalidInput, match="no date left"):
        set_series(admin, task_id, SeriesSpec("daily", until=at(2026, 1, 2)),
                   now=now)
    with pytest.raises(NotFound):
        set_series(admin, 999, SeriesSpec("daily"), now=now)
    with pytest.raises(NotFound):
        recurrence.stop_series(admin, task_id)
    viewer = agents.add(admin, "vic", role="viewer")
    with pytest.raises(PermissionDenied):
        set_series(viewer, task_id, SeriesSpec("daily"), now=now)
    assert recurrence.series_for(task_id) is None
    assert not Event.select().where(Event.entity == "series").exists()


def test_start_from_text_takes_the_due_time_of_day_for_a_day(admin, task_id):
    now = at(2026, 1, 6, 12)
    assert recurrence.start_from_text("2026-02-02", task_id, now) == at(2026, 2, 2, 17)
    assert recurrence.start_from_text("fri", task_id, now) == at(2026, 1, 9, 17)
    assert recurrence.start_from_text("2026-02-02 08:15", task_id, now) == at(2026, 2, 2, 8, 15)
    with pytest.raises(InvalidInput):
        recurrence.start_from_text("someday", task_id, now)


def test_upcoming_shows_what_set_series_would_store_and_saves_nothing(admin, task_id):
    now = at(2026, 1, 6, 12)
    spec = SeriesSpec("daily", mode="reopen")
    upcoming = recurrence.upcoming(task_id, spec, BERLIN, calendar=OFFICE, now=now,
                                   count=2)
    assert upcoming == [at(2026, 1, 10, 17), at(2026, 1, 11, 17)]  # after the current due
    assert recurrence.series_for(task_id) is None
    assert set_series(admin, task_id, spec, now=now).next_at == stored(
        upcoming[0])
