"""The inbox's stored moments (migration 0023's `inbox_at`, kept by triggers): after every
kind of change, by one agent or two at once, and as time passes, the inbox's count and rows
are what the inbox's definition finds by a fresh scan, on SQLite and PostgreSQL."""

from __future__ import annotations

import traceback
from datetime import timedelta

import pytest
from conftest import run_children
from msgspec.structs import replace
from test_triage import NEXT_MONTH, SLA_RULES, YESTERDAY, desk  # noqa: F401 (a fixture)

from desk import db as desk_db
from desk.clock import to_utc
from desk.kernel import agents
from desk.metrics import team
from desk.models import Agent, Task, TaskAssignee
from desk.support import triage
from desk.work import filters, tasks

ROUNDS = 12  # changes each of the two agents makes at the same time


def scanned(context: filters.Context) -> set[int]:
    """The inbox by its definition, read from every open task: not snoozed, and a query,
    overdue, or new and nobody's."""
    now = to_utc(context.now)
    nobodys = (Task.team.is_null() & (Task.category == "open")
               & ~Task.id.in_(TaskAssignee.select(TaskAssignee.task)))
    return {task_id for (task_id,) in Task.select(Task.id).where(
        Task.closed_at.is_null(),
        Task.snoozed_until.is_null() | (Task.snoozed_until <= now),
        (Task.kind == "query") | (Task.due_at < now) | nobodys).tuples()}


def assert_current(context: filters.Context) -> None:
    """The stored inbox (count and rows) is the scanned one."""
    expected = scanned(context)
    assert triage.inbox_count(context) == len(expected)
    assert {row.id for row in triage.inbox_page(context, limit=1000).rows} == expected


def change(agent, task_id: int, **fields) -> None:
    """Update one task at the version it has now."""
    tasks.update(agent, task_id, tasks.get(task_id).row.version, sla_rules=SLA_RULES, **fields)


def test_every_kind_of_change_keeps_the_inbox_current(desk, admin, context):  # noqa: F811
    assert_current(context)
    internal = desk["internal"]
    made = tasks.create(admin, "new and nobody's", internal).row.id
    assert made in scanned(context)
    steps = [
        (desk["nobody's task"], {"assignees": ["bob"]}),  # taken: leaves
        (desk["nobody's task"], {"assignees": []}),  # nobody's again: back
        (made, {"team_id": desk["team"]}),  # a team's
        (made, {"team_id": None}),
        (desk["taken task"], {"due_at": YESTERDAY}),  # overdue
        (desk["later task"], {"due_at": None}),
        (desk["overdue task"], {"status": "Done"}),  # done: leaves
        (desk["overdue task"], {"status": "In progress"}),  # reopened: back
        (made, {"status": "In progress"}),  # no longer new
        (desk["old query"], {"snoozed_until": NEXT_MONTH}),
        (desk["urgent query"], {"status": "Resolved"}),
    ]
    for task_id, fields in steps:
        change(admin, task_id, **fields)
        assert_current(context)


def test_time_passing_moves_tasks_in_with_no_write(desk, admin, context):  # noqa: F811
    change(admin, desk["old query"], snoozed_until=context.now + timedelta(days=2))
    later = replace(context, now=NEXT_MONTH.replace(tzinfo=context.now.tzinfo)
                    + timedelta(days=1))
    assert desk["later task"] not in scanned(context)
    assert {desk["later task"], desk["old query"]} <= scanned(later)
    assert_current(context)
    assert_current(later)


def test_rows_written_around_the_services_are_counted_too(desk, admin, context):  # noqa: F811
    """An import or the demo's bulk load inserts rows directly: the triggers still fill them."""
    template = Task.get_by_id(desk["taken task"])
    rows = [{"task_list": template.task_list_id, "status": template.status_id,
             "category": "open", "title": f"bulk {n}", "kind": "query" if n % 3 == 0 else "task",
             "due_at": YESTERDAY if n % 3 == 1 else None} for n in range(9)]
    Task.insert_many(rows).execute()
    bob = Agent.get(Agent.username == "bob").id
    bulk = [task_id for (task_id,) in Task.select(Task.id).where(
        Task.title.startswith("bulk ")).tuples()]
    TaskAssignee.insert_many([{"task": task_id, "agent": bob} for task_id in bulk[::2]]).execute()
    assert_current(context)
    TaskAssignee.delete().where(TaskAssignee.task.in_(bulk[:4])).execute()
    assert_current(context)


def edit_as(url: str, username: str, task_ids: list[int], barrier, results) -> None:
    """Child process: as `username`, take and release the tasks, snooze and wake them and move
    their due dates, ROUNDS times, while another agent does the same to other tasks."""
    try:
        desk_db.connect(url)
        agent = agents.ref(Agent.get(Agent.username == username))
        barrier.wait(120)
        for step in range(ROUNDS):
            task_id = task_ids[step % len(task_ids)]
            fields = [{"assignees": [username]}, {"assignees": []},
                      {"due_at": YESTERDAY}, {"due_at": None},
                      {"snoozed_until": NEXT_MONTH}, {"snoozed_until": None}][step % 6]
            change(agent, task_id, **fields)
        results.put("")
    except Exception:  # reported to the parent, which fails the test with it
        results.put(traceback.format_exc())


@pytest.mark.serial
def test_two_agents_changing_tasks_at_once_keep_the_count(desk, db_url, context):  # noqa: F811
    mine = [desk["nobody's task"], desk["old query"]]
    bobs = [desk["taken task"], desk["later task"], desk["team task"]]
    reports = run_children(edit_as, [(db_url, agents.acting().username, mine),
                                     (db_url, "bob", bobs)])
    assert reports == ["", ""], "\n".join(reports)
    assert_current(context)


# --- the assignments' copies of their task's openness and due time (the workload) ----------


def joined_loads(context: filters.Context) -> dict[str, tuple[int, int]]:
    """Each agent's open and overdue assignments, by joining every assignment to its task."""
    now = to_utc(context.now)
    found = {username: (0, 0) for (username,) in Agent.select(Agent.username).tuples()}
    rows = (TaskAssignee.select(Agent.username, Task.closed_at, Task.due_at)
            .join(Task).switch(TaskAssignee).join(Agent).tuples())
    for username, closed_at, due_at in rows:
        opened, late = found[username]
        if closed_at is None:
            found[username] = (opened + 1, late + (due_at is not None and due_at < now))
    return found


def stored_loads(context: filters.Context) -> dict[str, tuple[int, int]]:
    """Each agent's open and overdue tasks as the dashboard's workload counts them."""
    return {load.name: (load.open.value, load.overdue.value)
            for load in team.agent_loads(context.now)}


def test_assignments_follow_their_tasks_for_the_workload(desk, admin, context):  # noqa: F811
    assert stored_loads(context) == joined_loads(context)
    steps = [
        (desk["taken task"], {"status": "Done"}),  # closed: no longer open
        (desk["taken task"], {"status": "In progress"}),  # reopened
        (desk["later task"], {"due_at": YESTERDAY}),  # overdue now
        (desk["overdue task"], {"due_at": None}),
        (desk["nobody's task"], {"assignees": [admin.username, "bob"]}),
        (desk["nobody's task"], {"assignees": ["bob"]}),
    ]
    for task_id, fields in steps:
        change(admin, task_id, **fields)
        assert stored_loads(context) == joined_loads(context)
    TaskAssignee.update(task=desk["team task"]).where(
        TaskAssignee.task == desk["nobody's task"]).execute()  # moved, as merging does
    assert stored_loads(context) == joined_loads(context)
