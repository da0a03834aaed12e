"""Shared fixtures: every database test runs on SQLite and, when a server is given, PostgreSQL.

Set DESK_TEST_POSTGRES_URL to an admin URL (e.g. postgresql://postgres@/postgres?host=/tmp/pg)
to run the PostgreSQL half (tests/postgres_server.py); without it, or without psycopg, those
tests skip, so `pytest` works anywhere.

The suite runs in parallel (pytest-xdist; the settings are in pyproject.toml), so nothing here
is migrated per test: the first worker migrates one SQLite template and every test gets a copy,
and keeps one migrated PostgreSQL database of its own, emptied between tests over the same
connection. Tests marked `serial` run one after another on a single worker; the tests marked
`random_keys` run only with `--random-keys` (CI passes it). Every test acts as the same OS
account (tests/os_account.py), in a home of its own.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from built_once import built_once
from demo_once import demo_copy
from directories import new_directory
from hypothesis import settings
from os_account import READERS, OneAccount, run_as_test_account
from peewee import Database
from postgres_server import (
    RUN,
    PostgresWorkspace,
    create_postgres_database,
    drop_postgres_database,
    drop_templates,
    postgres_missing,
    require_postgres,
)

from desk import database_url
from desk import db as desk_db
from desk.cli import main as desk_main
from desk.kernel import agents
from desk.work import filters

BERLIN = ZoneInfo("Europe/Berlin")

settings.register_profile("desk", deadline=None, derandomize=True)
settings.load_profile("desk")
"""Property tests draw the same examples on every run and machine, and none fails for being
slow on a busy one (Hypothesis's default is 200 ms an example)."""


# --- the suite's options and markers ----------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    """--random-keys: also run the tests marked random_keys."""
    parser.addoption("--random-keys", action="store_true",
                     help="also run the tests marked random_keys (every seed of the random "
                          "keys test; CI does)")


def pytest_configure(config: pytest.Config) -> None:
    """Compiled modules are cached even where PYTHONDONTWRITEBYTECODE is set (as on some CI
    images): without the cache every xdist worker re-compiles and re-rewrites every test
    module (6 of a collection's 10 CPU-seconds) and every child process (desk commands,
    spawned agents) compiles desk again. Set here, before xdist starts its workers, it
    reaches them and every process they start; so does the run's name (RUN)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # the run's name, for its workers too
        os.environ[RUN] = uuid.uuid4().hex[:12]


def pytest_unconfigure(config: pytest.Config) -> None:
    """At the end of the run (in the process that started the workers, once they are done):
    drop the PostgreSQL templates the run made (postgres_server.postgres_template)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        drop_templates()


def pytest_sessionstart(session: pytest.Session) -> None:
    """The cyclic garbage collector runs less often in the test processes: the UI tests make
    millions of short-lived objects (every painted line is a Strip with its caches), and a
    collection every 700 new objects, each walking what the imports left (frozen here, so
    never walked again), cost about a tenth of the suite's CPU. Cycles are still collected;
    the processes the tests start (desk commands, terminals) keep Python's defaults."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (pyproject.toml) starts three workers a core: much of a test's time is
    spent waiting (child processes, terminals, PostgreSQL, SQLite's fsync, the pilot waiting
    for the app to idle), which the other workers on the same core fill. On two cores, the
    README's `pytest` took 6 min 26 s with two workers and 4 min 51 s with four (an earlier
    suite); this one 143 s with four and 134-135 s with six, run in turn (eight: no
    better). With PostgreSQL, 214 s with four and 208 s with six."""
    return 3 * (os.cpu_count() or 1)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the random_keys tests unless asked for, put the serial ones in one xdist
    group, so that one worker runs them one after another, and without a PostgreSQL server
    skip the PostgreSQL variant of each test before its fixtures are set up."""
    wanted, left_out = [], []
    no_postgres = postgres_missing()
    for item in items:
        if item.get_closest_marker("random_keys") and not config.getoption("random_keys"):
            left_out.append(item)
            continue
        if item.get_closest_marker("serial"):
            item.add_marker(pytest.mark.xdist_group("serial"))
        params = item.callspec.params if hasattr(item, "callspec") else {}
        if no_postgres and "postgres" in params.values():
            item.add_marker(pytest.mark.skip(reason=no_postgres))
        wanted.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = wanted


# --- isolation: environment, identity, settings ----------------------------------------------


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch) -> None:
    """No test reads or writes the developer's own config, data or database."""
    home = new_directory(tmp_path_factory, "home")
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.delenv("DESK_CONFIG", raising=False)
    monkeypatch.delenv("DESK_DATABASE", raising=False)


@pytest.fixture(scope="session", autouse=True)
def fixed_os_account() -> Iterator[None]:
    """Every test, and every session fixture, runs as the OS account `alex`
    (tests/os_account.py), whoever runs the suite."""
    with pytest.MonkeyPatch.context() as patch:
        for module in READERS:
            patch.setattr(module, "pwd", OneAccount)
        yield


CHILDREN = multiprocessing.get_context("forkserver")
"""How a test starts child processes (its concurrency tests): forked from a server that each
test process starts once, with what every child would import (pytest, Hypothesis, desk)
imported already. Spawned afresh instead, each child imported them again: the test files
that start children took 116 CPU-seconds on both backends, now 39. The server is started
clean, not forked from this multi-threaded process, and a child still takes its target's
module, its import path, the test's environment and the tests' account as a spawned one
would."""
CHILDREN.set_forkserver_preload(["pytest", "hypothesis", "desk.cli", "desk.demo", "psycopg"])


def run_children(target, arg_lists: list[tuple], timeout: float = 180) -> list:
    """Start one child process (CHILDREN) per argument tuple, all released together by a
    barrier; each calls `target(*args, barrier, results)`, as the tests' account, and puts one
    report on `results`. Returns the reports once every child has exited cleanly."""
    barrier = CHILDREN.Barrier(len(arg_lists))
    results = CHILDREN.Queue()
    children = [child_process(target, (*args, barrier, results)) for args in arg_lists]
    for child in children:
        child.start()
    reports = [results.get(timeout=timeout) for _ in children]
    for child in children:
        child.join(timeout)
        assert child.exitcode == 0
    return reports


def child_process(target: Callable[..., object],
                  args: tuple) -> multiprocessing.process.BaseProcess:
    """A child process (CHILDREN), not yet started, that runs `target(*args)` as the tests'
    account, in this test's environment."""
    return CHILDREN.Process(target=run_as_test_account,
                            args=(dict(os.environ), target, *args))


# --- directories -----------------------------------------------------------------------------


@pytest.fixture
def tmp_path(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A new empty directory of the test's own, named after it, as pytest's tmp_path
    (`new_directory`)."""
    return new_directory(tmp_path_factory, request.node.name)


# --- PostgreSQL -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_workspace() -> Iterator[PostgresWorkspace]:
    """One migrated PostgreSQL database for this worker's session, dropped at its end."""
    require_postgres()
    url = create_postgres_database()
    connected = desk_db.connect(url)
    desk_db.migrate(connected)
    yield PostgresWorkspace(url, connected)
    connected.close()
    drop_postgres_database(url)


# --- SQLite ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file with every migration applied, made once per test run (tests/built_once.py);
    tests get a copy of it instead of migrating a database of their own."""
    def migrate(path: Path) -> None:
        migrated = desk_db.connect(f"sqlite:///{path}")
        desk_db.migrate(migrated)
        migrated.close()  # the last connection: the write-ahead log is folded into the file

    return built_once(tmp_path_factory, "migrated.db", migrate)


# --- databases for tests ---------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path) -> str:
    """A database URL for each backend: a SQLite file not made yet, or this worker's
    PostgreSQL database, emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'desk.db'}"
    workspace = request.getfixturevalue("postgres_workspace")
    workspace.emptied()
    return workspace.url


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_url(request, tmp_path) -> Iterator[str]:
    """The URL of a brand-new, empty database of the test's own (not the shared test
    database): a SQLite file or a new PostgreSQL database, dropped afterwards. For the
    tests of migrations themselves."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    require_postgres()
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


@pytest.fixture
def migrated_url(request, db_url) -> str:
    """db_url with every migration applied, not opened yet: the SQLite file copied from the
    template, or the emptied PostgreSQL database (migrated once for the session). For tests
    that open it through the CLI or a child process."""
    file = database_url.sqlite_path(db_url)
    if file is not None:
        shutil.copyfile(request.getfixturevalue("sqlite_template"), file)
    return db_url


@pytest.fixture
def db(request, migrated_url) -> Iterator[Database]:
    """The migrated database, bound to desk's models: a copy of the SQLite template, or the
    emptied PostgreSQL database (whose connection stays open for the next test)."""
    if database_url.sqlite_path(migrated_url) is None:
        yield request.getfixturevalue("postgres_workspace").database
        return
    connected = desk_db.connect(migrated_url)
    yield connected
    connected.close()


@pytest.fixture
def new_workspace(sqlite_template, tmp_path, monkeypatch) -> str:
    """DESK_DATABASE names a SQLite file of the test's own that holds the schema and nothing
    else (a copy of the migrated template), for tests of commands that start with `desk
    init`: init takes it as a new workspace without running every migration again (the
    tests of migrating a new file itself use `fresh_url`). Returns its URL."""
    file = tmp_path / "desk.db"
    shutil.copyfile(sqlite_template, file)
    url = f"sqlite:///{file}"
    monkeypatch.setenv("DESK_DATABASE", url)
    return url


@pytest.fixture
def sqlite_db(sqlite_template, tmp_path) -> Iterator[Database]:
    """A migrated SQLite database of the test's own (a copy of the template), bound to
    desk's models: for the tests that run on SQLite only, such as the app's."""
    path = tmp_path / "sqlite.db"
    shutil.copyfile(sqlite_template, path)
    connected = desk_db.connect(f"sqlite:///{path}")
    yield connected
    connected.close()


@pytest.fixture(params=["sqlite", "postgres"])
def demo_workspace(request, tmp_path_factory) -> Iterator[str]:
    """A copy of the test's own of the demo workspace built at demo_once.DEMO_NOW (once per
    run and backend, tests/demo_once.py), bound to desk's models; yields its URL."""
    with demo_copy(request.param, tmp_path_factory) as (url, *_):
        connected = desk_db.connect(url)
        yield url
        connected.close()


@pytest.fixture
def admin(db) -> agents.AgentRef:
    """The first agent of the database: the tests' OS account, an admin."""
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
