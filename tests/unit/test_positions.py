"""Processes adding rows at the end of the same ordered list at the same moment never get
the same place: tasks of a list (subtasks too), checklists of a task and items of a
checklist, on SQLite (BEGIN IMMEDIATE) and PostgreSQL (a lock per list, taken by
desk.kernel.positions)."""

from __future__ import annotations

from collections import Counter

from conftest import run_children

from desk import db as desk_db
from desk.kernel import agents
from desk.models import Checklist, ChecklistItem, Task
from desk.work import checklists, tasks, workspace

CHILD_TIMEOUT = 180  # seconds a child process may take before the test gives up on it
PROCESSES = 4
ROUNDS = 12  # each process adds this many rows of each kind


def add_in_child(url: str, process: int, ids: dict[str, int], barrier, results) -> None:
    """Child process: open the database itself, wait for the siblings, then add ROUNDS
    tasks, subtasks, checklists and checklist items at the end of the shared lists."""
    try:
        desk_db.connect(url)
        agent = agents.acting()
        barrier.wait(CHILD_TIMEOUT)
        for number in range(ROUNDS):
            name = f"p{process}-{number}"
            tasks.create(agent, name, ids["list"], list_templates=False)
            tasks.create(agent, f"sub {name}", ids["list"], parent_id=ids["parent"],
                         list_templates=False)
            checklists.add_checklist(agent, ids["parent"], name)
            checklists.add_item(agent, ids["checklist"], name)
        results.put(("ok", ""))
    except Exception as error:  # reported to the parent, which fails the test with it
        results.put(("error", f"{type(error).__name__}: {error}"))


def repeated(positions: list[int]) -> dict[int, int]:
    """The positions held by more than one row, with how many hold each."""
    return {place: count for place, count in Counter(positions).items() if count > 1}


def test_concurrent_adds_take_distinct_places(db, db_url, admin):
    workspace.create_space(admin, "Ops")
    list_id = workspace.create_list(admin, "Ops", "Queue").id
    parent = tasks.create(admin, "Parent", list_id).row.id
    checklist = checklists.add_checklist(admin, parent, "Shared")
    ids = {"list": list_id, "parent": parent, "checklist": checklist}

    reports = run_children(add_in_child, [(db_url, k, ids) for k in range(PROCESSES)],
                           CHILD_TIMEOUT)

    assert [detail for status, detail in reports if status != "ok"] == []
    added = PROCESSES * ROUNDS
    task_places = [p for (p,) in Task.select(Task.position)
                   .where(Task.task_list == list_id).tuples()]
    checklist_places = [p for (p,) in Checklist.select(Checklist.position)
                        .where(Checklist.task == parent).tuples()]
    item_places = [p for (p,) in ChecklistItem.select(ChecklistItem.position)
                   .where(ChecklistItem.checklist == checklist).tuples()]
    assert repeated(task_places) == {}
    assert sorted(task_places) == list(range(1, 2 * added + 2))  # the parent is 1
    assert repeated(checklist_places) == {}
    assert sorted(checklist_places) == list(range(1, added + 2))
    assert repeated(item_places) == {}
    assert sorted(item_places) == list(range(1, added + 1))
