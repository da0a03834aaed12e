"""Schema migrations: a fresh database gets them all once, an old one is upgraded without
losing a row (with a backup first on SQLite), a newer one is refused untouched, and two
processes migrating at once apply the schema exactly once."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import run_children
from old_schema import list_with_statuses
from peewee import Database, Table
from playhouse.migrations import Runner

from desk import database_url, dialect
from desk import db as desk_db
from desk.errors import SchemaError
from desk.kernel import search
from desk.models import Agent, Client, Comment, Task, database

CHILD_TIMEOUT = 120  # seconds a child process may take before the test gives up on it
ALL_MIGRATIONS = sorted(path.stem for path in desk_db.MIGRATIONS_DIR.glob("[0-9]*.py"))
DATA_TABLES = ("agent", "space", "task_list", "status", "client", "task", "comment")


# --- helpers -------------------------------------------------------------------------------


def schema_names(db: Database) -> list[str]:
    """The migrations recorded in schema_migration, in name order."""
    return [name for (name,) in
            db.execute_sql("SELECT name FROM schema_migration ORDER BY name").fetchall()]


def snapshot(db: Database) -> dict[str, object]:
    """Row counts of the data tables plus checksums of task titles and client names."""
    state: dict[str, object] = {table: db.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0]
                                for table in DATA_TABLES}
    for table, column in (("task", "title"), ("client", "name"), ("comment", "body")):
        values = db.execute_sql(f"SELECT {column} FROM {table} ORDER BY id").fetchall()
        state[f"{table}.{column}"] = hashlib.sha256(
            "\n".join(value for (value,) in values).encode()).hexdigest()
    return state


def seed_old_schema() -> dict[str, set[int]]:
    """Rows as a desk of schema 0001 held them: a space, a list with statuses, clients,
    tasks (one closed, one subtask) and a comment. Returns the ids a search must find."""
    # The agent table of 0001 lacks later columns (disabled): insert only the ones it has.
    Table("agent").bind(database).insert(username="olduser", name="Old User", email="",
                                         role="admin", away=False,
                                         created_at=Agent.created_at.default()).execute()
    agent = Agent.select(Agent.id).where(Agent.username == "olduser").scalar()
    task_list, (todo, done) = list_with_statuses(database, (("To do", "open"), ("Done", "done")))
    aardvark = Client.create(name="Aardvark Logistics", kind="client", email="ops@aardvark.test")
    Client.create(name="Bison Bakery", contact_person="Zebra Jones")
    plain = Client.create(name="Camel Cars")
    zebra_ids = set()
    for number in range(30):
        is_zebra = number % 3 == 0
        task = Task.create(
            task_list=task_list, status=done if number == 1 else todo,
            category="done" if number == 1 else "open",
            title=f"{'Zebra crossing' if is_zebra else 'Printer'} {number}",
            description="broken since Monday", priority=1 + number % 5, position=number,
            client=aardvark if number % 2 else None, created_by=agent,
            closed_at=Task.created_at.default() if number == 1 else None,
        )
        if is_zebra:
            zebra_ids.add(task.id)
    subtask = Task.create(task_list=task_list, status=todo, category="open", title="Ladder",
                          parent=min(zebra_ids), position=99)
    # The comment table of 0001 lacks later columns (portal_shared): the same way.
    Table("comment").bind(database).insert(
        task_id=subtask.id, kind="note", body="the walrus ate the manual", author_id=agent,
        author_name="", created_at=Comment.created_at.default()).execute()
    return {"zebra_tasks": zebra_ids, "walrus_tasks": {subtask.id},
            "aardvark_clients": {aardvark.id}, "plain_clients": {plain.id}}


def hits(text: str, kind: str) -> set[int]:
    """The ids of tasks or clients that a search for `text` finds."""
    return {hit.id for hit in search.find(text, limit=100) if hit.kind == kind}


def file_state(path: Path) -> dict[str, str]:
    """The sha256 of a SQLite file and of any -wal/-journal file beside it."""
    state = {}
    for suffix in ("", "-wal", "-journal"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            state[suffix or "db"] = hashlib.sha256(candidate.read_bytes()).hexdigest()
    return state


def migrate_in_child(url: str, barrier, results) -> None:
    """Child process: open the database itself, wait for the sibling, migrate, report."""
    try:
        db = desk_db.connect(url)
        barrier.wait(CHILD_TIMEOUT)
        applied = desk_db.migrate(db)
        db.close()
        results.put(("ok", applied))
    except Exception as error:  # reported to the parent, which fails the test with it
        results.put(("error", f"{type(error).__name__}: {error}"))


# --- tests ---------------------------------------------------------------------------------


def test_the_migrations_directory_is_what_the_tests_expect():
    assert ALL_MIGRATIONS[:2] == ["0001_initial", "0002_search"]


def test_a_fresh_database_gets_every_migration_once(fresh_url):
    db = desk_db.connect(fresh_url)
    try:
        assert desk_db.migration_status(db) == ([], ALL_MIGRATIONS)
        assert desk_db.migrate(db) == ALL_MIGRATIONS
        tables = set(db.get_tables())
        assert {"task", "client", "activity", "search_doc", "schema_migration"} <= tables
        assert desk_db.migrate(db) == []  # again: nothing to do
        assert desk_db.migration_status(db) == (ALL_MIGRATIONS, [])
        assert schema_names(db) == ALL_MIGRATIONS
    finally:
        db.close()


def test_upgrading_from_0001_keeps_every_row_and_makes_it_searchable(fresh_url):
    db = desk_db.connect(fresh_url)
    try:
        assert Runner(db, str(desk_db.MIGRATIONS_DIR)).up(target="0001_initial") == [
            "0001_initial"]
        assert "search_doc" not in db.get_tables()
        with db.atomic():
            expected = seed_old_schema()
        before = snapshot(db)

        assert desk_db.migrate(db) == ALL_MIGRATIONS[1:]

        assert snapshot(db) == before
        assert schema_names(db) == ALL_MIGRATIONS
        assert hits("zebra", "task") == expected["zebra_tasks"]
        assert hits("walrus", "task") == expected["walrus_tasks"]  # found through its comment
        assert hits("aardvark", "client") == expected["aardvark_clients"]
        assert hits("camel", "client") == expected["plain_clients"]
        if dialect.is_sqlite(db):
            assert db.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
            path = Path(db.database)
    finally:
        db.close()
    if not fresh_url.startswith("sqlite"):
        return
    backups = list(path.parent.glob(f"{path.name}.before-0002_search-*.bak"))
    assert len(backups) == 1, f"expected one backup beside {path}, found {backups}"
    old = desk_db.connect(f"sqlite:///{backups[0]}")
    try:
        assert snapshot(old) == before
        assert schema_names(old) == ["0001_initial"]
        assert "search_doc" not in old.get_tables()
        assert old.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        old.close()


def test_a_database_with_a_newer_schema_is_refused_untouched(fresh_url):
    db = desk_db.connect(fresh_url)
    desk_db.migrate(db)
    with db.atomic():
        db.execute_sql("INSERT INTO schema_migration (name, applied) "
                       "VALUES ('9999_future', CURRENT_TIMESTAMP)")
    tables = sorted(db.get_tables())
    db.close()
    path = database_url.sqlite_path(fresh_url)
    before = file_state(path) if path else {}

    db = desk_db.connect(fresh_url)
    try:
        with pytest.raises(SchemaError, match="schema is newer") as refused:
            desk_db.migrate(db)
        assert "9999_future" in str(refused.value)
        with pytest.raises(SchemaError, match="schema is newer"):
            desk_db.migration_status(db)
        assert schema_names(db) == [*ALL_MIGRATIONS, "9999_future"]
        assert sorted(db.get_tables()) == tables
    finally:
        db.close()
    if path:
        assert file_state(path) == before
        assert not list(path.parent.glob("*.bak")), "a refused database needs no backup"


@pytest.mark.serial
def test_two_processes_migrating_one_fresh_database_apply_it_once(fresh_url):
    outcomes = run_children(migrate_in_child, [(fresh_url,), (fresh_url,)], CHILD_TIMEOUT)
    errors = [detail for status, detail in outcomes if status != "ok"]
    assert not errors, f"a migrating process failed: {errors}"
    applied = sorted((detail for _, detail in outcomes), key=len)
    assert applied == [[], ALL_MIGRATIONS], "exactly one process should apply the schema"
    db = desk_db.connect(fresh_url)
    try:
        assert schema_names(db) == ALL_MIGRATIONS
        assert desk_db.migration_status(db) == (ALL_MIGRATIONS, [])
    finally:
        db.close()


KEPT_NARROW = {"task_task_list_id"}
"""Single-column indexes kept beside a wider one: on SQLite this one also holds a list's
tasks in id order, which lists them newest first without a sort."""


def test_no_index_is_only_the_start_of_another(db):
    """Every write pays for each index: one on a single column that a wider index also starts
    with (whole tables both, the narrow one not unique) serves few lookups the wider one does
    not (0031 dropped 33)."""
    covered = []
    for table in database.get_tables():
        indexes = [index for index in database.get_indexes(table)
                   if " WHERE " not in (index.sql or "").upper()]
        for narrow in indexes:
            if len(narrow.columns) == 1 and not narrow.unique and narrow.name not in KEPT_NARROW:
                covered += [f"{narrow.name} by {wide.name}" for wide in indexes
                            if len(wide.columns) > 1 and wide.columns[0] == narrow.columns[0]]
    assert covered == []
