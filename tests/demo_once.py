"""The demo workspace built once per test run on each backend, and copied for every test (or
module) that needs one: building it takes thousands of service calls, seconds on SQLite and
more on PostgreSQL.

On SQLite the build is a file (tests/built_once.py) copied per use; on PostgreSQL a template
database (postgres_server.postgres_template) that each use copies into a database of its own,
dropped after it.
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from built_once import built_once
from directories import new_directory
from postgres_server import (
    create_postgres_database,
    drop_postgres_database,
    postgres_template,
    require_postgres,
)

from desk import db as desk_db
from desk import demo, dialect, sla
from desk.config import Settings
from desk.demo import bulk
from desk.kernel import agents

DEMO_NOW = datetime(2026, 11, 18, 9, 30)
"""When the demo is built (naive UTC, as demo.build takes it): a Wednesday morning."""
RULES = sla.book(Settings())
"""The shipped SLA rules."""


@contextmanager
def demo_copy(backend: str, tmp_path_factory: pytest.TempPathFactory,
              **build: object) -> Iterator[tuple]:
    """A copy of its own of the demo built at DEMO_NOW (with `build`'s arguments, e.g.
    tasks=5000) on `backend` ("sqlite" or "postgres"): (its URL, the summary, the progress
    reports, the bulk tables' schema before the build). Not connected."""
    name = "demo" + "".join(f"-{key}{value}" for key, value in sorted(build.items()))
    if backend == "sqlite":
        built = built_once(tmp_path_factory, f"{name}.db",
                           lambda path: build_demo(f"sqlite:///{path}", path, **build))
        copy = new_directory(tmp_path_factory, "demo") / "demo.db"
        shutil.copyfile(built, copy)
        facts = pickle.loads(built.with_name(f"{name}.facts").read_bytes())
        yield f"sqlite:///{copy}", *facts
        return
    require_postgres()
    template, facts = postgres_template(tmp_path_factory, name.replace("-", "_"),
                                        lambda url: build_demo(url, None, **build))
    url = create_postgres_database(template=template)
    try:
        yield url, *facts
    finally:
        drop_postgres_database(url)


def build_demo(url: str, file: Path | None, **build: object) -> tuple:
    """Migrate the database at `url` and build the demo there at DEMO_NOW; returns (the
    summary, the progress reports, the bulk tables' schema before the build), also pickled
    beside the SQLite `file` (as NAME.facts, NAME being the final name of a built_once
    file)."""
    database = desk_db.connect(url)
    desk_db.migrate(database)
    schema = schema_of_bulk_tables()
    stages: list[tuple[str, int, int]] = []
    summary = demo.build(agents.acting(), sla_rules=RULES, now=DEMO_NOW,
                         progress=lambda *a: stages.append(a), **build)
    database.close()
    facts = (summary, stages, schema)
    if file is not None:
        final = file.name.removesuffix(".partial").removesuffix(".db")
        file.with_name(f"{final}.facts").write_bytes(pickle.dumps(facts))
    return facts


def schema_of_bulk_tables() -> tuple[list, list]:
    """The secondary indexes and (PostgreSQL) foreign keys that the top-up drops and restores."""
    keys = [] if dialect.is_sqlite() else bulk.foreign_keys(bulk.BULK_TABLES)
    return bulk.secondary_indexes(bulk.BULK_TABLES), keys
