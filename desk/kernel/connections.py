"""Service calls from worker threads, and what their database errors mean.

Peewee keeps a connection per thread, and a worker thread starts without one: `on_own_connection`
opens a connection of the thread's own around a service call and closes it afterwards; the
database's pool (desk.pool) lends an idle connection and takes it back, so a background load
costs no new session. The
screens run every service call this way, in their thread workers, so they never hold a
connection themselves; `is_busy` and `is_database_error` let them word a failure without
knowing the database driver.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from peewee import Database, OperationalError, PeeweeException

T = TypeVar("T")

BUSY_WORDS = ("locked", "busy", "could not obtain lock", "deadlock")
"""Words in a database error that mean another agent is writing: try again."""
REVOKED_WORDS = "permission denied for database"
"""What PostgreSQL answers a login that may no longer connect to the database: in the postgres
identity mode, an agent an admin disabled or removed (desk.kernel.access.pg_roles)."""


def on_own_connection(db: Database, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`call(*args, **kwargs)` inside a connection of this thread's own to `db`, opened before
    the call and closed after it."""
    with db.connection_context():
        return call(*args, **kwargs)


def is_busy(error: BaseException) -> bool:
    """Whether `error` means another agent is writing (worth a retry, not a report)."""
    return isinstance(error, OperationalError) and any(
        word in str(error).lower() for word in BUSY_WORDS)


def is_access_revoked(error: BaseException) -> bool:
    """Whether `error` means this login may no longer connect to the database at all."""
    return isinstance(error, OperationalError) and REVOKED_WORDS in str(error)


def is_database_error(error: BaseException) -> bool:
    """Whether `error` came from the database or its driver."""
    return isinstance(error, PeeweeException)
