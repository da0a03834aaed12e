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
import uuid
from dataclasses import dataclass

import pytest
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


def require_postgres() -> None:
    """Skip the test, saying why, unless a PostgreSQL server and its driver are there."""
    if not POSTGRES_ADMIN_URL:
        pytest.skip("no PostgreSQL server: set DESK_TEST_POSTGRES_URL")
    if importlib.util.find_spec("psycopg") is None:
        pytest.skip("no PostgreSQL driver: pip install 'desk[postgres]'")


def create_postgres_database() -> str:
    """Create an empty database on the test server, named after this worker and unique on
    the server; returns its URL."""
    name = f"desk_test_{WORKER}_{uuid.uuid4().hex[:12]}"
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
