"""desk spaces, desk lists and desk statuses: an admin shapes the workspace from the command
line, every change is in the history, and a mistake is one line that changes nothing."""

from __future__ import annotations

import pytest

from desk.kernel import agents
from desk.kernel.access import identity
from desk.models import Activity, CustomField, Space, Status, Task, TaskList
from desk.work import custom_fields, tasks


@pytest.fixture
def desk(new_workspace, run_desk):
    """`desk ARGS...` on a new workspace made with the support template."""
    assert run_desk("init", "--template", "support")[0] == 0
    return run_desk


def shape() -> dict[str, list[str]]:
    """Every "Space / List" with its "status (category)" entries in order."""
    return {f"{row.space.name} / {row.name}": [
        f"{status.name} ({status.category})" for status in
        Status.select().where(Status.task_list == row).order_by(Status.position)]
        for row in TaskList.select()}


def test_an_admin_adds_and_renames_spaces_lists_and_statuses(desk):
    assert desk("spaces", "add", "Sales")[:2] == (0, "added the space Sales\n")
    assert desk("lists", "add", "Orders", "--space", "Sales", "--statuses",
                "Received:open, Doing:active,Fulfilled:done")[0] == 0
    assert desk("lists", "rename", "Sales/Orders", "Customer orders")[0] == 0
    assert desk("spaces", "rename", "Sales", "Commerce")[0] == 0
    assert desk("statuses", "Customer orders", "add", "Invoiced", "--category", "closed")[0] == 0
    assert shape()["Commerce / Customer orders"] == [
        "Received (open)", "Doing (active)", "Fulfilled (done)", "Invoiced (closed)"]
    assert desk("lists")[1] == "Support\n  Support inbox\nCommerce\n  Customer orders\n"
    assert desk("statuses", "Customer orders")[1].splitlines()[1:3] == [
        "Received   open      0", "Doing      active    0"]
    renamed = {(row.entity, row.old, row.new) for row in
               Activity.select().where(Activity.field == "name")}
    assert {("space", "Sales", "Commerce"), ("list", "Orders", "Customer orders")} <= renamed


@pytest.mark.parametrize(("args", "message"), [
    (("lists", "add", "X", "--space", "Nope"), "desk: no space named 'Nope'\n"),
    (("lists", "add", "X", "--space", "Support", "--statuses", "Open:open,Bad"),
     "desk: --statuses: 'Bad' is not NAME:CATEGORY with a category of open, active, done, "
     "closed\n"),
    (("lists", "add", "Support inbox", "--space", "Support"),
     "desk: space 'Support' has a list named 'Support inbox' already\n"),
    (("spaces", "rename", "Nope", "Other"), "desk: no space named 'Nope'\n"),
    (("spaces", "add", "Support"), "desk: a space named 'Support' exists already\n"),
    (("statuses", "Support inbox", "add", "open", "--category", "open"),
     "desk: the list has a status named 'open' already\n"),
])
def test_a_mistake_is_one_line_and_changes_nothing(desk, args, message):
    before = (shape(), [space.name for space in Space.select()], Activity.select().count())
    status, out, err = desk(*args)
    assert (status, out, err) == (1, "", message)
    assert (shape(), [space.name for space in Space.select()],
            Activity.select().count()) == before


def test_a_viewer_sees_the_shape_and_changes_nothing(desk):
    boss = agents.acting()
    agents.add(boss, "boss2", role="admin")
    agents.set_role(agents.acting("boss2"), identity.os_account(), "viewer")
    assert desk("spaces")[0] == 0
    before = shape()
    for args in (("spaces", "add", "Sales"), ("lists", "rename", "Support inbox", "Inbox"),
                 ("statuses", "Support inbox", "add", "Later", "--category", "open")):
        status, _, err = desk(*args)
        assert status == 1 and "viewer" in err, args
    assert shape() == before


def new_task(title: str, status: str = "New") -> None:
    """A task in the Support inbox, made by the admin."""
    tasks.create(agents.acting(), title, TaskList.get(TaskList.name == "Support inbox").id,
                 status=status)


