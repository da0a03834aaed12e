"""Business-hours arithmetic: nights, weekends, holidays, the year end, starts outside the
working hours, and days on which daylight saving time starts or ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from desk import business_hours
from desk.business_hours import Calendar, Span, add, between
from desk.config import parse_settings

LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = frozenset(range(5))
UK_HOLIDAYS = frozenset({date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)})
OFFICE = Calendar(LONDON, WEEKDAYS, time(9), time(17, 30), UK_HOLIDAYS)
BERLIN_OFFICE = Calendar(BERLIN, WEEKDAYS, time(9), time(17, 30))
AROUND_THE_CLOCK = Calendar(BERLIN, frozenset(range(7)), time(0), None)


def london(*parts: int) -> datetime:
    """A wall-clock moment in London."""
    return datetime(*parts, tzinfo=LONDON)


def berlin(*parts: int) -> datetime:
    """A wall-clock moment in Berlin."""
    return datetime(*parts, tzinfo=BERLIN)


# --- adding business time ------------------------------------------------------------------


@pytest.mark.parametrize("start, amount, expected", [
    # within one working day (Wednesday)
    (london(2026, 11, 18, 10, 0), timedelta(hours=2), london(2026, 11, 18, 12, 0)),
    # over the night: one hour on Wednesday, one on Thursday
    (london(2026, 11, 18, 16, 30), timedelta(hours=2), london(2026, 11, 19, 10, 0)),
    # to the minute of closing, not the next opening
    (london(2026, 11, 18, 9, 0), timedelta(hours=8, minutes=30), london(2026, 11, 18, 17, 30)),
    # over the weekend: Friday 17:00 plus an hour is Monday 09:30
    (london(2026, 11, 20, 17, 0), timedelta(hours=1), london(2026, 11, 23, 9, 30)),
    # starting on a Saturday, before opening, after closing
    (london(2026, 11, 21, 12, 0), timedelta(hours=1), london(2026, 11, 23, 10, 0)),
    (london(2026, 11, 23, 7, 0), timedelta(minutes=30), london(2026, 11, 23, 9, 30)),
    (london(2026, 11, 18, 20, 0), timedelta(hours=1), london(2026, 11, 19, 10, 0)),
    # Christmas Eve: 1h30 that day, Christmas, the weekend and the 28th off, 7h on the 29th
    (london(2026, 12, 24, 16, 0), timedelta(hours=8, minutes=30), london(2026, 12, 29, 16, 0)),
    # the year end: 2h30 on New Year's Eve, New Year's Day off, the rest on Monday 4 January
    (london(2026, 12, 31, 15, 0), timedelta(hours=8, minutes=30), london(2027, 1, 4, 15, 0)),
    # three working days and a bit
    (london(2026, 11, 19, 11, 0), timedelta(hours=26), london(2026, 11, 24, 11, 30)),
])
def test_add(start, amount, expected):
    result = add(OFFICE, start, amount)
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()  # in the calendar's zone
    assert between(OFFICE, start, result) == amount


def test_add_over_the_spring_change_keeps_the_wall_clock():
    # Friday 27 March 2026, 17:00 CET is 16:00 UTC; Monday 30 March 09:30 CEST is 07:30 UTC.
    # Stepping by 24-hour days from Friday would land at 08:30 UTC.
    start = datetime(2026, 3, 27, 16, 0)  # naive: stored UTC
    assert add(BERLIN_OFFICE, start, timedelta(hours=1)) == datetime(2026, 3, 30, 7, 30)
    assert between(BERLIN_OFFICE, start, datetime(2026, 3, 30, 7, 30)) == timedelta(hours=1)


def test_add_over_the_autumn_change_keeps_the_wall_clock():
    # Friday 23 October 2026, 17:00 CEST (15:00 UTC) + 1h = Monday 26 October 09:30 CET
    # (08:30 UTC).
    start = berlin(2026, 10, 23, 17, 0)
    assert add(BERLIN_OFFICE, start, timedelta(hours=1)) == berlin(2026, 10, 26, 9, 30)
    assert add(BERLIN_OFFICE, start, timedelta(hours=1)).astimezone(UTC) == datetime(
        2026, 10, 26, 8, 30, tzinfo=UTC)


def test_around_the_clock_the_spring_day_has_23_hours_and_the_autumn_day_25():
    assert between(AROUND_THE_CLOCK, berlin(2026, 3, 29), berlin(2026, 3, 30)) == timedelta(
        hours=23)
    assert between(AROUND_THE_CLOCK, berlin(2026, 10, 25), berlin(2026, 10, 26)) == timedelta(
        hours=25)
    # a day of elapsed time from Saturday noon ends at 13:00 on the short Sunday
    assert add(AROUND_THE_CLOCK, berlin(2026, 3, 28, 12), timedelta(hours=24)) == berlin(
        2026, 3, 29, 13)


def test_working_hours_across_the_changed_hour_count_what_the_clock_shows():
    # Sundays 01:00-05:00 in Berlin: on 29 March 02:00-03:00 does not exist, on 25 October
    # it happens twice.
    night = Calendar(BERLIN, frozenset({6}), time(1), time(5))
    assert between(night, berlin(2026, 3, 29), berlin(2026, 3, 29, 23)) == timedelta(hours=3)
    assert between(night, berlin(2026, 10, 25), berlin(2026, 10, 25, 23)) == timedelta(hours=5)


def test_naive_moments_are_stored_utc_and_come_back_so():
    # Wednesday 18 November 2026, 16:30 UTC is 16:30 in London (GMT).
    assert add(OFFICE, datetime(2026, 11, 18, 16, 30), timedelta(hours=2)) == datetime(
        2026, 11, 19, 10, 0)


def test_adding_nothing_is_the_start_itself_and_a_negative_amount_is_refused():
    saturday = london(2026, 11, 21, 12, 0)
    assert add(OFFICE, saturday, timedelta(0)) == saturday
    with pytest.raises(ValueError, match="negative"):
        add(OFFICE, saturday, timedelta(minutes=-1))


# --- measuring business time ---------------------------------------------------------------


def test_between_counts_only_working_hours_and_is_negative_backwards():
    friday, monday = london(2026, 11, 20, 17, 0), london(2026, 11, 23, 9, 30)
    assert between(OFFICE, friday, monday) == timedelta(hours=1)
    assert between(OFFICE, monday, friday) == timedelta(hours=-1)
    assert between(OFFICE, london(2026, 11, 21, 8), london(2026, 11, 22, 20)) == timedelta(0)
    assert between(OFFICE, london(2026, 12, 24, 9), london(2026, 12, 29, 9)) == timedelta(
        hours=8, minutes=30)


def test_between_over_a_whole_year():
    # 2026 has 261 weekdays (52 weeks and a Thursday)
    assert between(BERLIN_OFFICE, berlin(2026, 1, 1), berlin(2027, 1, 1)) == 261 * timedelta(
        hours=8, minutes=30)


# --- whole working days ---------------------------------------------------------------------


@pytest.mark.parametrize("start, count, expected", [
    (date(2026, 11, 18), 3, date(2026, 11, 23)),  # Wednesday -> Monday
    (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday -> Monday
    (date(2026, 11, 21), 1, date(2026, 11, 23)),  # Saturday -> Monday
    (date(2026, 11, 18), 5, date(2026, 11, 25)),  # a whole working week
    (date(2026, 11, 18), 0, date(2026, 11, 18)),
    (date(2026, 12, 24), 1, date(2026, 12, 29)),  # Christmas, the weekend and the 28th off
    (date(2026, 11, 23), -1, date(2026, 11, 20)),  # Monday -> the Friday before
    (date(2027, 1, 1), -1, date(2026, 12, 31)),  # the last working day of December
    (date(2026, 12, 29), -2, date(2026, 12, 23)),
])
def test_adding_working_days_skips_weekends_and_holidays(start, count, expected):
    assert OFFICE.add_working_days(start, count) == expected


def test_working_days_are_the_working_weekdays_without_the_holidays():
    assert OFFICE.is_working_day(date(2026, 12, 24))
    assert not OFFICE.is_working_day(date(2026, 12, 25))  # a Friday, a holiday
    assert not OFFICE.is_working_day(date(2026, 12, 26))  # a Saturday
    assert AROUND_THE_CLOCK.is_working_day(date(2026, 12, 26))


# --- lengths, hours and the calendar from the config ---------------------------------------


def test_spans_count_working_days_and_weeks():
    assert business_hours.parse_span("1h30min") == Span(minutes=90)
    assert business_hours.parse_span(" 2D ") == Span(days=2)
    assert OFFICE.length(business_hours.parse_span("1d")) == timedelta(hours=8, minutes=30)
    assert OFFICE.length(business_hours.parse_span("1w 2h")) == timedelta(hours=44, minutes=30)
    assert AROUND_THE_CLOCK.length(Span(days=1)) == timedelta(hours=24)


@pytest.mark.parametrize("text, message", [
    ("soon", "cannot read 'soon' as a length of business time"),
    ("3 months", "cannot read"),
    ("0h", "no time at all"),
])
def test_bad_spans(text, message):
    with pytest.raises(ValueError, match=message):
        business_hours.parse_span(text)


def test_hours():
    assert business_hours.parse_hours("09:00-17:30") == (time(9), time(17, 30))
    assert business_hours.parse_hours("00:00 - 24:00") == (time(0), None)


@pytest.mark.parametrize("text, message", [
    ("9-5", "write them like 09:00-17:30"),
    ("17:00-09:00", "must close after they open"),
    ("24:00-24:00", "24:00 can only close a day"),
    ("08:00-24:30", "24:00 can only close a day"),
])
def test_bad_hours(text, message):
    with pytest.raises(ValueError, match=message):
        business_hours.parse_hours(text)


def test_a_calendar_needs_a_working_day():
    with pytest.raises(ValueError, match="at least one working day"):
        Calendar(LONDON, frozenset(), time(9), time(17))


def test_the_calendar_of_the_config():
    settings = parse_settings(
        "timezone: Europe/Berlin\n"
        "calendar:\n"
        "  days: [mon, tue, wed, thu, fri, sat]\n"
        "  hours: '08:00-16:00'\n"
        "  holidays: [2026-12-25]\n")
    assert settings.business_calendar() == Calendar(
        BERLIN, frozenset(range(6)), time(8), time(16), frozenset({date(2026, 12, 25)}))
    own_zone = parse_settings("timezone: Europe/Berlin\ncalendar:\n  timezone: Europe/London\n")
    assert own_zone.business_calendar().zone == LONDON
