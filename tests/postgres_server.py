"""The PostgreSQL server the tests may use: DESK_TEST_POSTGRES_URL, an admin URL (e.g.
postgresql://postgres@/postgres?host=/tmp/pg). Without it, or without psycopg, the PostgreSQL
half of the tests skips, saying why.

Each xdist worker keeps one migrated database (a PostgresWorkspace, made by the
`postgres_workspace` fixture in conftest.py) and empties it between tests over the same
connection; tests of migrations get a database of their own. Every database is named after
the worker and a random part, so that workers, and several checkouts, never collide.
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from built_once import built_once
from peewee import Database

from desk import db as desk_db
from desk.models import database

POSTGRES_ADMIN_URL = os.environ.get("DESK_TEST_POSTGRES_URL", "")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
"""The xdist worker running this process (gw0, gw1, ...), or "main" without xdist."""


def postgres_url(name: str) -> str:
    """The URL of database `name` on the test server."""
    base, _, query = POSTGRES_ADMIN_URL.partition("?")
    base = base.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{query}" if query else "")


def postgres_missing() -> str | None:
    """Why the PostgreSQL tests cannot run here (no server given, no driver), or None."""
    if not POSTGRES_ADMIN_URL:
        return "no PostgreSQL server: set DESK_TEST_POSTGRES_URL"
    if importlib.util.find_spec("psycopg") is None:
        return "no PostgreSQL driver: pip install 'desk[postgres]'"
    return None


def require_postgres() -> None:
    """Skip the test, saying why, unless a PostgreSQL server and its driver are there."""
    if (reason := postgres_missing()) is not None:
        pytest.skip(reason)


def create_postgres_database(template: str | None = None) -> str:
    """Create a database on the test server, named after this worker and unique on the
    server: empty, or a copy of the database named `template` (which nobody may be connected
    to); returns its URL."""
    return _create(f"desk_test_{WORKER}_{uuid.uuid4().hex[:12]}", template)


def _create(name: str, template: str | None = None) -> str:
    """Create database `name` (a copy of `template`, if given); returns its URL."""
    admin = desk_db.connect(POSTGRES_ADMIN_URL)
    admin.connection().autocommit = True
    admin.execute_sql(f'CREATE DATABASE "{name}"'
                      + (f' TEMPLATE "{template}"' if template is not None else ""))
    admin.close()
    return postgres_url(name)


def database_name(url: str) -> str:
    """The name of the database a test server URL names."""
    return url.split("?")[0].rsplit("/", 1)[1]


def drop_postgres_database(url: str) -> None:
    """Drop a database made by create_postgres_database."""
    name = database_name(url)
    admin = desk_db.connect(POSTGRES_ADMIN_URL)
    admin.connection().autocommit = True
    admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


# --- databases built once per test run ---------------------------------------------------

RUN = "DESK_TEST_RUN"
"""The environment variable naming this test run (set by conftest.py in the process that
starts the xdist workers, which inherit it): the templates below carry it in their names."""


def postgres_template(tmp_path_factory: pytest.TempPathFactory, name: str,
                      build: Callable[[str], Any]) -> tuple[str, Any]:
    """A database made once per test run by `build(its URL)`, for tests to copy with
    create_postgres_database(template=...) instead of each building their own (the demo
    takes seconds); returns its name and what `build` returned. Nobody stays connected to
    it; drop_templates drops it at the end of the run."""
    template = f"desk_template_{os.environ[RUN]}_{name}"

    def make(path: Path) -> None:
        url = _create(template)
        try:
            path.write_bytes(pickle.dumps(build(url)))
        except BaseException:
            drop_postgres_database(url)
            raise

    made = built_once(tmp_path_factory, f"{template}.pickle", make)
    return template, pickle.loads(made.read_bytes())


def drop_templates() -> None:
    """Drop the templates this run made (none without a PostgreSQL server and its driver)."""
    if not POSTGRES_ADMIN_URL or importlib.util.find_spec("psycopg") is None:
        return
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        names = [name for (name,) in connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            (f"desk_template_{os.environ[RUN]}_%",))]
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


EMPTY_POSTGRES = """
DO $$
DECLARE
    name text;
    filled boolean;
BEGIN
    SET LOCAL session_replication_role = replica;  -- no foreign-key checks while emptying
    FOR name IN SELECT format('%%I', tablename) FROM pg_tables
                WHERE schemaname = current_schema() AND tablename <> 'schema_migration' LOOP
        EXECUTE 'SELECT EXISTS (SELECT FROM ' || name || ')' INTO filled;
        IF filled THEN
            EXECUTE 'DELETE FROM ' || name;
        END IF;
    END LOOP;
    FOR name IN SELECT format('%%I', sequencename) FROM pg_sequences
                WHERE schemaname = current_schema() AND last_value IS NOT NULL LOOP
        EXECUTE 'ALTER SEQUENCE ' || name || ' RESTART';
    END LOOP;
END $$
"""
"""Empty every table but the migrations' own and restart every sequence a test used, in one
round trip. Only the tables that hold rows are touched, and with DELETE rather than TRUNCATE
(which remakes every table's files): a few milliseconds where TRUNCATE of all took 0.2 s.
Setting session_replication_role needs a superuser, as the test server's `postgres` is."""


@dataclass(frozen=True)
class PostgresWorkspace:
    """The migrated PostgreSQL database of this worker, and the connection the tests share."""

    url: str
    database: Database

    def emptied(self) -> Database:
        """Bind desk's models to the database again and empty it; returns it."""
        database.initialize(self.database)
        self.database.connect(reuse_if_open=True)
        self.database.execute_sql(EMPTY_POSTGRES)
        return self.database


# --- roles (the postgres identity mode) -------------------------------------------------


def superuser(statements: list[str]) -> None:
    """Run `statements` on the test cluster as its superuser, each committed at once."""
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def drop_database_and_roles(database: str, suffix: str, owner: str) -> None:
    """Drop `database` and every role whose name carries `suffix`, `owner` last (the others'
    memberships were granted by it)."""
    import psycopg

    superuser([f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"])
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        names = [name for (name,) in connection.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE %s ORDER BY rolname = %s",
            (f"%{suffix}%", owner))]
        for name in names:
            connection.execute(f'DROP ROLE "{name}"')


def refused(connection, statement: str, *params) -> str:
    """The error of `statement` on `connection`, which must be refused; rolled back."""
    import psycopg

    with pytest.raises(psycopg.Error) as error:
        connection.execute(statement, params or None)
    connection.rollback()
    return str(error.value)
