"""Tests for checklists: nested items, order, ticking, deleting and templates."""

from __future__ import annotations

import json

import pytest
from conftest import run_children

from desk import db as desk_db
from desk.config import ChecklistTemplateSettings, parse_settings
from desk.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents
from desk.models import (
    Activity,
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Event,
)
from desk.work import checklists, orders, tasks, workspace
from desk.work.checklists import ItemView


@pytest.fixture
def task_id(admin) -> int:
    """A task on the list Work/Inbox."""
    workspace.create_space(admin, "Work")
    task_list = workspace.create_list(admin, "Work", "Inbox")
    return tasks.create(admin, "Onboard Acme", task_list.id).row.id


def shape(items: tuple[ItemView, ...]) -> list:
    """An item tree as nested [text, done, children] lists."""
    return [[item.text, item.done, shape(item.children)] for item in items]


def checklist_fields(task_id: int) -> list[tuple[str | None, str | None]]:
    """The (old, new) pairs of the task's checklist activity, oldest first."""
    return list(Activity.select(Activity.old, Activity.new)
                .where((Activity.entity == "task") & (Activity.entity_id == task_id)
                       & (Activity.field == "checklist"))
                .order_by(Activity.id).tuples())


def item_version(item_id: int) -> int:
    """The version a checklist item is at now: what a screen that has just read it holds."""
    return ChecklistItem.get_by_id(item_id).version


def template_version(template_id: int) -> int:
    """The version a checklist template is at now, as a screen that has just read it."""
    return ChecklistTemplate.get_by_id(template_id).version


def events(kind: str) -> list[dict]:
    """The data of the events of one kind, oldest first."""
    return [json.loads(data) for (data,) in
            Event.select(Event.data).where(Event.kind == kind).order_by(Event.id).tuples()]


def test_items_nest_and_keep_their_order(admin, task_id):
    checklist = checklists.add_checklist(admin, task_id, "Onboarding")
    call = checklists.add_item(admin, checklist, "Call client")
    checklists.add_item(admin, checklist, "Send contract")
    checklists.add_item(admin, checklist, "Ask for logo", parent_id=call)
    checklists.add_item(admin, checklist, "Ask for brand colours", parent_id=call)

    (view,) = checklists.for_task(task_id)

    assert (view.id, view.name, view.progress) == (checklist, "Onboarding", (0, 4))
    assert shape(view.items) == [
        ["Call client", False, [["Ask for logo", False, []],
                                ["Ask for brand colours", False, []]]],
        ["Send contract", False, []],
    ]


def test_move_reorders_among_siblings_only(admin, task_id):
    checklist = checklists.add_checklist(admin, task_id, "Launch")
    first = checklists.add_item(admin, checklist, "A")
    second = checklists.add_item(admin, checklist, "B")
    third = checklists.add_item(admin, checklist, "C")
    child_one = checklists.add_item(admin, checklist, "B1", parent_id=second)
    checklists.add_item(admin, checklist, "B2", parent_id=second)

    checklists.move_item(admin, third, item_version(third), -1)
    checklists.move_item(admin, first, item_version(first), +1)
    # past the end stops at the end; already at the bottom: nothing changes
    checklists.move_item(admin, child_one, item_version(child_one), +5)
    checklists.move_item(admin, second, item_version(second), +1)

    (view,) = checklists.for_task(task_id)
    assert shape(view.items) == [
        ["C", False, []],
        ["A", False, []],
        ["B", False, [["B2", False, []], ["B1", False, []]]],
    ]
    assert ("C (#3)", "C (#2)") in checklist_fields(task_id)


def test_moved_item_stays_in_place_when_items_are_added(admin, task_id):
    checklist = checklists.add_checklist(admin, task_id, "Launch")
    first = checklists.add_item(admin, checklist, "A")
    checklists.add_item(admin, checklist, "B")
    checklists.move_item(admin, first, item_version(first), 1)
    checklists.add_item(admin, checklist, "C")

    (view,) = checklists.for_task(task_id)
    assert [item.text for item in view.items] == ["B", "A", "C"]


