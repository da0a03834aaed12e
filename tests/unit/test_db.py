"""desk.db: which database a URL names, SQLite's safety settings as they are really in effect
on a connection, a row read by id as a select reads it, and backups that stay consistent while
other processes keep writing."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from conftest import CHILDREN, child_process
from peewee import Database, IntegrityError

from desk import database_url, dialect
from desk import db as desk_db
from desk.config import SqliteSettings
from desk.errors import DeskError
from desk.kernel import agents
from desk.models import Task, database
from desk.work import tasks, workspace

CHILD_TIMEOUT = 120  # seconds a child process may take before the test gives up on it
BACKUP_LIMIT = 15  # seconds: far above a one-step copy of the test database (~0.1 s)


# --- helpers -------------------------------------------------------------------------------


def pragma(db: Database, name: str) -> object:
    """The value of one PRAGMA on the calling thread's connection."""
    return db.execute_sql(f"PRAGMA {name}").fetchone()[0]


def sqlite_url(path: Path) -> str:
    """The sqlite:/// URL of an absolute path (four slashes)."""
    return f"sqlite:///{path}"


def make_list(admin: agents.AgentRef) -> int:
    """A space with one list; returns the list's id."""
    workspace.create_space(admin, "Ops")
    return workspace.create_list(admin, "Ops", "Queue").id


def insert_tasks_until_stopped(url: str, list_id: int, started, stop, written) -> None:
    """Child process: open the database itself and create tasks one transaction at a time
    until `stop` is set; `started` is set after the first commit, `written` counts commits."""
    desk_db.connect(url)
    agent = agents.acting()
    count = 0
    while not stop.is_set():
        tasks.create(agent, f"written by the child {count}", list_id, description="x" * 200)
        count += 1
        written.value = count
        started.set()


class TaskWriter:
    """A child process that keeps inserting tasks while the test does something else."""

    def __init__(self, url: str, list_id: int) -> None:
        self.started = CHILDREN.Event()
        self.stop = CHILDREN.Event()
        self.written = CHILDREN.Value("i", 0)
        self.process = child_process(insert_tasks_until_stopped,
                                     (url, list_id, self.started, self.stop, self.written))

    def __enter__(self) -> TaskWriter:
        self.process.start()
        if not self.started.wait(CHILD_TIMEOUT):
            self.process.kill()
            pytest.fail("the writer process never committed a task")
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop.set()
        self.process.join(CHILD_TIMEOUT)
        if self.process.is_alive():
            self.process.kill()
            pytest.fail("the writer process did not stop")
        assert self.process.exitcode == 0, "the writer process failed (see its stderr)"


def fill_tasks(db: Database, list_id: int, count: int, description: str) -> None:
    """Insert `count` tasks in one transaction with raw SQL (fast, for bulk)."""
    marker = db.param
    status_id = db.execute_sql(
        f"SELECT id FROM status WHERE task_list_id = {marker} ORDER BY position LIMIT 1",
        (list_id,)).fetchone()[0]
    sql = ("INSERT INTO task (task_list_id, status_id, category, kind, title, description, "
           "priority, position, created_at, updated_at, version) VALUES "
           f"({', '.join([marker] * 11)})")
    rows = [(list_id, status_id, "open", "task", f"bulk {i}", description, 3, i,
             "2026-01-01 00:00:00", "2026-01-01 00:00:00", 1) for i in range(count)]
    with db.atomic():
        db.cursor().executemany(sql, rows)


# --- which database ------------------------------------------------------------------------


def test_the_db_flag_wins_over_environment_and_config():
    url = database_url.resolve_url("sqlite:///flag.db", {"DESK_DATABASE": "sqlite:///env.db"},
                                    "sqlite:///config.db")
    assert url == "sqlite:///flag.db"


def test_desk_database_in_the_environment_wins_over_the_config():
    url = database_url.resolve_url(None, {"DESK_DATABASE": "postgresql://x@/env"}, "sqlite:///c.db")
    assert url == "postgresql://x@/env"


def test_the_config_is_used_without_flag_or_environment():
    assert database_url.resolve_url(None, {}, "sqlite:///config.db") == "sqlite:///config.db"


def test_only_the_given_environment_mapping_is_read(monkeypatch):
    monkeypatch.setenv("DESK_DATABASE", "sqlite:///process-env.db")
    assert database_url.resolve_url(None, {}, "sqlite:///config.db") == "sqlite:///config.db"


def test_the_default_is_a_file_in_the_xdg_data_dir():
    url = database_url.resolve_url(None, {}, None)
    data_home = Path(os.environ["XDG_DATA_HOME"])  # set per test by the autouse fixture
    assert url.startswith("sqlite:////")
    assert database_url.sqlite_path(url) == data_home / "desk" / "desk.db"


