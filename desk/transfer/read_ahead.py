"""Reading a large import's records in a second process while this one writes them.

Reading and checking a row (CSV, dates, JSON cells, the record's digest) is about a third of
an import's work; writing it is the rest. A reader of task records, `read(paths, zone,
problems, notes)` (desk.transfer.clickup.records and its kind), is run in a child process
that sends its records a batch at a time, digests worked out, so on a machine with two
cores the two halves overlap. Records, problems and notes arrive in the order the reader
made them, each problem and note just before the record read after it, as if the reader
ran here. Small files are read here (a new process takes longer to start than they take to
read), and so are files read in a time zone that cannot be handed to another process (one
read from a zone file without a name).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import tzinfo
from multiprocessing.connection import Connection
from pathlib import Path

from desk.transfer.records import Problem, TaskRecord

READ_AHEAD_BYTES = 4 << 20
"""Files this large in all are read in a second process."""
BATCH = 500
"""Records sent at a time."""
QUEUED = 20
"""Batches the child reads ahead of the parent: more than a chunk of the import's writing
(desk.transfer.task_import.CHUNK), so it reads the next chunk while the parent writes one."""
SWITCH_SECONDS = 0.0005
"""How long the child's reading thread keeps Python's lock while its sending thread waits
for it (Python's default, 5 ms, held the parent waiting for a third of its time)."""

Reader = Callable[[list[Path], tzinfo, list[Problem], list[Problem]], Iterator[TaskRecord]]
"""A reader of task records: (paths, zone, problems, notes), filling the two lists as it
goes."""
Batch = list[tuple[TaskRecord | None, tuple[Problem, ...], tuple[Problem, ...]]]
"""Records, each with the problems and notes made before it; None after the last record."""


def records(read: Reader, paths: list[Path], zone: tzinfo, problems: list[Problem],
            notes: list[Problem]) -> Iterator[TaskRecord]:
    """The records `read` gives for `paths`: read in a second process when the files hold
    READ_AHEAD_BYTES or more, here otherwise."""
    if sum(path.stat().st_size for path in paths) < READ_AHEAD_BYTES or not _portable(zone):
        return read(paths, zone, problems, notes)
    return _from_child(read, paths, zone, problems, notes)


def _from_child(read: Reader, paths: list[Path], zone: tzinfo, problems: list[Problem],
                notes: list[Problem]) -> Iterator[TaskRecord]:
    """Run `read` in a child process and yield what it sends; the child is stopped when the
    caller stops early. An error the reader raised is raised here."""
    context = multiprocessing.get_context("spawn")  # safe beside the app's threads
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_send_records, args=(sending, read, paths, zone),
                            name="desk-import-reader", daemon=True)
    child.start()
    sending.close()
    try:
        while True:
            message = pickle.loads(receiving.recv_bytes())
            if isinstance(message, BaseException):
                raise message
            batch, done = message
            for record, read_problems, read_notes in batch:
                problems += read_problems
                notes += read_notes
                if record is not None:
                    yield record
            if done:
                return
    except EOFError:
        raise RuntimeError(f"the import's reader stopped unexpectedly "
                           f"(exit code {child.exitcode})") from None
    finally:
        receiving.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _portable(zone: tzinfo) -> bool:
    """Whether a time zone can be handed to another process."""
    try:
        pickle.dumps(zone)
    except (pickle.PicklingError, AttributeError, TypeError, ValueError):
        return False
    return True


def _send_records(sending: Connection, read: Reader, paths: list[Path],
                  zone: tzinfo) -> None:
    """In the child: read the records into pickled batches (the last one with what was made
    after the last record) that a thread sends, so reading goes on while the parent is busy
    writing, up to QUEUED batches ahead. An error of the reader is sent after the records read
    before it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    sys.setswitchinterval(SWITCH_SECONDS)  # this process only
    batches: queue.Queue[bytes | None] = queue.Queue(QUEUED)
    sender = threading.Thread(target=_send_all, args=(batches, sending), daemon=True)
    sender.start()
    problems: list[Problem] = []
    notes: list[Problem] = []
    batch: Batch = []
    try:
        for record in read(paths, zone, problems, notes):
            record.digest()  # kept with the record, so the parent need not work it out
            batch.append((record, _taken(problems), _taken(notes)))
            if len(batch) == BATCH:
                batches.put(_pickled((batch, False)))
                batch = []
        batch.append((None, _taken(problems), _taken(notes)))
        batches.put(_pickled((batch, True)))
    except Exception as error:  # raised in the parent, after the records read before it
        with contextlib.suppress(Exception):  # a record that cannot be pickled: left out
            batches.put(_pickled((batch, False)))
        batches.put(_pickled_error(error))
    finally:
        batches.put(None)
        sender.join()
        if not sending.closed:
            sending.close()


def _send_all(batches: queue.Queue[bytes | None], sending: Connection) -> None:
    """In the child's sending thread: send what is queued until None. Once the parent has
    stopped reading, the rest is taken and dropped, so the reading thread ends too."""
    while (message := batches.get()) is not None:
        if sending.closed:
            continue
        try:
            sending.send_bytes(message)
        except OSError:
            sending.close()


def _pickled(message: object) -> bytes:
    """A message as the sending thread sends it (pickled here, so that thread seldom needs
    Python's lock)."""
    return pickle.dumps(message, pickle.HIGHEST_PROTOCOL)


def _pickled_error(error: Exception) -> bytes:
    """An error pickled, or as a RuntimeError with its text when it cannot be."""
    try:
        return _pickled(error)
    except Exception:
        return _pickled(RuntimeError(f"{type(error).__name__}: {error}"))


def _taken(found: list[Problem]) -> tuple[Problem, ...]:
    """What a list holds, emptying it."""
    if not found:
        return ()
    taken = tuple(found)
    found.clear()
    return taken