def test_checklists_of_a_task_are_in_creation_order(admin, task_id):
    checklists.add_checklist(admin, task_id, "First")
    checklists.add_checklist(admin, task_id, "Second")

    assert [view.name for view in checklists.for_task(task_id)] == ["First", "Second"]


def test_parent_must_be_on_the_same_checklist(admin, task_id):
    one = checklists.add_checklist(admin, task_id, "One")
    other = checklists.add_checklist(admin, task_id, "Other")
    parent = checklists.add_item(admin, one, "Parent")

    with pytest.raises(InvalidInput, match="not on checklist"):
        checklists.add_item(admin, other, "Child", parent_id=parent)
    assert ChecklistItem.select().count() == 1


def test_set_done_ticks_and_unticks_and_shows_in_activity(admin, task_id):
    checklist = checklists.add_checklist(admin, task_id, "Onboarding")
    item = checklists.add_item(admin, checklist, "Call client")

    assert checklists.set_done(admin, item, item_version(item), True) is True

    row = ChecklistItem.get_by_id(item)
    assert row.done and row.done_at is not None and row.done_by_id == admin.id
    assert checklist_fields(task_id)[-1] == ("[ ] Call client", "[x] Call client")

    assert checklists.set_done(admin, item, item_version(item), False) is True
    row = ChecklistItem.get_by_id(item)
    assert (row.done, row.done_at, row.done_by_id) == (False, None, None)
    assert checklist_fields(task_id)[-1] == ("[x] Call client", "[ ] Call client")


def test_ticking_a_ticked_item_keeps_it_ticked_and_records_nothing(admin, task_id):
    bob = agents.add(admin, "bob")
    checklist = checklists.add_checklist(admin, task_id, "Onboarding")
    item = checklists.add_item(admin, checklist, "Call client")
    checklists.add_item(admin, checklist, "Send contract")
    checklists.set_done(admin, item, item_version(item), True)
    history = checklist_fields(task_id)
    toggled = len(events("checklist.item_toggled"))

    # bob saw the item open and ticks it too: it stays ticked, by the first agent
    assert checklists.set_done(bob, item, 1, True) is False

    row = ChecklistItem.get_by_id(item)
    assert (row.done, row.done_by_id) == (True, admin.id)
    assert checklist_fields(task_id) == history
    assert len(events("checklist.item_toggled")) == toggled
    new = checklists.add_item(admin, checklist, "New")
    assert checklists.set_done(admin, new, 1, False) is False


def test_done_must_be_true_or_false(admin, task_id):
    item = checklists.add_item(admin, checklists.add_checklist(admin, task_id, "List"), "Call")
    with pytest.raises(InvalidInput, match="done must be true or false, not 'yes'"):
        checklists.set_done(admin, item, item_version(item), "yes")
    assert not ChecklistItem.get_by_id(item).done


def test_progress_and_the_completed_event_once(admin, task_id):
    first = checklists.add_checklist(admin, task_id, "First")
    second = checklists.add_checklist(admin, task_id, "Second")
    parent = checklists.add_item(admin, first, "Parent")
    child = checklists.add_item(admin, first, "Child", parent_id=parent)
    other = checklists.add_item(admin, second, "Other")

    checklists.set_done(admin, child, item_version(child), True)
    checklists.set_done(admin, parent, item_version(parent), True)
    assert [view.progress for view in checklists.for_task(task_id)] == [(2, 2), (0, 1)]
    assert checklists.open_items(task_id) == 1
    assert events("checklist.completed") == []
    assert tasks.get(task_id).row.checklist_done == 2

    checklists.set_done(admin, other, item_version(other), True)

    assert checklists.open_items(task_id) == 0
    assert [data["task_id"] for data in events("checklist.completed")] == [task_id]

    # ticking it again completes nothing again, nor does reopening
    checklists.set_done(admin, other, item_version(other), True)
    checklists.set_done(admin, other, item_version(other), False)
    assert len(events("checklist.completed")) == 1


