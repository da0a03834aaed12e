"""A large import's records read in a second process (desk.transfer.read_ahead): the same
records, problems and notes in the same order as read here (ClickUp's, taskwarrior's and
iCalendar's), an import that writes every task, an error of the reader raised in the
importer, a child that stops when the importer stops early, a child that dies or ends at
once named in the error, what a reader prints kept out of the records, a time zone that
cannot be handed over read here, every record arriving whole when the reader is stopped
and continued (Ctrl-Z, fg), and a child that loads no database code."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, timedelta, tzinfo
from pathlib import Path

import pytest

from desk.config import Settings
from desk.models import Task
from desk.transfer import clickup, read_ahead
from desk.transfer.run import run_import
from desk.transfer.task_import import TaskOptions

ROWS = 1300
"""More than two batches of BATCH records."""


@pytest.fixture(autouse=True)
def every_file_read_ahead(monkeypatch):
    """Every file, however small, read in a second process."""
    monkeypatch.setattr(read_ahead, "READ_AHEAD_BYTES", 0)


@pytest.fixture
def children(monkeypatch) -> list[subprocess.Popen]:
    """The child processes the reading starts, as it starts them."""
    started = []

    class Recorded(subprocess.Popen):
        """A Popen that is kept in `started`."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(read_ahead.subprocess, "Popen", Recorded)
    return started


@pytest.fixture
def export(tmp_path) -> Path:
    """A ClickUp export in Windows-1252 (a note) with a row without a name, a bad priority
    and a time past 9999 (problems) among ROWS good rows."""
    lines = ["Task ID,Task Name,Priority,Due Date,List Name,Space Name"]
    for n in range(ROWS):
        priority = "9" if n == 700 else "2"
        due = "999999999999999" if n == 1100 else "1735689600000"
        lines.append(f"t{n},Café order {n},{priority},{due},Orders,Sales")
        if n == 5:
            lines.append("t-nameless,,2,,Orders,Sales")
    path = tmp_path / "export.csv"
    path.write_bytes("\n".join(lines).encode("cp1252"))
    return path


def read_here(path: Path, read: read_ahead.Reader = clickup.records):
    """Records, problems and notes as the reader gives them in this process."""
    problems, notes = [], []
    return list(read([path], UTC, problems, notes)), problems, notes


def read_by_child(path: Path, read: read_ahead.Reader = clickup.records):
    """Records, problems and notes as desk.transfer.read_ahead gives them."""
    problems, notes = [], []
    return list(read_ahead.records(read, [path], UTC, problems, notes)), problems, notes


def test_a_child_reads_the_same_records_problems_and_notes_in_the_same_order(export,
                                                                            children):
    records, problems, notes = read_by_child(export)
    assert len(children) == 1 and children[0].returncode == 0
    assert (records, problems, notes) == read_here(export)
    assert len(records) == ROWS
    assert [str(problem).split(": ", 1)[0] for problem in problems] == [
        f"{export}:8:Task Name", f"{export}:703:Priority", f"{export}:1103:Due Date"]
    assert [str(note) for note in notes] == [f"{export}: not UTF-8; read as Windows-1252 "
                                             "(cp1252)"]
    assert records[0].digest() == read_here(export)[0][0].digest()


def test_problems_arrive_with_the_record_read_after_them(export):
    problems = []
    reading = read_ahead.records(clickup.records, [export], UTC, problems, [])
    seen = {record.source_id: len(problems) for record in reading}
    assert (seen["t5"], seen["t6"], seen["t700"], seen["t701"]) == (0, 1, 2, 2)


def test_an_import_read_by_a_child_writes_every_task(db, admin, export):
    options = TaskOptions(UTC, Settings().business_calendar())
    plan = run_import("clickup", [export], admin, dry_run=False, options=options)
    assert plan.created == ROWS
    assert Task.select().count() == ROWS
    assert plan.refused == 1


def broken_reader(paths, zone, problems, notes):
    """A reader that fails on its third record."""
    for number, record in enumerate(clickup.records(paths, zone, problems, notes)):
        if number == 2:
            raise ValueError("the disk went away on row 4")
        yield record


def test_an_error_of_the_reader_is_raised_in_the_importer(export, children):
    found = []
    with pytest.raises(ValueError, match="the disk went away on row 4"):
        for record in read_ahead.records(broken_reader, [export], UTC, [], []):
            found.append(record.source_id)
    assert found == ["t0", "t1"]
    assert [child.returncode for child in children] == [0]


