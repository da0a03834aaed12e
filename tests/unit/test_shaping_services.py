"""The services that arrange the workspace: an archived space or list leaves the sidebar and
the default listings with its tasks kept and found by a query that names it; an edit read at
an old version is refused; a reorder numbers the rows again."""

from __future__ import annotations

import pytest

from desk.errors import ConflictError, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Space, Status, Task, TaskList
from desk.work import listing, outline, tasks, workspace
from desk.work.shaping import arranging
from desk.work.shaping import statuses as status_edits


@pytest.fixture
def shop(admin) -> dict[str, int]:
    """Two spaces: Sales (Leads, Orders) and Support (Inbox), a task in each list."""
    ids = {}
    for space, lists in (("Sales", ("Leads", "Orders")), ("Support", ("Inbox",))):
        workspace.create_space(admin, space)
        for name in lists:
            ids[name] = workspace.create_list(admin, space, name).id
            tasks.create(admin, f"{name} task", ids[name])
    return ids


def titles(context, query: str = "") -> set[str]:
    """The titles the default listing (and the tasks screen's "All tasks") shows for `query`."""
    listed = {row.title for row in listing.task_page(query, context, limit=50).rows}
    assert outline_titles(context, query, None) == listed
    return listed


def outline_titles(context, query: str, list_id: int | None) -> set[str]:
    """The titles the tasks screen shows for `query` in a list (None: "All tasks")."""
    lines = outline.Outline(outline.View(query, list_id), context).page(0, 50).rows
    return {line.task.title for line in lines if line.task is not None}


def sidebar() -> list[tuple[str, list[str]]]:
    """What the sidebar lists: each space with its lists."""
    return [(space["name"], [entry["name"] for entry in space["lists"]])
            for space in workspace.tree()]


def test_an_archived_list_leaves_the_sidebar_and_default_listings_but_keeps_its_tasks(
        admin, shop, context):
    done = arranging.archive_list(admin, "Orders")
    assert (done.name, done.tasks) == ("Orders", 1)
    assert sidebar() == [("Sales", ["Leads"]), ("Support", ["Inbox"])]
    assert titles(context) == {"Leads task", "Inbox task"}
    assert titles(context, "list:Orders") == {"Orders task"}
    assert titles(context, "space:Sales") == {"Leads task", "Orders task"}
    assert outline_titles(context, "", shop["Orders"]) == {"Orders task"}  # shown by id
    assert workspace.find_list("Orders").archived
    arranging.restore_list(admin, "Orders")
    assert titles(context) == {"Leads task", "Orders task", "Inbox task"}
    assert sidebar() == [("Sales", ["Leads", "Orders"]), ("Support", ["Inbox"])]


def test_an_archived_space_hides_its_lists_and_their_tasks(admin, shop, context):
    assert arranging.archive_space(admin, "sales").tasks == 2
    assert sidebar() == [("Support", ["Inbox"])]
    assert titles(context) == {"Inbox task"}
    assert titles(context, "space:Sales") == {"Leads task", "Orders task"}
    assert [entry["archived"] for entry in workspace.tree(archived=True)] == [True, False]
    arranging.restore_space(admin, "Sales")
    assert titles(context) == {"Leads task", "Orders task", "Inbox task"}


def test_an_edit_of_a_field_changed_since_it_was_read_is_refused(admin, shop):
    read = workspace.get_list(shop["Orders"]).version
    arranging.reorder_list(admin, "Orders", 1, version=read)  # someone else moves it first
    with pytest.raises(ConflictError):
        arranging.reorder_list(admin, "Orders", 2, version=read)
    assert sidebar()[0] == ("Sales", ["Orders", "Leads"])
    arranging.archive_list(admin, "Orders", version=read)  # another field: the two merge
    assert workspace.find_list("Orders").archived
    status = status_edits.rows(shop["Orders"])[0]
    status_edits.rename(admin, shop["Orders"], status.name, "Queued", version=status.version)
    with pytest.raises(ConflictError):
        status_edits.rename(admin, shop["Orders"], "Queued", "Later", version=status.version)
    assert status_edits.rows(shop["Orders"])[0].name == "Queued"