def test_delete_removes_the_children_too(admin, task_id):
    checklist = checklists.add_checklist(admin, task_id, "Onboarding")
    parent = checklists.add_item(admin, checklist, "Parent")
    child = checklists.add_item(admin, checklist, "Child", parent_id=parent)
    checklists.add_item(admin, checklist, "Grandchild", parent_id=child)
    checklists.add_item(admin, checklist, "Keep")

    checklists.delete_item(admin, parent, item_version(parent))

    assert [text for (text,) in ChecklistItem.select(ChecklistItem.text).tuples()] == ["Keep"]
    (view,) = checklists.for_task(task_id)
    assert view.progress == (0, 1)
    assert checklist_fields(task_id)[-1] == ("[ ] Parent", None)


def test_delete_a_whole_checklist_at_the_items_read(admin, task_id):
    keep = checklists.add_checklist(admin, task_id, "Keep")
    checklists.add_item(admin, keep, "Stays")
    gone = checklists.add_checklist(admin, task_id, "Onboarding")
    parent = checklists.add_item(admin, gone, "Parent")
    checklists.add_item(admin, gone, "Child", parent_id=parent)
    seen = list(ChecklistItem.select(ChecklistItem.id, ChecklistItem.version)
                .where(ChecklistItem.checklist == gone).tuples())
    checklists.add_item(admin, gone, "Added by someone else")

    with pytest.raises(ConflictError, match=r"checklist \d+ was changed by someone else"):
        checklists.delete_checklist(admin, gone, seen)
    assert [view.name for view in checklists.for_task(task_id)] == ["Keep", "Onboarding"]

    seen = list(ChecklistItem.select(ChecklistItem.id, ChecklistItem.version)
                .where(ChecklistItem.checklist == gone).tuples())
    checklists.delete_checklist(admin, gone, seen)

    assert [view.name for view in checklists.for_task(task_id)] == ["Keep"]
    assert [text for (text,) in ChecklistItem.select(ChecklistItem.text).tuples()] == ["Stays"]
    assert checklist_fields(task_id)[-1] == ("Onboarding (3 items)", None)
    viewer = agents.add(admin, "vic", role="viewer")
    with pytest.raises(PermissionDenied):
        checklists.delete_checklist(viewer, keep, [])
    with pytest.raises(NotFound, match="no checklist 999"):
        checklists.delete_checklist(admin, 999, [])


def test_rename_item(admin, task_id):
    checklist = checklists.add_checklist(admin, task_id, "Onboarding")
    item = checklists.add_item(admin, checklist, "Call clinet")

    checklists.rename_item(admin, item, item_version(item), "  Call client ")

    assert ChecklistItem.get_by_id(item).text == "Call client"
    assert checklist_fields(task_id)[-1] == ("[ ] Call clinet", "[ ] Call client")
    with pytest.raises(InvalidInput, match="item text cannot be empty"):
        checklists.rename_item(admin, item, item_version(item), "   ")


def test_unknown_rows_are_not_found(admin, task_id):
    with pytest.raises(NotFound, match="no task 999"):
        checklists.add_checklist(admin, 999, "Nope")
    with pytest.raises(NotFound, match="no checklist 999"):
        checklists.add_item(admin, 999, "Nope")
    with pytest.raises(NotFound, match="no checklist item 999"):
        checklists.set_done(admin, 999, 1, True)
    assert Checklist.select().count() == 0