def history(entity: str, entity_id: int) -> list[tuple[str, str | None, str | None]]:
    """The (field, old, new) entries of a row's history, oldest first."""
    return [(row.field, row.old, row.new) for row in Activity.select()
            .where((Activity.entity == entity) & (Activity.entity_id == entity_id))
            .order_by(Activity.id)]


def test_lists_move_between_spaces_reorder_and_spaces_reorder(desk):
    assert desk("spaces", "add", "Sales")[0] == 0
    for name in ("Leads", "Orders"):
        assert desk("lists", "add", name, "--space", "Sales")[0] == 0
    assert desk("lists", "reorder", "Orders", "--position", "1")[1] == (
        "put the list Sales / Orders at place 1\n")
    assert desk("lists", "move", "Leads", "--space", "Support")[1] == (
        "moved the list to Support / Leads\n")
    assert desk("spaces", "move", "Sales", "--to-position", "1")[1] == (
        "moved the space Sales from place 2 to 1\n")
    assert desk("lists")[1] == "Sales\n  Orders\nSupport\n  Support inbox\n  Leads\n"
    leads = TaskList.get(TaskList.name == "Leads")
    assert ("space_id", "Sales", "Support") in history("list", leads.id)
    assert leads.version == 2


def test_an_archived_list_is_hidden_and_its_tasks_kept_until_it_is_restored(desk):
    new_task("Call back Ada")
    status, out, _ = desk("lists", "archive", "Support inbox")
    assert status == 0 and out.startswith("archived the list Support inbox and kept its 1 task")
    assert desk("lists")[1] == "Support\n"
    assert desk("lists", "--archived")[1] == "Support\n  Support inbox (archived)\n"
    assert "Call back Ada" not in desk("ls")[1]
    assert "Call back Ada" in desk("ls", 'list:"Support inbox"')[1]
    assert "Call back Ada" in desk("ls", "space:Support")[1]
    assert desk("lists", "archive", "Support inbox")[2] == (
        "desk: the list 'Support inbox' is archived already\n")
    assert desk("lists", "restore", "Support inbox")[0] == 0
    assert "Call back Ada" in desk("ls")[1]
    inbox = TaskList.get(TaskList.name == "Support inbox")
    assert [entry[1:] for entry in history("list", inbox.id) if entry[0] == "archived_at"] == [
        ("no", "yes"), ("yes", "no")]


def test_an_archived_space_hides_its_lists(desk):
    assert desk("spaces", "archive", "Support")[1] == (
        "archived the space Support with its lists and their 0 tasks\n")
    assert desk("spaces")[1] == ""
    assert desk("spaces", "--archived")[1] == "Support (archived)\n  Support inbox\n"
    assert desk("spaces", "restore", "Support")[0] == 0
    assert desk("spaces")[1] == "Support\n  Support inbox\n"


def statuses_of(list_name: str) -> list[tuple[str, str, str]]:
    """(name, category, colour) of a list's statuses in order."""
    return [(row.name, row.category, row.colour) for row in Status.select().join(TaskList)
            .where(TaskList.name == list_name).order_by(Status.position)]


def test_an_admin_renames_reorders_recolours_and_recategorises_statuses(desk):
    assert desk("statuses", "Support inbox", "rename", "Waiting on customer", "Waiting")[0] == 0
    assert desk("statuses", "Support inbox", "move", "Closed", "--position", "1")[0] == 0
    assert desk("statuses", "Support inbox", "colour", "open", "#3A7")[1] == (
        "the status open of Support / Support inbox is now #33aa77\n")
    new_task("Refund", "Waiting")
    assert desk("statuses", "Support inbox", "category", "Waiting", "done")[1] == (
        "the status Waiting of Support / Support inbox is now done; 1 task followed\n")
    assert statuses_of("Support inbox") == [
        ("Closed", "closed", ""), ("New", "open", ""), ("Open", "active", "#33aa77"),
        ("Waiting", "done", ""), ("Resolved", "done", "")]
    refund = Task.get(Task.title == "Refund")
    assert (refund.category, refund.closed_at is not None, refund.version) == ("done", True, 2)
    assert ("category", "active", "done") in history("task", refund.id)
    assert desk("statuses", "Support inbox")[1].splitlines()[3] == (
        "Open      active    0      #33aa77")


