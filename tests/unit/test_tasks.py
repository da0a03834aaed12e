"""Tasks: creation, optimistic updates that merge or conflict, audit and event rows."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from desk import sla
from desk.config import Settings
from desk.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents, audit, search
from desk.models import Activity, Event, Task, Team
from desk.work import tasks, workspace

SLA_RULES = sla.book(Settings())  # the shipped SLA rules


@pytest.fixture
def inbox(admin) -> workspace.ListRef:
    """A Support space with a Support inbox list (default statuses)."""
    workspace.create_space(admin, "Support")
    return workspace.create_list(admin, "Support", "Support inbox")


def test_create_stores_every_field_and_writes_history(admin, inbox):
    due = datetime(2026, 12, 1, 13, 0)
    detail = tasks.create(admin, "  Printer jam  ", inbox.id, kind="query", priority="high",
                          description="Floor 3", due_at=due, tags=["#billing", "vip"],
                          assignees=[admin.username], sla_rules=SLA_RULES)
    row = detail.row
    assert (row.title, row.kind, row.priority, row.status, row.category) == (
        "Printer jam", "query", "high", "To do", "open")
    assert row.tags == ("billing", "vip") and row.assignees == (admin.username,)
    assert row.due_at == due and row.version == 1 and detail.description == "Floor 3"
    created = list(Activity.select().where((Activity.entity == "task")
                                           & (Activity.entity_id == row.id)))
    assert {a.field: (a.old, a.new) for a in created} == {
        "kind": (None, "query"), "status": (None, "To do"), "title": (None, "Printer jam"),
        "description": (None, "Floor 3"), "priority": (None, "high"),
        "due_at": (None, "2026-12-01 13:00:00"), "tags": (None, "billing, vip"),
        "assignees": (None, admin.username),
    }
    assert {(a.actor, a.version) for a in created} == {(admin.username, 1)}
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
    history: dict[str, tuple] = {}
    for row in audit.history("task", task.id):  # newest first
        history.setdefault(row["field"], (row["old"], row["new"]))
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


def test_create_validates_like_update(admin, inbox):
    with pytest.raises(InvalidInput, match="the estimate cannot be negative"):
        tasks.create(admin, "Negative", inbox.id, estimate_minutes=-5)
    with pytest.raises(NotFound, match="no team 999"):
        tasks.create(admin, "Teamless", inbox.id, team_id=999)
    with pytest.raises(NotFound, match="no client 999"):
        tasks.create(admin, "Clientless", inbox.id, client_id=999)
    with pytest.raises(InvalidInput, match="due at must be a date and time, not '2026-12-01'"):
        tasks.create(admin, "Textual", inbox.id, due_at="2026-12-01")
    assert Task.select().count() == 0


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": "nul\x00here"}, "a title cannot contain a NUL character"),
    ({"description": "a\x00b"}, "a description cannot contain a NUL character"),
    ({"tags": ["a\x00b"]}, "a tag cannot contain a NUL character"),
    ({"description": 42}, "a description must be text, not 42"),
])
def test_nul_characters_are_refused_on_create_and_update(admin, inbox, fields, message):
    with pytest.raises(InvalidInput, match=message):
        tasks.create(admin, **{"title": "Fine", **fields}, list_id=inbox.id)
    task = tasks.create(admin, "Fine", inbox.id).row
    with pytest.raises(InvalidInput, match=message):
        tasks.update(admin, task.id, task.version, **fields)
    assert [row.title for row in tasks.rows_for([task.id])] == ["Fine"]
    assert Task.select().count() == 1


def test_rows_come_in_the_order_asked_across_statements(admin, inbox, monkeypatch):
    # five tasks read two ids a statement, with a missing id left out
    monkeypatch.setattr(tasks, "IDS_PER_STATEMENT", 2)
    made = [tasks.create(admin, f"Task {n}", inbox.id, tags=[f"t{n}"], priority="high",
                         assignees=[admin.username] if n % 2 else []).row for n in range(5)]
    wanted = [made[3].id, made[0].id, 999_999, made[4].id, made[2].id, made[1].id]
    rows = tasks.rows_for(wanted)
    assert [(row.title, row.tags, row.assignees) for row in rows] == [
        ("Task 3", ("t3",), (admin.username,)), ("Task 0", ("t0",), ()),
        ("Task 4", ("t4",), ()), ("Task 2", ("t2",), ()),
        ("Task 1", ("t1",), (admin.username,))]
    assert tasks.rows_for([]) == []


def test_pages_of_different_tasks_run_the_same_statements(db, admin, inbox, monkeypatch):
    # the ids are parameters (one array on PostgreSQL), so every page of a list reuses the
    # statements its connection has prepared
    made = [tasks.create(admin, f"Task {n}", inbox.id).row.id for n in range(6)]
    statements: list[str] = []
    execute = db.execute_sql

    def recorded(sql, params=None, *rest, **options):
        statements.append(sql)
        return execute(sql, params, *rest, **options)

    monkeypatch.setattr(db, "execute_sql", recorded)
    assert [row.id for row in tasks.rows_for(made[:3])] == made[:3]
    first = statements[:]
    statements.clear()
    assert [row.id for row in tasks.rows_for(made[3:][::-1])] == made[3:][::-1]
    assert first and statements == first  # the ids differ, the statements do not


def test_aware_datetimes_are_stored_as_naive_utc(db, admin, inbox):
    berlin = ZoneInfo("Europe/Berlin")
    task = tasks.create(admin, "Aware", inbox.id,
                        due_at=datetime(2026, 12, 1, 12, 0, tzinfo=berlin),
                        start_at=datetime(2026, 7, 1, 12, 0, tzinfo=berlin)).row
    assert stored_text(db, task.id) == ("2026-12-01 11:00:00", "2026-07-01 10:00:00", "None")

    tasks.update(admin, task.id, task.version,
                 snoozed_until=datetime(2026, 11, 20, 9, 0, tzinfo=berlin),
                 start_at=datetime(2026, 7, 1, 10, 0))  # naive: UTC already
    assert stored_text(db, task.id) == ("2026-12-01 11:00:00", "2026-07-01 10:00:00",
                                        "2026-11-20 08:00:00")
    detail = tasks.get(task.id)
    assert (detail.row.due_at, detail.row.version) == (datetime(2026, 12, 1, 11, 0), 2)
    # the same moment in another zone is no change at all
    same = tasks.update(admin, task.id, 2, due_at=datetime(2026, 12, 1, 6, 0,
                                                           tzinfo=ZoneInfo("America/New_York")))
    assert same.row.version == 2


def stored_text(db, task_id: int) -> tuple[str, str, str]:
    """The due_at, start_at and snoozed_until of a task as the database holds them, as text."""
    row = db.execute_sql(f"SELECT due_at, start_at, snoozed_until FROM task WHERE id = {task_id}")
    return tuple(str(value) for value in row.fetchone())


def test_a_version_from_the_future_is_refused(admin, inbox):
    task = tasks.create(admin, "Now", inbox.id).row
    with pytest.raises(InvalidInput, match="version 999 does not exist; the task is at version 1"):
        tasks.update(admin, task.id, 999, title="From the future")
    assert tasks.get(task.id).row == task


def test_create_records_every_field_it_sets(admin, inbox):
    team = Team.create(name="Support")
    parent = tasks.create(admin, "Parent", inbox.id).row
    task = tasks.create(admin, "Child", inbox.id, parent_id=parent.id, team_id=team.id,
                        status="In progress", estimate_minutes=0,
                        start_at=datetime(2026, 11, 1, 8, 0)).row
    created = {row["field"]: row["new"] for row in audit.history("task", task.id)}
    assert created == {"kind": "task", "status": "In progress", "parent_id": str(parent.id),
                       "title": "Child", "priority": "normal", "team_id": str(team.id),
                       "estimate_minutes": "0", "start_at": "2026-11-01 08:00:00"}