def test_for_task_reads_with_one_query_per_table(admin, task_id, db, monkeypatch):
    for name in ("One", "Two", "Three"):
        checklist = checklists.add_checklist(admin, task_id, name)
        parent = checklists.add_item(admin, checklist, "Parent")
        for number in range(5):
            checklists.add_item(admin, checklist, f"Child {number}", parent_id=parent)
    statements: list[str] = []
    execute = db.execute_sql

    def counted(sql, *args, **kwargs):
        statements.append(sql)
        return execute(sql, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", counted)

    views = checklists.for_task(task_id)

    assert [view.progress for view in views] == [(0, 6)] * 3
    assert len(statements) == 2


ONBOARDING = [
    "Kick-off call",
    {"Collect assets": ["Logo", {"Brand guide": ["Fonts", "Colours"]}]},
    {"Set up billing": None},
]


def test_template_apply_copies_the_whole_tree(admin, task_id):
    checklists.create_template(admin, "Onboarding", ONBOARDING, list_name="Inbox")
    checklists.add_checklist(admin, task_id, "Existing")

    checklist_id = checklists.apply_template(admin, task_id, "onboarding")

    _, applied = checklists.for_task(task_id)
    assert (applied.id, applied.name, applied.progress) == (checklist_id, "Onboarding", (0, 7))
    assert shape(applied.items) == [
        ["Kick-off call", False, []],
        ["Collect assets", False, [
            ["Logo", False, []],
            ["Brand guide", False, [["Fonts", False, []], ["Colours", False, []]]],
        ]],
        ["Set up billing", False, []],
    ]
    assert [data["checklist_id"] for data in events("checklist.applied")] == [checklist_id]
    assert checklist_fields(task_id)[-1] == (None, "Onboarding")


def test_templates_list_their_trees(admin, task_id):
    list_id = workspace.find_list("Inbox").id
    checklists.create_template(admin, "Offboarding", ["Revoke access", {"Archive": ["Files"]}])
    checklists.create_template(admin, "Onboarding", ONBOARDING, list_name="Inbox")

    offboarding, onboarding = checklists.templates()

    assert (offboarding.name, offboarding.list_id) == ("Offboarding", None)
    assert shape(offboarding.items) == [["Revoke access", False, []],
                                        ["Archive", False, [["Files", False, []]]]]
    assert (onboarding.name, onboarding.list_id) == ("Onboarding", list_id)
    assert [item.text for item in onboarding.items[1].children] == ["Logo", "Brand guide"]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([], "needs at least one item"),
        ("Call", "the items must be a list"),
        (["Call", {"Collect": ["Logo", 3]}], "item 2.2 must be a text"),
        (["Call", {"A": [], "B": []}], "item 2 must be a text"),
        ([{"Collect": "Logo"}], "the children of item 1 must be a list"),
        (["Call", "  "], "item 2 cannot be empty"),
    ],
)
def test_template_items_are_checked(admin, items, message):
    with pytest.raises(InvalidInput, match=message):
        checklists.create_template(admin, "Broken", items)
    assert ChecklistTemplateItem.select().count() == 0


def test_template_names_are_unique_and_must_exist(admin, task_id):
    checklists.create_template(admin, "Onboarding", ["Call"])

    with pytest.raises(InvalidInput, match="exists already"):
        checklists.create_template(admin, "ONBOARDING", ["Other"])
    with pytest.raises(NotFound, match="no checklist template named 'Missing'"):
        checklists.apply_template(admin, task_id, "Missing")
    assert Checklist.select().count() == 0
    assert ChecklistTemplateItem.select().count() == 1


