"""Opening the database from a URL, the SQLite safety settings, inserting names concurrent
writers share (`named_ids`), inserting many rows at once (`bulk_insert`), migrations and
backups.

SQLite settings (see `sqlite_pragmas`): WAL so readers never block the writer, foreign keys
on, a busy timeout, and `lock_type="IMMEDIATE"` so that every `database.atomic()` write
transaction takes the write lock at BEGIN (a deferred read-then-write transaction fails under
concurrency instead of waiting). Durability is `synchronous=FULL` by default: a commit that
desk acknowledged survives a power loss; `sqlite.synchronous: normal` trades that for speed.
Both databases keep a pool of connections that worker threads borrow (`desk.pool`).
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterable
from itertools import chain
from operator import itemgetter
from pathlib import Path

from peewee import Database, Model, OperationalError
from playhouse.migrations import Runner

from desk.clock import utcnow
from desk.config import SqliteSettings
from desk.database_url import postgres_params, redact, sqlite_path
from desk.dialect import bound, is_sqlite, migrating, rows_statement, run_rows
from desk.errors import DeskError, SchemaError
from desk.models import database
from desk.paths import Sharing
from desk.pool import PooledPostgres, PooledSqlite

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def sqlite_pragmas(options: SqliteSettings) -> dict[str, object]:
    """The pragmas every SQLite connection gets."""
    return {
        "busy_timeout": options.busy_timeout_ms,  # first: the pragmas below wait as long
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": options.synchronous.upper(),
        # 500 KB a connection (SQLite's default is 2 MB). The page cache is what made the
        # app's memory grow with the database (at 16 MB: 67 MiB at 10k tasks, 90 at 1M). At
        # 8 MB the dashboard at 1M held 6 MiB more than at 2 MB for the same CPU time; at
        # 500 KB the app's peak over the keys at 1M is 2 MiB lower than at 2 MB, and the
        # filters, the dashboard (83 ms), the rescoring and the report take the same time
        # (tests/bench/bench_data.py, in turn): the operating system's file cache serves the
        # pages again. Issue 19's memory target.
        "cache_size": -500,
    }


HISTORY_TABLE = "schema_migration"
"""The table of the migrations applied, the first one desk creates: a database with tables
but not this one belongs to another application."""


def connect(url: str, sqlite: SqliteSettings | None = None, *, create: bool = True) -> Database:
    """Open the database at `url` and bind desk's models to it. Nothing is migrated here.

    A database that holds another application's tables is refused untouched (DeskError).
    Without `create`, so is a SQLite file that does not exist (nor its folder) and a
    PostgreSQL database without desk's tables: the command line creates a workspace only
    where a person asked for one (desk init, desk demo) or at the default file. A SQLite
    file whose schema is newer than this code keeps its journal mode (`migrate` refuses it).
    """
    options = sqlite or SqliteSettings()
    file = sqlite_path(url)
    if file is not None:
        check_sqlite_file(file, create)  # before the pragmas: switching to WAL writes
        if create:
            file.parent.mkdir(parents=True, exist_ok=True)
        pragmas = sqlite_pragmas(options)
        if _newer_rollback_file(file):  # `migrate` refuses it; until then nothing may change
            del pragmas["journal_mode"]  # the file, not even its journal mode
        db: Database = PooledSqlite(str(file), pragmas=pragmas, lock_type="IMMEDIATE",
                                    wait=options.busy_timeout_ms / 1000)
    else:
        db = _postgres(url, options.busy_timeout_ms / 1000)
    _let_go(database.obj)
    database.initialize(db)
    try:
        _open(db, options.busy_timeout_ms / 1000)
    except Exception as error:  # the driver's own errors vary; report them as one line
        raise DeskError(f"cannot open database {redact(url)}: {error}".strip()) from error
    if file is None:
        try:
            _check_tables(set(db.get_tables()), redact(url), create, f"--db {redact(url)}")
        except DeskError:
            db.close()
            raise
    return db


def _let_go(previous: Database | None) -> None:
    """Close the database the models were bound to before (this thread's connection and, on
    the thread that opened it, its pool's idle ones), unless a transaction is open on it: a
    process works in one database at a time, and one it left would otherwise hold its files
    or server sessions until the garbage collector happens by (a test calling the command
    line a hundred times ran out of PostgreSQL sessions)."""
    if previous is not None and not previous.in_transaction():
        previous.close()


def check_sqlite_file(file: Path, create: bool) -> None:
    """Refuse, writing nothing, a SQLite file that is another application's, or that is not
    there when `create` is False (DeskError naming the file and what to do)."""
    if file.is_dir():
        raise DeskError(f"{file} is a folder, not a database file")
    if not file.exists():
        if create:
            return
        folder = "" if file.parent.is_dir() else f" (its folder {file.parent} does not exist)"
        raise DeskError(f"there is no desk workspace at {file}{folder}; to create one there: "
                        f"desk init --db {shlex.quote(str(file))}")
    tables = _sqlite_tables(file) if file.stat().st_size else set()
    _check_tables(tables, str(file), create, f"--db {shlex.quote(str(file))}")


def _sqlite_tables(file: Path) -> set[str]:
    """The tables of a SQLite file, read on a read-only connection of its own."""
    try:
        probe = sqlite3.connect(f"{file.absolute().as_uri()}?mode=ro", uri=True)
        try:
            return {name for (name,) in probe.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            probe.close()
    except sqlite3.OperationalError as error:
        raise DeskError(f"cannot open database {file}: {error}") from error
    except sqlite3.DatabaseError as error:
        raise DeskError(f"{file} is not a SQLite database ({error}); desk changed nothing") \
            from error


def _check_tables(tables: set[str], where: str, create: bool, option: str) -> None:
    """Refuse a database whose `tables` are another application's, or, unless `create`, one
    with no tables at all."""
    if tables and HISTORY_TABLE not in tables:
        others = sorted(tables)
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        raise DeskError(f"{where} is not a desk database (it holds other tables: {shown}); "
                        "desk changed nothing: choose another --db")
    if not tables and not create:
        raise DeskError(f"{where} holds no desk workspace; to create one there: desk init "
                        f"{option}")


def _open(db: Database, patience: float) -> None:
    """Open the connection, waiting up to `patience` seconds while SQLite is locked.

    Switching a new file to WAL answers "database is locked" at once, without the busy
    handler, when another process is opening it at the same moment; so the opening itself
    is retried rather than failing the second agent.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            db.connect(reuse_if_open=True)
            return
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _newer_rollback_file(file: Path) -> bool:
    """Whether `file` is a SQLite database in rollback-journal mode whose migration history
    names migrations this code lacks; read on a read-only connection, which writes nothing
    (and makes no file) in that mode. A file in WAL mode needs no such care: asking for WAL
    again changes nothing."""
    try:
        with file.open("rb") as handle:
            header = handle.read(20)
    except OSError:
        return False  # no file yet (or none to read): nothing to protect
    if not header.startswith(b"SQLite format 3\x00") or header[18] != 1:  # 2 = WAL
        return False
    reader = sqlite3.connect(f"{file.absolute().as_uri()}?mode=ro", uri=True)
    try:
        names = {name for (name,) in reader.execute("SELECT name FROM schema_migration")}
    except sqlite3.Error:
        return False  # no history: an empty or foreign file, for `migrate` to judge
    finally:
        reader.close()
    known = {path.stem for path in MIGRATIONS_DIR.glob("[0-9]*.py")}
    return not names <= known


def _postgres(url: str, wait: float) -> Database:
    """A PostgreSQL database from a postgresql:// URL (psycopg 3), whose workers wait up to
    `wait` seconds for a connection of its pool."""
    params = postgres_params(url)
    if importlib.util.find_spec("psycopg") is None:
        raise DeskError("PostgreSQL needs the psycopg driver: pip install 'desk[postgres]'")
    # desk's queries are short, and the JIT compiler starts on the planner's cost estimate:
    # without statistics of a small table it spent 480 ms compiling the team workload's
    # 110 ms query at 100k tasks. Parallel workers likewise: a page of a list walks an index
    # for 100 rows, and starting two workers for it took 15-30 ms (`@me #billing` at 1M:
    # 61-75 ms with them, 30-40 ms without). A URL's own ?options= wins.
    params.setdefault("options", "-c jit=off -c max_parallel_workers_per_gather=0")
    return PooledPostgres(wait=wait, prefer_psycopg3=True, **params)


# --- writes that concurrent transactions share --------------------------------------------


def named_ids(model: type[Model], names: Iterable[str]) -> tuple[dict[str, int], set[str]]:
    """The ids of the rows of `model` (a model with a unique `name`) named `names`, inserting
    the missing ones, and the set of names this call inserted.

    Safe while other transactions insert the same names: INSERT ... ON CONFLICT DO NOTHING
    waits for a concurrent insert of a name and then skips it, where a get-or-create fails
    with a unique violation on PostgreSQL. Names go in sorted, so two transactions inserting
    overlapping names never wait for each other crosswise.
    """
    wanted = sorted(set(names))
    if not wanted:
        return {}, set()
    inserted = (model.insert_many([{"name": name} for name in wanted]).on_conflict_ignore()
                .returning(model.name).execute())
    created = {row.name for row in inserted}
    ids = dict(model.select(model.name, model.id).where(model.name.in_(wanted)).tuples())
    return ids, created


_PLAIN = frozenset({str, int, type(None)})
"""Value types every driver takes as they are; others pass their field's `db_value`."""
BULK_PARAMETERS = 30_000
"""Parameters per statement of `bulk_insert`: below SQLite's limit (32,766) and PostgreSQL's
(65,535)."""


def bulk_insert(model: type[Model], rows: list[dict], returning: tuple[str, ...] = ()
                ) -> list[tuple]:
    """Insert `rows` (dicts with the same field names as keys) in as few multi-row INSERT
    statements as the databases allow; with `returning` (field names), those columns of
    every row inserted, in no promised order. See `insert_tuples`."""
    if not rows:
        return []
    names = tuple(rows[0])
    pick = itemgetter(*names, names[0])  # a tuple even for one name; the last is dropped
    return insert_tuples(model, names, [pick(row)[:-1] for row in rows], returning)


def insert_tuples(model: type[Model], names: tuple[str, ...], rows: list[tuple],
                  returning: tuple[str, ...] = ()) -> list[tuple]:
    """Insert `rows` (tuples of the values of the fields `names`) as `bulk_insert` does.

    For imports: the statement is written directly rather than by peewee's query builder,
    which spends longer building a large INSERT than the database spends running it. Each
    value still passes its field's `db_value`, and a field left out gets its default, made
    once for every row of a call and bound as the driver binds it (`dialect.bound`).
    """
    if not rows:
        return []
    given = [model._meta.fields[name] for name in names]
    defaulted = [field for field in model._meta.sorted_fields
                 if field.default is not None and field.name not in names]
    fields = given + defaulted
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    head = f'INSERT INTO "{model._meta.table_name}" ({columns})'
    tail = (" RETURNING " + ", ".join(f'"{model._meta.fields[name].column_name}"'
                                      for name in returning)) if returning else ""
    per_statement = max(1, BULK_PARAMETERS // len(fields))
    defaults = tuple(bound(field.db_value(field.default() if callable(field.default)
                                          else field.default)) for field in defaulted)
    convert = [field.db_value for field in given]
    found: list[tuple] = []
    for start in range(0, len(rows), per_statement):
        batch = rows[start:start + per_statement]
        if not _PLAIN.issuperset(map(type, chain.from_iterable(batch))):  # one look a batch
            batch = [values if _PLAIN.issuperset(map(type, values)) else
                     tuple(value if type(value) in _PLAIN else db_value(value)
                           for value, db_value in zip(values, convert, strict=True))
                     for values in batch]
        parameters = list(chain.from_iterable((*values, *defaults) for values in batch)
                          if defaults else chain.from_iterable(batch))
        cursor = run_rows(rows_statement(head, len(fields), len(batch), tail), parameters)
        if returning:
            found += map(tuple, cursor.fetchall())
    return found


# --- migrations ----------------------------------------------------------------------------


def migration_status(db: Database) -> tuple[list[str], list[str]]:
    """The migrations applied to `db` and the ones pending, by name.

    Raises SchemaError, touching nothing, if the database has migrations this code lacks.
    """
    runner = Runner(db, str(MIGRATIONS_DIR))
    status = runner.status()
    unknown = [m.name for m in status if m.path is None]
    if unknown:
        raise SchemaError(
            "the database schema is newer than this version of desk "
            f"(it has {', '.join(unknown)}); upgrade desk to use it. Nothing was changed."
        )
    applied = [m.name for m in status if m.applied]
    pending = [m.name for m in status if not m.applied]
    return applied, pending


def migrate(db: Database, backup_dir: Path | None = None) -> list[str]:
    """Apply pending migrations, one process at a time; returns the names applied.

    A SQLite file that already holds a schema is first copied with the online backup API
    (into `backup_dir`, default beside the file). A newer schema is refused untouched: by
    SchemaError before anything is written, the lock file of the migrations included (and
    `connect` leaves the journal mode of such a file as it is).
    """
    if not migration_status(db)[1]:  # up to date (a newer schema is refused before the lock)
        return []
    with migrating(db):
        applied, pending = migration_status(db)
        if not pending:
            return []
        check_may_migrate(db, pending)
        if applied and is_sqlite(db):
            backup_before_migrating(db, pending[0], backup_dir)
        return Runner(db, str(MIGRATIONS_DIR)).up()


def check_may_migrate(db: Database, pending: list[str]) -> None:
    """On PostgreSQL, refuse (SchemaError, nothing changed) a login that cannot apply the
    `pending` migrations: they change desk's tables, which only their owner or a superuser
    may. An agent's own login (identity.mode postgres) waits for the owner's `desk init`."""
    if is_sqlite(db):
        return
    found = db.execute_sql(
        "SELECT pg_get_userbyid(c.relowner), session_user, r.rolsuper "
        "FROM pg_class c, pg_roles r WHERE c.oid = to_regclass(%s) AND r.rolname = session_user",
        (HISTORY_TABLE,)).fetchone()
    if found and found[0] != found[1] and not found[2]:
        raise SchemaError(f"the database needs upgrading ({', '.join(pending)}), which only "
                          f"the owner of its tables, {found[0]}, can do: {found[0]} runs desk "
                          "init first. Nothing was changed.")


def backup_before_migrating(db: Database, first_pending: str, backup_dir: Path | None) -> Path:
    """Copy the SQLite file aside before a migration; returns the copy's path."""
    source = Path(db.database)
    folder = backup_dir or source.parent
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    target = folder / f"{source.name}.before-{first_pending}-{stamp}.bak"
    backup_sqlite(db, target)
    return target


# --- backups -------------------------------------------------------------------------------


def backup(db: Database, target: Path) -> Path:
    """Make a consistent copy of the live database at `target` while others keep working.

    SQLite uses the online backup API; PostgreSQL uses pg_dump (custom format).
    """
    target = target.expanduser()
    if target.exists():
        raise DeskError(f"{target} already exists; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    if is_sqlite(db):
        return backup_sqlite(db, target)
    return _backup_postgres(db, target)


def backup_sqlite(db: Database, target: Path) -> Path:
    """Copy a SQLite database page by page with the online backup API.

    The copy is written beside `target` as TARGET.partial and renamed when complete; a copy
    that cannot be written raises DeskError("cannot write TARGET: ...") and leaves no file.
    It gets the database file's mode and group (desk.paths.Sharing): never readable by more
    people than the database itself.
    """
    partial = target.with_name(target.name + ".partial")
    busy_ms = db.execute_sql("PRAGMA busy_timeout").fetchone()[0]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _create_private(partial, Sharing.like(Path(db.database)))
        source = sqlite3.connect(db.database, timeout=busy_ms / 1000)
        try:
            copy = sqlite3.connect(partial)
            try:
                # One step in one read transaction: under WAL it does not block writers, while
                # a copy in several steps starts over after every commit of another connection.
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as error:
        _remove_partial(partial)
        raise DeskError(f"cannot write {target}: {error}") from error
    except BaseException:
        _remove_partial(partial)
        raise
    return target


def _create_private(path: Path, sharing: Sharing) -> None:
    """Create `path` (or open what is there, never through a link) with `sharing`'s group and
    mode before anything is written into it."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        sharing.give(handle)
    finally:
        os.close(handle)


def _remove_partial(partial: Path) -> None:
    """Delete an unfinished copy, if there is a file of that name."""
    if partial.is_file():
        partial.unlink()


def _backup_postgres(db: Database, target: Path) -> Path:
    """Dump a PostgreSQL database with pg_dump into `target`, readable by this account only."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise DeskError("pg_dump is not installed; it is needed to back up a PostgreSQL database")
    params = db.connect_params
    partial = target.with_name(target.name + ".partial")
    command = [pg_dump, "--format=custom", f"--file={partial}", db.database]
    env = dict(os.environ)
    for key, variable in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"),
                          ("password", "PGPASSWORD")):
        if params.get(key):
            env[variable] = str(params[key])
    # umask 077: the dump is readable by this account only, whatever the session's umask
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False,
                            umask=0o077)
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        lines = result.stderr.strip().splitlines()
        raise DeskError(f"pg_dump failed: {lines[-1] if lines else f'exit {result.returncode}'}")
    os.replace(partial, target)
    return target
