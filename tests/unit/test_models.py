"""The schema itself guards the data: checks, uniqueness and foreign keys hold on both backends,
even for a write that bypasses the services."""

from __future__ import annotations

import pytest
from peewee import IntegrityError

from desk.models import (
    Agent,
    Client,
    Occurrence,
    QueryData,
    RecurringSeries,
    SavedView,
    Space,
    Status,
    Task,
    TaskList,
    database,
)


@pytest.fixture
def task_list(db):
    """A list with one open status."""
    space = Space.create(name="S")
    task_list = TaskList.create(space=space, name="L")
    Status.create(task_list=task_list, name="To do", category="open")
    return task_list


def task(task_list, **fields) -> Task:
    """A task with sensible defaults."""
    values = {"task_list": task_list, "status": task_list.statuses.get(), "category": "open",
              "title": "t"} | fields
    return Task.create(**values)


@pytest.mark.parametrize("fields", [
    {"kind": "ticket"}, {"priority": 0}, {"priority": 6}, {"category": "later"},
])
def test_task_checks_refuse_impossible_values(task_list, fields):
    with pytest.raises(IntegrityError), database.atomic():
        task(task_list, **fields)
    assert Task.select().count() == 0


@pytest.mark.parametrize("fields", [
    {"kind": "partner"}, {"lifecycle_stage": "happy"}, {"lead_score": 101},
    {"lead_score": -1}, {"retainer_cycle": "weekly"}, {"contact_cadence_days": 0},
])
def test_client_checks_refuse_impossible_values(db, fields):
    with pytest.raises(IntegrityError), database.atomic():
        Client.create(name="C", **fields)
    assert Client.select().count() == 0


def test_csat_is_between_one_and_five(task_list):
    query = task(task_list, kind="query")
    with pytest.raises(IntegrityError), database.atomic():
        QueryData.create(task=query, csat_score=6)


def test_roles_are_admin_agent_or_viewer(db):
    with pytest.raises(IntegrityError), database.atomic():
        Agent.create(username="x", name="x", role="owner")


def test_an_occurrence_exists_once_per_series_and_date(task_list):
    template = task(task_list)
    series = RecurringSeries.create(task=template, rule="FREQ=DAILY",
                                    starts_at="2026-01-01 09:00:00")
    Occurrence.create(series=series, occurs_at="2026-01-02 09:00:00")
    with pytest.raises(IntegrityError), database.atomic():
        Occurrence.create(series=series, occurs_at="2026-01-02 09:00:00")
    assert Occurrence.select().count() == 1


def test_a_shared_saved_view_name_is_unique_per_scope(db):
    SavedView.create(scope="tasks", name="Mine", query="@me")
    with pytest.raises(IntegrityError), database.atomic():
        SavedView.create(scope="tasks", name="Mine", query="#x")
    SavedView.create(scope="clients", name="Mine", query="@me")


def test_a_list_cannot_vanish_under_its_tasks(task_list):
    task(task_list)
    with pytest.raises(IntegrityError), database.atomic():
        TaskList.delete().where(TaskList.id == task_list.id).execute()


def test_deleting_a_task_deletes_its_subtasks(task_list):
    parent = task(task_list)
    task(task_list, parent=parent)
    Task.delete().where(Task.id == parent.id).execute()
    assert Task.select().count() == 0
