"""Tests for custom fields: definitions, validation per kind, canonical values and history."""

from __future__ import annotations

import pytest

from desk.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, CustomField, CustomValue, Task
from desk.work import custom_fields, tasks, workspace


@pytest.fixture
def list_id(admin) -> int:
    """The list Work/Projects with one field of every kind."""
    workspace.create_space(admin, "Work")
    list_id = workspace.create_list(admin, "Work", "Projects").id
    for name, kind in (("Hours", "number"), ("Budget", "money"), ("Go-live", "date"),
                       ("Paid", "checkbox"), ("Notes", "text")):
        custom_fields.define(admin, list_id, name, kind)
    custom_fields.define(admin, list_id, "Size", "dropdown", ["Small", "Large"])
    return list_id


@pytest.fixture
def task_id(admin, list_id) -> int:
    """A task on the list with the fields."""
    return tasks.create(admin, "Website", list_id).row.id


def current(task_id: int) -> int:
    """The version of the task as stored now (what a caller that just read it would pass)."""
    return tasks.get(task_id).row.version


def test_fields_are_listed_in_definition_order(list_id):
    fields = custom_fields.fields_for_list(list_id)

    assert [(f.name, f.kind, f.options) for f in fields] == [
        ("Hours", "number", ()), ("Budget", "money", ()), ("Go-live", "date", ()),
        ("Paid", "checkbox", ()), ("Notes", "text", ()), ("Size", "dropdown", ("Small", "Large")),
    ]


@pytest.mark.parametrize(
    ("name", "kind", "options", "message"),
    [
        ("Stage", "dropdown", [], r"field 'Stage' \(dropdown\) needs at least one option"),
        ("Hours", "number", ["1"], r"field 'Hours' \(number\) has no options"),
        ("Colour", "colour", [], "kind must be one of dropdown, number"),
        ("  ", "text", [], "needs a name"),
        ("Size", "dropdown", ["S", "s"], "option 's' is given twice"),
        ("Size", "dropdown", "S,M", "the options must be a list"),
        ("budget", "money", [], "has a field named 'budget' already"),
    ],
)
def test_bad_definitions_are_refused(admin, list_id, name, kind, options, message):
    with pytest.raises(InvalidInput, match=message):
        custom_fields.define(admin, list_id, name, kind, options)
    assert CustomField.select().count() == 6


def test_define_on_an_unknown_list(admin, list_id):
    with pytest.raises(NotFound, match="no list 999"):
        custom_fields.define(admin, 999, "Hours", "number")


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("Hours", "12.50", "12.5"),
        ("Hours", "1e3", "1000"),
        ("Hours", "-0.0", "0"),
        ("Budget", "1200.5", "1200.50"),
        ("Budget", " 99 ", "99.00"),
        ("Go-live", "2026-11-18", "2026-11-18"),
        ("Paid", "TRUE", "yes"),
        ("Paid", "no", "no"),
        ("Paid", "false", "no"),
        ("Size", "large", "Large"),
        ("Notes", "  call [b]first[/b]  ", "call [b]first[/b]"),
    ],
)
def test_values_are_stored_canonically(admin, task_id, field, typed, stored):
    assert custom_fields.set_value(admin, task_id, current(task_id), field, typed) == stored

    assert custom_fields.values_for_task(task_id) == {field: stored}


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("Budget", "lots", "field 'Budget' (money) needs an amount like 1200.50, not 'lots'"),
        ("Budget", "12.345", "field 'Budget' (money) needs an amount like 1200.50, not '12.345'"),
        ("Hours", "many", "field 'Hours' (number) needs a number like 12.5, not 'many'"),
        ("Hours", "NaN", "field 'Hours' (number) needs a number like 12.5, not 'NaN'"),
        ("Go-live", "18.11.2026",
         "field 'Go-live' (date) needs a date like 2026-11-18, not '18.11.2026'"),
        ("Paid", "maybe", "field 'Paid' (checkbox) needs yes or no, not 'maybe'"),
        ("Size", "Medium", "field 'Size' (dropdown) needs one of Small, Large, not 'Medium'"),
        ("Notes", "a\x00b", "field 'Notes' (text) cannot contain a NUL character"),
    ],
)
def test_bad_values_name_the_field_and_the_value(admin, task_id, field, typed, message):
    version = Task.get_by_id(task_id).version

    with pytest.raises(InvalidInput) as caught:
        custom_fields.set_value(admin, task_id, current(task_id), field, typed)

    assert str(caught.value) == message
    assert CustomValue.select().count() == 0
    assert Task.get_by_id(task_id).version == version


