"""`desk time`: the timer, time logged by hand, and the report as a table, JSON and CSV;
mistakes reported on one line with nothing written."""

from __future__ import annotations

import csv
import io
import json

import pytest

from desk.crm import clients
from desk.kernel import agents
from desk.models import TimeEntry
from desk.work import tasks, workspace


@pytest.fixture
def desk_time(migrated_url, run_desk, monkeypatch, tmp_path):
    """Run `desk time ARGS...` (Berlin time) on a workspace with a client's task (ids.task)
    and a task without a client (ids.own)."""
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    config = tmp_path / "config.yaml"
    config.write_text("timezone: Europe/Berlin\n")
    run_desk("init")
    admin = agents.acting()
    workspace.create_space(admin, "Work")
    list_id = workspace.create_list(admin, "Work", "Projects").id
    acme = clients.create(admin, "Acme", kind="client").row.id

    def run(*args: str) -> tuple[int, str, str]:
        return run_desk("--config", str(config), "time", *args)

    run.task = tasks.create(admin, "Site", list_id, client_id=acme).row.id
    run.own = tasks.create(admin, "Admin", list_id).row.id
    return run


def test_time_logged_and_reported_as_json_and_csv(desk_time):
    status, out, err = desk_time("log", str(desk_time.task), "1h30", "--date", "2026-11-02",
                                 "--note", "kick-off", "--format", "json")
    assert (status, err) == (0, "")
    [entry] = json.loads(out)
    assert (entry["task_id"], entry["minutes"], entry["duration"], entry["day"],
            entry["note"], entry["billable"]) == (desk_time.task, 90, "1h30", "2026-11-02",
                                                  "kick-off", True)
    desk_time("log", str(desk_time.own), "45m", "--date", "2026-11-03", "--no-billable")
    status, out, _ = desk_time("report", "--period", "2026-11", "--format", "json")
    assert status == 0
    assert json.loads(out) == [
        {"group": "Acme", "hours": "1.50", "billable_hours": "1.50", "minutes": 90,
         "billable_minutes": 90, "entries": 1},
        {"group": "(none)", "hours": "0.75", "billable_hours": "0.00", "minutes": 45,
         "billable_minutes": 0, "entries": 1}]
    status, out, _ = desk_time("report", "--by", "week", "--period", "2026-11",
                               "--format", "csv")
    assert list(csv.reader(io.StringIO(out))) == [
        ["group", "hours", "billable_hours", "entries"],
        ["2026-W45", "2.25", "1.50", "2"]]
    status, out, _ = desk_time("report", "client:Acme", "--period", "2026-11")
    assert out.splitlines()[1].split() == ["Acme", "1.50", "1.50", "1"]
    assert out.splitlines()[-1].split() == ["total", "1.50", "1.50", "1"]


def test_the_timer_from_the_command_line(desk_time):
    status, out, _ = desk_time("start", str(desk_time.task), "--format", "json")
    [timer] = json.loads(out)
    assert (status, timer["duration"], timer["minutes"]) == (0, "running", None)
    status, _, err = desk_time("stop")
    assert (status, err) == (0, "the timer ran under a minute: nothing was logged\n")
    status, _, err = desk_time("stop")
    assert status == 1 and err.startswith("desk: no timer is running")


@pytest.mark.parametrize(("args", "message"), [
    (("log", "1", "1x"), "desk: DURATION: '1x' is not a duration: try 1h30 or 45m\n"),
    (("log", "1", "1h", "--date", "someday"), "desk: --date: cannot read 'someday' as a date"),
    (("log", "99", "1h"), "desk: no task 99\n"),
    (("report", "--period", "lately"), "desk: cannot read 'lately' as a period; try 30d"),
])
def test_mistakes_are_one_line_and_write_nothing(desk_time, args, message):
    status, out, err = desk_time(*args)
    assert status != 0 and out == "" and err.startswith(message) and err.count("\n") == 1
    assert TimeEntry.select().count() == 0


def test_an_entry_is_listed_corrected_and_deleted_after_asking(desk_time):
    desk_time("log", str(desk_time.task), "1h30", "--date", "2026-11-02", "--note", "kick-off")
    status, out, _ = desk_time("list", str(desk_time.task), "--format", "json")
    [entry] = json.loads(out)
    assert (status, entry["duration"], entry["note"]) == (0, "1h30", "kick-off")
    number = str(entry["id"])

    status, out, _ = desk_time("edit", number, "--duration", "2h", "--no-billable",
                               "--date", "2026-11-03", "--format", "json")
    [fixed] = json.loads(out)
    assert (status, fixed["minutes"], fixed["billable"], fixed["day"], fixed["note"]) == (
        0, 120, False, "2026-11-03", "kick-off")
    assert TimeEntry.get_by_id(entry["id"]).version == entry["version"] + 1

    for wrong, said in ((["--duration", "1x"], "desk: --duration: '1x' is not a duration"),
                        ([], "desk: say what to correct")):
        status, _, err = desk_time("edit", number, *wrong)
        assert status == 1 and err.startswith(said)
    assert TimeEntry.get_by_id(entry["id"]).minutes == 120  # the mistakes changed nothing

    status, _, err = desk_time("delete", number)
    assert status == 1 and "add --yes to go ahead" in err
    assert TimeEntry.select().count() == 1
    assert desk_time("delete", number, "--yes")[:2] == (0, f"deleted time entry {number}\n")
    assert TimeEntry.select().count() == 0
    status, _, err = desk_time("delete", number, "--yes")
    assert (status, err) == (1, f"desk: no time entry {number}\n")
