"""A large import read in a second process (desk.transfer.read_ahead) does exactly what the
same import read in process does (on SQLite: reading does not depend on the database, and
each test starts a process or three): the same preview and report
(every problem by FILE:ROW:COLUMN, in the same order, the note of a file that is not
UTF-8), the same tasks, subtasks and history, nothing new on a second run; an error while
reading is raised in the importing process, and the reader stops when the import fails."""

from __future__ import annotations

import multiprocessing
import shutil
from datetime import UTC
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


def imported(admin, paths: list[Path], dry_run: bool, ahead: bool, monkeypatch):
    """Import the files, read in a child process when `ahead` (whatever their size)."""
    monkeypatch.setattr(read_ahead, "READ_AHEAD_BYTES", 0 if ahead else 1 << 62)
    options = TaskOptions(UTC, business_hours.calendar(Settings()))
    return run_import("clickup", paths, admin, dry_run=dry_run, options=options)


def files(tmp_path: Path) -> list[Path]:
    """The ClickUp fixture (a few problems), and a copy in Windows-1252 with new ids."""
    text = (DATA / "clickup.csv").read_text(encoding="utf-8")
    other = tmp_path / "cp1252.csv"
    other.write_bytes(text.replace("Onboard Acme", "Café Acme").replace("86a", "96a")
                      .encode("cp1252", "replace"))
    return [DATA / "clickup.csv", other]


def test_read_in_a_second_process_the_preview_and_the_report_are_the_same(admin, tmp_path,
                                                                            monkeypatch):
    paths = files(tmp_path)
    in_process = imported(admin, paths, True, False, monkeypatch)
    ahead = imported(admin, paths, True, True, monkeypatch)
    assert ahead.lines() == in_process.lines()
    assert any(":6:Task Name: no task name; row skipped" in line for line in ahead.lines())
    assert any("not UTF-8; read as Windows-1252" in line for line in ahead.lines())
    assert Task.select().count() == 0

    report = imported(admin, paths, False, True, monkeypatch)
    assert report.lines()[1:] == in_process.lines()[1:]
    assert report.created == in_process.created > 0
    for documents in Task.select().where(Task.title == "Prepare documents"):
        assert Task.get_by_id(documents.parent_id).title in ("Onboard Acme", "Café Acme")
    assert Task.select().where(Task.title == "Café Acme").count() == 1
    assert {entry["field"] for entry in audit.history("task", documents.id)} >= {
        "source", "title", "status"}

    again = imported(admin, paths, False, True, monkeypatch)
    assert (again.created, again.updated, again.unchanged) == (0, 0, report.created)


def test_an_error_while_reading_is_raised_here(tmp_path, monkeypatch):
    monkeypatch.setattr(read_ahead, "READ_AHEAD_BYTES", 0)
    with pytest.raises(ValueError, match="kind must be one of"), read_ahead.task_records(
            task_records, "nonsense", files(tmp_path), UTC, 2, [], []) as records:
        list(records)
    assert multiprocessing.active_children() == []


def test_the_reader_stops_when_the_import_fails(admin, tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    shutil.copy(DATA / "clickup.csv", big)

    def failing(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(task_import, "insert_tasks", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        imported(admin, [big], False, True, monkeypatch)
    assert multiprocessing.active_children() == []
