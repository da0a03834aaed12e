"""Presence between two running desks on one database, in two real terminals (tmux): what one
agent has open shows on the other's screen, "replying" while she writes, gone when she goes
back, and gone within three heartbeats when her desk crashes.

Each agent is who the identity mode says: on SQLite (the os mode) the first is root and the
second an operating-system account of the test's own, sharing the file through a group
(`desk init --shared`); on PostgreSQL (the postgres mode) each logs in as a role of their
own. The heartbeat is 2 seconds here (the config's presence.heartbeat_seconds), so a crash
is covered within 6.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from postgres_server import drop_database_and_roles, postgres_url, require_postgres, superuser
from system_tools import python_for, tool

from desk.kernel.access import pg_roles

from .conftest import HEADER, OVER, Terminal
from .test_drafts_tmux import desk_process

QUERY = "Receipt printer prints blank receipts"
HEARTBEAT = "presence:\n  heartbeat_seconds: 2\n"


@dataclass(frozen=True)
class Desks:
    """How to start the desk of each of two agents on one database, and their names."""

    first: list[str]
    second: list[str]
    first_name: str
    second_name: str


def run(command: list[str]) -> None:
    """Run a set-up command; fail with its error output."""
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def terminals(environment) -> Iterator[tuple[Terminal, Terminal]]:
    """Two tmux terminals of the test's own."""
    if shutil.which("tmux") is None:
        pytest.fail("the end-to-end tests need tmux (apt-get install tmux)")
    with tempfile.TemporaryDirectory(prefix="desk-e2e-") as one, \
            tempfile.TemporaryDirectory(prefix="desk-e2e-") as two:
        made = Terminal(Path(one), environment), Terminal(Path(two), environment)
        yield made
        for terminal in made:
            terminal.close()


@pytest.fixture
def sqlite_desks(environment) -> Iterator[Desks]:
    """A SQLite workspace shared by root and an account of the test's own (os mode)."""
    if os.geteuid() != 0:
        pytest.skip("making a second operating-system account needs root")
    for name in ("useradd", "userdel", "groupadd", "groupdel", "runuser"):
        tool(name)
    suffix = uuid.uuid4().hex[:6]
    group, account = f"dskpg{suffix}", f"dskpu{suffix}"
    folder = Path(tempfile.mkdtemp(prefix="desk-presence-"))
    folder.chmod(0o755)
    home = folder / "home"
    config = folder / "config.yaml"
    config.write_text(HEARTBEAT, encoding="utf-8")
    config.chmod(0o644)
    url = f"sqlite:///{folder / 'shared' / 'desk.db'}"
    made = False
    try:
        run(["groupadd", group])
        made = True
        run(["useradd", "-M", "-d", str(home), "-s", "/bin/sh", "-G", group, account])
        home.mkdir()
        shutil.chown(home, account)
        (folder / "shared").mkdir()
        mine = [sys.executable, "-m", "desk", "--config", str(config), "--db", url]
        run([*mine, "init", "--shared", group, "--template", "support",
             "--name", "Alex Admin"])
        run([*mine, "agents", "add", account, "--name", "Ana Lima"])
        run([*mine, "add", QUERY, "--kind", "query"])
        python, python_path = python_for(account)
        theirs = ["runuser", "-u", account, "--", "env", "-i", f"HOME={home}",
                  "LANG=C.UTF-8", f"TERM={environment.get('TERM', 'tmux-256color')}",
                  f"PYTHONPATH={python_path}", python, "-m", "desk", "--config", str(config),
                  "--db", url]
        yield Desks(mine, theirs, "Alex Admin", "Ana Lima")
    finally:
        if made:
            subprocess.run(["userdel", account], check=False, capture_output=True)
            subprocess.run(["groupdel", group], check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_desks(tmp_path, environment) -> Iterator[Desks]:
    """A PostgreSQL workspace in the postgres mode with two agents, each their own role."""
    require_postgres()
    suffix = uuid.uuid4().hex[:8]
    database, owner = f"desk_presence_{suffix}", f"owner_{suffix}"
    config = tmp_path / "config.yaml"
    config.write_text("identity:\n  mode: postgres\n" + HEARTBEAT, encoding="utf-8")
    superuser([f"CREATE ROLE {owner} LOGIN CREATEROLE", f"GRANT pg_signal_backend TO {owner}",
               f"CREATE DATABASE {database} OWNER {owner}"])

    def desk(role: str) -> list[str]:
        """desk's command line for `role`'s login."""
        url = pg_roles.login_url(postgres_url(database), role)
        return [sys.executable, "-m", "desk", "--config", str(config), "--db", url]

    try:
        run([*desk(owner), "init", "--template", "support"])
        agents = {f"alice_{suffix}": "Ana Lima", f"bob_{suffix}": "Bo Berg"}
        for role, name in agents.items():
            run([*desk(owner), "agents", "add", role, "--name", name])
        run([*desk(owner), "add", QUERY, "--kind", "query"])
        first, second = agents
        yield Desks(desk(first), desk(second), agents[first], agents[second])
    finally:
        drop_database_and_roles(database, suffix, owner)


def start(terminal: Terminal, command: list[str]) -> None:
    """Start a desk and wait for its inbox, which holds the query."""
    terminal.start(command)
    terminal.wait_for(HEADER.format("Inbox"), QUERY[:20])


def two_agents_on_one_query(desks: Desks, first: Terminal, second: Terminal) -> None:
    """The walk both databases take: see each other view, reply, go back and crash."""
    start(first, desks.first)
    start(second, desks.second)
    first.press("Enter")
    first.wait_for(OVER.format("#1 Receipt printer"))
    second.wait_for(f"◉ {QUERY[:20]}", f"◉ {desks.first_name} is viewing")  # row, strip

    second.press("Enter")
    second.wait_for(OVER.format("#1 Receipt printer"), f"◉ {desks.first_name} is viewing")
    first.wait_for(f"◉ {desks.second_name} is viewing")

    first.press("r")
    first.wait_for("Reply to the client")
    second.wait_for(f"✎ {desks.first_name} is replying")
    first.press("Escape")  # nothing typed: the editor closes
    first.wait_for(OVER.format("#1 Receipt printer"), gone=("Reply to the client",))
    second.wait_for(f"◉ {desks.first_name} is viewing")
    first.press("Escape")
    first.wait_for(HEADER.format("Inbox"), f"◉ {QUERY[:20]}",  # the second is still on it
                   gone=(OVER.format(""),))
    second.wait_for(OVER.format("#1 Receipt printer"), gone=(desks.first_name,))

    first.press("Enter")
    first.wait_for(OVER.format("#1 Receipt printer"))
    second.wait_for(f"◉ {desks.first_name} is viewing")
    os.kill(desk_process(first), signal.SIGKILL)  # a crash: nothing is cleared
    second.wait_for(OVER.format("#1 Receipt printer"), gone=(desks.first_name,))

    second.press("q")
    assert second.exit_status() == 0


def test_two_agents_see_each_other_on_sqlite(sqlite_desks, terminals):
    two_agents_on_one_query(sqlite_desks, *terminals)


def test_two_agents_see_each_other_on_postgres(postgres_desks, terminals):
    two_agents_on_one_query(postgres_desks, *terminals)
