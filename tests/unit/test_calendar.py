"""One business calendar for the SLA clocks, automation due dates and recurring series, and
settings that travel with each call: a holiday in the config moves all three alike, and two
workspaces with different configs in one process keep their own rules.

November 2026: Friday the 27th, Monday the 30th (the month's last day). London is on UTC in
November, so stored times read as London wall time.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desk import sla
from desk.automation.rules import due_moment
from desk.clock import stored
from desk.config import parse_settings
from desk.models import Occurrence, QueryData, Task
from desk.recurrence import series as recurrence
from desk.recurrence.series import SeriesSpec, preview
from desk.recurrence.tick import generate
from desk.work import tasks, workspace

LONDON = ZoneInfo("Europe/London")
OFFICE = "timezone: Europe/London\n"
OFFICE_CLOSED_ON_THE_30TH = OFFICE + "calendar:\n  holidays: [2026-11-30]\n"
FRIDAY_4PM = datetime(2026, 11, 27, 16, 0)  # stored UTC = London time


def london(*parts: int) -> datetime:
    """A wall-clock moment in London."""
    return datetime(*parts, tzinfo=LONDON)


@pytest.mark.parametrize("config, next_working_day, last_working_day", [
    (OFFICE, datetime(2026, 11, 30), datetime(2026, 11, 30)),
    (OFFICE_CLOSED_ON_THE_30TH, datetime(2026, 12, 1), datetime(2026, 11, 27)),
])
def test_a_holiday_moves_sla_due_times_automation_due_dates_and_recurrences_alike(
        config, next_working_day, last_working_day):
    rules = sla.book(parse_settings(config))
    # a standard query (first response in 1d = 8h30 of business time) on Friday at 16:00:
    # 1h30 on Friday, the other 7h on the next working day
    first_response, _ = rules.dues(FRIDAY_4PM, 3, None)
    assert first_response == next_working_day.replace(hour=16)
    # an automation's "+1 business days" from Friday: the end of the next working day
    due = due_moment("+1 business days", london(2026, 11, 27, 16), rules.calendar)
    assert due == london(*next_working_day.timetuple()[:3], 23, 59, 59)
    # "monthly on last working day" in November
    spec = SeriesSpec("monthly on last working day", starts_at=london(2026, 11, 1, 9))
    [first] = preview(spec, london(2026, 11, 1), 1, LONDON, calendar=rules.calendar)
    assert first == london(*last_working_day.timetuple()[:3], 9)


def test_recurring_work_falls_on_the_calendars_working_days():
    calendar = parse_settings(
        OFFICE + "calendar:\n  days: [sun, mon, tue, wed, thu]\n"
                 "  holidays: [2026-12-31, 2026-12-06]\n").business_calendar()
    start = london(2026, 11, 1, 9)  # a Sunday

    def dates(rule: str, count: int, first: datetime = start, **options) -> list[str]:
        spec = SeriesSpec(rule, starts_at=first, **options)
        return [f"{moment:%a %d %b}" for moment in
                preview(spec, first, count, LONDON, calendar=calendar)]

    # Friday and Saturday are the weekend; 6 December and 31 December are holidays
    assert dates("monthly on last working day", 2) == ["Mon 30 Nov", "Wed 30 Dec"]
    assert dates("monthly on first working day", 2) == ["Sun 01 Nov", "Tue 01 Dec"]
    assert dates("monthly on second working day", 2) == ["Mon 02 Nov", "Wed 02 Dec"]
    assert dates("every weekday", 6, london(2026, 12, 3, 9)) == [
        "Thu 03 Dec", "Mon 07 Dec", "Tue 08 Dec", "Wed 09 Dec", "Thu 10 Dec", "Sun 13 Dec"]
    assert dates("monthly on 6", 2, skip_weekends=True) == ["Sun 08 Nov", "Mon 07 Dec"]


def test_the_generator_creates_the_last_working_day_before_a_holiday(admin):
    rules = sla.book(parse_settings(OFFICE_CLOSED_ON_THE_30TH))
    workspace.create_space(admin, "Billing")
    list_id = workspace.create_list(admin, "Billing", "Billing").id
    task_id = tasks.create(admin, "Close the books", list_id).row.id
    view = recurrence.set_series(admin, task_id, SeriesSpec("monthly on last working day"),
                                 LONDON, calendar=rules.calendar, now=london(2026, 11, 2, 12))
    assert view.next_at == stored(london(2026, 11, 27, 9))

    report = generate(london(2026, 11, 27, 9, 5), LONDON, sla_rules=rules)

    [copy] = report.task_ids
    assert Task.get_by_id(copy).due_at == stored(london(2026, 11, 27, 9))
    assert Occurrence.get(Occurrence.task == copy).occurs_at == stored(london(2026, 11, 27, 9))
    assert recurrence.series_for(task_id).next_at == stored(london(2026, 12, 31, 9))


def test_two_cli_runs_with_different_configs_in_one_process_keep_their_own_rules(
        db_url, db, admin, run_desk, tmp_path):
    workspace.create_space(admin, "Support")
    workspace.create_list(admin, "Support", "Support inbox")
    around_the_clock = ("calendar:\n  days: [mon, tue, wed, thu, fri, sat, sun]\n"
                        "  hours: '00:00-24:00'\n")
    fast, slow = tmp_path / "fast.yaml", tmp_path / "slow.yaml"
    policy = "sla:\n  policies:\n    - {name: only, first_response: %s}\n"
    fast.write_text(around_the_clock + policy % "1h")
    slow.write_text(around_the_clock + policy % "3h")

    def first_response_within(config) -> timedelta:
        """Add a query through `desk add` with `config`; how long its first reply may take."""
        status, out, _ = run_desk("--db", db_url, "--config", str(config), "add", "Printer",
                                  "--list", "Support inbox", "--kind", "query", "--format",
                                  "json")
        assert status == 0
        [record] = json.loads(out)
        task = Task.get_by_id(record["id"])
        return QueryData.get_by_id(task.id).first_response_due - task.created_at

    assert [first_response_within(config) for config in (fast, slow, fast)] == [
        timedelta(hours=1), timedelta(hours=3), timedelta(hours=1)]
