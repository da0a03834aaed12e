"""The pool of connections each open database keeps (playhouse.pool).

The app loads every page, count and service call in a worker thread on a connection of the
thread's own (`desk.kernel.connections.on_own_connection`). Without a pool each of those
opened a new connection: on PostgreSQL a new session (a backend started, a login, the
session's options) for every scroll key. With it a worker borrows an idle connection and
gives it back when the call ends: at most `POOL_SIZE` are open at once, and a worker that
finds them all in use waits for one up to the busy timeout.

A borrowed connection is checked first: a PostgreSQL session the server ended (an admin
disabled the agent: `desk.kernel.access.pg_roles`) is dropped and a new one opened, and a
transaction left open is rolled back. Closing the database on the thread that made it (the
command line, the app's own thread, the tests, `desk demo --wipe`) closes the idle
connections too: nothing is left holding a file or a session open, and SQLite folds its
write-ahead log in.
"""

from __future__ import annotations

import threading

from peewee import OperationalError
from playhouse.pool import MaxConnectionsExceeded, PooledPostgresqlDatabase, PooledSqliteDatabase

POOL_SIZE = 8
"""The most connections one open database holds at once: the app's workers rarely run more
than a few service calls at the same moment."""


class _Pool:
    """What desk adds to playhouse's pools: a full pool reads as a busy database, and closing
    on the thread that made the database closes the idle connections too."""

    def __init__(self, *args, **kwargs) -> None:
        self._owner = threading.get_ident()
        super().__init__(*args, **kwargs)

    def connect(self, reuse_if_open: bool = False) -> bool:
        """Borrow a connection for this thread, waiting for one while all are in use."""
        try:
            return super().connect(reuse_if_open)
        except MaxConnectionsExceeded as error:
            raise OperationalError(f"database busy: all {self.max_connections} connections "
                                   "of this app are in use") from error

    def close(self) -> bool:
        """Give this thread's connection back to the pool; on the thread that made the
        database, close every idle connection as well. Whether one was open."""
        was_open = super().close()
        if threading.get_ident() == self._owner:
            self.close_idle()
        return was_open

    @property
    def max_connections(self) -> int:
        """The most connections this database opens at once."""
        return self._max_connections

    @property
    def connections_open(self) -> int:
        """How many connections are open now, in use or idle."""
        with self._pool_lock:
            return len(self._in_use) + len(self._connections)


class PooledSqlite(_Pool, PooledSqliteDatabase):
    """A SQLite database with a pool of connections, each used by one thread at a time."""

    def __init__(self, database: str, *, wait: float, **kwargs) -> None:
        # a pooled connection moves between threads, never used by two at once
        super().__init__(database, max_connections=POOL_SIZE, timeout=wait,
                         check_same_thread=False, **kwargs)


class PooledPostgres(_Pool, PooledPostgresqlDatabase):
    """A PostgreSQL database with a pool of sessions."""

    def __init__(self, database: str, *, wait: float, **kwargs) -> None:
        super().__init__(database, max_connections=POOL_SIZE, timeout=wait, **kwargs)