def test_reordering_numbers_the_rows_again_and_records_the_move(admin, shop):
    arranging.move_space(admin, "Support", 1)
    arranging.reorder_list(admin, "Orders", 1)
    status_edits.move(admin, shop["Orders"], "Closed", 2)
    assert sidebar() == [("Support", ["Inbox"]), ("Sales", ["Orders", "Leads"])]
    assert [row.position for row in Space.select().order_by(Space.position)] == [1, 2]
    assert [row.name for row in status_edits.rows(shop["Orders"])] == [
        "To do", "Closed", "In progress", "Done"]
    moved = Activity.get((Activity.entity == "list") & (Activity.field == "position"))
    assert (moved.entity_id, moved.old, moved.new) == (shop["Orders"], "2", "1")


def test_adding_a_status_or_archiving_takes_an_admin_as_the_database_has_it(admin, shop):
    agents.add(admin, "sam", role="agent")
    sam = agents.acting("sam")
    with pytest.raises(PermissionDenied):
        status_edits.add(sam, shop["Orders"], "Later", "open")
    with pytest.raises(PermissionDenied):
        arranging.archive_list(sam, "Orders")
    assert Status.select().where(Status.name == "Later").count() == 0
    assert TaskList.get_by_id(shop["Orders"]).archived_at is None


def test_removing_a_status_moves_its_tasks_with_their_category_and_history(admin, shop):
    orders = shop["Orders"]
    task = tasks.create(admin, "Ship it", orders, status="In progress").row
    assert status_edits.removal(orders, "In progress", "Done") == 1
    assert status_edits.remove(admin, orders, "In progress", "Done") == 1
    moved = Task.get_by_id(task.id)
    assert (moved.status.name, moved.category, moved.closed_at is not None, moved.version) == (
        "Done", "done", True, task.version + 1)
    changes = Activity.select().where((Activity.entity == "task")
                                      & (Activity.entity_id == task.id)
                                      & (Activity.field == "status"))
    assert [(row.old, row.new) for row in changes.order_by(Activity.id)] == [
        (None, "In progress"), ("In progress", "Done")]
    assert [row.name for row in status_edits.rows(orders)] == ["To do", "Done", "Closed"]


def test_removing_a_field_keeps_each_value_in_its_tasks_history(admin, shop):
    from desk.work import custom_fields
    from desk.work.shaping import fields as field_edits

    orders = shop["Orders"]
    field_edits.add(admin, orders, "Size", "dropdown", ["S", "M"])
    task = tasks.create(admin, "Jumper", orders).row
    custom_fields.set_value(admin, task.id, task.version, "size", "m")
    assert field_edits.usage(orders, "Size") == 1
    assert field_edits.remove(admin, orders, "Size") == 1
    assert custom_fields.fields_for_list(orders) == []
    assert custom_fields.values_for_task(task.id) == {}
    cleared = Activity.select().where((Activity.entity == "task")
                                      & (Activity.entity_id == task.id)
                                      & (Activity.new.is_null()))
    assert [(row.field, row.old) for row in cleared] == [("custom:Size", "M")]
    assert tasks.get(task.id).row.version == task.version + 2  # the value, then its removal


def test_a_rename_read_at_an_old_version_is_refused(admin, shop):
    read = workspace.get_list(shop["Leads"]).version
    workspace.rename_list(admin, "Leads", "Prospects", read)
    with pytest.raises(ConflictError):
        workspace.rename_list(admin, "Prospects", "Pipeline", read)
    assert [name for name, _ in sidebar()] == ["Sales", "Support"]
    assert sidebar()[0][1] == ["Prospects", "Orders"]
