"""A large import read in a second process (desk.transfer.read_ahead) does exactly what the
same import read in process does (on SQLite: reading does not depend on the database, and
each test starts a process or two): the same records and digests chunk by chunk, with the
same problems (FILE:ROW:COLUMN) known after each chunk and the note of a file that is not
UTF-8; a real import reports what its preview (read in process) showed and writes the same
tasks, subtasks and history, and nothing new on a second run; an error while reading is
raised in the importing process, and the reader stops when the import fails."""

from __future__ import annotations

import io
import multiprocessing
import shutil
import sys
import tempfile
from datetime import UTC
from itertools import islice
from pathlib import Path

import pytest

from desk import business_hours
from desk.config import Settings
from desk.kernel import agents, audit
from desk.models import Task
from desk.transfer import TaskOptions, read_ahead, run_import, task_import, task_records

DATA = Path(__file__).parent.parent / "data" / "import"


@pytest.fixture
def admin(sqlite_db) -> agents.AgentRef:
    """The first agent of a SQLite workspace, an admin."""
    return agents.acting()


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """Two records per chunk, so the fixture file spans several."""
    monkeypatch.setattr(task_import, "CHUNK", 2)


@pytest.fixture
def temporary(tmp_path, monkeypatch) -> Path:
    """The folder the import's temporary folders go in."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def children(monkeypatch, temporary) -> list[int]:
    """How many times a child process was read from."""
    started: list[int] = []
    receive = read_ahead._received

    def counted(*args):
        started.append(1)
        return receive(*args)

    monkeypatch.setattr(read_ahead, "_received", counted)
    return started


def imported(admin, paths: list[Path], dry_run: bool, ahead: bool, monkeypatch):
    """Import the files, read in a child process when `ahead` (whatever their size) and
    worth it."""
    monkeypatch.setattr(read_ahead, "READ_AHEAD_BYTES", 0 if ahead else 1 << 62)
    options = TaskOptions(UTC, business_hours.calendar(Settings()))
    return run_import("clickup", paths, admin, dry_run=dry_run, options=options)


def failing_in_a_child(kind, paths, zone, problems, notes):
    """A reader that reads the files here, and fails in a child process once past the
    first record."""
    for number, record in enumerate(task_records(kind, paths, zone, problems, notes)):
        if number and multiprocessing.parent_process() is not None:
            raise OSError("the disk went away")
        yield record


def files(tmp_path: Path) -> list[Path]:
    """The ClickUp fixture (a few problems), and a copy in Windows-1252 with new ids."""
    text = (DATA / "clickup.csv").read_text(encoding="utf-8")
    other = tmp_path / "cp1252.csv"
    other.write_bytes(text.replace("Onboard Acme", "Café Acme").replace("86a", "96a")
                      .encode("cp1252", "replace"))
    return [DATA / "clickup.csv", other]


def test_the_records_read_in_a_second_process_are_those_read_in_process(tmp_path,
                                                                        monkeypatch):
    paths = files(tmp_path)

    def read(ahead: bool) -> tuple[list, list[str], list[str]]:
        """Each chunk of two as (source id, digest, place) with the problems known after
        it, as desk.transfer.plan.in_chunks takes them; then all problems and notes."""
        monkeypatch.setattr(read_ahead, "READ_AHEAD_BYTES", 0 if ahead else 1 << 62)
        problems, notes = [], []
        chunks = []
        with read_ahead.task_records(task_records, "clickup", paths, UTC, 2, problems, notes,
                                     worth_it=lambda: True) as records:
            iterator = iter(records)
            while chunk := list(islice(iterator, 2)):
                chunks.append(([(record.source_id, record.digest(), record.place)
                                for record in chunk], [str(problem) for problem in problems]))
        return chunks, [str(problem) for problem in problems], [str(note) for note in notes]

    ahead = read(True)
    assert ahead == read(False)
    chunks, problems, notes = ahead
    assert len(chunks) == 4  # 8 records
    assert f"{paths[0]}:6:Task Name: no task name; row skipped" in problems
    assert notes == [f"{paths[1]}: not UTF-8; read as Windows-1252 (cp1252)"]


def test_a_real_import_read_in_a_second_process_reports_and_writes_as_its_preview(
        admin, tmp_path, monkeypatch, children, temporary):
    paths = files(tmp_path)
    preview = imported(admin, paths, True, True, monkeypatch)  # a dry run: read here
    assert (Task.select().count(), children) == (0, [])
    report = imported(admin, paths, False, True, monkeypatch)
    assert children == [1]
    assert report.lines()[1:] == preview.lines()[1:]
    assert report.created == preview.created == 8
    for documents in Task.select().where(Task.title == "Prepare documents"):
        assert Task.get_by_id(documents.parent_id).title in ("Onboard Acme", "Café Acme")
    assert Task.select().where(Task.title == "Café Acme").count() == 1
    documents = Task.select().where(Task.title == "Prepare documents").first()
    assert {entry["field"] for entry in audit.history("task", documents.id)} >= {
        "source", "title", "status"}

    again = imported(admin, paths, False, True, monkeypatch)
    assert (again.created, again.updated, again.unchanged) == (0, 0, report.created)
    assert children == [1]  # nothing new in the first chunk: the rest read here too
    assert not list(temporary.iterdir())


def test_without_a_standard_error_to_pass_on_the_files_are_read_here(admin, tmp_path,
                                                                       monkeypatch, children):
    class Captured(io.StringIO):
        """Standard error as the app's Textual captures it."""

        def fileno(self) -> int:
            return -1

    monkeypatch.setattr(sys, "stderr", Captured())
    plan = imported(admin, files(tmp_path), False, True, monkeypatch)
    assert (plan.created, children) == (8, [])
    assert Task.select().count() == 8


def test_an_error_while_reading_in_the_child_is_raised_here(tmp_path, monkeypatch):
    monkeypatch.setattr(read_ahead, "READ_AHEAD_BYTES", 0)
    read = []
    with pytest.raises(OSError, match="the disk went away"), read_ahead.task_records(
            failing_in_a_child, "clickup", files(tmp_path), UTC, 2, [], [],
            worth_it=lambda: True) as records:
        read.extend(records)
    assert len(read) == 2  # the first chunk, read here
    assert multiprocessing.active_children() == []


def test_the_reader_stops_when_the_import_fails(admin, tmp_path, monkeypatch, children,
                                               temporary):
    big = tmp_path / "big.csv"
    shutil.copy(DATA / "clickup.csv", big)
    insert = task_import.insert_tasks
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("disk full")
        return insert(*args)

    monkeypatch.setattr(task_import, "insert_tasks", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        imported(admin, [big], False, True, monkeypatch)
    assert children == [1]
    assert multiprocessing.active_children() == []
    assert not list(temporary.iterdir())