def test_empty_values_fall_through_to_the_default():
    assert database_url.resolve_url("", {"DESK_DATABASE": ""}, "") == \
        database_url.resolve_url(None, {}, None)


@pytest.mark.parametrize("url, expected", [
    ("sqlite:///relative/desk.db", Path("relative/desk.db")),
    ("sqlite:////srv/desk/desk.db", Path("/srv/desk/desk.db")),
    ("/srv/desk/bare.db", Path("/srv/desk/bare.db")),
    ("relative/bare.db", Path("relative/bare.db")),
    ("sqlite:///~/desk.db", Path.home() / "desk.db"),
    ("sqlite:///with%20space.db", Path("with space.db")),
    ("postgresql://postgres@/desk", None),
])
def test_sqlite_url_forms(url, expected):
    assert database_url.sqlite_path(url) == expected


def test_a_relative_sqlite_url_is_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = desk_db.connect("sqlite:///nested/dir/desk.db")
    try:
        db.execute_sql("CREATE TABLE probe (x)")
    finally:
        db.close()
    assert (tmp_path / "nested" / "dir" / "desk.db").is_file()


def test_a_sqlite_url_without_a_file_is_refused():
    with pytest.raises(DeskError, match="names no file"):
        database_url.sqlite_path("sqlite://")


@pytest.mark.parametrize("url, shown", [
    ("mysql://bob:s3cret@db.example/desk", "mysql://bob:***@db.example/desk"),
    ("oracle://alice:s3cret@db.example:1521/desk", "oracle://alice:***@db.example:1521/desk"),
    ("mongodb://db.example/desk", "mongodb://db.example/desk"),
])
def test_an_unsupported_scheme_names_the_url_without_its_password(url, shown):
    with pytest.raises(DeskError) as caught:
        desk_db.connect(url)
    message = str(caught.value)
    assert "unsupported database URL" in message
    assert shown in message
    assert "s3cret" not in message


def test_a_failed_postgresql_connection_hides_the_password(tmp_path):
    url = f"postgresql://bob:s3cret@/desk?host={tmp_path}&port=1"
    with pytest.raises(DeskError) as caught:
        desk_db.connect(url)
    assert "bob:***@" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_redact_keeps_a_url_without_a_password():
    assert database_url.redact("postgresql://bob@host/db") == "postgresql://bob@host/db"
    assert database_url.redact("postgresql://bob:p%40ss@host/db") == "postgresql://bob:***@host/db"


# --- SQLite settings in effect -------------------------------------------------------------


@pytest.mark.parametrize("settings, synchronous, busy_ms", [
    (None, 2, 5000),  # FULL by default: an acknowledged commit survives a power loss
    (SqliteSettings(synchronous="normal", busy_timeout_ms=1234), 1, 1234),
])
def test_sqlite_pragmas_are_in_effect_on_every_connection(tmp_path, settings, synchronous,
                                                           busy_ms):
    db = desk_db.connect(sqlite_url(tmp_path / "p.db"), settings)
    seen: dict[str, list] = {}

    def read() -> None:
        """Record the pragmas of this thread's own connection."""
        values = [pragma(db, name) for name in
                  ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")]
        seen[threading.current_thread().name] = values
        db.close()

    read()
    worker = threading.Thread(target=read, name="second connection")
    worker.start()
    worker.join()
    expected = ["wal", 1, synchronous, busy_ms]
    assert seen == {"MainThread": expected, "second connection": expected}


def test_foreign_keys_are_enforced(db, admin):
    list_id = make_list(admin)
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), db.atomic():
        Task.create(task_list=list_id + 100, status=1, category="open", title="orphan")


def test_a_row_read_by_id_holds_what_a_select_reads(db, admin):
    workspace.create_space(admin, "Work")
    inbox = workspace.create_list(admin, "Work", "Inbox")
    made = tasks.create(admin, "Call back", inbox.id, due_at=datetime(2026, 12, 1, 9, 30))
    row = dialect.row_by_id(Task, made.row.id)
    assert row.__data__ == Task.get_by_id(made.row.id).__data__
    assert (row.title, row.due_at) == ("Call back", datetime(2026, 12, 1, 9, 30))
    with database.atomic():  # as a save reads it, locked on PostgreSQL
        assert dialect.row_by_id(Task, made.row.id, lock=True).version == 1
    assert dialect.row_by_id(Task, made.row.id + 1) is None


def test_a_write_transaction_takes_the_write_lock_at_begin(tmp_path):
    path = tmp_path / "lock.db"
    db = desk_db.connect(sqlite_url(path))
    desk_db.migrate(db)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with db.atomic():
            db.execute_sql("SELECT count(*) FROM task").fetchone()  # only read so far
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
    finally:
        other.close()
        db.close()


