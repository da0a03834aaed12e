"""Files the whole test run shares: built by the first worker that asks, reused by the rest.

pytest-xdist gives each worker a temporary folder of its own under one folder for the run.
A file built there under an exclusive lock is built once per run instead of once per
worker: the migrated SQLite template and the demo workspace cost seconds each.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from peewee import Database

from desk import db as desk_db
from desk.dialect import is_sqlite
from desk.kernel import agents
from desk.models import database


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], None]) -> Path:
    """The run's file `name`, made by `build(path)` the first time any worker asks.

    `build` writes a file beside the final one, which is then renamed into place,
    so no worker ever copies a half-built file."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    path = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            partial = root / f"{name}.partial"
            build(partial)
            partial.rename(path)
    return path


def filled_once(tmp_path_factory: pytest.TempPathFactory, template: Path, name: str,
                fill: Callable[[Database, Path], None]) -> Path:
    """The run's SQLite file `name`: a copy of the SQLite file `template` (the migrated one)
    that `fill(database, path)` writes into once per run, with desk's models bound to it and
    `path` the file being built; closed afterwards (`built_once`)."""
    def build(path: Path) -> None:
        shutil.copyfile(template, path)
        connected = desk_db.connect(f"sqlite:///{path}")
        with connected.connection_context():
            fill(connected, path)
        connected.close()

    return built_once(tmp_path_factory, name, build)


def rows_built_once(request: pytest.FixtureRequest, db: Database, name: str,
                    build_rows: Callable[[agents.AgentRef], dict]) -> dict:
    """What `build_rows(admin)` returns (a dict that JSON keeps), with the rows it writes in
    the test's open database `db`. On SQLite they are written once per run, into a copy of
    the migrated template (the run's file `name`.db, its result beside it), and copied into
    `db` for each test by SQLite's backup API; on PostgreSQL `build_rows` runs for the
    test. The admin is the database's first agent, as the `admin` fixture's."""
    if not is_sqlite(db):
        return build_rows(agents.acting())

    def fill(_database: Database, path: Path) -> None:
        path.parent.joinpath(f"{name}.json").write_text(json.dumps(build_rows(agents.acting())))

    path = filled_once(request.getfixturevalue("tmp_path_factory"),
                       request.getfixturevalue("sqlite_template"), f"{name}.db", fill)
    database.initialize(db)  # building bound desk's models to the run's file
    source = sqlite3.connect(path)
    try:
        source.backup(db.connection())
    finally:
        source.close()
    return json.loads(path.parent.joinpath(f"{name}.json").read_text())
