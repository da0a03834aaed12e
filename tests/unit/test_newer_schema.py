"""A database whose schema is newer than this desk is refused before anything is written:
a SQLite file in rollback-journal mode stays byte for byte as it was, in its journal mode,
with no -wal, -shm, lock or backup file made beside it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desk import db as desk_db
from desk.errors import SchemaError
from desk.kernel import agents

BESIDE = ("-wal", "-shm", "-journal", ".migrate-lock")


def newer_rollback_database(path: Path) -> bytes:
    """A migrated SQLite file whose history names a migration from the future, switched
    back to the rollback journal (DELETE mode); returns its bytes."""
    db = desk_db.connect(f"sqlite:///{path}")
    desk_db.migrate(db)
    agents.acting()  # its first agent: this account
    db.execute_sql("INSERT INTO schema_migration (name, applied) "
                   "VALUES ('9999_future', CURRENT_TIMESTAMP)")
    db.close()
    plain = sqlite3.connect(path)
    assert plain.execute("PRAGMA journal_mode=delete").fetchone() == ("delete",)
    plain.close()
    Path(f"{path}.migrate-lock").unlink()  # left by the migration; the refusal makes none
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    return path.read_bytes()


def assert_untouched(path: Path, before: bytes) -> None:
    """The file is as it was and still in rollback-journal mode, alone in its folder."""
    assert path.read_bytes() == before
    assert path.read_bytes()[18] == 1, "the header says WAL: the journal mode was changed"
    made = [f"{path.name}{suffix}" for suffix in BESIDE if Path(f"{path}{suffix}").exists()]
    assert not made, f"files were made beside the database: {made}"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_opening_and_migrating_refuse_before_writing(tmp_path):
    path = tmp_path / "data" / "desk.db"
    path.parent.mkdir()
    before = newer_rollback_database(path)

    db = desk_db.connect(f"sqlite:///{path}")
    try:
        with pytest.raises(SchemaError, match="schema is newer") as refused:
            desk_db.migrate(db)
        assert "9999_future" in str(refused.value)
        with pytest.raises(SchemaError, match="schema is newer"):
            desk_db.migration_status(db)
    finally:
        db.close()
    assert_untouched(path, before)


@pytest.mark.parametrize("command", [("ls",), ("migrate",), ("migrate", "--status")])
def test_a_command_on_a_newer_database_says_so_and_changes_nothing(tmp_path, run_desk,
                                                                   monkeypatch, command):
    path = tmp_path / "data" / "desk.db"
    path.parent.mkdir()
    before = newer_rollback_database(path)
    monkeypatch.setenv("DESK_DATABASE", f"sqlite:///{path}")
    status, _, err = run_desk(*command)
    assert status == 1
    assert "schema is newer than this version of desk" in err and "9999_future" in err
    assert_untouched(path, before)


def test_a_newer_database_can_still_be_backed_up_as_it_is(tmp_path, run_desk, monkeypatch):
    path = tmp_path / "data" / "desk.db"
    path.parent.mkdir()
    before = newer_rollback_database(path)
    monkeypatch.setenv("DESK_DATABASE", f"sqlite:///{path}")
    status, _, _ = run_desk("backup", str(tmp_path / "copy.db"))
    assert status == 0
    copy = sqlite3.connect(tmp_path / "copy.db")
    names = [name for (name,) in copy.execute("SELECT name FROM schema_migration")]
    copy.close()
    assert "9999_future" in names
    assert_untouched(path, before)
