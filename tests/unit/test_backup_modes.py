"""Copies of the database are never readable by more people than the database: a backup and
the copy made before a migration get the database file's mode and group, whatever the
session's umask; a PostgreSQL dump is for this account only."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from playhouse.migrations import Runner

from desk import db as desk_db
from desk.models import database

MODES = [0o600, 0o660]


@pytest.fixture
def umask_022():
    """The common umask, which would make new files world-readable (0644)."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode_of(path: Path) -> int:
    """The permission bits of a file."""
    return stat.S_IMODE(path.stat().st_mode)


def live_database(path: Path, mode: int):
    """A migrated SQLite database at `path` with permission bits `mode`."""
    db = desk_db.connect(f"sqlite:///{path}")
    desk_db.migrate(db)
    os.chmod(path, mode)
    return db


def another_group() -> int | None:
    """A group this process may give a file besides its own, if there is one."""
    if os.geteuid() == 0:
        return 4242  # root may give any group
    return next((group for group in os.getgroups() if group != os.getegid()), None)


@pytest.mark.parametrize("mode", MODES, ids=oct)
def test_a_backup_has_the_mode_of_the_database(tmp_path, umask_022, mode):
    db = live_database(tmp_path / "desk.db", mode)
    target = desk_db.backup(db, tmp_path / "copies" / "desk.bak")
    db.close()
    assert mode_of(target) == mode
    assert target.stat().st_gid == (tmp_path / "desk.db").stat().st_gid


@pytest.mark.parametrize("mode", MODES, ids=oct)
def test_the_copy_before_a_migration_has_the_mode_of_the_database(tmp_path, umask_022, mode):
    path = tmp_path / "desk.db"
    db = desk_db.connect(f"sqlite:///{path}")
    Runner(db, str(desk_db.MIGRATIONS_DIR)).up(target="0001_initial")
    os.chmod(path, mode)
    desk_db.migrate(db)
    db.close()
    [copy] = tmp_path.glob("desk.db.before-*.bak")
    assert mode_of(copy) == mode
    assert mode_of(path) == mode


def test_a_backup_gets_the_group_of_the_database(tmp_path, umask_022):
    group = another_group()
    if group is None:
        pytest.skip("this account belongs to one group only: no other group to give")
    db = live_database(tmp_path / "desk.db", 0o660)
    os.chown(tmp_path / "desk.db", -1, group)
    target = desk_db.backup(db, tmp_path / "desk.bak")
    db.close()
    assert (target.stat().st_gid, mode_of(target)) == (group, 0o660)


def test_a_backup_that_cannot_get_the_group_is_kept_from_the_group(tmp_path, umask_022,
                                                                    monkeypatch):
    group = another_group()
    if group is None:
        pytest.skip("this account belongs to one group only: no other group to give")
    db = live_database(tmp_path / "desk.db", 0o660)
    os.chown(tmp_path / "desk.db", -1, group)

    def refuse(*_args):
        raise PermissionError("not a member of that group")

    monkeypatch.setattr(os, "chown", refuse)
    target = desk_db.backup(db, tmp_path / "desk.bak")
    db.close()
    assert target.stat().st_gid != group
    assert mode_of(target) == 0o600  # the group's bits were not handed to another group


def test_desk_backup_keeps_the_mode_and_refuses_an_existing_file(tmp_path, umask_022,
                                                                 run_desk, monkeypatch):
    live_database(tmp_path / "desk.db", 0o600).close()
    monkeypatch.setenv("DESK_DATABASE", f"sqlite:///{tmp_path / 'desk.db'}")
    target = tmp_path / "copy.db"
    status, out, _ = run_desk("backup", str(target))
    assert status == 0 and out.startswith("backed up to ")
    assert mode_of(target) == 0o600
    target.write_bytes(b"someone's file")
    os.chmod(target, 0o644)
    status, _, err = run_desk("backup", str(target))
    assert status == 1 and "already exists" in err
    assert target.read_bytes() == b"someone's file" and mode_of(target) == 0o644


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_postgresql_dump_is_for_this_account_only(db, tmp_path, umask_022):
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    target = desk_db.backup(database.obj, tmp_path / "team.dump")
    assert target.read_bytes()[:5] == b"PGDMP"
    assert mode_of(target) == 0o600
