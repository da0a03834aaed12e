"""A SQLite workspace shared by a group of operating-system accounts (`desk init --shared`):
the folder is the group's (2770, setgid), the database, its -wal/-shm and lock files group
read-write whatever anyone's umask; two real accounts both work in it, both run the
background work, and an account under `unshare -r` is refused.

The tests with two accounts create them (useradd) and so run only as root."""

from __future__ import annotations

import grp
import json
import os
import shutil
import stat
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from os_account import DESK
from system_tools import python_for, tool

from desk.cli import main

MY_GROUP = grp.getgrgid(os.getgid()).gr_name


def mode(path: Path) -> int:
    """The permission bits of `path`, setgid included."""
    return stat.S_IMODE(path.stat().st_mode)


def test_init_shared_makes_the_folder_the_groups_and_every_file_group_read_write(tmp_path,
                                                                              capsys):
    database = tmp_path / "team" / "desk.db"
    assert main(["init", "--shared", MY_GROUP, "--db", str(database)]) == 0
    out = capsys.readouterr().out
    assert f"shared with the group {MY_GROUP}: {database.parent} is 2770 (setgid)" in out
    assert mode(database.parent) == 0o2770
    files = sorted(path.name for path in database.parent.iterdir())
    assert {"desk.db", "desk.db.migrate-lock", "desk.db.tick-lock"} <= set(files)
    for name in files:
        if not name.endswith(".bak"):
            path = database.parent / name
            assert (mode(path), path.stat().st_gid) == (0o660, os.getgid()), name


def test_a_lock_file_made_later_follows_the_database_not_the_umask(tmp_path, capsys):
    database = tmp_path / "team" / "desk.db"
    assert main(["init", "--shared", MY_GROUP, "--db", str(database)]) == 0
    lock = database.parent / "desk.db.tick-lock"
    lock.unlink()
    environment = {**os.environ, "DESK_DATABASE": str(database)}
    subprocess.run([*DESK, "tick"], env=environment, umask=0o077, check=True,
                   capture_output=True)
    assert mode(lock) == 0o660


def test_an_unknown_group_is_refused_before_anything_is_made(tmp_path, capsys):
    group = f"no_such_group_{uuid.uuid4().hex[:8]}"
    status = main(["init", "--shared", group, "--db", str(tmp_path / "team" / "desk.db")])
    assert status == 1 and capsys.readouterr().err == \
        f"desk: there is no group named {group!r} on this machine\n"
    assert list(tmp_path.iterdir()) == []


def test_sharing_a_workspace_there_is_takes_its_admin(tmp_path, capsys):
    database = tmp_path / "desk.db"
    assert main(["init", "--db", str(database)]) == 0
    assert main(["--db", str(database), "agents", "add", "boss", "--role", "admin"]) == 0
    from desk.kernel import agents
    from desk.kernel.access import identity

    agents.set_role(agents.acting("boss"), identity.os_account(), "agent")
    before = mode(tmp_path)
    capsys.readouterr()
    assert main(["init", "--shared", MY_GROUP, "--db", str(database)]) == 1
    assert "only an admin can do this" in capsys.readouterr().err
    assert mode(tmp_path) == before


# --- two real accounts ---------------------------------------------------------------------


@dataclass(frozen=True)
class Office:
    """Two accounts, alice and bob, in one group, a folder both can reach, and a Python both
    can run desk with."""

    group: str
    alice: str
    bob: str
    base: Path
    python: str
    python_path: str

    def shared(self, name: str) -> Path:
        """A new workspace `name` made by alice with desk init --shared, bob an agent of it;
        returns its file."""
        database = self.base / name / "desk.db"
        made = self.desk(self.alice, database, "init", "--shared", self.group)
        assert f"you ({self.alice}) are an admin of it" in made.stdout
        self.desk(self.alice, database, "agents", "add", self.bob, "--role", "agent")
        return database

    def desk(self, user: str, database: Path, *args: str, umask: str = "022",
             check: bool = True) -> subprocess.CompletedProcess:
        """`desk --db DATABASE ARGS...` as `user` (with their own data folders and umask)."""
        return self.run(user, [self.python, "-m", "desk", "--db", str(database), *args], umask,
                        check)

    def run(self, user: str, command: list[str], umask: str = "022", check: bool = True
            ) -> subprocess.CompletedProcess:
        """`command` as `user`, through runuser and a shell that sets the umask."""
        home = self.base / f"home-{user}"
        environment = {"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8",
                       "TERM": "xterm-256color",  # as a login on a terminal has
                       "PYTHONDONTWRITEBYTECODE": "1", "XDG_DATA_HOME": str(home / "data"),
                       "XDG_CONFIG_HOME": str(home / "config"),
                       "XDG_STATE_HOME": str(home / "state"),
                       "XDG_CACHE_HOME": str(home / "cache"), "PYTHONPATH": self.python_path}
        script = f"umask {umask} && exec \"$@\""
        result = subprocess.run(["runuser", "-u", user, "--", "sh", "-c", script, "sh",
                                 *command], env=environment, capture_output=True, text=True,
                                timeout=120, check=False)
        if check:
            assert result.returncode == 0, (command, result.stdout, result.stderr)
        return result


