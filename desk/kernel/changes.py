"""Noticing that someone changed the data: one cheap check, asked about once a second.

The app asks `ChangeWatcher.changed()` from a worker thread and reloads the rows on screen
when the answer is yes. The watcher keeps a connection of its own, because both checks are
per connection:

- SQLite: `PRAGMA data_version` changes whenever another connection (another agent's desk,
  the CLI, or this app's own workers) commits to the file. It costs no disk read.
- PostgreSQL: every write calls `announce()` inside its transaction (`audit.record` does), a
  NOTIFY that the server delivers when, and only if, the transaction commits. The watcher
  LISTENs and looks for delivered notifications without a round trip to the server.

A failed check (the server went away, the file was replaced) reopens the connection on the
next call and answers yes, since something may have changed in between.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import suppress
from typing import Any

from peewee import Database, SqliteDatabase

from desk.dialect import notify

CHANNEL = "desk_changes"
"""The PostgreSQL notification channel that writes announce themselves on."""


def announce() -> None:
    """Inside a writing transaction: tell the watchers that data changed once it commits.

    PostgreSQL only (a NOTIFY, delivered at commit, dropped on rollback); SQLite watchers see
    commits by themselves.
    """
    notify(CHANNEL)


class ChangeWatcher:
    """Answers whether the database changed since the last question, on its own connection.

    Thread-safe: the app calls `changed()` from short worker threads, one at a time, and
    `close()` when it stops. The connection opens on the first call, which answers False
    (it has nothing to compare with yet).
    """

    def __init__(self, db: Database) -> None:
        """A watcher over the open database `db` (its file or server; nothing opens yet)."""
        self._db = db
        self._lock = threading.Lock()
        self._connection: Any = None
        self._version: int | None = None
        self._closed = False

    def changed(self) -> bool:
        """Whether anyone committed a change since the previous call."""
        with self._lock:
            if self._closed:
                return False
            fresh = self._connection is None
            try:
                if fresh:
                    self._open()
                return self._poll() and not fresh
            except Exception:  # driver errors vary; reopen next time and assume a change
                self._drop()
                return not fresh

    def close(self) -> None:
        """Close the connection; later calls answer False."""
        with self._lock:
            self._closed = True
            self._drop()

    def _open(self) -> None:
        """Connect, and on PostgreSQL start listening."""
        if isinstance(self._db, SqliteDatabase):
            self._connection = sqlite3.connect(self._db.database, check_same_thread=False,
                                               isolation_level=None)
        else:
            import psycopg  # only needed, and only installed, for PostgreSQL

            self._connection = psycopg.connect(dbname=self._db.database, autocommit=True,
                                               **self._db.connect_params)
            self._connection.execute(f"LISTEN {CHANNEL}")

    def _poll(self) -> bool:
        """Whether the connection saw a commit since the last poll."""
        if isinstance(self._db, SqliteDatabase):
            (version,) = self._connection.execute("PRAGMA data_version").fetchone()
            moved = self._version is not None and version != self._version
            self._version = version
            return moved
        # timeout=0 reads what has arrived without waiting; drain it all.
        return sum(1 for _ in self._connection.notifies(timeout=0)) > 0

    def _drop(self) -> None:
        """Forget the connection (closing it if it is still open)."""
        connection, self._connection, self._version = self._connection, None, None
        if connection is not None:
            with suppress(Exception):  # already broken: nothing left to close
                connection.close()
