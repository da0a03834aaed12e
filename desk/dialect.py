"""What SQLite and PostgreSQL say differently, in one place.

Domain code asks for what it means (the seconds between two columns, the documents that match
some words, rows locked until the transaction ends) and gets the form of the database the
models are bound to, instead of branching on the backend itself. Each function works on the
bound database (`desk.models.database`) unless it takes another one.

Stored moments are naive UTC datetimes; `epoch_of` and `whole_seconds_text` give, in SQL, the
same numbers `epoch` and `whole_seconds` give in Python, on both databases.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from peewee import (
    SQL,
    Case,
    Database,
    Expression,
    Field,
    Model,
    Node,
    NodeList,
    Select,
    SqliteDatabase,
    Table,
    Value,
    fn,
)
from peewee import __exception_wrapper__ as peewee_errors

from desk.errors import InvalidInput
from desk.models import SearchDoc, database
from desk.models.search import TASK

_UNIX_JULIAN_DAY = 2440587.5  # the Julian day number of 1970-01-01 00:00 UTC
_1970 = datetime(1970, 1, 1, tzinfo=UTC)
MIGRATION_LOCK = 727_302_001
"""The PostgreSQL advisory lock key that serialises desk's migrations."""
PG_SEARCH_DOCS = Table("search_doc", ("rowid", "task_id", "client_id", "title", "body"))
"""PostgreSQL's search_doc: a plain table with a generated tsvector column `tsv`."""


def is_sqlite(db: Database | None = None) -> bool:
    """Whether the bound (or given) database is SQLite."""
    target = db if db is not None else database.obj
    return isinstance(target, SqliteDatabase)


_AS_THEY_ARE = frozenset({str, int, float, bytes, type(None)})
"""The types every driver binds as they are."""


def bound(value: object) -> object:
    """`value` as the driver binds it: on SQLite through its adapters (a datetime becomes its
    text), so a value shared by many rows of a bulk insert is adapted once, not per row; on
    PostgreSQL as it is. A datetime is written here as sqlite3's own adapter writes it
    (`isoformat(" ")`), without looking the adapter up: an import adapts several a row."""
    kind = type(value)
    if kind in _AS_THEY_ARE or not is_sqlite():  # the cheaper test first
        return value
    if kind is datetime:
        return value.isoformat(" ")
    return sqlite3.adapt(value, sqlite3.PrepareProtocol, value)


def rows_statement(head: str, width: int, rows: int, tail: str = "") -> str:
    """`head` VALUES and `rows` rows of `width` parameters each, then `tail`, with the
    parameter marks `run_rows` takes: ? on SQLite, $1, $2, ... on PostgreSQL."""
    if is_sqlite():
        row = "(" + ", ".join(["?"] * width) + ")"
        values = ", ".join([row] * rows)
    else:
        marks = [f"${number}" for number in range(1, width * rows + 1)]
        values = ", ".join("(" + ", ".join(marks[start:start + width]) + ")"
                           for start in range(0, len(marks), width))
    return f"{head} VALUES {values}{tail}"


def run_rows(statement: str, parameters: list) -> Any:
    """Run a statement of `rows_statement` with its parameters; returns the cursor. On
    PostgreSQL it goes through a raw cursor, whose numbered marks psycopg sends as they are:
    it would otherwise parse a statement of thousands of %s marks again for every run, most of
    an import's time on PostgreSQL."""
    if is_sqlite():
        return database.execute_sql(statement, parameters)
    from psycopg import RawCursor  # only with PostgreSQL, whose driver it is

    with peewee_errors:  # peewee's errors, as execute_sql raises them
        cursor = RawCursor(database.connection())
        cursor.execute(statement, parameters)
    return cursor


