"""The cell readers the imports share, on the shapes real exports give them: lists of names
as JSON or in brackets, millisecond numbers whole or spreadsheet-damaged, statuses by their
words, and CSV cells with a NUL or a quote guarding a formula."""

from __future__ import annotations

from datetime import datetime

import pytest

from desk.transfer import reading, values


@pytest.mark.parametrize(("cell", "names"), [
    ('["Ann Lee", "bob@example.com"]', ("Ann Lee", "bob@example.com")),
    ("[Ann Lee, bob@example.com]", ("Ann Lee", "bob@example.com")),
    ("[tag1,batch1]", ("tag1", "batch1")),
    ("[null, x]", ("x",)),  # not JSON: a bracket list, whose "null" is no name either
    ("[null, 1]", ("1",)),  # JSON: null is no name
    ("[1, 2]", ("1", "2")),
    ("[ ]", ()),
    ("[unclosed, list", ("unclosed", "list")),
    ("Ann, , Bob", ("Ann", "Bob")),
    ("NaN", ()),
])
def test_a_cell_of_names_is_read_as_json_as_a_bracket_list_or_as_text(cell, names):
    assert values.names_list(cell) == names


@pytest.mark.parametrize(("status", "category"), [
    ("to do", "open"), ("In Progress", "active"), ("Complete", "done"), ("Won't do", "closed"),
    ("Cancelled", "closed"), ("QA", "active"), ("Fixed in beta", "done"), ("Backlog", "open"),
])
def test_a_status_category_is_guessed_from_its_words(status, category):
    assert values.category_of(status) == category


def test_millisecond_cells_are_read_when_whole_and_refused_when_a_spreadsheet_rounded_them():
    assert values.epoch_millis("1735689600000") == datetime(2025, 1, 1)
    assert values.epoch_millis(" 1735689600000.00 ") == datetime(2025, 1, 1)
    assert values.epoch_millis("1.73569E+12") is None
    assert values.epoch_millis("0") is None
    assert values.millis_minutes("5400000") == 90
    assert values.millis_minutes("3.6E+06") is None


def test_a_millisecond_cell_past_the_year_9999_is_refused_with_a_reason():
    assert values.epoch_millis("253402300799999") == datetime(9999, 12, 31, 23, 59, 59, 999000)
    with pytest.raises(ValueError, match="past the year 9999"):
        values.epoch_millis("99999999999999999")


def test_csv_cells_lose_a_formula_guard_and_show_a_nul(tmp_path):
    path = tmp_path / "cells.csv"
    path.write_text("Task Name,Notes\n'=1+2,it's fine\nplain,a\x00b\nsimple,row\n",
                    encoding="utf-8")
    rows = list(reading.csv_rows(reading.open_source(path, []), [], lambda names: True))
    assert [row.cells for row in rows] == [
        {"task name": "=1+2", "notes": "it's fine"},
        {"task name": "plain", "notes": "a\u2400b"},
        {"task name": "simple", "notes": "row"},
    ]


@pytest.mark.parametrize(("cell", "is_blank"), [
    ("", True), ("   ", True), (" NULL ", True), ("\u00a0null", True), ("\tNaN", True),
    ("N/A", True), ("Undefined", True), ("none", True),
    ("nope", False), ("Null and void", False), ("N", False), ("x", False),
    (" x", False), ("1735689600000", False), ("undefined but long enough to pass", False),
])
def test_a_cell_is_blank_only_for_the_blank_words_whatever_its_first_letter(cell, is_blank):
    assert reading.blank(cell) is is_blank


def test_a_timestamp_in_digits_other_than_ascii_is_not_read_as_one():
    # str.isdigit and int() take Arabic-Indic digits; a ClickUp timestamp never has them
    assert values.epoch_millis("\u0661\u0667\u0663\u0665\u0666\u0668\u0669\u0666") is None
    assert values.millis_minutes("\u0665\u0664\u0660\u0660\u0660\u0660\u0660") is None
    assert values.millis_minutes("5400000") == 90
