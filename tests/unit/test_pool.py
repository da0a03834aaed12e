"""The pool of connections (desk.pool): background loads borrow connections instead of each
opening its own, on a real PostgreSQL and on SQLite with its settings intact."""

from __future__ import annotations

import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from peewee import OperationalError
from postgres_server import (
    POSTGRES_ADMIN_URL,
    create_postgres_database,
    drop_postgres_database,
    require_postgres,
)

from desk import db as desk_db
from desk.config import SqliteSettings
from desk.kernel import agents
from desk.kernel.connections import is_busy, on_own_connection
from desk.models import database
from desk.pool import POOL_SIZE
from desk.work import filters, listing

LOADS = 40
"""Background loads run at once from more threads than the pool holds."""


def _session_of_load(context: filters.Context) -> tuple:
    """A background load as the task list runs it (a count of a query), answering which
    server session ran it: its process id and the moment the session started."""
    listing.task_count("is:open", context)
    return database.execute_sql(
        "SELECT pid, backend_start FROM pg_stat_activity, pg_sleep(0.02) "
        "WHERE pid = pg_backend_pid()").fetchone()


@pytest.fixture
def postgres_url():
    """A migrated PostgreSQL database of the test's own (its sessions are the test's)."""
    require_postgres()
    url = create_postgres_database()
    migrated = desk_db.connect(url)
    desk_db.migrate(migrated)
    migrated.close()
    yield url
    drop_postgres_database(url)


def _sessions_on(url: str) -> set[int]:
    """The server sessions connected to the database at url now, the asker's own left out."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as asker:
        return {pid for (pid,) in asker.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")}


def _sessions_settled(url: str, before: set[int], at_most: int = 0) -> set[int]:
    """The sessions on url that were not there before, once no more than `at_most` are left
    or 10 s have passed: a session closed by its client leaves the server's list a moment
    later, not at once."""
    deadline = time.monotonic() + 10
    while len(left := _sessions_on(url) - before) > at_most and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_background_loads_share_the_pools_sessions_on_postgresql(postgres_url) -> None:
    before = _sessions_on(postgres_url)  # the fixture's, maybe still ending
    opened = desk_db.connect(postgres_url)
    try:
        context = filters.Context(agents.acting().username, datetime.now(UTC))
        threads = POOL_SIZE * 2
        start = threading.Barrier(threads)

        def load(_: int) -> tuple:
            start.wait(30)  # the first loads all ask for a connection at the same moment
            return on_own_connection(opened, _session_of_load, context)

        with ThreadPoolExecutor(threads) as workers:
            sessions = list(workers.map(load, range(threads)))
            start = threading.Barrier(1)
            sessions += list(workers.map(load, range(LOADS - threads)))
        # the thread that opened the database keeps its own session, so the pool lends
        # the others: no load opened a session beyond the pool's size
        assert len(sessions) == LOADS
        assert len(set(sessions)) <= POOL_SIZE - 1
        # (a short-lived session of the opening, once closed, may still be listed a moment)
        assert len(_sessions_settled(postgres_url, before, at_most=POOL_SIZE)) <= POOL_SIZE
    finally:
        opened.close()
    # closed where it was opened: no session of the pool stays behind
    assert _sessions_settled(postgres_url, before) == set()


def test_opening_a_database_closes_the_one_opened_before(postgres_url) -> None:
    before = _sessions_on(postgres_url)
    first = desk_db.connect(postgres_url)
    first.execute_sql("SELECT 1")
    second = desk_db.connect(postgres_url)  # as each command run in one process does
    try:
        second.execute_sql("SELECT 1")
        assert len(_sessions_settled(postgres_url, before, at_most=1)) == 1
    finally:
        second.close()
    assert first.is_closed()


def test_a_session_the_server_ended_is_not_lent_again(postgres_url) -> None:
    import psycopg

    opened = desk_db.connect(postgres_url)
    outsider = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True)  # not desk's pool
    try:
        def backend() -> int:
            return database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]

        with ThreadPoolExecutor(1) as worker:
            lent = worker.submit(on_own_connection, opened, backend).result()
            outsider.execute("SELECT pg_terminate_backend(%s)", (lent,))
            again = worker.submit(on_own_connection, opened, backend).result()
    finally:
        outsider.close()
        opened.close()
    assert again != lent  # the ended session was dropped, and the load still ran


def test_a_pool_with_every_connection_in_use_reads_as_busy(sqlite_template, tmp_path) -> None:
    file = tmp_path / "desk.db"
    shutil.copyfile(sqlite_template, file)
    opened = desk_db.connect(f"sqlite:///{file}", SqliteSettings(busy_timeout_ms=200))
    holding = threading.Barrier(POOL_SIZE)  # the holders and this thread
    release = threading.Event()

    def hold() -> None:
        holding.wait(30)
        release.wait(30)

    holders = ThreadPoolExecutor(POOL_SIZE - 1)  # with the opener's, every connection
    held = [holders.submit(on_own_connection, opened, hold) for _ in range(POOL_SIZE - 1)]
    try:
        holding.wait(30)
        with pytest.raises(OperationalError) as refused, ThreadPoolExecutor(1) as other:
            other.submit(on_own_connection, opened, lambda: None).result(30)
    finally:
        release.set()
        for done in held:
            done.result(30)
        holders.shutdown()
        opened.close()
    assert is_busy(refused.value)
    assert str(refused.value) == (f"database busy: all {POOL_SIZE} connections of this app "
                                  "are in use")


def test_sqlite_connections_lent_to_threads_keep_desks_settings(sqlite_db) -> None:
    def settings() -> tuple:
        return tuple(database.execute_sql(f"PRAGMA {name}").fetchone()[0]
                     for name in ("journal_mode", "foreign_keys", "busy_timeout"))

    with ThreadPoolExecutor(4) as workers:
        seen = list(workers.map(lambda _: on_own_connection(sqlite_db, settings), range(20)))
    assert set(seen) == {("wal", 1, 5000)}
    assert sqlite_db.connections_open <= POOL_SIZE
    sqlite_db.close()
    assert sqlite_db.connections_open == 0