def test_removing_a_status_with_tasks_asks_first_then_moves_them(desk, monkeypatch):
    new_task("Refund")
    refused = desk("statuses", "Support inbox", "remove", "New", "--to", "Open")
    assert refused == (1, "", "desk: removing the status New of Support / Support inbox moves "
                              "its 1 task to Open; add --yes to go ahead\n")
    assert desk("statuses", "Support inbox", "remove", "New")[2] == (
        "desk: status 'New' holds 1 task: name the status they move to\n")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda question: "n")
    assert desk("statuses", "Support inbox", "remove", "New", "--to", "Open")[:2] == (1, "")
    assert Task.get(Task.title == "Refund").status.name == "New"
    monkeypatch.setattr("builtins.input", lambda question: "yes")
    assert desk("statuses", "Support inbox", "remove", "New", "--to", "Open")[1] == (
        "removed the status New from Support / Support inbox; 1 task moved to Open\n")
    refund = Task.get(Task.title == "Refund")
    assert (refund.status.name, refund.version) == ("Open", 2)
    assert ("status", "New", "Open") in history("task", refund.id)
    assert [name for name, _, _ in statuses_of("Support inbox")] == [
        "Open", "Waiting on customer", "Resolved", "Closed"]


def test_a_list_keeps_a_status_for_work_not_done_and_for_work_done(desk):
    for status in ("New", "Waiting on customer"):
        assert desk("statuses", "Support inbox", "remove", status)[0] == 0
    assert desk("statuses", "Support inbox", "category", "Open", "done")[2] == (
        "desk: the list would have no status for work not done (open or active); add one "
        "first\n")
    assert desk("statuses", "Support inbox", "remove", "Open", "--yes")[2] == (
        "desk: the list would have no status for work not done (open or active); add one "
        "first\n")
    assert desk("statuses", "Support inbox", "remove", "Resolved")[0] == 0
    assert desk("statuses", "Support inbox", "remove", "Closed")[2] == (
        "desk: the list would have no status for work done (done or closed); add one first\n")


def test_an_admin_adds_renames_edits_and_removes_custom_fields(desk, monkeypatch):
    assert desk("fields", "Support inbox", "add", "Size", "--type", "dropdown", "--options",
                "S, M,L")[1] == "added the field Size (dropdown: S, M, L) to Support / " \
                                "Support inbox\n"
    assert desk("fields", "Support inbox", "add", "Budget", "--type", "money")[0] == 0
    assert desk("fields", "Support inbox", "rename", "size", "Shirt size")[0] == 0
    assert desk("fields", "Support inbox", "options", "Shirt size", "S,M,L,XL")[0] == 0
    assert desk("fields", "Support inbox")[1].splitlines() == [
        "FIELD       TYPE      OPTIONS", "Shirt size  dropdown  S, M, L, XL", "Budget      money"]
    task = tasks.create(agents.acting(), "Jumper", TaskList.get().id).row
    custom_fields.set_value(agents.acting(), task.id, task.version, "Shirt size", "xl")
    assert desk("fields", "Support inbox", "options", "Shirt size", "S,M")[2] == (
        "desk: option 'XL' is held by 1 task; keep it, or change those tasks first\n")
    assert desk("fields", "Support inbox", "remove", "Shirt size")[2] == (
        "desk: removing the field Shirt size of Support / Support inbox clears its value on 1 "
        "task; add --yes to go ahead\n")
    assert desk("fields", "Support inbox", "remove", "Shirt size", "--yes")[1] == (
        "removed the field Shirt size from Support / Support inbox; 1 value cleared (kept in "
        "the tasks' history)\n")
    assert ("custom:Shirt size", "XL", None) in history("task", task.id)
    assert [field.name for field in CustomField.select()] == ["Budget"]