def test_viewers_cannot_change_checklists(admin, task_id):
    vera = agents.add(admin, "vera", role="viewer")
    checklist = checklists.add_checklist(admin, task_id, "Onboarding")
    item = checklists.add_item(admin, checklist, "Call client")
    checklists.create_template(admin, "Onboarding", ["Call"])

    for attempt in (
        lambda: checklists.add_checklist(vera, task_id, "Mine"),
        lambda: checklists.add_item(vera, checklist, "Mine"),
        lambda: checklists.set_done(vera, item, 1, True),
        lambda: checklists.rename_item(vera, item, 1, "Mine"),
        lambda: checklists.move_item(vera, item, 1, 1),
        lambda: checklists.delete_item(vera, item, 1),
        lambda: checklists.create_template(vera, "Mine", ["Mine"]),
        lambda: checklists.apply_template(vera, task_id, "Onboarding"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()

    (view,) = checklists.for_task(task_id)
    assert shape(view.items) == [["Call client", False, []]]


# --- templates applied by list ---------------------------------------------------------------


def names(task_id: int) -> list[str]:
    """The names of a task's checklists, in order."""
    return [view.name for view in checklists.for_task(task_id)]


def test_new_tasks_of_a_list_get_its_templates_in_one_go(admin, task_id):
    inbox = workspace.find_list("Inbox").id
    checklists.create_template(admin, "Triage", ["Read"], list_name="Inbox")
    checklists.create_template(admin, "Acknowledge", ["Reply"], list_name="Work/Inbox")
    checklists.create_template(admin, "Elsewhere", ["Other"])

    created = tasks.create(admin, "New request", inbox)

    assert names(created.row.id) == ["Acknowledge", "Triage"]
    assert (created.row.checklist_done, created.row.checklist_total) == (0, 2)
    assert names(task_id) == []  # created before: templates apply to new tasks only
    applied = [data["template"] for data in events("checklist.applied")]
    assert applied == ["Acknowledge", "Triage"]


def test_subtasks_and_callers_with_their_own_checklist_get_none(admin, task_id):
    inbox = workspace.find_list("Inbox").id
    checklists.create_template(admin, "Triage", ["Read"], list_name="Inbox")

    subtask = tasks.create(admin, "Part", inbox, parent_id=task_id)
    own = tasks.create(admin, "Own checklist", inbox, list_templates=False)

    assert names(subtask.row.id) == [] and names(own.row.id) == []


def test_a_failing_list_template_creates_no_task(admin, task_id, monkeypatch):
    checklists.create_template(admin, "Triage", ["Read"], list_name="Inbox")
    before = tasks.rows_for([task_id])

    def broken(*args):
        raise InvalidInput("broken")

    monkeypatch.setattr("desk.work.checklists.templating._apply", broken)
    with pytest.raises(InvalidInput, match="broken"):
        tasks.create(admin, "New request", workspace.find_list("Inbox").id)
    assert [row.id for row in tasks.rows_for([task_id, task_id + 1])] == [before[0].id]


# --- editing templates -----------------------------------------------------------------------


def template_activity(template_id: int) -> list[tuple[str, str | None, str | None]]:
    """The (field, old, new) activity of a template, oldest first."""
    return list(Activity.select(Activity.field, Activity.old, Activity.new)
                .where((Activity.entity == "checklist_template")
                       & (Activity.entity_id == template_id))
                .order_by(Activity.id).tuples())


def test_templates_show_their_list_name_and_item_count(admin, task_id):
    checklists.create_template(admin, "Onboarding", ONBOARDING, list_name="Inbox")

    (view,) = checklists.templates()

    assert (view.list_name, view.item_count) == ("Inbox", 7)
    assert checklists.template(view.id) == view
    with pytest.raises(NotFound, match="no checklist template 99"):
        checklists.template(99)


def test_update_template_changes_name_items_and_list_with_history(admin, task_id):
    template_id = checklists.create_template(admin, "Onboarding", ["Call"])

    view = checklists.update_template(admin, template_id, template_version(template_id),
                                      name="Client onboarding",
                                      items=["Call", {"Contract": ["Sign"]}],
                                      list_name="Inbox")

    assert (view.name, view.list_name, shape(view.items)) == (
        "Client onboarding", "Inbox",
        [["Call", False, []], ["Contract", False, [["Sign", False, []]]]])
    assert template_activity(template_id) == [
        ("name", None, "Onboarding"), ("items", None, "Call"),
        ("name", "Onboarding", "Client onboarding"), ("list", None, "Work/Inbox"),
        ("items", "Call", "Call, Contract [Sign]"),
    ]
    unlisted = checklists.update_template(admin, template_id, template_version(template_id),
                                          list_name=None)
    assert (unlisted.name, unlisted.list_id, unlisted.item_count) == ("Client onboarding",
                                                                      None, 3)
    assert template_activity(template_id)[-1] == ("list", "Work/Inbox", None)
    assert [kind for (kind,) in Event.select(Event.kind).where(Event.entity ==
            "checklist_template").order_by(Event.id).tuples()] == [
        "checklist_template.created", "checklist_template.updated",
        "checklist_template.updated"]


def test_update_template_that_changes_nothing_records_nothing(admin, task_id):
    template_id = checklists.create_template(admin, "Onboarding", ["Call"], list_name="Inbox")
    before = template_activity(template_id)

    checklists.update_template(admin, template_id, template_version(template_id),
                               name="Onboarding", items=["Call"], list_name="Inbox")
    checklists.update_template(admin, template_id, template_version(template_id))

    assert template_activity(template_id) == before


def test_applied_checklists_keep_their_items_when_the_template_changes(admin, task_id):
    template_id = checklists.create_template(admin, "Onboarding", ["Call"])
    checklists.apply_template(admin, task_id, "Onboarding")

    checklists.update_template(admin, template_id, template_version(template_id), items=["Write"])

    assert [item.text for item in checklists.for_task(task_id)[0].items] == ["Call"]


@pytest.mark.parametrize(("changes", "error", "message"), [
    ({"name": "offboarding"}, InvalidInput, "a checklist template named 'offboarding' exists"),
    ({"name": " "}, InvalidInput, "the template name cannot be empty"),
    ({"items": []}, InvalidInput, "a checklist template needs at least one item"),
    ({"items": ["Call", {"A": [3]}]}, InvalidInput, "item 2.1 must be a text"),
    ({"list_name": "Nowhere"}, NotFound, "no list named 'Nowhere'"),
])
def test_bad_template_changes_change_nothing(admin, task_id, changes, error, message):
    template_id = checklists.create_template(admin, "Onboarding", ["Call"])
    checklists.create_template(admin, "Offboarding", ["Revoke"])
    before = (checklists.template(template_id), Activity.select().count())

    with pytest.raises(error, match=message):
        checklists.update_template(admin, template_id, template_version(template_id), **changes)

    assert (checklists.template(template_id), Activity.select().count()) == before


def test_delete_template_removes_it_and_its_items(admin, task_id):
    template_id = checklists.create_template(admin, "Onboarding", ONBOARDING)
    checklists.apply_template(admin, task_id, "Onboarding")

    checklists.delete_template(admin, template_id, template_version(template_id))

    assert ChecklistTemplate.select().count() == 0 and ChecklistTemplateItem.select().count() == 0
    assert template_activity(template_id)[-1] == ("name", "Onboarding", None)
    assert names(task_id) == ["Onboarding"]  # the copy stays
    with pytest.raises(NotFound, match="no checklist template 1"):
        checklists.delete_template(admin, template_id, 1)


def test_a_template_products_use_cannot_be_deleted(admin, task_id):
    template_id = checklists.create_template(admin, "Launch", ["Kick-off"])
    orders.create_product(admin, "Website", checklist_template="Launch")
    orders.create_product(admin, "Shop", checklist_template="Launch")

    with pytest.raises(InvalidInput, match="'Launch' is the checklist of Shop, Website; give "
                                           "those products another one first"):
        checklists.delete_template(admin, template_id, template_version(template_id))
    assert ChecklistTemplate.select().count() == 1


def test_viewers_cannot_edit_templates(admin, task_id):
    vera = agents.add(admin, "vera", role="viewer")
    template_id = checklists.create_template(admin, "Onboarding", ["Call"], list_name="Inbox")

    for attempt in (lambda: checklists.update_template(vera, template_id, 1, name="Mine"),
                    lambda: checklists.delete_template(vera, template_id, 1),
                    lambda: checklists.apply_list_templates(vera, task_id,
                                                            workspace.find_list("Inbox").id)):
        with pytest.raises(PermissionDenied):
            attempt()
    assert checklists.template(template_id).name == "Onboarding"
    assert checklists.seed_templates(vera, {"New": ChecklistTemplateSettings(["A"])}) == []
    assert ChecklistTemplate.select().count() == 1


# --- seeding from the config -----------------------------------------------------------------


SEEDS = parse_settings("""\
checklist_templates:
  Onboarding:
    list: Inbox
    items:
      - Kick-off call
      - Collect assets: [Logo, {Brand guide: [Fonts]}]
  Offboarding:
    items: [Revoke access]
""").checklist_templates


def test_seeding_creates_the_missing_templates_once(admin, task_id):
    assert checklists.seed_templates(admin, SEEDS) == ["Onboarding", "Offboarding"]
    assert checklists.seed_templates(admin, SEEDS) == []

    offboarding, onboarding = checklists.templates()
    assert (onboarding.list_name, shape(onboarding.items)) == ("Inbox", [
        ["Kick-off call", False, []],
        ["Collect assets", False, [["Logo", False, []],
                                   ["Brand guide", False, [["Fonts", False, []]]]]]])
    assert (offboarding.list_name, offboarding.item_count) == (None, 1)
    assert template_activity(onboarding.id)[0] == ("name", None, "Onboarding")


def test_seeding_leaves_edited_renamed_and_deleted_templates_alone(admin, task_id):
    checklists.seed_templates(admin, SEEDS)
    onboarding = next(view for view in checklists.templates() if view.name == "Onboarding")
    offboarding = next(view for view in checklists.templates() if view.name == "Offboarding")
    checklists.update_template(admin, onboarding.id, onboarding.version, name="Welcome",
                               items=["Say hello"])
    checklists.delete_template(admin, offboarding.id, offboarding.version)

    assert checklists.seed_templates(admin, SEEDS) == []
    (kept,) = checklists.templates()
    assert (kept.name, shape(kept.items)) == ("Welcome", [["Say hello", False, []]])


def test_seeding_never_touches_a_template_of_the_same_name(admin, task_id):
    checklists.create_template(admin, "onboarding", ["Our own"])

    assert checklists.seed_templates(admin, SEEDS) == ["Offboarding"]
    own = next(view for view in checklists.templates() if view.name == "onboarding")
    assert (own.list_id, shape(own.items)) == (None, [["Our own", False, []]])


def test_a_seed_whose_list_is_missing_waits_for_it(admin):
    assert checklists.seed_templates(admin, SEEDS) == ["Offboarding"]

    workspace.create_space(admin, "Work")
    workspace.create_list(admin, "Work", "Inbox")

    assert checklists.seed_templates(admin, SEEDS) == ["Onboarding"]


def test_a_seed_the_database_refuses_names_its_config_key(admin, task_id):
    seeds = {"Long": ChecklistTemplateSettings(["x" * 501])}

    with pytest.raises(InvalidInput, match=r"checklist_templates.Long: the item 1 can have at "
                                           r"most 500 characters"):
        checklists.seed_templates(admin, seeds)
    assert ChecklistTemplate.select().count() == 0


def seed_in_child(url: str, barrier, results) -> None:
    """Child process: seed SEEDS at the same moment as the other children; reports the names
    it created, or the error."""
    try:
        desk_db.connect(url)
        agent = agents.acting()
        barrier.wait(60)
        results.put(checklists.seed_templates(agent, SEEDS))
    except Exception as error:  # reported to the parent, which fails the test
        results.put(f"{type(error).__name__}: {error}")


@pytest.mark.serial
def test_desks_seeding_at_once_create_each_template_once(admin, task_id, db_url):
    reports = run_children(seed_in_child, [(db_url,)] * 3)

    assert all(isinstance(report, list) for report in reports), reports
    assert sorted(name for report in reports for name in report) == ["Offboarding",
                                                                     "Onboarding"]
    assert ChecklistTemplate.select().count() == 2
