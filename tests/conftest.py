"""Shared fixtures: every database test runs on SQLite and, when a server is given, PostgreSQL.

Set DESK_TEST_POSTGRES_URL to an admin URL (e.g. postgresql://postgres@/postgres?host=/tmp/pg)
to run the PostgreSQL half; without it those tests skip, so `pytest` works anywhere.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from peewee import Database

from desk import db as desk_db
from desk.cli import main as desk_main
from desk.kernel import agents
from desk.models import database
from desk.work import filters

POSTGRES_ADMIN_URL = os.environ.get("DESK_TEST_POSTGRES_URL", "")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch) -> None:
    """No test reads or writes the developer's own config, data or database."""
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.delenv("DESK_CONFIG", raising=False)
    monkeypatch.delenv("DESK_DATABASE", raising=False)


def run_children(target, arg_lists: list[tuple], timeout: float = 180) -> list:
    """Start one spawned process per argument tuple, all released together by a barrier;
    each calls `target(*args, barrier, results)` and puts one report on `results`.
    Returns the reports once every child has exited cleanly."""
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(len(arg_lists))
    results = spawn.Queue()
    children = [spawn.Process(target=target, args=(*args, barrier, results)) for args in arg_lists]
    for child in children:
        child.start()
    reports = [results.get(timeout=timeout) for _ in children]
    for child in children:
        child.join(timeout)
        assert child.exitcode == 0
    return reports


def postgres_url(name: str) -> str:
    """The URL of database `name` on the test server."""
    base, _, query = POSTGRES_ADMIN_URL.partition("?")
    base = base.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")


def create_postgres_database() -> str:
    """Create an empty database on the test server; returns its URL."""
    name = f"desk_test_{uuid.uuid4().hex[:12]}"
    admin = desk_db.connect(POSTGRES_ADMIN_URL)
    admin.connection().autocommit = True
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    admin.close()
    return postgres_url(name)


def drop_postgres_database(url: str) -> None:
    """Drop a database made by create_postgres_database."""
    name = url.split("?")[0].rsplit("/", 1)[1]
    admin = desk_db.connect(POSTGRES_ADMIN_URL)
    admin.connection().autocommit = True
    admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """One migrated PostgreSQL database for the session; tests empty it between runs."""
    if not POSTGRES_ADMIN_URL:
        pytest.skip("no PostgreSQL server: set DESK_TEST_POSTGRES_URL")
    url = create_postgres_database()
    pg = desk_db.connect(url)
    desk_db.migrate(pg)
    pg.close()
    yield url
    database.obj.close() if database.obj is not None else None
    drop_postgres_database(url)


def empty_postgres(pg: Database) -> None:
    """Remove every row and restart the ids, keeping the schema."""
    tables = [t for t in pg.get_tables() if t != "schema_migration"]
    pg.execute_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path) -> str:
    """A database URL for each backend: a fresh SQLite file, or the emptied PostgreSQL one."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'desk.db'}"
    url = request.getfixturevalue("postgres_template")
    pg = desk_db.connect(url)
    empty_postgres(pg)
    pg.close()
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_url(request, tmp_path) -> Iterator[str]:
    """The URL of a brand-new, empty database of the test's own (not the shared test
    database): a SQLite file or a new PostgreSQL database, dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    if not POSTGRES_ADMIN_URL:
        pytest.skip("no PostgreSQL server: set DESK_TEST_POSTGRES_URL")
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


@pytest.fixture
def db(db_url) -> Iterator[Database]:
    """The migrated database, bound to desk's models."""
    connected = desk_db.connect(db_url)
    desk_db.migrate(connected)
    yield connected
    connected.close()


@pytest.fixture
def admin(db) -> agents.AgentRef:
    """The first agent of the database: this OS account, an admin."""
    return agents.acting()


@pytest.fixture
def context(admin) -> filters.Context:
    """A query context for the admin at a fixed moment (Wednesday 2026-11-18 10:30, Berlin)."""
    return filters.Context(admin.username, datetime(2026, 11, 18, 10, 30, tzinfo=BERLIN))


@pytest.fixture
def run_desk(capsys):
    """`run_desk(*args)` runs `desk ARGS...` in-process; returns (status, stdout, stderr)."""
    def run(*args: str) -> tuple[int, str, str]:
        status = desk_main(list(args))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run
