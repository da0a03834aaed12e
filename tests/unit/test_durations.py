"""Tests for desk.durations: the one reader of time spent, and how minutes are shown."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desk import durations
from desk.errors import InvalidInput


@pytest.mark.parametrize(("text", "minutes"), [
    ("1h30", 90), ("1h 30m", 90), ("1H30MIN", 90), ("45m", 45), ("45 min", 45),
    ("1.5h", 90), ("1,25h", 75), ("0.1h", 6), ("90", 90), ("1:30", 90), ("2h", 120),
    ("2 hours", 120), ("  3h  ", 180), ("24h", 1440),
])
def test_durations_typed_naturally_are_read_as_minutes(text, minutes):
    assert durations.parse_minutes(text) == minutes


@pytest.mark.parametrize(("text", "message"), [
    ("1x", "'1x' is not a duration: try 1h30 or 45m"),
    ("", "'' is not a duration: try 1h30 or 45m"),
    ("h", "'h' is not a duration: try 1h30 or 45m"),
    ("1.5h30", "'1.5h30' is not a duration: try 1h30 or 45m"),
    ("1:75", "'1:75' is not a duration: try 1h30 or 45m"),
    ("-5m", "'-5m' is not a duration: try 1h30 or 45m"),
    ("0", "'0' is no time at all: try 1h30 or 45m"),
    ("0h0", "'0h0' is no time at all: try 1h30 or 45m"),
    ("24h1", "'24h1' is more than a day: log each day on its own"),
])
def test_anything_else_is_refused_with_the_forms_to_try(text, message):
    with pytest.raises(InvalidInput) as refused:
        durations.parse_minutes(text)
    assert str(refused.value) == message


@pytest.mark.parametrize(("minutes", "shown"), [
    (45, "45m"), (60, "1h"), (90, "1h30"), (125, "2h05"), (-15, "-15m"),
    (0, "0m"),
])
def test_minutes_are_shown_as_people_type_them(minutes, shown):
    assert durations.spoken(minutes) == shown
    if minutes > 0:
        assert durations.parse_minutes(shown) == minutes


def test_hours_have_two_decimals():
    assert durations.hours(90) == Decimal("1.50")
    assert durations.hours(20) == Decimal("0.33")
