"""Concurrent editors: several processes updating the same tasks lose no update, write exactly
one audit row per saved field, never see "database is locked", and a stale save of the same
field is refused with both values and writes nothing."""

from __future__ import annotations

import multiprocessing
import sqlite3
import traceback
from collections import Counter

import peewee
import pytest

from desk import db as desk_db
from desk.errors import ConflictError
from desk.models import Activity, Event, Task
from desk.services import agents, tasks, workspace

SPAWN = multiprocessing.get_context("spawn")
CHILD_TIMEOUT = 180  # seconds a child process may take before the test gives up on it
PROCESSES = 4
UPDATES = 50
TASKS = 3
# Each process owns one field; two processes share "title", so the same field does conflict
# between them while the other fields merge.
FIELDS = ("title", "description", "estimate_minutes", "title")
MAX_ATTEMPTS = 1000  # per update: retries after conflicts, far more than ever needed


# --- helpers -------------------------------------------------------------------------------


def value_for(process: int, update: int) -> object:
    """The value process `process` writes in its `update`-th call: never written before."""
    if FIELDS[process] == "estimate_minutes":
        return 1000 * (process + 1) + update
    return f"p{process}-{update}"


def edit_in_child(url: str, process: int, task_ids: list[int], barrier, results) -> None:
    """Child process: open the database itself, then make UPDATES saves of this process's
    field, round-robin over the shared tasks; each save re-reads the task's version and is
    retried after a ConflictError. Reports per-task successes, conflicts and any other error
    (a "database is locked" included) to the parent."""
    saved: Counter[int] = Counter()
    conflicts = 0
    failures: list[str] = []
    try:
        desk_db.connect(url)
        agent = agents.acting()
        barrier.wait(CHILD_TIMEOUT)
        for update in range(UPDATES):
            task_id = task_ids[(process + update) % TASKS]
            change = {FIELDS[process]: value_for(process, update)}
            for _ in range(MAX_ATTEMPTS):
                version = tasks.get(task_id).row.version
                try:
                    tasks.update(agent, task_id, version, **change)
                except ConflictError:
                    conflicts += 1
                    continue
                except (peewee.OperationalError, sqlite3.OperationalError) as error:
                    failures.append(f"{type(error).__name__}: {error}")
                    continue
                saved[task_id] += 1
                break
            else:
                failures.append(f"update {update} of task {task_id} never got through")
    except Exception:  # reported to the parent, which fails the test with it
        failures.append(traceback.format_exc())
    results.put((process, dict(saved), conflicts, failures))


@pytest.fixture
def shared_tasks(db, admin) -> list[int]:
    """The tasks every process edits, each created once (version 1, one audit row)."""
    workspace.create_space(admin, "Shop")
    task_list = workspace.create_list(admin, "Shop", "Orders")
    return [tasks.create(admin, f"shared {n}", task_list.id).row.id for n in range(TASKS)]


def activity_versions(task_id: int) -> list[int]:
    """The versions recorded in the audit rows of one task, in order."""
    return [version for (version,) in Activity.select(Activity.version)
            .where((Activity.entity == "task") & (Activity.entity_id == task_id))
            .order_by(Activity.version, Activity.id).tuples()]


# --- tests ---------------------------------------------------------------------------------


def test_processes_editing_the_same_tasks_lose_nothing(db, db_url, shared_tasks):
    barrier = SPAWN.Barrier(PROCESSES)
    results = SPAWN.Queue()
    children = [
        SPAWN.Process(target=edit_in_child, args=(db_url, k, shared_tasks, barrier, results))
        for k in range(PROCESSES)
    ]
    for child in children:
        child.start()
    reports = [results.get(timeout=CHILD_TIMEOUT) for _ in children]
    for child in children:
        child.join(CHILD_TIMEOUT)
        assert child.exitcode == 0
    failures = [failure for *_, found in reports for failure in found]
    assert not failures, "\n".join(failures)

    saved: Counter[int] = Counter()
    for _, per_task, _, _ in reports:
        saved.update(per_task)
    assert sum(saved.values()) == PROCESSES * UPDATES
    for task_id in shared_tasks:
        task = Task.get_by_id(task_id)
        # created at version 1; every save bumped it by exactly one
        assert task.version == 1 + saved[task_id]
        # one audit row per save (each changes one field) plus the creation's row,
        # and every version from 1 to the last appears exactly once
        assert activity_versions(task_id) == list(range(1, task.version + 1))
        last_by_field = {}
        for field, new in (Activity.select(Activity.field, Activity.new)
                           .where((Activity.entity == "task") & (Activity.entity_id == task_id))
                           .order_by(Activity.version).tuples()):
            last_by_field[field] = new
        # and one automation event per save, written in the same transaction
        assert Event.select().where((Event.entity == "task")
                                    & (Event.entity_id == task_id)).count() == task.version
        # what is stored is what the last save of each field wrote
        assert last_by_field["title"] == task.title
        assert last_by_field.get("description", "") == task.description
        if task.estimate_minutes is not None:
            assert last_by_field["estimate_minutes"] == str(task.estimate_minutes)


def test_a_stale_save_of_the_same_field_conflicts_and_writes_nothing(admin, shared_tasks):
    task_id = shared_tasks[0]
    stale = tasks.get(task_id).row
    tasks.update(admin, task_id, stale.version, title="saved first")
    activities, events = Activity.select().count(), Event.select().count()

    with pytest.raises(ConflictError) as conflict:
        tasks.update(admin, task_id, stale.version, title="saved second")

    assert conflict.value.conflicts == {"title": ("saved first", "saved second")}
    assert conflict.value.current_version == stale.version + 1
    assert (conflict.value.entity, conflict.value.entity_id) == ("task", task_id)
    assert tasks.get(task_id).row.title == "saved first"
    assert Task.get_by_id(task_id).version == stale.version + 1
    assert (Activity.select().count(), Event.select().count()) == (activities, events)


def test_a_stale_save_of_another_field_merges(admin, shared_tasks):
    task_id = shared_tasks[1]
    stale = tasks.get(task_id).row
    tasks.update(admin, task_id, stale.version, title="renamed")
    merged = tasks.update(admin, task_id, stale.version, priority="urgent").row
    assert (merged.title, merged.priority, merged.version) == ("renamed", "urgent",
                                                              stale.version + 2)
