"""Undoing the agent's last change (desk.work.undo) on SQLite and PostgreSQL: each kind of
change is put back through the services with its own "undo" history row, a bulk change is
one step, a task changed since by someone else refuses and changes nothing, a held reply is
taken back, and what cannot be undone says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from test_outbox import new_query

from desk import sla
from desk.config import Settings
from desk.errors import ConflictError, InvalidInput, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Comment, Outbox
from desk.support import triage
from desk.work import comments, custom_fields, tasks, undo, workspace

RULES = sla.book(Settings())
STATUSES = (("New", "open"), ("Open", "active"), ("Resolved", "done"))


@pytest.fixture
def board(admin):
    """A list with three statuses, another agent (bob) and a client; the list's id."""
    workspace.create_space(admin, "Support")
    agents.add(admin, "bob")
    return workspace.create_list(admin, "Support", "Support inbox", STATUSES).id


def made(admin, list_id: int, count: int = 1) -> list[int]:
    """`count` new tasks in the list."""
    return [tasks.create(admin, f"Task {n}", list_id).row.id for n in range(count)]


def changed(admin, ids, **change) -> undo.Step:
    """Apply a triage change to the tasks; the step it wrote."""
    summary, step = undo.recorded(admin, lambda: triage.apply(
        admin, triage.Target(frozenset(ids)), sla_rules=RULES, **change))
    assert summary.changed and step is not None
    return step


def undo_rows(task_id: int) -> list[str | None]:
    """The new values of the task's "undo" history rows, oldest first."""
    return [new for (new,) in Activity.select(Activity.new)
            .where((Activity.entity_id == task_id) & (Activity.field == "undo"))
            .order_by(Activity.id).tuples()]


def test_status_and_priority_go_back_with_an_undo_history_row(admin, board):
    [task_id] = made(admin, board)
    status = changed(admin, [task_id], status="Open")
    priority = changed(admin, [task_id], priority="urgent")
    done = undo.undo(admin, priority, sla_rules=RULES)
    assert done.reverted == (undo.Reverted(task_id, (("priority", "urgent", "normal"),)),)
    assert tasks.get(task_id).row.priority == "normal"
    undo.undo(admin, status, sla_rules=RULES)
    row = tasks.get(task_id).row
    assert (row.status, row.priority) == ("New", "normal")
    assert undo_rows(task_id) == ["priority", "status"]
    last = Activity.select().where(Activity.entity_id == task_id).order_by(Activity.id.desc())
    assert [(a.field, a.old, a.new, a.actor) for a in last.limit(2)] == [
        ("undo", None, "status", admin.username), ("status", "Open", "New", admin.username)]


def test_assignment_snooze_tags_client_and_dates_go_back(admin, board):
    [task_id] = made(admin, board)
    tasks.update(admin, task_id, 1, tags=["vip"], due_at=datetime(2026, 12, 1, 9, 0))
    steps = [changed(admin, [task_id], assignee="bob"),
             changed(admin, [task_id], snooze=datetime.now(UTC) + timedelta(days=2)),
             changed(admin, [task_id], tags="billing -vip"),
             changed(admin, [task_id], client_id=tasks.get(new_query(admin, board)).row.client_id)]
    version = tasks.get(task_id).row.version
    _, due = undo.recorded(admin, lambda: tasks.update(admin, task_id, version, due_at=None))
    for step in [*steps, due][::-1]:
        undo.undo(admin, step, sla_rules=RULES)
    detail = tasks.get(task_id)
    assert (detail.row.assignees, detail.row.tags, detail.row.client_id, detail.row.due_at,
            detail.snoozed_until) == ((), ("vip",), None, datetime(2026, 12, 1, 9, 0), None)


