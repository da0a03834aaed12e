"""Where a real import's statements run: chunk by chunk, each chunk in one transaction, on this
thread (`ChunkWrites`) or on a thread of their own (`WritesBehind`).

An import's work is about half Python (taking the reader's records, matching them with the
workspace, building rows) and half the database's (SQLite runs a statement without holding
Python's lock). One after the other they add up. Behind, this thread builds the rows and
hands each statement over without waiting (`send`), and a writing thread runs them on a
connection of its own, so on two cores the two halves overlap: the statements of chunk N
run while this thread builds the rest of chunk N and reads chunk N+1. What needs an answer
(the ids a chunk starts from, a list or status to create, an update) is a `step`: it waits
for the writing thread and runs in the transaction of the chunk it belongs to. So every chunk
is still written whole or not at all, in the order it was handed over.

Both report the place of a chunk's last record to the import's progress once the chunk is
committed, and make their connection write in bulk (`desk.dialect.bulk_write`) while they
are open. A dry run writes nothing: its steps run here, without transactions.
"""

from __future__ import annotations

import contextvars
import queue
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import ExitStack
from typing import Any, TypeVar

from desk.dialect import bulk_write
from desk.models import database
from desk.transfer.plan import Plan, Progress
from desk.transfer.records import Place

T = TypeVar("T")
BULK_CACHE = 64 << 10
"""The SQLite page cache of a real import, in KiB (`desk.dialect.bulk_write`)."""
WAKE_SECONDS = 1.0
"""How often a wait for the writing thread looks whether it is still there."""
SWITCH_SECONDS = 0.0002
"""How long a thread keeps Python's lock while another waits for it, during an import written
behind (Python's default is 5 ms): back from each statement, the writing thread waited that
long for the preparing thread's Python; the import took 8% longer. An import started while
another runs leaves the setting to the first."""


def at_once(call: Callable[..., T], *args: Any) -> T:
    """Run `call(*args)` here and now: a step or statement already where the import's
    statements run (an update's comments), or outside any import's writes."""
    return call(*args)


class ChunkWrites:
    """An import's statements run here, as they are handed over. The first one of a chunk
    begins its transaction, `commit` ends it. Used as a context manager: a chunk left open at
    the end is committed, or rolled back after an error."""

    def __init__(self, plan: Plan, progress: Progress | None) -> None:
        """Writes of `plan` (none in a dry run), reporting committed chunks to `progress`."""
        self.plan, self.progress = plan, progress
        self._transaction: Any = None
        self._bulk = ExitStack()

    def __enter__(self) -> ChunkWrites:
        if not self.plan.dry_run:
            self._bulk.enter_context(bulk_write(BULK_CACHE))
        return self

    def __exit__(self, *error: object) -> None:
        try:
            self._close(*error)
        finally:
            self._bulk.close()

    def step(self, call: Callable[..., T], *args: Any) -> T:
        """`call(*args)` in the current chunk's transaction; an error rolls the chunk back."""
        if self._transaction is None and not self.plan.dry_run:
            self._transaction = database.atomic()
            self._transaction.__enter__()
        try:
            return call(*args)
        except BaseException:
            self._close(*sys.exc_info())
            raise

    def send(self, call: Callable[..., object], *args: Any) -> None:
        """`call(*args)` as a `step` whose result is not wanted."""
        self.step(call, *args)

    def commit(self, place: Place) -> None:
        """Commit the chunk, whose last record was read at `place`, and report it."""
        self.end()
        if self.progress is not None:
            self.progress(place.file, place.row)

    def end(self) -> None:
        """Commit the chunk."""
        self._close(None, None, None)

    def _close(self, *error: object) -> None:
        """Commit the open transaction (or roll it back, given an error)."""
        transaction, self._transaction = self._transaction, None
        if transaction is not None:
            transaction.__exit__(*error)


_Item = tuple[Future, Callable[..., object] | None, tuple]
"""What the writing thread is handed: the future of a call's result, the call (None: commit
the chunk) and its arguments."""


