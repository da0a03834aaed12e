"""Stored rules read back in words (desk.recurrence.rule_words), never as raw RRULE text."""

from __future__ import annotations

import pytest

from desk.recurrence.rule_words import rule_words
from desk.recurrence.rules import rule_from_text

FRIENDLY = [
    "daily", "every 2 days", "every weekday", "weekly", "weekly on mon,fri",
    "every 2 weeks on thu", "monthly", "monthly on 1", "monthly on 1,15", "monthly on 31",
    "monthly on 1,15,31", "monthly on 30", "monthly on 29", "monthly on last day",
    "monthly on last working day", "monthly on first working day", "monthly on last fri",
    "monthly on second tue", "every 3 months on 15", "yearly", "yearly on 03-15",
    "yearly on 02-29", "every 2 years", "weekly on mon at 09:30", "daily at 16:00",
]


@pytest.mark.parametrize("typed", FRIENDLY)
def test_every_friendly_form_comes_back_as_typed(typed):
    rule = rule_from_text(typed)
    words = rule_words(rule)
    assert words == ("monthly on last day" if typed == "monthly on 31" else typed)
    assert "=" not in words
    assert rule_from_text(words) == rule


@pytest.mark.parametrize(("typed", "words"), [
    ("every mon", "weekly on mon"),
    ("weekdays", "every weekday"),
    ("every other week on fri", "every 2 weeks on fri"),
    ("FREQ=WEEKLY;BYDAY=MO,WE", "weekly on mon,wed"),
    ("FREQ=MONTHLY;BYMONTHDAY=1", "monthly on 1"),
])
def test_other_spellings_and_raw_rules_read_in_their_friendly_form(typed, words):
    assert rule_words(rule_from_text(typed)) == words


@pytest.mark.parametrize(("typed", "words"), [
    ("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "yearly, in week 20, on mon"),
    ("FREQ=YEARLY;BYYEARDAY=100", "yearly, on day 100 of the year"),
    ("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2", "monthly, on mon,tue, keeping date number 2 of each"),
    ("FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1", "yearly, in jan, jul, on day 1 of the month"),
])
def test_raw_rules_without_a_friendly_form_are_described_part_by_part(typed, words):
    assert rule_words(rule_from_text(typed)) == words
