"""`desk demo` throws away only a demo desk made, and only for that demo's admin: a viewer
or an account that is not one of its agents cannot reset it and take it over, and a team's
workspace is never a demo."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from built_once import built_once
from os_account import ACCOUNT

from desk import db as desk_db
from desk import demo
from desk.cli import main
from desk.kernel import agents
from desk.models import Agent, Task

ME = ACCOUNT.pw_name  # the tests' account (tests/os_account.py)


def run(capsys, *args: str) -> tuple[int, str, str]:
    """`desk ARGS...` in-process: (status, stdout, stderr)."""
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A demo workspace built by `desk demo` once per test run (tests/built_once.py),
    closed."""
    def build(path: Path) -> None:
        assert main(["demo", "--no-tui", "--db", str(path)]) == 0

    return built_once(tmp_path_factory, "cli-demo.db", build)


@pytest.fixture
def demo_copy(built, tmp_path) -> Path:
    """A private copy of the demo workspace."""
    path = tmp_path / "demo.db"
    source, target = sqlite3.connect(built), sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    return path


def rows(path: Path) -> str:
    """A checksum of every row of every table."""
    connection = sqlite3.connect(path)
    try:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        text = ""
        for table in tables:
            table_rows = connection.execute(f'SELECT * FROM "{table}"').fetchall()
            text += f"{table}: {sorted(map(repr, table_rows))}\n"
    finally:
        connection.close()
    return hashlib.sha256(text.encode()).hexdigest()


def change_me(path: Path, change) -> None:
    """Run `change(me)` on the workspace at `path`, me being this account's agent there."""
    connected = desk_db.connect(str(path))
    try:
        change(Agent.get(Agent.username == ME))
    finally:
        connected.close()


def test_a_new_demo_is_marked_and_this_account_is_its_admin(built):
    connected = desk_db.connect(str(built))
    try:
        assert demo.is_demo() and Task.select().count() > 100
        assert Agent.get(Agent.username == ME).role == "admin"
    finally:
        connected.close()


def test_a_viewer_cannot_reset_a_demo(demo_copy, capsys):
    def demote(me: Agent) -> None:
        agents.set_role(agents.ref(me), "maria", "admin")
        agents.set_role(agents.acting("maria"), ME, "viewer")

    change_me(demo_copy, demote)
    before = rows(demo_copy)
    for reset in (["--reset"], ["--tasks", "5"]):
        status, _, err = run(capsys, "demo", "--no-tui", "--db", str(demo_copy), *reset)
        assert status == 1 and err == f"desk: only an admin can do this; {ME} is viewer\n"
    assert rows(demo_copy) == before


def test_an_account_that_is_not_an_agent_cannot_reset_a_demo(demo_copy, capsys):
    change_me(demo_copy, lambda me: Agent.update(username="someone").where(
        Agent.id == me.id).execute())
    before = rows(demo_copy)
    status, _, err = run(capsys, "demo", "--reset", "--no-tui", "--db", str(demo_copy))
    assert status == 1 and f"the account {ME!r} is not an agent of this desk" in err
    assert rows(demo_copy) == before


def test_the_demos_admin_resets_it(demo_copy, capsys):
    change_me(demo_copy, lambda me: Agent.update(name="Renamed").where(
        Agent.id == me.id).execute())
    status, out, _ = run(capsys, "demo", "--reset", "--no-tui", "--db", str(demo_copy))
    assert status == 0 and "Explore it from the command line" in out
    connected = desk_db.connect(str(demo_copy))
    try:
        assert demo.is_demo() and Agent.get(Agent.username == ME).name != "Renamed"
    finally:
        connected.close()


def test_a_workspace_made_by_desk_init_is_never_a_demo(tmp_path, capsys):
    team = tmp_path / "team.db"
    assert run(capsys, "init", "--db", str(team))[0] == 0
    before = rows(team)
    for extra in ([], ["--reset"]):
        status, _, err = run(capsys, "demo", "--no-tui", "--db", str(team), *extra)
        assert status == 1 and "holds a workspace that is not a demo" in err
    assert rows(team) == before