def test_an_importer_that_stops_early_stops_the_child(export, children):
    reading = read_ahead.records(clickup.records, [export], UTC, [], [])
    assert next(reading).source_id == "t0"
    assert [child.poll() for child in children] == [None]  # still reading ahead
    reading.close()
    assert [child.poll() is not None for child in children] == [True]


def test_a_child_that_dies_is_named_in_the_error(export, children):
    reading = read_ahead.records(clickup.records, [export], UTC, [], [])
    next(reading)
    children[0].kill()
    with pytest.raises(RuntimeError, match="the import's reader stopped unexpectedly"):
        list(reading)


def test_a_zone_that_cannot_be_handed_over_is_read_here(export, children):
    class Here(tzinfo):
        """A zone of this test's own, which another process could not load."""

        def utcoffset(self, moment):
            return timedelta(hours=1)

        def dst(self, moment):
            return timedelta(0)

    reading = read_ahead.records(clickup.records, [export], Here(), [], [])
    assert next(reading).source_id == "t0"
    assert children == []


ICAL = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VTODO\r
UID:parent@test\r
SUMMARY:Close the books\r
DUE;TZID=Europe/Berlin:20260105T170000\r
RRULE:FREQ=MONTHLY;BYMONTHDAY=5\r
EXDATE;TZID=Europe/Berlin:20260205T170000\r
CATEGORIES:finance,monthly\r
PRIORITY:2\r
END:VTODO\r
BEGIN:VTODO\r
UID:child@test\r
SUMMARY:Send the invoices\r
RELATED-TO:parent@test\r
STATUS:COMPLETED\r
COMPLETED:20260106T090000Z\r
END:VTODO\r
END:VCALENDAR\r
"""


@pytest.mark.parametrize("kind", ["taskwarrior", "ical"])
def test_every_task_reader_gives_the_same_records_through_a_child(kind, tmp_path, children):
    if kind == "taskwarrior":
        from desk.transfer import taskwarrior as reader
        path = Path(__file__).parents[1] / "data" / "import" / "taskwarrior.json"
    else:
        from desk.transfer import ical as reader
        path = tmp_path / "todos.ics"
        path.write_text(ICAL, encoding="utf-8")
    here = read_here(path, reader.records)
    assert read_by_child(path, reader.records) == here
    assert len(here[0]) >= 2
    assert len(children) == 1


def test_a_child_that_ends_before_reading_is_named_with_its_exit_code(export, monkeypatch):
    monkeypatch.setattr(read_ahead, "CHILD", "raise SystemExit(3)")
    with pytest.raises(RuntimeError, match=r"stopped unexpectedly \(exit code 3\)"):
        list(read_ahead.records(clickup.records, [export], UTC, [], []))


def chatty_reader(paths, zone, problems, notes):
    """A reader that prints as it reads, as a library might."""
    for record in clickup.records(paths, zone, problems, notes):
        print("reading", record.source_id)
        yield record


def test_what_a_reader_prints_does_not_mix_with_its_records(export):
    found = list(read_ahead.records(chatty_reader, [export], UTC, [], []))
    assert [record.source_id for record in found] == [f"t{n}" for n in range(ROWS)]


def test_a_child_suspended_and_continued_sends_every_record_whole(export, children):
    """Ctrl-Z and `fg` stop and continue the whole import, its reader too. A write that a
    stop cuts short must still reach the importer whole."""
    reading = read_ahead.records(clickup.records, [export], UTC, [], [])
    found = [next(reading).source_id]
    for _ in range(20):  # the child is blocked on a full pipe, in the middle of a batch
        children[0].send_signal(signal.SIGSTOP)
        time.sleep(0.005)
        children[0].send_signal(signal.SIGCONT)
        time.sleep(0.005)
    found += [record.source_id for record in reading]
    assert found == [f"t{n}" for n in range(ROWS)]


def test_the_reading_child_loads_no_database_code():
    # the child imports the reader's modules, which import the package itself: if that
    # imported the database layer, every large import would wait for it (0.17 s)
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys; from desk.transfer import read_ahead, clickup, "
                               "taskwarrior, ical, desk_json; print(sorted(name for name in "
                               "('peewee', 'psycopg', 'desk.db', 'desk.models') "
                               "if name in sys.modules))"],
        capture_output=True, text=True, check=True, timeout=60)
    assert loaded.stdout.strip() == "[]"
