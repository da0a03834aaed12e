"""`desk import` and `desk export` end to end on the command line: the dry run writes
nothing, problems are named by file and row, a second import creates nothing new, a file of
the wrong kind changes nothing, and what desk exports comes back whole when imported into
an empty desk."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from desk.crm import clients
from desk.kernel import agents
from desk.models import Activity, Client, Comment, Task
from desk.work import tasks, workspace

DATA = Path(__file__).parent.parent / "data" / "import"


@pytest.fixture
def desk(new_workspace, run_desk):
    """`desk ARGS...` on a new, empty workspace of its own."""
    assert run_desk("init")[0] == 0
    return run_desk


def counts() -> tuple[int, int, int, int]:
    """Tasks, clients, comments and activity rows in the workspace."""
    return (Task.select().count(), Client.select().count(), Comment.select().count(),
            Activity.select().count())


def test_a_clickup_dry_run_writes_nothing_and_names_each_problem_by_row(desk):
    before = counts()
    status, out, err = desk("import", "clickup", "--dry-run", str(DATA / "clickup.csv"))
    assert status == 2  # done, with problems
    assert out.splitlines()[0] == "clickup: would create 4, update 0, skip 1 (0 unchanged, " \
        "1 with problems)"
    assert "unmatched person: Zed Unknown (1 task)" in out
    assert f"{DATA / 'clickup.csv'}:6:Task Name: no task name; row skipped" in err
    assert f"{DATA / 'clickup.csv'}:5:Priority: priority '9' is not 1-4" in err
    assert counts() == before


def test_a_clickup_import_carries_subtasks_tags_checklists_and_comments_once(desk):
    assert desk("import", "clickup", str(DATA / "clickup.csv"))[0] == 2
    onboard = Task.get(Task.title == "Onboard Acme")
    documents = Task.get(Task.title == "Prepare documents")
    assert documents.parent_id == onboard.id
    assert Task.get(Task.title == "Send welcome pack").parent_id == documents.id
    detail = tasks.get(onboard.id)
    assert set(detail.row.tags) == {"vip", "onboarding"}
    assert [comment.body for comment in Comment.select().where(Comment.task == onboard.id)] \
        == ["Called them"]
    hostile = Task.get(Task.title.startswith("Hostile"))
    assert "\x1b" in hostile.title  # stored exactly; shown escaped on every surface
    before = counts()
    out = desk("import", "clickup", str(DATA / "clickup.csv"))[1]
    assert out.startswith("clickup: created 0, updated 0, skipped 5 (4 unchanged")
    assert counts() == before


def test_taskwarrior_export_becomes_tasks_with_annotations_and_done_states(desk):
    assert desk("import", "taskwarrior", str(DATA / "taskwarrior.json"))[0] in (0, 2)
    plumber = Task.get(Task.title == "Call plumber")
    assert plumber.category == "done"
    assert [comment.body for comment in Comment.select().where(Comment.task == plumber.id)] \
        == ["left a voicemail"]


@pytest.mark.parametrize("where", ['"description": "bad \\ud800 text"',
                                   '"note\\udfff": "a UDA named with half a pair"',
                                   '"annotations": [{"description": "\\udbff"}]'])
def test_a_lone_surrogate_in_json_is_a_problem_at_its_line_and_skips_only_its_task(
        desk, tmp_path, where):
    export = tmp_path / "export.json"
    export.write_text('{"uuid": "a1", "description": "Fine", "status": "pending"}\n'
                      f'{{"uuid": "a2", "status": "pending", "description": "x", {where}}}\n',
                      encoding="utf-8")
    for dry in (("--dry-run",), ()):
        status, out, err = desk("import", "taskwarrior", str(export), *dry)
        assert status == 2, err
        assert f"{export}:2: text with a lone surrogate" in err and "skipped" in err
        assert "1 (0 unchanged, 1 with problems)" in out
    assert [task.title for task in Task.select()] == ["Fine"]


def test_a_file_of_the_wrong_kind_is_one_clear_line_and_changes_nothing(desk):
    before = counts()
    status, _, err = desk("import", "taskwarrior", str(DATA / "clickup.csv"))
    assert status == 1
    assert f"{DATA / 'clickup.csv'}:1: not valid JSON" in err
    assert counts() == before


def test_a_missing_file_is_refused_by_name(desk, tmp_path):
    status, _, err = desk("import", "contacts", str(tmp_path / "nowhere.csv"))
    assert status == 1 and "nowhere.csv" in err and "Traceback" not in err


def build_work() -> None:
    """A few tasks and clients with what the formats carry."""
    admin = agents.acting()
    workspace.create_space(admin, "Work")
    inbox = workspace.create_list(admin, "Work", "Jobs").id
    tasks.create(admin, "Renew the domain", inbox, priority="high", tags=("billing",),
                 description="Before the 20th.")
    tasks.create(admin, "Quarterly report", inbox)
    clients.create(admin, "Acme Ltd", "client", email="ops@acme.example",
                   contact_person="Ann Acme", phone="+49 30 1234")
    clients.create(admin, "Bea Buyer", "customer", email="bea@example.com")


@pytest.mark.parametrize(("what", "form", "kind"), [
    ("tasks", "json", "desk"), ("tasks", "ical", "ical"),
    ("clients", "json", "desk"), ("clients", "vcard", "contacts"), ("clients", "csv", "contacts"),
])
def test_an_export_imported_into_an_empty_desk_gives_the_same_records(
        desk, tmp_path, monkeypatch, sqlite_template, what, form, kind):
    build_work()
    exported = tmp_path / f"export.{form}"
    assert desk("export", what, "--format", form, "--output", str(exported))[0] == 0
    names = (sorted(task.title for task in Task.select()) if what == "tasks"
             else sorted(client.name for client in Client.select()))
    shutil.copyfile(sqlite_template, tmp_path / "empty.db")  # migrated: init makes it a desk
    monkeypatch.setenv("DESK_DATABASE", f"sqlite:///{tmp_path / 'empty.db'}")
    assert desk("init")[0] == 0
    status, _, err = desk("import", kind, str(exported))
    assert status == 0, err
    back = (sorted(task.title for task in Task.select()) if what == "tasks"
            else sorted(client.name for client in Client.select()))
    assert back == names
    if what == "clients":
        acme = Client.get(Client.name == "Acme Ltd")
        assert acme.email == "ops@acme.example"


def test_a_json_export_of_tasks_holds_what_they_carry(desk):
    build_work()
    status, out, _ = desk("export", "tasks", "--format", "json")
    assert status == 0
    renew = next(task for task in json.loads(out) if task["title"] == "Renew the domain")
    assert (renew["priority"], renew["tags"], renew["description"], renew["list"]) == (
        "high", ["billing"], "Before the 20th.", "Jobs")