@pytest.mark.parametrize(("args", "message"), [
    (("lists", "move", "Support inbox", "--space", "Nope"), "desk: no space named 'Nope'\n"),
    (("lists", "move", "Support inbox", "--space", "Support"),
     "desk: the list 'Support inbox' is in the space 'Support' already\n"),
    (("lists", "reorder", "Support inbox", "--position", "2"),
     "desk: list 'Support inbox': the position must be between 1 and 1, not 2\n"),
    (("lists", "restore", "Support inbox"), "desk: the list 'Support inbox' is not archived\n"),
    (("lists", "archive", "Nope"), "desk: no list named 'Nope'\n"),
    (("spaces", "archive", "Nope"), "desk: no space named 'Nope'\n"),
    (("statuses", "Nope", "add", "X", "--category", "open"), "desk: no list named 'Nope'\n"),
    (("statuses", "Support inbox", "add", "X", "--category", "later"),
     "desk: status 'X': category must be one of open, active, done, closed, not 'later'\n"),
    (("statuses", "Support inbox", "rename", "New", "open"),
     "desk: the list has a status named 'open' already\n"),
    (("statuses", "Support inbox", "colour", "New", "red"),
     "desk: a colour is #rgb or #rrggbb (like #2a7ae2), or none; not 'red'\n"),
    (("statuses", "Support inbox", "remove", "Nope"),
     "desk: the list has no status named 'Nope'\n"),
    (("statuses", "Support inbox", "remove", "New", "--to", "new"),
     "desk: the tasks of 'New' must go to another status\n"),
    (("statuses", "Support inbox", "rename", "New", "\x00"),
     "desk: a status name cannot contain a NUL character\n"),
    (("fields", "Support inbox", "add", "Mood", "--type", "colour"),
     "desk: field 'Mood': kind must be one of dropdown, number, text, date, money, checkbox, "
     "not 'colour'\n"),
    (("fields", "Support inbox", "add", "Mood", "--type", "dropdown"),
     "desk: field 'Mood' (dropdown) needs at least one option\n"),
    (("fields", "Support inbox", "rename", "Nope", "Other"),
     "desk: the list has no field named 'Nope'\n"),
])
def test_a_shaping_mistake_is_one_line_and_changes_nothing(desk, args, message):
    before = (shape(), statuses_of("Support inbox"), Activity.select().count())
    assert desk(*args) == (1, "", message)
    assert (shape(), statuses_of("Support inbox"), Activity.select().count()) == before


@pytest.mark.parametrize("role", ["viewer", "agent"])
def test_only_an_admin_shapes_the_workspace(desk, role):
    boss = agents.acting()
    agents.add(boss, "boss2", role="admin")
    agents.set_role(agents.acting("boss2"), identity.os_account(), role)
    before = (shape(), statuses_of("Support inbox"), Activity.select().count())
    for args in (("spaces", "archive", "Support"), ("spaces", "move", "Support",
                                                     "--position", "1"),
                 ("lists", "archive", "Support inbox"), ("lists", "restore", "Support inbox"),
                 ("lists", "move", "Support inbox", "--space", "Support"),
                 ("lists", "reorder", "Support inbox", "--position", "1"),
                 ("statuses", "Support inbox", "add", "Later", "--category", "open"),
                 ("statuses", "Support inbox", "rename", "New", "Fresh"),
                 ("statuses", "Support inbox", "colour", "New", "#fff"),
                 ("statuses", "Support inbox", "remove", "New", "--yes"),
                 ("fields", "Support inbox", "add", "Size", "--type", "text")):
        status, _, err = desk(*args)
        assert (status, err) == (1, f"desk: only an admin can do this; "
                                    f"{identity.os_account()} is {role}\n"), args
    assert (shape(), statuses_of("Support inbox"), Activity.select().count()) == before
    assert desk("statuses", "Support inbox")[0] == desk("fields", "Support inbox")[0] == 0


def test_hostile_names_are_stored_as_typed_and_printed_visibly(desk):
    hostile = "Evil\x1b[2J\u202e"
    status, out, _ = desk("statuses", "Support inbox", "add", hostile, "--category", "open")
    assert status == 0 and "\x1b" not in out and "\u202e" not in out
    assert desk("fields", "Support inbox", "add", hostile, "--type", "text")[0] == 0
    for args in (("statuses", "Support inbox"), ("fields", "Support inbox"),
                 ("statuses", "Support inbox", "rename", hostile, "Calm")):
        status, out, err = desk(*args)
        assert status == 0 and "\x1b" not in out + err and "\u202e" not in out + err, args
        assert "Evil␛[2J" in out, args
    assert statuses_of("Support inbox")[-1][0] == "Calm"
    assert CustomField.get().name == hostile