def next_ids(model: type[Model], count: int) -> list[int]:
    """The ids for `count` new rows of `model`, inside a writing transaction, so rows can be
    built with their ids before they are inserted (an import): on SQLite the ones it would
    give next (after the largest), which nobody else can take while the transaction holds
    the write lock; on PostgreSQL the next values of the table's sequence, taken."""
    if count == 0:
        return []
    table, column = model._meta.table_name, model._meta.primary_key.column_name
    if is_sqlite():
        (last,) = database.execute_sql(f'SELECT max("{column}") FROM "{table}"').fetchone()
        return list(range((last or 0) + 1, (last or 0) + 1 + count))
    cursor = database.execute_sql("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                                  "FROM generate_series(1, %s)", (table, column, count))
    return [value for (value,) in cursor]


@contextlib.contextmanager
def bulk_write(cache_kib: int) -> Iterator[None]:
    """Within the block, this thread's SQLite connection writes in bulk (an import, the demo's
    top-up), then as before:
    - a page cache of `cache_kib` (desk.db keeps 2 MB a connection), so the pages of the
      indexes it fills are found in memory instead of read back from the file;
    - no checkpoint at each commit but one at the end: each commit of a large write would
      otherwise copy the write-ahead log's pages into the database again, the same index
      pages over and over (about 4% of an import of 100,000 tasks);
    - the full-text index's segments not merged as each commit adds one (FTS5's
      `automerge`, which the index keeps for every connection; its `crisismerge` still
      bounds them): merging them again and again took 5% of that import, and its 22
      segments instead of 10 answer searches as fast. The index merges with FTS5's own
      setting again after the block (desk sets no other), and the writes after it merge
      them; a write killed half way leaves it off until the next bulk write ends.
    Nothing on PostgreSQL."""
    if not is_sqlite():
        yield
        return
    (cache,) = database.execute_sql("PRAGMA cache_size").fetchone()
    (checkpoint_pages,) = database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()
    database.execute_sql(f"PRAGMA cache_size = {-int(cache_kib)}")
    database.execute_sql("PRAGMA wal_autocheckpoint = 0")
    _fts_automerge(0)
    try:
        yield
    finally:
        _fts_automerge(FTS_AUTOMERGE)
        database.execute_sql(f"PRAGMA cache_size = {int(cache)}")
        database.execute_sql(f"PRAGMA wal_autocheckpoint = {int(checkpoint_pages)}")
        if not database.in_transaction():  # a caller's transaction: its commit checkpoints
            database.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")


FTS_AUTOMERGE = 4
"""SQLite FTS5's own `automerge`: desk's index merges with it but during a bulk write."""


def _fts_automerge(segments: int) -> None:
    """Set how many segments of a level the full-text index gathers before merging them
    (0: none) on SQLite, where the index keeps the setting for every connection."""
    database.execute_sql("INSERT INTO search_doc (search_doc, rank) VALUES ('automerge', "
                         f"{int(segments)})")


# --- moments -------------------------------------------------------------------------------


def as_moment(column: str) -> str:
    """The SQL of `column` (of a VALUES list) read as a moment. PostgreSQL types a column of
    VALUES from its parameters, and one of nothing but NULLs would be text; SQLite keeps
    moments as text already."""
    return column if is_sqlite() else f"CAST({column} AS TIMESTAMP)"


def epoch(moment: datetime) -> float:
    """Seconds since 1970 of a stored (naive UTC) or aware datetime, in Python."""
    return _aware(moment).timestamp()


def whole_seconds(moment: datetime) -> int:
    """Whole seconds since 1970 (rounded down) of a stored or aware datetime, in Python."""
    return (_aware(moment) - _1970) // timedelta(seconds=1)


def _aware(moment: datetime) -> datetime:
    """`moment` as an aware datetime (a naive one is stored UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def epoch_of(column: Field | Expression) -> Expression:
    """Seconds since 1970 of a stored datetime column, with fractions, as a float."""
    if is_sqlite():
        return (fn.julianday(column) - _UNIX_JULIAN_DAY) * 86400.0
    return fn.date_part("epoch", column)


def whole_seconds_text(column: Field | Expression) -> Expression:
    """Whole seconds since 1970 (rounded down) of a stored datetime column, as text: what
    `str(whole_seconds(moment))` gives in Python, for keys compared in SQL."""
    if is_sqlite():
        return fn.strftime("%s", column)
    return fn.floor(fn.date_part("epoch", column)).cast("bigint").cast("text")


def seconds_between(later: Field, earlier: Field) -> Expression:
    """The seconds from `earlier` to `later` (two datetime columns), rounded to whole ones."""
    if is_sqlite():
        return fn.ROUND((fn.julianday(later) - fn.julianday(earlier)) * 86400)
    return fn.ROUND(fn.date_part("epoch", later - earlier))


def moment_text(column: Field) -> Expression:
    """A datetime column as text, "YYYY-MM-DD HH:MM:SS": what f"{moment:%Y-%m-%d %H:%M:%S}"
    gives in Python, for keys compared in SQL."""
    if is_sqlite():
        return fn.strftime("%Y-%m-%d %H:%M:%S", column)
    return fn.to_char(column, "YYYY-MM-DD HH24:MI:SS")


def month_day(column: Field) -> Expression:
    """A date column as its month and day, "MM-DD"."""
    if is_sqlite():
        return fn.strftime("%m-%d", column)
    return fn.to_char(column, "MM-DD")


def days_before(moment: datetime, days: Field) -> Expression:
    """The stored moment `days` (an integer column) days before `moment` (naive UTC)."""
    if is_sqlite():
        return fn.datetime(moment.isoformat(sep=" "), fn.printf("-%d days", days))
    return NodeList((SQL("(%s::timestamp - make_interval(days =>", [moment]), days, SQL("))")))


# --- numbers -------------------------------------------------------------------------------


def least(*values: Expression) -> Expression:
    """The least of several numbers, none NULL."""
    return fn.min(*values) if is_sqlite() else fn.LEAST(*values)


def clamp(value: Expression, low: float, high: float) -> Expression:
    """`value` (never NULL: the databases differ there) kept within [low, high]."""
    if is_sqlite():
        return fn.max(fn.min(value, high), low)
    return fn.GREATEST(fn.LEAST(value, high), low)


def unindexed(column: Field) -> Node:
    """`column` as SQLite's planner may not look it up by an index (a unary plus), so that it
    walks the order it chose instead; the column itself on PostgreSQL."""
    if is_sqlite():
        return NodeList((SQL("+"), column), glue="")
    return column


# --- writers that take turns ---------------------------------------------------------------


def locking(query: Select) -> Select:
    """The query with FOR UPDATE on PostgreSQL, so the rows it reads stay as read until the
    transaction ends; as it is on SQLite, whose BEGIN IMMEDIATE holds the write lock already."""
    return query if is_sqlite() else query.for_update()


def row_by_id(model: type[Model], row_id: int, *, lock: bool = False) -> Model | None:
    """The row of `model` whose id is `row_id`, or None; with `lock`, held as `locking` holds
    it. The statement is written out: peewee took several times longer to build
    `model.select().where(model.id == row_id)` than the database took to answer it, and every
    save reads its row so. The row's values pass their fields' conversions as a select's do."""
    statement = f'SELECT * FROM "{model._meta.table_name}" WHERE "id" = {database.param}'
    if lock and not is_sqlite():
        statement += " FOR UPDATE"
    return next(iter(model.raw(statement, row_id)), None)


def ids_in(ids: list[int]) -> tuple[str, list]:
    """The right side of a condition on a column that keeps it within `ids`, and its
    parameters, for a statement written out: `IN (?, ?, ?)` with one parameter an id on
    SQLite, `= ANY(%s)` with the ids as one array on PostgreSQL (see `among`).

    Either way the statement's text depends on nothing but how many ids there are (on
    PostgreSQL not even on that), so each connection's cache of prepared statements serves
    every page of a list again: written into the text instead, each page's ids made a new
    statement, prepared afresh (0.2-0.6 ms a page of 100 tasks at a million) and kept in that
    cache."""
    if is_sqlite():
        return "IN (" + ", ".join([database.param] * len(ids)) + ")", ids
    return "= ANY(%s)", [ids]


def among(column: Field, ids: Sequence[int]) -> Expression:
    """`column` is one of `ids`: `column IN (?, ?, ...)` on SQLite, `column = ANY(%s)` with
    the ids as one array on PostgreSQL, for the queries of a page (a hundred ids).

    psycopg parses a statement of more than 50 parameters for its marks again at every call
    (it keeps only smaller ones parsed), and the server plans a list of 100 values each time;
    one array costs neither: the four statements of a page's rows (`tasks.rows_for`) took
    2.0-2.4 ms at a million tasks instead of 2.9-3.4 ms."""
    if is_sqlite():
        return column.in_(ids)
    return column == fn.ANY(Value(list(ids), unpack=False))


def serialize(key: str) -> None:
    """Make concurrent write transactions that call this with the same `key` take turns.

    Call it inside `database.atomic()`, before the reads a decision depends on (is there an
    admin yet? is this the last admin?): a second caller waits here until the first one's
    transaction ends, then reads what it committed. PostgreSQL: a transaction-scoped
    advisory lock, `pg_advisory_xact_lock(hashtext(key))`, released at commit or rollback.
    SQLite: nothing to do, since desk begins every write transaction with BEGIN IMMEDIATE,
    which already lets one writer in at a time.
    """
    if is_sqlite():
        return
    if not database.in_transaction():
        raise RuntimeError(f"serialize({key!r}) holds its lock only inside a transaction; "
                           "call it inside database.atomic()")
    database.execute_sql("SELECT pg_advisory_xact_lock(hashtext(%s))", (key,))


def notify(channel: str) -> None:
    """Inside a writing transaction: PostgreSQL's NOTIFY on `channel`, delivered at commit and
    dropped on rollback. Nothing on SQLite, whose watchers see commits by themselves."""
    if not is_sqlite():
        database.execute_sql(f"NOTIFY {channel}")


@contextlib.contextmanager
def taking_turns(name: str) -> Iterator[None]:
    """On SQLite, make the processes that run `name` take turns, each holding an exclusive lock
    on the file DATABASE.NAME-lock beside the database; on PostgreSQL, which queues row locks
    fairly, nothing."""
    if not is_sqlite():
        yield
        return
    with _file_lock(database.obj, name):
        yield


@contextlib.contextmanager
def migrating(db: Database) -> Iterator[None]:
    """Serialise migrations of `db`: a lock file beside a SQLite file, an advisory lock
    (session-wide: migrations commit as they go) on PostgreSQL."""
    if is_sqlite(db):
        with _file_lock(db, "migrate"):
            yield
        return
    db.execute_sql("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        yield
    finally:
        db.execute_sql("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))


LOCK_NAMES = ("migrate", "tick")
"""The lock files desk keeps beside a SQLite file (DATABASE.NAME-lock): `migrating` and
`taking_turns` take them. A new one goes here, so that `desk init --shared` prepares it."""


def lock_path(database_file: str | os.PathLike[str], name: str) -> Path:
    """The lock file NAME beside the SQLite file `database_file`."""
    return Path(f"{os.fspath(database_file)}.{name}-lock")


def open_lock_file(path: Path, like: Path) -> int:
    """A read-only descriptor of the lock file `path`, created if missing with the permission
    bits of the database file `like`, so that everyone who may write the database may take
    its locks (a shared file is group read-write: see desk.shared_folder). Read-only is
    enough for flock, so a lock file someone else created never refuses the others."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    with contextlib.suppress(OSError):  # no database file yet: keep the private mode
        os.fchmod(handle, like.stat().st_mode & 0o666)
    return handle


@contextlib.contextmanager
def _file_lock(db: Database, name: str) -> Iterator[None]:
    """Hold an exclusive lock on the file DATABASE.NAME-lock beside the SQLite file of `db`."""
    handle = open_lock_file(lock_path(db.database, name), Path(db.database))
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


# --- full-text search ----------------------------------------------------------------------
# SQLite: an FTS5 table queried through peewee's `FTS5Model.web_query()`, so any text a person
# types parses. PostgreSQL: a tsvector column queried with `websearch_to_tsquery`.


def search_docs() -> type[SearchDoc] | Table:
    """The search_doc table as the database has it: SQLite's FTS5 model or PostgreSQL's
    plain table."""
    return SearchDoc if is_sqlite() else PG_SEARCH_DOCS


def search_column(column: str) -> Expression:
    """The `task_id` or `client_id` of the search documents.

    On SQLite a task's own document has its task in its rowid (id * 4 + TASK), which FTS5
    gives for free, while the stored column costs a lookup per match: for a common word at a
    million tasks that lookup was most of a filtered page (some 100 of 170 ms). Comments still
    read the column; client documents give NULL."""
    if not is_sqlite():
        return getattr(PG_SEARCH_DOCS, column)
    if column != "task_id":
        return getattr(SearchDoc, column)
    own = SearchDoc.rowid.bin_and(3) == TASK  # rowid % 4: peewee reads % as LIKE
    return Case(None, [(own, SearchDoc.rowid / 4)], SearchDoc.task_id)


def search_text(text: str) -> Expression:
    """The documents that match `text` as typed (words, "phrases", -exclusions, or)."""
    if is_sqlite():
        return SearchDoc.match(_fts_query(text))
    return SQL("tsv @@ websearch_to_tsquery('simple', %s)", [text])


def search_prefixes(text: str) -> Expression:
    """The documents that have a word starting with each word of `text` ("blue log" finds
    "Bluefin Logistics"): search as you type. Words hold only letters and digits, so the
    query always parses."""
    words = re.findall(r"[^\W_]+", text)
    if not words:
        raise InvalidInput(f"there is nothing to search for in {text!r}")
    if is_sqlite():
        return SearchDoc.match(" ".join(f'"{word}"*' for word in words))
    return SQL("tsv @@ to_tsquery('simple', %s)", [" & ".join(f"'{word}':*" for word in words)])


def search_finds_more(text: str, count: int) -> bool:
    """Whether more than `count` documents match `text`, where the planner needs telling
    (SQLite; counting stops there). False on PostgreSQL, whose planner weighs it itself."""
    if not is_sqlite():
        return False
    probe = SearchDoc.select(SearchDoc.rowid).where(SearchDoc.match(_fts_query(text)))
    return probe.limit(count + 1).count() > count


def _fts_query(text: str) -> str:
    """Text as typed, turned into an FTS5 query that always parses."""
    query = SearchDoc.web_query(text)
    if not query or not query.strip():
        raise InvalidInput(f"there is nothing to search for in {text!r}")
    return query