class WritesBehind:
    """An import's statements run on a thread of their own (see the module's docstring), with
    the interface of `ChunkWrites`. `commit` returns once the chunk before is committed, so
    this thread is at most a chunk ahead. An error of the writing thread is raised here by the
    next `step` or `commit`, or when the block ends; the statements handed over after it are
    not run. The writing thread runs in a copy of this thread's context (desk.kernel.audit's
    acting agent). Leaving the block after an error here (Ctrl-C) still commits the chunks
    handed over whole, and rolls back the one being handed over."""

    def __init__(self, plan: Plan, progress: Progress | None) -> None:
        """Writes of `plan` (a real run), reporting committed chunks to `progress`."""
        self.plan, self.progress = plan, progress
        self._items: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._handed: list[Future] = []
        self._chunks: list[tuple[Future, Place]] = []
        self._error: BaseException | None = None
        self._abandoned = False
        self._switch = 0.0
        self._context = contextvars.Context()  # the caller's, copied when the block starts
        self._thread = threading.Thread(target=lambda: self._context.run(self._write),
                                        name="import-writes", daemon=True)

    def __enter__(self) -> WritesBehind:
        self._switch = sys.getswitchinterval()
        if self._switch > SWITCH_SECONDS:  # the process's: put back when the block ends
            sys.setswitchinterval(SWITCH_SECONDS)
        self._context = contextvars.copy_context()
        self._thread.start()
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is not None:  # a chunk handed over whole is still written whole
            self._abandoned = True
            for future in self._handed:
                future.cancel()
        self._items.put(None)
        self._thread.join()
        if self._switch > SWITCH_SECONDS:
            sys.setswitchinterval(self._switch)
        if error is None:
            self._reported(0)
            if self._error is not None:
                raise self._error

    def step(self, call: Callable[..., T], *args: Any) -> T:
        """`call(*args)` on the writing thread, in the current chunk's transaction; waits for
        its result."""
        return self._answer(self._hand(call, args))  # type: ignore[return-value]

    def send(self, call: Callable[..., object], *args: Any) -> None:
        """Hand `call(*args)` over without waiting."""
        self._hand(call, args)

    def commit(self, place: Place) -> None:
        """Hand over the chunk's commit, then wait for the chunk before."""
        self._chunks.append((self._hand(None, ()), place))
        self._handed = []
        self._reported(1)

    def _hand(self, call: Callable[..., object] | None, args: tuple) -> Future:
        """Queue a call (or a commit) for the writing thread."""
        future: Future = Future()
        self._handed.append(future)
        self._items.put((future, call, args))
        return future

    def _reported(self, left: int) -> None:
        """Wait until at most `left` chunks are being written, reporting those committed."""
        while len(self._chunks) > left:
            future, place = self._chunks.pop(0)
            self._answer(future)
            if self.progress is not None:
                self.progress(place.file, place.row)

    def _answer(self, future: Future) -> object:
        """The result of a call handed over, once the writing thread gave it; the thread's
        error if it stopped without giving it (it could not open its connection)."""
        while True:
            try:
                return future.result(timeout=WAKE_SECONDS)
            except TimeoutError:
                if not self._thread.is_alive():
                    raise self._error or RuntimeError("the import's writing stopped") from None

    def _write(self) -> None:
        """The writing thread: run what is handed over, in order, on a connection of its own.
        The chunk it is in when the block is left after an error here is rolled back; an error
        of the last commit is raised when the block ends."""
        try:
            with database.connection_context(), ChunkWrites(self.plan, None) as here:
                while (item := self._items.get()) is not None:
                    self._run(here, *item)
                if self._abandoned:
                    raise _Abandoned
        except _Abandoned:
            pass
        except BaseException as error:
            self._error = self._error or error

    def _run(self, here: ChunkWrites, future: Future, call: Callable[..., object] | None,
             args: tuple) -> None:
        """Run one call handed over, unless it was cancelled or an earlier one failed."""
        if not future.set_running_or_notify_cancel():
            return
        if self._error is not None:
            future.set_exception(self._error)
            return
        try:
            future.set_result(here.step(call, *args) if call is not None else here.end())
        except BaseException as error:  # raised again where a step or commit waits for it
            self._error = error
            future.set_exception(error)


class _Abandoned(Exception):
    """Rolls back the writing thread's chunk when the import stopped on an error."""


Writes = ChunkWrites | WritesBehind
"""Where an import's statements run."""


def writes_for(plan: Plan, progress: Progress | None) -> Writes:
    """Where `plan`'s statements run: behind, for a real run not inside a caller's transaction
    (which another connection could neither see nor wait for); here otherwise."""
    behind = not plan.dry_run and not database.in_transaction()
    return (WritesBehind if behind else ChunkWrites)(plan, progress)