@pytest.fixture(scope="module")
def office() -> Iterator[Office]:
    """Make the group and the two accounts (root only); remove them afterwards."""
    if os.geteuid() != 0:
        pytest.skip("making two operating-system accounts needs root (useradd)")
    useradd, userdel, groupadd, groupdel = (tool(name) for name in
                                            ("useradd", "userdel", "groupadd", "groupdel"))
    tool("runuser")
    tag = uuid.uuid4().hex[:6]
    group, alice, bob = f"dsk{tag}", f"dska{tag}", f"dskb{tag}"
    base = Path(tempfile.mkdtemp(prefix="desk-office-", dir="/tmp"))
    base.chmod(0o1777)  # like /tmp: anyone may make a folder here
    made: list[str] = []
    try:
        subprocess.run([groupadd, group], check=True)
        for user in (alice, bob):
            subprocess.run([useradd, "-M", "-G", group, "-s", "/usr/sbin/nologin", user],
                           check=True)
            made.append(user)
            home = base / f"home-{user}"
            home.mkdir()
            shutil.chown(home, user)
        yield Office(group, alice, bob, base, *python_for(alice))
    finally:
        for user in made:
            subprocess.run([userdel, user], check=False)
        subprocess.run([groupdel, group], check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


APP_RUN = """
import argparse, asyncio, json, sqlite3, sys
from textual.notifications import Notify
from desk.cli.session import find_workspace, open_session
from desk.app import make_app

database = sys.argv[1]
session = open_session(find_workspace(argparse.Namespace(db=database, config=None)),
                       at_least="viewer")
app = make_app(session.settings, session.db, session.agent, session.context,
               watch_interval=None, tick_interval=0.2)
notices = []

def hook(message):
    if isinstance(message, Notify):
        notices.append(message.notification.message)

def pending():
    connection = sqlite3.connect(database)
    try:
        return connection.execute(
            "SELECT count(*) FROM event WHERE processed_at IS NULL").fetchone()[0]
    finally:
        connection.close()

async def run():
    before = pending()
    async with app.run_test(message_hook=hook) as pilot:
        for _ in range(300):
            await pilot.pause(0.05)
            if pending() == 0 and not app.background.running:
                break
    print(json.dumps({"before": before, "after": pending(), "notices": notices,
                      "agent": app.agent.username}))

asyncio.run(run())
"""
"""The app of the account running it, headless, until its background work has processed
every change waiting for the automations; prints what it saw as JSON."""


def test_two_accounts_share_a_workspace_and_both_run_the_background_work(office):
    alice, bob = office.alice, office.bob
    database = office.shared("office")
    office.run(alice, ["rm", f"{database}.tick-lock"])
    office.desk(alice, database, "tick")  # remakes the lock file, under alice's umask 022
    office.desk(alice, database, "add", "Water the plants")  # a change for the automations

    opened = office.run(bob, [office.python, "-c", APP_RUN, str(database)], umask="077")
    seen = json.loads(opened.stdout.splitlines()[-1])
    assert seen["agent"] == bob and seen["notices"] == [], opened.stderr
    assert seen["before"] > 0 and seen["after"] == 0  # bob's background work processed them

    office.desk(bob, database, "add", "Bob's task", umask="077")
    office.desk(alice, database, "add", "Alice's task")
    listed = office.desk(bob, database, "ls", "--format", "json").stdout
    assert {"Water the plants", "Bob's task", "Alice's task"} <= {
        task["title"] for task in json.loads(listed)}
    for path in database.parent.iterdir():
        assert (mode(path), grp.getgrgid(path.stat().st_gid).gr_name) == (
            0o660, office.group), path.name


def test_a_wal_made_under_a_strict_umask_lets_the_group_write(office):
    database = office.shared("wal")
    holder = ("import sqlite3, sys\n"
              "connection = sqlite3.connect(sys.argv[1])\n"
              "connection.execute('SELECT count(*) FROM task').fetchall()\n"
              "print('open', flush=True)\n"
              "sys.stdin.read()\n")
    keeper = subprocess.Popen(
        ["runuser", "-u", office.bob, "--", "sh", "-c", 'umask 077 && exec "$@"', "sh",
         office.python, "-c", holder, str(database)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={"PATH": os.environ["PATH"], "HOME": str(office.base / f"home-{office.bob}")})
    try:
        assert keeper.stdout.readline().strip() == "open"
        for suffix in ("-wal", "-shm"):
            assert mode(Path(f"{database}{suffix}")) == 0o660, suffix
        office.desk(office.alice, database, "add", "While bob's desk is open")
    finally:
        keeper.communicate("", timeout=30)


def test_an_account_under_unshare_is_refused(office):
    database = office.shared("userns")
    probe = office.run(office.alice, ["unshare", "-r", "true"], check=False)
    if probe.returncode != 0:
        pytest.skip(f"user namespaces are not allowed here: {probe.stderr.strip()}")
    uid = int(office.run(office.alice, ["id", "-u"]).stdout)
    refused = office.run(office.alice, ["unshare", "-r", office.python, "-m", "desk", "--db",
                                        str(database),
                                        "agents", "role", office.bob, "admin"], check=False)
    assert refused.returncode == 1 and refused.stdout == ""
    assert f"(uid 0 here is uid {uid} outside it)" in refused.stderr
    listed = office.desk(office.alice, database, "agents", "--format", "json").stdout
    assert {agent["username"]: agent["role"] for agent in json.loads(listed)} == {
        office.alice: "admin", office.bob: "agent"}