def test_a_custom_field_goes_back(admin, board):
    [task_id] = made(admin, board)
    custom_fields.define(admin, board, "Budget", "money")
    custom_fields.set_value(admin, task_id, 1, "Budget", "100")
    version = tasks.get(task_id).row.version
    _, step = undo.recorded(admin, lambda: custom_fields.set_value(admin, task_id, version,
                                                                   "Budget", "250"))
    done = undo.undo(admin, step)
    assert done.reverted[0].fields == (("custom:Budget", "250.00", "100.00"),)
    assert custom_fields.values_for_task(task_id)["Budget"] == "100.00"


def test_a_bulk_change_of_twelve_tasks_is_one_step(admin, board):
    ids = made(admin, board, 12)
    step = changed(admin, ids, status="Resolved")
    done = undo.undo(admin, step)
    assert sorted(r.task_id for r in done.reverted) == ids
    assert {row.status for row in tasks.rows_for(ids)} == {"New"}


def test_a_task_changed_since_by_someone_else_refuses_and_changes_nothing(admin, board):
    ids = made(admin, board, 3)
    step = changed(admin, ids, priority="high")
    bob = agents.acting("bob")
    row = tasks.get(ids[1]).row
    tasks.update(bob, ids[1], row.version, status="Open")
    with pytest.raises(ConflictError, match=rf"#{ids[1]} was changed by bob since \(status\); "
                                            "nothing was undone"):
        undo.undo(admin, step)
    assert {row.priority for row in tasks.rows_for(ids)} == {"high"}
    assert undo_rows(ids[0]) == []


def test_a_held_reply_is_taken_back_and_a_note_cannot_be_undone(admin, board):
    task_id = new_query(admin, board)
    _, step = undo.recorded(admin, lambda: comments.reply(admin, task_id, "Oops.",
                                                          hold_seconds=30))
    done = undo.undo(admin, step)
    assert [reply.body for reply in done.replies] == ["Oops."]
    assert not Comment.select().where(Comment.kind == "reply").exists()
    assert not Outbox.select().exists()
    _, note = undo.recorded(admin, lambda: comments.note(admin, task_id, "Called them."))
    with pytest.raises(InvalidInput, match=f"your last change \\(note on #{task_id}\\) cannot"):
        undo.undo(admin, note)


def test_changes_of_others_in_the_span_are_not_undone_and_a_viewer_may_not(admin, board):
    [task_id] = made(admin, board)
    bob = agents.acting("bob")
    _, step = undo.recorded(bob, lambda: tasks.update(admin, task_id, 1, priority="low"))
    assert step is None  # the admin's change is not bob's to undo
    _, step = undo.recorded(admin, lambda: tasks.update(admin, task_id, 2, priority="high"))
    agents.set_role(admin, "bob", "viewer")
    with pytest.raises(PermissionDenied):
        undo.undo(agents.acting("bob"), step)
    assert tasks.get(task_id).row.priority == "high"


def test_the_session_stack_keeps_the_newest_steps():
    steps = undo.Steps()
    for n in range(undo.KEPT + 5):
        steps.push(undo.Step(n, n + 1))
    assert len(steps) == undo.KEPT
    assert steps.pop() == undo.Step(undo.KEPT + 4, undo.KEPT + 5)
    while steps.pop() is not None:
        pass
    assert steps.pop() is None


def test_a_reply_to_several_tasks_is_taken_back_at_once(admin, board):
    ids = [new_query(admin, board, f"Query {n}", message_id=f"<q{n}@example>") for n in range(3)]
    step = changed(admin, ids, reply="We are on it.", hold_seconds=30)
    done = undo.undo(admin, step)
    assert sorted(reply.task_id for reply in done.replies) == ids
    assert not Comment.select().where(Comment.kind == "reply").exists()
    assert not Outbox.select().exists()


def test_a_reply_that_went_out_cannot_be_taken_back_and_nothing_changes(admin, board):
    task_id = new_query(admin, board)
    step = changed(admin, [task_id], reply="Sent at once.")  # no undo window
    with pytest.raises(InvalidInput, match="the undo window has passed"):
        undo.undo(admin, step)
    assert Comment.select().where(Comment.body == "Sent at once.").exists()
