"""The command line, run as a person would: arguments in, printed text and exit status out."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime

import pytest
from os_account import DESK

from desk.cli import main
from desk.kernel import agents
from desk.models import Task
from desk.work import tasks, workspace


@pytest.fixture
def desk(migrated_url, run_desk, monkeypatch):
    """Run `desk ARGS...` against the test database; returns (status, stdout, stderr)."""
    monkeypatch.setenv("DESK_DATABASE", migrated_url)

    run_desk("init")
    admin = agents.acting()
    workspace.create_space(admin, "Support")
    workspace.create_list(admin, "Support", "Support inbox")
    workspace.create_list(admin, "Support", "Orders")
    return run_desk


def test_add_then_list_as_json_has_the_documented_keys(desk):
    status, out, _ = desk("add", "Printer jam", "--priority", "high", "--tag", "billing",
                          "--assign", "me", "--due", "2026-12-01 14:00", "--kind", "query")
    assert status == 0 and out.startswith("added task 1: Printer jam (Support/Support inbox)")
    status, out, _ = desk("ls", "#billing @me", "--format", "json")
    [task] = json.loads(out)
    required = {"id", "title", "status", "category", "priority", "kind", "list", "client",
                "assignees", "tags", "due", "parent_id", "version"}
    assert required <= set(task)
    assert (task["title"], task["priority"], task["kind"], task["tags"]) == (
        "Printer jam", "high", "query", ["billing"])
    assert task["status_colour"] == ""  # documented: the status's own colour, "" for none
    assert desk("statuses", "Support inbox", "colour", task["status"], "#2A7")[0] == 0
    [task] = json.loads(desk("ls", "#billing", "--format", "json")[1])
    assert task["status_colour"] == "#22aa77"
    assert task["due"].startswith("2026-12-01T14:00")


def test_csv_and_table_formats(desk):
    desk("add", "First", "--list", "Orders")
    desk("add", "Second, with comma")
    _, out, _ = desk("ls", "--format", "csv", "--sort", "oldest")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["title"] for row in rows] == ["First", "Second, with comma"]
    _, out, _ = desk("ls", "list:Orders")
    header, line = out.splitlines()
    assert header.split()[:4] == ["ID", "STATUS", "PRIORITY", "TITLE"] and "First" in line


def test_limit_caps_the_rows(desk):
    for n in range(5):
        desk("add", f"Task {n}")
    _, out, _ = desk("ls", "--format", "json", "--limit", "3")
    assert len(json.loads(out)) == 3


def test_show_prints_the_task(desk):
    desk("add", "Look at me", "--description", "Line one\nLine two")
    status, out, _ = desk("show", "1")
    assert status == 0 and "Look at me" in out and "Line two" in out
    _, out, _ = desk("show", "1", "--format", "json")
    shown = json.loads(out)[0]
    assert shown["description"] == "Line one\nLine two" and shown["activity"]


def test_show_prints_times_in_the_history_to_the_minute(desk):
    desk("add", "Call back", "--due", "2026-12-01 14:00")
    task = tasks.get(1).row
    tasks.update(agents.acting(), 1, task.version, due_at=datetime(2026, 12, 2, 9, 30, 45))
    _, out, _ = desk("show", "1")
    history = out.split("History (newest first):")[1]
    assert "2026-12-01 14:00  " in history and "2026-12-02 09:30" in history
    assert ":00:00" not in history and "09:30:45" not in history


def test_hostile_titles_are_printed_visibly(desk):
    desk("add", "evil \x1b]52;c;AAAA\x07 [/] \u202e")
    for fmt in ("table", "json", "csv"):
        _, out, _ = desk("ls", "--format", fmt)
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "␛]52;c;AAAA␇ [/]" in out
    assert Task.get_by_id(1).title.startswith("evil \x1b]52")


@pytest.mark.parametrize("args, message", [
    (("ls", "priorty:high"), "unknown field 'priorty' (did you mean 'priority'?)\npriorty:high\n^"),
    (("ls", "due<frday"), "cannot read 'frday'"),
    (("show", "99"), "no task 99"),
    (("add", "x", "--list", "Nowhere"), "no list named 'Nowhere'"),
    (("add", "x", "--priority", "asap"), "priority must be one of"),
    (("add", "x", "--due", "someday"), "cannot read 'someday'"),
    (("add", "   "), "a task needs a title"),
])
def test_errors_are_one_clear_line_and_a_failure_status(desk, args, message):
    status, out, err = desk(*args)
    assert status == 1 and out == ""
    assert err.startswith("desk: ") and message in err and "Traceback" not in err


def test_nothing_is_written_on_error(desk):
    desk("add", "x", "--due", "someday")
    assert Task.select().count() == 0


def test_agents_are_listed_with_their_roles(desk):
    desk("agents", "add", "vera", "--role", "viewer", "--team", "Support")
    _, out, _ = desk("agents", "list", "--format", "json")
    vera = next(agent for agent in json.loads(out) if agent["username"] == "vera")
    assert (vera["role"], vera["teams"]) == ("viewer", ["Support"])


def test_a_viewer_account_cannot_add(desk):
    admin = agents.acting()
    agents.add(admin, "bob", role="admin")
    agents.set_role(agents.acting("bob"), admin.username, "viewer")
    status, _, err = desk("add", "Not allowed")
    assert status == 1 and "viewer" in err
    assert Task.select().count() == 0


def test_agents_add_needs_an_admin(desk):
    admin = agents.acting()
    agents.add(admin, "bob", role="admin")
    agents.set_role(agents.acting("bob"), admin.username, "agent")
    status, _, err = desk("agents", "add", "carol")
    assert status == 1 and "only an admin" in err


def test_bad_config_is_reported_with_line_and_key(desk, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("theme: desk-dark\nsqlite:\n  synchronous: fast\n")
    status, _, err = desk("--config", str(config), "ls")
    assert status == 1 and "line 3" in err and "sqlite.synchronous" in err


def test_backup_copies_the_database(desk, tmp_path, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("pg_dump backups are covered in test_db")
    desk("add", "Keep me")
    target = tmp_path / "copy.db"
    status, _, _ = desk("backup", str(target))
    assert status == 0 and target.exists()
    status, _, err = desk("backup", str(target))
    assert status == 1 and "already exists" in err


def test_python_dash_m_desk_prints_help():
    result = subprocess.run([sys.executable, "-m", "desk", "--help"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0
    for command in ("demo", "ls", "clients", "show", "add", "migrate", "backup", "agents"):
        assert command in result.stdout


def test_unusable_database_url_is_one_line(capsys):
    status = main(["--db", "mysql://x/y", "ls"])
    err = capsys.readouterr().err
    assert status == 1 and "unsupported database URL" in err and err[-1] == "\n"


def test_add_works_on_a_brand_new_workspace_at_the_default_file(capsys):
    assert main(["add", "First task"]) == 0
    captured = capsys.readouterr()
    assert "created a new workspace" in captured.err
    assert "added task 1: First task (Desk/Support inbox)" in captured.out


def test_workspace_options_work_after_the_command_too(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'after.db'}"
    assert main(["init", "--db", url]) == 0
    capsys.readouterr()
    assert main(["add", "Placed after", "--db", url]) == 0
    assert main(["ls", "--db", url, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out.split("\n", 1)[1])[0]["title"] == "Placed after"


def test_a_query_may_start_with_a_negation(desk):
    desk("add", "Keep", "--tag", "ok")
    desk("add", "Drop", "--tag", "spam")
    _, out, _ = desk("ls", "-#spam", "--format", "json")
    assert [task["title"] for task in json.loads(out)] == ["Keep"]


def test_a_day_due_date_is_not_overdue_before_the_day_ends(desk):
    desk("add", "Today's work", "--due", "today")
    _, out, _ = desk("ls", "is:overdue", "--format", "json")
    assert json.loads(out) == []


def test_csv_cells_cannot_become_spreadsheet_formulas(desk):
    desk("add", "=HYPERLINK(\"http://x\")")
    _, out, _ = desk("ls", "--format", "csv")
    assert "'=HYPERLINK" in out


def test_the_caret_lines_up_under_wide_characters(desk):
    _, _, err = desk("ls", "日本語 priorty:x")
    query_line, caret_line = err.splitlines()[1:3]
    assert caret_line.index("^") == 7 and query_line.startswith("日本語")


def test_a_closed_pipe_ends_quietly(db_url, db, tmp_path):
    env = {**os.environ, "DESK_DATABASE": db_url}
    for n in range(3):
        subprocess.run([*DESK, "add", f"Task {n}"], env=env, check=True,
                       capture_output=True)
    reader = subprocess.Popen([*DESK, "ls", "--format", "json"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.close()
    _, err = reader.communicate()
    assert b"Traceback" not in err and b"unexpected" not in err


def test_only_a_postgresql_workspace_loads_the_postgresql_driver(db_url, db):
    # peewee imports psycopg when it is imported; a SQLite start skips that (0.15 s).
    pytest.importorskip("psycopg")
    code = ("import sys\nfrom desk.cli import main\nstatus = main(['ls'])\n"
            "print(status, sys.modules.get('psycopg') is not None)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "DESK_DATABASE": db_url})
    loaded = "True" if db_url.startswith("postgresql") else "False"
    assert result.stdout.splitlines()[-1] == f"0 {loaded}", result.stderr


@pytest.mark.parametrize("command", [["migrate", "--status"], ["automations", "check"],
                                     ["intake", "form"], ["outbox", "list"]])
def test_no_command_loads_the_postgresql_driver_for_sqlite(tmp_path, command):
    # Each way a command opens its workspace: as it is, after checking the config, after
    # reading standard input, and in a session. Each gets to the database code (peewee).
    pytest.importorskip("psycopg")
    code = ("import sys\nfrom desk.cli import main\nmain(sys.argv[1:])\n"
            "print('peewee' in sys.modules, sys.modules.get('psycopg') is not None)")
    result = subprocess.run([sys.executable, "-c", code, *command], capture_output=True,
                            text=True, input='{"name": "Ada", "problem": "Scanner jams"}',
                            env={**os.environ, "DESK_DATABASE": f"sqlite:///{tmp_path}/desk.db"})
    assert result.stdout.splitlines()[-1] == "True False", result.stderr
