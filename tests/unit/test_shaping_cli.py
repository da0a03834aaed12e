"""desk spaces, desk lists and desk statuses: an admin shapes the workspace from the command
line, every change is in the history, and a mistake is one line that changes nothing."""

from __future__ import annotations

import pytest

from desk.kernel import agents, identity
from desk.models import Activity, Space, Status, TaskList


@pytest.fixture
def desk(tmp_path, run_desk, monkeypatch):
    """`desk ARGS...` on a new workspace made with the support template."""
    monkeypatch.setenv("DESK_DATABASE", f"sqlite:///{tmp_path / 'desk.db'}")
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
        "Received   open", "Doing      active"]
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
