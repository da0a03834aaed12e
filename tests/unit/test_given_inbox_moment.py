"""A task written with its inbox moment (an import, migration 0032), on SQLite and PostgreSQL:
every imported task holds the moment and urgency due time the database's own triggers give
it, and every assignment its task's openness and due time; a row inserted with a wrong moment
is put right by the trigger; `inbox_moment` agrees with the triggers for every kind of task;
on SQLite, a task given its moment, and an assignment that leaves its task's moment as it
was, are each written once."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from itertools import product

import pytest

from desk.config import Settings
from desk.db import insert_tuples
from desk.dialect import bound
from desk.kernel import agents
from desk.models import Status, Task, TaskAssignee, Team
from desk.support.inbox_entry import START, inbox_moment
from desk.transfer.run import run_import
from desk.transfer.task_import import TaskOptions
from desk.work import workspace

HEADER = ["Task ID", "Task Name", "Status", "Due Date", "Assignees", "List Name", "Space Name"]
DUE = int(datetime(2031, 5, 6, 9, 30, tzinfo=UTC).timestamp() * 1000)
"""A due time in ClickUp's milliseconds."""
ROWS = [  # (status, due, assignees)
    ("to do", "", "[]"),  # new and nobody's: in at once
    ("to do", DUE, "[]"),  # nobody's, with a due time: still at once
    ("to do", DUE, "[ann]"),  # held: in when due
    ("to do", "", "[ann]"),  # held, never due: never
    ("in progress", DUE, "[]"),  # no longer new: in when due
    ("complete", DUE, "[ann]"),  # done: its moment is kept all the same
]
COLUMNS = ("task_list", "status", "category", "kind", "title", "team", "due_at",
           "snoozed_until", "position", "inbox_at", "urgency_until")


def moments() -> dict[int, tuple[object, object]]:
    """Each task's (inbox_at, urgency_until), in the order of their ids."""
    return {task_id: (inbox, until) for task_id, inbox, until in Task.select(
        Task.id, Task.inbox_at, Task.urgency_until).order_by(Task.id).tuples()}


def recomputed() -> dict[int, tuple[object, object]]:
    """The moments after the triggers worked every task's out again (an update of a column
    they watch, to its own value)."""
    Task.update(snoozed_until=Task.snoozed_until).execute()
    return moments()


def test_imported_tasks_and_assignments_hold_what_the_triggers_give(admin, tmp_path):
    agents.add(admin, "ann", name="Ann Lee")
    path = tmp_path / "tasks.csv"
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows([f"t{n}", f"Task {n}", status, due, people, "Work", "Space"]
                         for n, (status, due, people) in enumerate(ROWS))
    options = TaskOptions(UTC, Settings().business_calendar())
    plan = run_import("clickup", [path], admin, dry_run=False, options=options)
    assert (plan.created, plan.problems) == (len(ROWS), [])
    written = moments()
    assert written == recomputed()
    inbox = [inbox for inbox, _ in written.values()]
    due = datetime(2031, 5, 6, 9, 30)
    assert inbox == [START, START, due, None, due, due]
    assert all(until == inbox for inbox, until in written.values())
    facts = list(TaskAssignee.select(TaskAssignee, Task).join(Task))
    assert len(facts) == 3
    for fact in facts:
        assert (fact.task_open, fact.task_due_at) == (fact.task.closed_at is None,
                                                      fact.task.due_at)


@pytest.mark.parametrize(("inbox_at", "urgency_until"), [(datetime(2040, 1, 1), START),
                                                      (START, datetime(2040, 1, 1)),
                                                      (START, None)])
def test_a_task_inserted_with_a_wrong_moment_is_put_right(admin, inbox_at, urgency_until):
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Inbox")
    status = Status.get(Status.task_list == inbox.id)
    [(task_id,)] = insert_tuples(Task, COLUMNS, [(inbox.id, status.id, "open", "task", "new",
                                                  None, None, None, 1, bound(inbox_at),
                                                  bound(urgency_until))], ("id",))
    assert moments()[task_id] == (START, START)


def test_inbox_moment_agrees_with_the_triggers_for_every_kind_of_task(admin):
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Inbox", (("New", "open"),
                                                              ("Doing", "active"),
                                                              ("Done", "done")))
    statuses = {category: status_id for status_id, category in Status.select(
        Status.id, Status.category).where(Status.task_list == inbox.id).tuples()}
    team = Team.create(name="Support").id
    due, early, late = datetime(2031, 5, 6, 9, 30), datetime(2031, 5, 1), datetime(2031, 6, 1)
    cases = list(product(("task", "query"), ("open", "active", "done"), (None, team),
                         (None, due), (None, early, late)))
    rows = [(inbox.id, statuses[category], category, kind, f"case {n}", held, bound(due_at),
             bound(snoozed), n, None, None)
            for n, (kind, category, held, due_at, snoozed) in enumerate(cases)]
    insert_tuples(Task, COLUMNS, rows)  # no moment given: the triggers work each out
    found = {title: inbox_at for title, inbox_at in Task.select(Task.title, Task.inbox_at)
             .tuples()}
    for n, (kind, category, held, due_at, snoozed) in enumerate(cases):
        assert found[f"case {n}"] == inbox_moment(kind, category, held is not None, due_at,
                                                  snoozed), cases[n]



def test_on_sqlite_a_task_given_its_moment_is_written_once(sqlite_db):
    admin = agents.acting()
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Inbox")
    status = Status.get(Status.task_list == inbox.id)
    connection = sqlite_db.connection()

    def writes(moment: datetime | None) -> int:
        """Rows written (the triggers' included) by inserting a new task given `moment`."""
        before = connection.total_changes
        insert_tuples(Task, COLUMNS, [(inbox.id, status.id, "open", "task", "new", None, None,
                                       None, 1, bound(moment), bound(moment))])
        return connection.total_changes - before

    assert writes(START) == 1
    assert writes(None) == 3  # the insert trigger's update, and the urgency trigger's


def test_on_sqlite_an_assignment_rewrites_its_task_only_when_its_moment_moves(sqlite_db):
    admin = agents.acting()
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Inbox", (("New", "open"),
                                                              ("Doing", "active")))
    statuses = dict(Status.select(Status.category, Status.id)
                    .where(Status.task_list == inbox.id).tuples())
    due = datetime(2031, 5, 6, 9, 30)
    connection = sqlite_db.connection()

    def writes_to_assign(category: str) -> int:
        """Rows written (the triggers' included) by assigning a new task of `category`,
        due, to the admin, the assignment given its task's facts."""
        moment = inbox_moment("task", category, False, due, None)
        [(task_id,)] = insert_tuples(Task, COLUMNS, [(
            inbox.id, statuses[category], category, "task", category, None, bound(due), None,
            1, bound(moment), bound(moment))], ("id",))
        before = connection.total_changes
        insert_tuples(TaskAssignee, ("task", "agent", "task_open", "task_due_at"),
                      [(task_id, admin.id, True, bound(due))])
        assert moments()[task_id] == (due, due)  # in the inbox when due, now someone's
        return connection.total_changes - before

    assert writes_to_assign("active") == 1  # the moment stays: the task is not rewritten
    assert writes_to_assign("open") == 3  # nobody's no longer: the moment and urgency move
