"""`desk export tasks` includes the work on archived lists (and on the lists of archived
spaces) and says so: an Archived column in CSV, "archived" in JSON, X-DESK-ARCHIVED in
iCalendar; a task on a list in use is not marked."""

from __future__ import annotations

import csv
import io
import json

import pytest


@pytest.fixture
def desk(migrated_url, run_desk, monkeypatch):
    """The support template with a task on the Support inbox and one on Old/Legacy, the
    list Legacy archived; returns `desk ARGS...`."""
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    for args in (("init", "--template", "support"), ("spaces", "add", "Old"),
                 ("lists", "add", "Legacy", "--space", "Old"),
                 ("add", "Printer jam", "--list", "Support inbox"),
                 ("add", "Old migration", "--list", "Legacy"), ("lists", "archive", "Legacy")):
        assert run_desk(*args)[0] == 0, args
    return run_desk


def exported(desk, fmt: str) -> str:
    """The export of every task in `fmt`."""
    status, out, err = desk("export", "tasks", "--format", fmt)
    assert (status, err) == (0, "")
    return out


def test_csv_and_json_mark_the_tasks_of_an_archived_list(desk):
    rows = list(csv.DictReader(io.StringIO(exported(desk, "csv"))))
    assert {row["Task Name"]: row["Archived"] for row in rows} == {
        "Printer jam": "", "Old migration": "yes"}
    tasks = json.loads(exported(desk, "json"))
    assert {task["title"]: task["archived"] for task in tasks} == {
        "Printer jam": False, "Old migration": True}


def test_ical_marks_them_and_an_archived_space_counts_too(desk):
    assert desk("lists", "restore", "Legacy")[0] == 0
    assert "X-DESK-ARCHIVED" not in exported(desk, "ical")
    assert desk("spaces", "archive", "Old")[0] == 0
    todos = exported(desk, "ical").split("BEGIN:VTODO")[1:]
    marked = {next(line for line in todo.splitlines() if line.startswith("SUMMARY:")):
              "X-DESK-ARCHIVED:TRUE" in todo for todo in todos}
    assert marked == {"SUMMARY:Printer jam": False, "SUMMARY:Old migration": True}
