"""Service calls from screens: in a thread worker, never on the UI thread.

Screens never query the database themselves. They hand a service call to `run_service`,
which runs it in a thread worker on a connection of its own (desk.kernel.connections) and
brings the answer back to the UI thread. A failure becomes a one-line notice in words a
person understands (a busy database, a refused permission, a conflict), never a traceback
and never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from desk.errors import DeskError, QueryError
from desk.kernel.connections import is_busy, is_database_error, on_own_connection
from desk.text import one_line

T = TypeVar("T")


def describe(error: BaseException) -> str:
    """One line, safe to show as plain text, that says what went wrong."""
    if isinstance(error, QueryError):
        return one_line(error.message, 300)
    if isinstance(error, DeskError):
        return one_line(str(error), 300)
    if is_busy(error):
        return "The database is busy (another agent is writing); nothing changed, try again."
    if is_database_error(error):
        return one_line(f"database error: {error}", 300)
    if isinstance(error, OSError):
        return one_line(f"{error.strerror or type(error).__name__}: {error.filename or ''}", 300)
    return one_line(f"unexpected {type(error).__name__}: {error}", 300)


def run_service(node: DOMNode, call: Callable[[], T], *,
                done: Callable[[T], Any] | None = None,
                failed: Callable[[Exception], bool] | None = None,
                group: str = "service", exclusive: bool = False,
                newest: bool = False) -> Worker[None]:
    """Run `call()` in a thread worker with its own database connection.

    On success `done(result)` runs on the UI thread. On failure `failed(error)` runs on the
    UI thread; when it returns True the error is handled, otherwise (or without `failed`) the
    error is shown as a notice. `exclusive` cancels earlier calls of the same group.

    `newest` (for reads; it implies `exclusive`): only the newest call of the group answers.
    A worker thread cannot be stopped, so a cancelled read still comes back, and on a busy
    machine it may come back after the newer one: the results for "a" over those for "ab",
    a page read before a save over the page after it. Its answer is dropped.
    """
    app = node.app
    database = app.database

    def work() -> None:
        """In the worker thread."""
        worker = get_current_worker()
        try:
            result = on_own_connection(database, call)
        except Exception as error:
            _back(app, worker, newest, _report, app, error, failed)
            return
        if done is not None:
            _back(app, worker, newest, done, result)

    return node.run_worker(work, thread=True, group=group, exclusive=exclusive or newest,
                           exit_on_error=False)


def _back(app: Any, worker: Worker, newest: bool, callback: Callable[..., Any],
          *args: Any) -> None:
    """Run `callback(*args)` on the UI thread (see `_answer`); nothing when the app has
    already stopped."""
    with suppress(RuntimeError):  # the app closed while the call ran: nobody is left to tell
        app.call_from_thread(_answer, worker, newest, callback, *args)


def _answer(worker: Worker, newest: bool, callback: Callable[..., Any], *args: Any) -> Any:
    """On the UI thread: `callback(*args)`, unless `newest` was asked and a newer call of
    the worker's group has cancelled it since (the UI thread starts and cancels workers, so
    the two cannot cross)."""
    if newest and worker.is_cancelled:
        return None
    return callback(*args)


def _report(app: Any, error: Exception, failed: Callable[[Exception], bool] | None) -> None:
    """On the UI thread: let `failed` handle the error, else show it as a notice."""
    if failed is not None and failed(error):
        return
    app.notify(describe(error), title="desk", severity="error", markup=False, timeout=8)


def can_write(node: DOMNode, what: str) -> bool:
    """Whether the acting agent may write; a viewer is told why `what` is refused."""
    agent = node.app.agent
    if agent.can_write:
        return True
    node.app.notify(f"You are a viewer, so you cannot {what}. An admin can make you an agent: "
                    f"desk agents role {one_line(agent.username, 40)} agent",
                    title="desk", severity="warning", markup=False)
    return False
