"""Tests for natural date, date range and duration parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desk.dates import FORMS, parse_due, parse_duration, parse_range, parse_when, spoken
from desk.errors import InvalidInput

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 18, 10, 30, tzinfo=BERLIN)  # a Wednesday


def berlin(*parts: int) -> datetime:
    """A wall time in Berlin."""
    return datetime(*parts, tzinfo=BERLIN)


def when_error(text: str, now: datetime = NOW) -> str:
    """The message of the InvalidInput that parse_when raises for `text`."""
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, now)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("today", berlin(2026, 11, 18)),
        ("tomorrow", berlin(2026, 11, 19)),
        ("yesterday", berlin(2026, 11, 17)),
        ("  ToDay ", berlin(2026, 11, 18)),
        ("+3d", berlin(2026, 11, 21)),
        ("3d", berlin(2026, 11, 21)),
        ("-2d", berlin(2026, 11, 16)),
        ("+0d", berlin(2026, 11, 18)),
        ("+1w", berlin(2026, 11, 25)),
        ("-1w", berlin(2026, 11, 11)),
        ("+2m", berlin(2027, 1, 18)),
        ("-11m", berlin(2025, 12, 18)),
        ("+3D", berlin(2026, 11, 21)),
        ("+4h", berlin(2026, 11, 18, 14, 30)),
        ("4h", berlin(2026, 11, 18, 14, 30)),
        ("+30min", berlin(2026, 11, 18, 11, 0)),
        ("-90min", berlin(2026, 11, 18, 9, 0)),
        ("+24h", berlin(2026, 11, 19, 10, 30)),
        ("thu", berlin(2026, 11, 19)),
        ("fri", berlin(2026, 11, 20)),
        ("Friday", berlin(2026, 11, 20)),
        ("sat", berlin(2026, 11, 21)),
        ("sunday", berlin(2026, 11, 22)),
        ("mon", berlin(2026, 11, 23)),
        ("tuesday", berlin(2026, 11, 24)),
        ("wed", berlin(2026, 11, 25)),
        ("eow", berlin(2026, 11, 22, 23, 59, 59)),
        ("EOM", berlin(2026, 11, 30, 23, 59, 59)),
        ("2026-12-01", berlin(2026, 12, 1)),
        ("2026-12-01 14:00", berlin(2026, 12, 1, 14, 0)),
        ("2026-12-01T14:00", berlin(2026, 12, 1, 14, 0)),
        ("2026-12-01t14:00:30", berlin(2026, 12, 1, 14, 0, 30)),
        ("2026-12-01T14:00Z", berlin(2026, 12, 1, 15, 0)),
        ("2026-12-01T14:00+05:00", berlin(2026, 12, 1, 10, 0)),
        ("2026-12-01  14:00", berlin(2026, 12, 1, 14, 0)),
        # the forms typed naturally (issue 16): a day and a clock time, phrases, month days
        ("fri 15:00", berlin(2026, 11, 20, 15, 0)),
        ("Fri at 3pm", berlin(2026, 11, 20, 15, 0)),
        ("tomorrow 9:00", berlin(2026, 11, 19, 9, 0)),
        ("mon 9:00", berlin(2026, 11, 23, 9, 0)),
        ("tomorrow 12am", berlin(2026, 11, 19, 0, 0)),
        ("wed 12pm", berlin(2026, 11, 25, 12, 0)),
        ("15:00", berlin(2026, 11, 18, 15, 0)),
        ("9am", berlin(2026, 11, 18, 9, 0)),
        ("next friday", berlin(2026, 11, 20)),
        ("next week", berlin(2026, 11, 23)),
        ("this month", berlin(2026, 11, 1)),
        ("in 3 days", berlin(2026, 11, 21)),
        ("in 1 week", berlin(2026, 11, 25)),
        ("in 2 months", berlin(2027, 1, 18)),
        ("in 2 hours", berlin(2026, 11, 18, 12, 30)),
        ("in 45 minutes", berlin(2026, 11, 18, 11, 15)),
        ("eod", berlin(2026, 11, 18, 23, 59, 59)),
        ("end of day", berlin(2026, 11, 18, 23, 59, 59)),
        ("dec 24", berlin(2026, 12, 24)),
        ("24 December", berlin(2026, 12, 24)),
        ("nov 18", berlin(2026, 11, 18)),
        ("nov 17", berlin(2027, 11, 17)),
        ("dec 24 2027", berlin(2027, 12, 24)),
        ("dec 24 10:30", berlin(2026, 12, 24, 10, 30)),
        ("2026-12-01 9am", berlin(2026, 12, 1, 9, 0)),
    ],
)
def test_parse_when_forms(text: str, expected: datetime):
    result = parse_when(text, NOW)
    assert result == expected
    assert result.tzinfo is BERLIN


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        (berlin(2026, 1, 31, 9), "+1m", berlin(2026, 2, 28)),
        (berlin(2028, 1, 31, 9), "+1m", berlin(2028, 2, 29)),
        (berlin(2026, 3, 31, 9), "-1m", berlin(2026, 2, 28)),
        (berlin(2026, 8, 31, 9), "+1m", berlin(2026, 9, 30)),
        (berlin(2026, 12, 31, 9), "+1d", berlin(2027, 1, 1)),
        (berlin(2028, 2, 10, 9), "eom", berlin(2028, 2, 29, 23, 59, 59)),
        (berlin(2026, 12, 5, 9), "eom", berlin(2026, 12, 31, 23, 59, 59)),
        (berlin(2026, 11, 22, 9), "eow", berlin(2026, 11, 22, 23, 59, 59)),
        (berlin(2026, 11, 23, 9), "eow", berlin(2026, 11, 29, 23, 59, 59)),
        (berlin(2026, 11, 22, 9), "sun", berlin(2026, 11, 29)),
    ],
)
def test_month_ends_week_ends_and_weekdays(now: datetime, text: str, expected: datetime):
    assert parse_when(text, now) == expected


def test_days_across_the_spring_clock_change_stay_at_local_midnight():
    now = berlin(2026, 3, 28, 10)
    next_day = parse_when("+1d", now)
    day_after = parse_when("+2d", now)
    assert next_day == berlin(2026, 3, 29)
    assert next_day.utcoffset() == timedelta(hours=1)
    assert day_after == berlin(2026, 3, 30)
    assert day_after.utcoffset() == timedelta(hours=2)
    assert parse_when("tomorrow", now) == next_day


def test_hours_across_the_clock_change_are_elapsed_time():
    now = berlin(2026, 3, 29, 0, 30)
    later = parse_when("+4h", now)
    assert later.astimezone(UTC) - now.astimezone(UTC) == timedelta(hours=4)
    assert (later.hour, later.utcoffset()) == (5, timedelta(hours=2))


def test_a_skipped_wall_time_moves_forward_and_a_repeated_one_takes_the_first():
    skipped = parse_when("2026-03-29 02:30", NOW)
    repeated = parse_when("2026-10-25 02:30", NOW)
    assert (skipped.hour, skipped.minute, skipped.utcoffset()) == (3, 30, timedelta(hours=2))
    assert (repeated.hour, repeated.utcoffset()) == (2, timedelta(hours=2))


def test_answers_are_in_the_time_zone_of_now():
    new_york = ZoneInfo("America/New_York")
    now = NOW.astimezone(new_york)  # 04:30 the same day in New York
    assert parse_when("today", now) == datetime(2026, 11, 18, tzinfo=new_york)
    assert parse_when("2026-12-01 14:00", now) == datetime(2026, 12, 1, 14, tzinfo=new_york)


def test_naive_now_is_a_programming_error():
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_when("today", datetime(2026, 11, 18))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "frday",
        "next fortnight",
        "in 3 parsecs",
        "3 decembre",
        "fri 15",
        "dec",
        "+3x",
        "++3d",
        "3.5d",
        "d",
        "+",
        "thurs",
        "2026-12-1",
        "01.12.2026",
        "2026-12-01 14",
        "2026-12-01X14:00",
        "1700000000",
        "٣d",
    ],
)
def test_parse_when_refuses_anything_else(text: str):
    hint = f"try {FORMS}"
    assert when_error(text) == f"cannot read {text.strip()!r} as a date; {hint}"


def test_bad_date_message_names_the_text_as_typed():
    assert when_error("  Frday ") == (
        "cannot read 'Frday' as a date; try fri 15:00, tomorrow 9:00, in 3 days, dec 24, "
        "next week, eod or 2026-12-01 14:00"
    )


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "2026-12-01 25:00", "+99999999d",
                                  "feb 30", "fri 24:00", "13pm", "tomorrow 0am"])
def test_dates_outside_the_calendar_are_refused(text: str):
    assert when_error(text) == f"{text!r} is out of range for a date"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("today", berlin(2026, 11, 18), berlin(2026, 11, 19)),
        ("Tomorrow", berlin(2026, 11, 19), berlin(2026, 11, 20)),
        ("yesterday", berlin(2026, 11, 17), berlin(2026, 11, 18)),
        ("week", berlin(2026, 11, 16), berlin(2026, 11, 23)),
        ("nextweek", berlin(2026, 11, 23), berlin(2026, 11, 30)),
        ("lastweek", berlin(2026, 11, 9), berlin(2026, 11, 16)),
        ("month", berlin(2026, 11, 1), berlin(2026, 12, 1)),
        ("nextmonth", berlin(2026, 12, 1), berlin(2027, 1, 1)),
        ("lastmonth", berlin(2026, 10, 1), berlin(2026, 11, 1)),
        ("fri", berlin(2026, 11, 20), berlin(2026, 11, 21)),
        ("+3d", berlin(2026, 11, 21), berlin(2026, 11, 22)),
        ("-1w", berlin(2026, 11, 11), berlin(2026, 11, 12)),
        ("2026-12-01", berlin(2026, 12, 1), berlin(2026, 12, 2)),
    ],
)
def test_parse_range_forms(text: str, start: datetime, end: datetime):
    assert parse_range(text, NOW) == (start, end)


@pytest.mark.parametrize(
    ("now", "text", "start", "end"),
    [
        (berlin(2026, 11, 22, 23), "week", berlin(2026, 11, 16), berlin(2026, 11, 23)),
        (berlin(2026, 11, 23, 0), "week", berlin(2026, 11, 23), berlin(2026, 11, 30)),
        (berlin(2026, 12, 31, 9), "week", berlin(2026, 12, 28), berlin(2027, 1, 4)),
        (berlin(2026, 12, 31, 9), "nextmonth", berlin(2027, 1, 1), berlin(2027, 2, 1)),
        (berlin(2026, 1, 31, 9), "nextmonth", berlin(2026, 2, 1), berlin(2026, 3, 1)),
        (berlin(2026, 1, 15, 9), "lastmonth", berlin(2025, 12, 1), berlin(2026, 1, 1)),
    ],
)
def test_parse_range_at_boundaries(now: datetime, text: str, start: datetime, end: datetime):
    assert parse_range(text, now) == (start, end)


def test_a_range_across_the_clock_change_is_bounded_by_local_midnights():
    start, end = parse_range("week", berlin(2026, 3, 25, 12))
    assert (start.utcoffset(), end.utcoffset()) == (timedelta(hours=1), timedelta(hours=2))
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(days=7, hours=-1)


@pytest.mark.parametrize("text", ["now", "+4h", "-30min", "eow", "eom", "2026-12-01 14:00", "wk",
                                  "fri 15:00", "eod", "in 2 hours"])
def test_parse_range_refuses_moments_and_unknown_words(text: str):
    with pytest.raises(InvalidInput) as caught:
        parse_range(text, NOW)
    hint = "try today, fri, dec 24, next week, month or 2026-12-01"
    assert str(caught.value) == f"cannot read {text!r} as a date range; {hint}"


def test_parse_range_refuses_dates_outside_the_calendar():
    with pytest.raises(InvalidInput, match="'2026-02-30' is out of range for a date range"):
        parse_range("2026-02-30", NOW)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30min", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("1w", timedelta(weeks=1)),
        ("1h30min", timedelta(hours=1, minutes=30)),
        (" 1H 30MIN ", timedelta(hours=1, minutes=30)),
        ("1w2d", timedelta(days=9)),
        ("0min", timedelta()),
    ],
)
def test_parse_duration_forms(text: str, expected: timedelta):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "3m", "+2h", "-1h", "1.5h", "h", "2 hours", "1h30", "abc"])
def test_parse_duration_refuses_anything_else(text: str):
    with pytest.raises(InvalidInput) as caught:
        parse_duration(text)
    hint = "try 30min, 2h, 3d, 1w or 1h30min"
    assert str(caught.value) == f"cannot read {text.strip()!r} as a duration; {hint}"


def test_parse_duration_refuses_lengths_beyond_timedelta():
    with pytest.raises(InvalidInput, match="'9999999999w' is out of range for a duration"):
        parse_duration("9999999999w")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fri 15:00", berlin(2026, 11, 20, 15, 0)),
        ("fri", berlin(2026, 11, 20, 23, 59, 59)),
        ("dec 24", berlin(2026, 12, 24, 23, 59, 59)),
        ("next week", berlin(2026, 11, 29, 23, 59, 59)),
        ("in 3 days", berlin(2026, 11, 21, 23, 59, 59)),
        ("eod", berlin(2026, 11, 18, 23, 59, 59)),
        ("in 2 hours", berlin(2026, 11, 18, 12, 30)),
    ],
)
def test_a_due_day_ends_at_its_last_second_and_a_moment_is_kept(text: str, expected: datetime):
    assert parse_due(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("next week", berlin(2026, 11, 23), berlin(2026, 11, 30)),
        ("dec 24", berlin(2026, 12, 24), berlin(2026, 12, 25)),
        ("in 3 days", berlin(2026, 11, 21), berlin(2026, 11, 22)),
    ],
)
def test_the_phrases_are_ranges_too(text: str, start: datetime, end: datetime):
    assert parse_range(text, NOW) == (start, end)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (berlin(2026, 12, 11, 15, 0), "Fri 11 Dec 15:00"),
        (berlin(2026, 11, 20, 23, 59, 59), "Fri 20 Nov end of day"),
        (berlin(2027, 1, 4, 9, 5), "Mon 4 Jan 2027 09:05"),
        (datetime(2026, 12, 11, 14, 0, tzinfo=UTC), "Fri 11 Dec 15:00"),
    ],
)
def test_a_moment_is_spoken_in_the_zone_of_now_with_the_year_only_when_another(
        moment: datetime, expected: str):
    assert spoken(moment, NOW) == expected