def test_a_deferred_read_transaction_would_not_hold_the_lock(tmp_path):
    """The contrast that makes the test above meaningful: plain BEGIN plus a read does not
    lock out a writer, so only BEGIN IMMEDIATE explains the refusal there."""
    path = tmp_path / "deferred.db"
    desk_db.migrate(desk_db.connect(sqlite_url(path)))
    reader = sqlite3.connect(path, isolation_level=None)
    writer = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM task").fetchone()
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("ROLLBACK")
        reader.execute("ROLLBACK")
    finally:
        reader.close()
        writer.close()


def test_a_second_writer_waits_for_the_lock_instead_of_failing(tmp_path):
    db = desk_db.connect(sqlite_url(tmp_path / "wait.db"))
    desk_db.migrate(db)
    admin = agents.acting()
    list_id = make_list(admin)
    holding, releasing = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        """Keep a write transaction open for a moment on a second connection."""
        with db.atomic():
            db.execute_sql("SELECT 1")
            holding.set()
            time.sleep(0.4)  # the write below starts meanwhile, and waits
            releasing.set()  # just before the commit lets it through
        db.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert holding.wait(10)
    created = tasks.create(admin, "after the wait", list_id)
    holder.join()
    assert created.row.title == "after the wait"
    assert releasing.is_set(), "the write went through while the lock was held"


# --- backups -------------------------------------------------------------------------------


def test_backup_refuses_to_overwrite_an_existing_file(db, tmp_path):
    target = tmp_path / "existing.bak"
    target.write_bytes(b"keep me")
    with pytest.raises(DeskError, match="already exists"):
        desk_db.backup(db, target)
    assert target.read_bytes() == b"keep me"


def test_a_sqlite_backup_that_cannot_be_written_says_so_and_leaves_no_file(tmp_path):
    live = desk_db.connect(sqlite_url(tmp_path / "live.db"))
    desk_db.migrate(live)
    target = tmp_path / "copy.bak"
    partial = tmp_path / "copy.bak.partial"
    partial.write_bytes(b"not a database " * 100)  # left behind by something else

    with pytest.raises(DeskError) as failed:
        desk_db.backup_sqlite(live, target)

    assert str(failed.value) == f"cannot write {target}: file is not a database"
    assert not partial.exists() and not target.exists()
    live.close()


@pytest.mark.serial
def test_sqlite_backup_is_consistent_while_another_process_inserts(tmp_path):
    path = tmp_path / "live.db"
    url = sqlite_url(path)
    db = desk_db.connect(url)
    desk_db.migrate(db)
    admin = agents.acting()
    list_id = make_list(admin)
    fill_tasks(db, list_id, 3000, "d" * 2000)  # > 1024 pages: the copy takes several steps
    with TaskWriter(url, list_id) as writer:
        for attempt in range(3):
            target = tmp_path / f"copy-{attempt}.db"
            before = Task.select().count()
            started = time.monotonic()
            desk_db.backup(db, target)
            took = time.monotonic() - started
            after = Task.select().count()
            # a copy made in several steps starts over after each commit of the writer, so
            # under steady writes it may never finish; one step takes milliseconds here
            assert took < BACKUP_LIMIT, f"backup {attempt} took {took:.1f}s under writes"
            copy = sqlite3.connect(target)
            try:
                assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
                copied = copy.execute("SELECT count(*) FROM task").fetchone()[0]
                audited = copy.execute(
                    "SELECT count(*) FROM activity WHERE entity = 'task' AND field = 'title'"
                ).fetchone()[0]
            finally:
                copy.close()
            assert before <= copied <= after
            # every task the services created in the copy has its audit row with it
            assert audited == copied - 3000
        assert writer.written.value > 0
    assert not list(tmp_path.glob("*.partial"))
    db.close()


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_postgresql_backup_with_pg_dump_is_a_consistent_snapshot(db, db_url, tmp_path):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed")
    admin = agents.acting()
    list_id = make_list(admin)
    fill_tasks(db, list_id, 500, "d" * 200)
    target = tmp_path / "team.dump"
    with TaskWriter(db_url, list_id):
        before = Task.select().count()
        desk_db.backup(db, target)
        after = Task.select().count()
    assert target.stat().st_size > 0
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    copied = dumped_rows(target, "task")
    audited = [row for row in dumped_rows(target, "activity")
               if (row["entity"], row["field"]) == ("task", "title")]
    assert before <= len(copied) <= after
    # one snapshot: every task the services created comes with its audit row
    assert len(audited) == len(copied) - 500