def test_setting_bumps_the_version_and_records_activity(admin, task_id):
    before = tasks.get(task_id).row.version

    custom_fields.set_value(admin, task_id, before, "budget", "1200.5")
    # the same value: no change
    custom_fields.set_value(admin, task_id, before + 1, "Budget", "1200.50")
    custom_fields.set_value(admin, task_id, before + 1, "Budget", "900")

    assert tasks.get(task_id).row.version == before + 2
    history = list(Activity.select(Activity.old, Activity.new, Activity.version)
                   .where((Activity.entity == "task") & (Activity.field == "custom:Budget"))
                   .order_by(Activity.id).tuples())
    assert history == [(None, "1200.50", before + 1), ("1200.50", "900.00", before + 2)]


def test_clearing_deletes_the_value(admin, task_id):
    custom_fields.set_value(admin, task_id, current(task_id), "Hours", "3")
    custom_fields.set_value(admin, task_id, current(task_id), "Notes", "hello")

    assert custom_fields.set_value(admin, task_id, current(task_id), "Hours", "") is None
    custom_fields.set_value(admin, task_id, current(task_id), "Notes", None)

    assert custom_fields.values_for_task(task_id) == {}
    assert CustomValue.select().count() == 0
    cleared = (Activity.select(Activity.old, Activity.new)
               .where(Activity.field == "custom:Hours").order_by(Activity.id.desc()).first())
    assert (cleared.old, cleared.new) == ("3", None)


def test_values_are_in_field_order(admin, task_id):
    custom_fields.set_value(admin, task_id, current(task_id), "Size", "small")
    custom_fields.set_value(admin, task_id, current(task_id), "Hours", "2")

    assert list(custom_fields.values_for_task(task_id).items()) == [("Hours", "2"),
                                                                     ("Size", "Small")]


def test_a_field_of_another_list_is_not_found(admin, task_id):
    other = workspace.create_list(admin, "Work", "Other").id
    custom_fields.define(admin, other, "Mood", "text")

    with pytest.raises(NotFound, match="no field named 'Mood'"):
        custom_fields.set_value(admin, task_id, current(task_id), "Mood", "happy")


def test_viewers_cannot_define_or_set(admin, list_id, task_id):
    vera = agents.add(admin, "vera", role="viewer")

    with pytest.raises(PermissionDenied):
        custom_fields.define(vera, list_id, "Mood", "text")
    with pytest.raises(PermissionDenied):
        custom_fields.set_value(vera, task_id, current(task_id), "Notes", "hi")
    assert CustomField.select().count() == 6
    assert custom_fields.values_for_task(task_id) == {}


def test_a_stale_change_of_the_same_field_conflicts_and_writes_nothing(admin, task_id):
    bob = agents.add(admin, "bob")
    read = current(task_id)
    custom_fields.set_value(admin, task_id, read, "Budget", "100")
    activities = Activity.select().count()

    with pytest.raises(ConflictError) as conflict:
        custom_fields.set_value(bob, task_id, read, "budget", "200")

    assert conflict.value.conflicts == {"custom:Budget": ("100.00", "200.00")}
    assert conflict.value.current_version == read + 1
    assert custom_fields.values_for_task(task_id) == {"Budget": "100.00"}
    assert (current(task_id), Activity.select().count()) == (read + 1, activities)


def test_stale_changes_of_other_fields_merge(admin, task_id):
    read = current(task_id)
    custom_fields.set_value(admin, task_id, read, "Budget", "100")
    tasks.update(admin, task_id, read, title="Website relaunch")

    assert custom_fields.set_value(admin, task_id, read, "Hours", "3") == "3"
    # the same value someone else saved meanwhile is no conflict either, and no change
    assert custom_fields.set_value(admin, task_id, read, "Budget", "100.0") == "100.00"

    assert custom_fields.values_for_task(task_id) == {"Hours": "3", "Budget": "100.00"}
    assert tasks.get(task_id).row.title == "Website relaunch"
    assert current(task_id) == read + 3


def test_a_version_from_the_future_is_refused(admin, task_id):
    with pytest.raises(InvalidInput,
                       match="version 9 does not exist; the task is at version 1"):
        custom_fields.set_value(admin, task_id, 9, "Hours", "3")
    assert custom_fields.values_for_task(task_id) == {}
