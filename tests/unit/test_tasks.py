"""Tasks: creation, optimistic updates that merge or conflict, audit and event rows."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from desk.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from desk.models import Activity, Event, Task
from desk.services import agents, audit, search, tasks, workspace


@pytest.fixture
def inbox(admin) -> workspace.ListRef:
    """A Support space with a Support inbox list (default statuses)."""
    workspace.create_space(admin, "Support")
    return workspace.create_list(admin, "Support", "Support inbox")


def test_create_stores_every_field_and_writes_history(admin, inbox):
    due = datetime(2026, 12, 1, 13, 0)
    detail = tasks.create(admin, "  Printer jam  ", inbox.id, kind="query", priority="high",
                          description="Floor 3", due_at=due, tags=["#billing", "vip"],
                          assignees=[admin.username])
    row = detail.row
    assert (row.title, row.kind, row.priority, row.status, row.category) == (
        "Printer jam", "query", "high", "To do", "open")
    assert row.tags == ("billing", "vip") and row.assignees == (admin.username,)
    assert row.due_at == due and row.version == 1 and detail.description == "Floor 3"
    created = Activity.get((Activity.entity == "task") & (Activity.entity_id == row.id))
    assert (created.field, created.new, created.actor) == ("title", "Printer jam", admin.username)
    event = Event.get((Event.entity == "task") & (Event.entity_id == row.id))
    assert event.kind == "task.created" and json.loads(event.data)["kind"] == "query"


def test_positions_grow_within_a_list(admin, inbox):
    first = tasks.create(admin, "one", inbox.id).row.id
    second = tasks.create(admin, "two", inbox.id).row.id
    positions = [Task.get_by_id(i).position for i in (first, second)]
    assert positions[0] < positions[1]


@pytest.mark.parametrize("changes, message", [
    ({"title": "   "}, "needs a title"),
    ({"priority": "asap"}, "priority must be one of"),
    ({"status": "Nowhere"}, "status must be one of To do, In progress, Done, Closed"),
    ({"tags": ["two words"]}, "a tag is one word"),
    ({"estimate_minutes": -5}, "cannot be negative"),
    ({"colour": "red"}, "cannot change colour"),
])
def test_bad_updates_are_refused_and_change_nothing(admin, inbox, changes, message):
    task = tasks.create(admin, "Stable", inbox.id).row
    before = Activity.select().count()
    with pytest.raises(InvalidInput, match=message):
        tasks.update(admin, task.id, task.version, **changes)
    assert tasks.get(task.id).row == task
    assert Activity.select().count() == before


def test_status_change_sets_category_closed_at_and_event(admin, inbox):
    task = tasks.create(admin, "Close me", inbox.id).row
    done = tasks.update(admin, task.id, task.version, status="done")
    assert (done.row.status, done.row.category) == ("Done", "done")
    assert done.closed_at is not None
    event = Event.select().where(Event.kind == "task.status_changed").get()
    assert json.loads(event.data)["from"] == "To do" and json.loads(event.data)["to"] == "Done"
    reopened = tasks.update(admin, task.id, done.row.version, status="To do")
    assert reopened.closed_at is None and reopened.row.category == "open"


def test_different_fields_merge(admin, inbox):
    task = tasks.create(admin, "Shared", inbox.id).row
    tasks.update(admin, task.id, task.version, priority="urgent")
    merged = tasks.update(admin, task.id, task.version, title="Shared and renamed")
    assert merged.row.priority == "urgent" and merged.row.title == "Shared and renamed"
    assert merged.row.version == 3


def test_same_field_conflicts_with_both_values_and_writes_nothing(admin, inbox):
    task = tasks.create(admin, "Contested", inbox.id).row
    tasks.update(admin, task.id, task.version, priority="urgent")
    before = Activity.select().count()
    with pytest.raises(ConflictError) as raised:
        tasks.update(admin, task.id, task.version, priority="low", title="Mine")
    assert raised.value.conflicts == {"priority": ("urgent", "low")}
    assert raised.value.current_version == 2
    after = tasks.get(task.id).row
    assert (after.priority, after.title, after.version) == ("urgent", "Contested", 2)
    assert Activity.select().count() == before


def test_same_value_from_both_sides_is_not_a_conflict(admin, inbox):
    task = tasks.create(admin, "Agreed", inbox.id).row
    tasks.update(admin, task.id, task.version, priority="high")
    again = tasks.update(admin, task.id, task.version, priority="high")
    assert again.row.version == 2


def test_every_change_has_an_activity_row_with_old_and_new(admin, inbox):
    task = tasks.create(admin, "Audit me", inbox.id).row
    tasks.update(admin, task.id, task.version, priority="low", tags=["x"])
    history = {row["field"]: (row["old"], row["new"]) for row in audit.history("task", task.id)}
    assert history["priority"] == ("normal", "low")
    assert history["tags"] == ("", "x")


def test_title_change_updates_the_search_index(admin, inbox):
    task = tasks.create(admin, "Quarterly report", inbox.id).row
    tasks.update(admin, task.id, task.version, title="Annual summary")
    assert [hit.id for hit in search.find("annual")] == [task.id]
    assert search.find("quarterly") == []


def test_hostile_text_is_stored_exactly(admin, inbox):
    hostile = "\x1b]52;c;AAAA\x07 [/] [@click=app.quit]x[/] \u202eevil"
    task = tasks.create(admin, hostile, inbox.id, description=hostile).row
    assert Task.get_by_id(task.id).title == hostile


def test_viewer_cannot_write(admin, inbox):
    viewer = agents.add(admin, "vera", role="viewer")
    with pytest.raises(PermissionDenied, match="viewer"):
        tasks.create(viewer, "Nope", inbox.id)
    assert Task.select().count() == 0


def test_unknown_references_are_reported(admin, inbox):
    with pytest.raises(NotFound, match="no task 999"):
        tasks.create(admin, "Orphan", inbox.id, parent_id=999)
    with pytest.raises(NotFound, match="no agent named ghost"):
        tasks.create(admin, "Ghost", inbox.id, assignees=["ghost"])
    assert Task.select().count() == 0


def test_subtasks_are_listed_under_their_parent(admin, inbox):
    parent = tasks.create(admin, "Parent", inbox.id).row
    child = tasks.create(admin, "Child", inbox.id, parent_id=parent.id).row
    assert [s.id for s in tasks.get(parent.id).subtasks] == [child.id]
    assert child.parent_id == parent.id