def dumped_rows(dump: Path, table: str) -> list[dict[str, str]]:
    """The rows of one table in a pg_dump custom-format archive, read back by pg_restore
    (as COPY text: one line per row, tab-separated columns)."""
    result = subprocess.run(["pg_restore", "--data-only", f"--table={table}", "--file=-",
                             str(dump)], check=True, capture_output=True, text=True,
                            timeout=CHILD_TIMEOUT)
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith(f"COPY public.{table} ("))
    columns = header[header.index("(") + 1:header.index(")")].split(", ")
    first = lines.index(header) + 1
    return [dict(zip(columns, line.split("\t"), strict=True))
            for line in lines[first:lines.index("\\.", first)]]


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_failed_pg_dump_leaves_no_file_and_says_why(db, tmp_path):
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    from postgres_server import create_postgres_database, drop_postgres_database

    doomed_url = create_postgres_database()
    doomed = desk_db.connect(doomed_url)
    doomed.close()
    drop_postgres_database(doomed_url)  # the server now refuses to dump it
    target = tmp_path / "gone.dump"
    try:
        with pytest.raises(DeskError) as failed:
            desk_db.backup(doomed, target)
    finally:
        database.initialize(db)  # connect() rebound the models; give them back to the test
    message = str(failed.value)
    assert message.startswith("pg_dump failed: ") and "does not exist" in message
    assert "['" not in message, f"the error is shown as a Python list: {message}"
    assert not list(tmp_path.iterdir()), "a failed backup must not leave a file behind"


# --- writes that concurrent transactions share ---------------------------------------------


def test_serialize_holds_a_transaction_lock_on_postgresql_only(db):
    with database.atomic():
        dialect.serialize("tests.key")
        if not dialect.is_sqlite(db):
            held = db.execute_sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                  "AND pid = pg_backend_pid()").fetchone()[0]
            assert held == 1
    if not dialect.is_sqlite(db):
        held = db.execute_sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                              "AND pid = pg_backend_pid()").fetchone()[0]
        assert held == 0  # released with the transaction
        with pytest.raises(RuntimeError, match=r"inside database\.atomic"):
            dialect.serialize("tests.key")


def test_serialize_makes_a_second_transaction_wait(db):
    if dialect.is_sqlite(db):
        pytest.skip("SQLite's BEGIN IMMEDIATE makes writers wait already (tested above)")
    started, first_ending = threading.Event(), threading.Event()
    got_through: list[bool] = []

    def second() -> None:
        """On this thread's own connection: take the same key, then note whether the first
        transaction was ending by then."""
        with database.atomic():
            started.set()
            dialect.serialize("tests.key")
            got_through.append(first_ending.is_set())
        db.close()  # this thread's connection only

    with database.atomic():
        dialect.serialize("tests.key")
        thread = threading.Thread(target=second)
        thread.start()
        started.wait(5)
        time.sleep(0.3)  # the second transaction reaches the key meanwhile, and waits
        first_ending.set()  # just before the commit releases the key
    thread.join(10)
    assert got_through == [True], "the second transaction did not wait for the first"


def test_named_ids_inserts_only_the_missing_names(db):
    from desk.models import Team

    existing = Team.create(name="Support")
    ids, created = desk_db.named_ids(Team, ["Sales", "Support", "Sales"])
    assert created == {"Sales"}
    assert ids == {"Support": existing.id, "Sales": Team.get(Team.name == "Sales").id}
    assert desk_db.named_ids(Team, ["Sales"]) == ({"Sales": ids["Sales"]}, set())
    assert desk_db.named_ids(Team, []) == ({}, set())


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_postgresql_connections_run_without_the_jit_compiler_or_parallel_workers(db_url):
    """desk's queries are short: JIT compiling cost more than it saved (the team workload),
    and so did starting parallel workers for a page of a list."""
    connected = desk_db.connect(db_url)
    try:
        assert connected.execute_sql("SHOW jit").fetchone() == ("off",)
        assert connected.execute_sql(
            "SHOW max_parallel_workers_per_gather").fetchone() == ("0",)
    finally:
        connected.close()


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_postgresql_vacuums_the_task_table_after_a_hundredth_of_it_changed(db_url):
    """The stored urgency scores rewrite inbox tasks every minute (migration 0029), and the
    inbox's and the workload's index-only counts read the table for every row of a page not
    vacuumed since; migration 0030 has the task table vacuumed after 1% of it changed."""
    connected = desk_db.connect(db_url)
    try:
        (options,) = connected.execute_sql(
            "SELECT reloptions FROM pg_class WHERE oid = 'task'::regclass").fetchone()
        assert "autovacuum_vacuum_scale_factor=0.01" in options
    finally:
        connected.close()
