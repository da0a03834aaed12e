"""Reading a large import's records in a second process while this one writes them, so an
import uses two cores: one parses the files (CSV, cell values, digests), the other writes.

Files of READ_AHEAD_BYTES or more together are read by a child process (multiprocessing's
"spawn": a fork would copy the database connection and the app's threads) that sends the
records a chunk at a time, each record with its digest worked out, together with the
problems and notes found while reading that chunk; at most AHEAD chunks wait in the queue.
The chunks are the writer's own (`size` records), so the problems are taken into the plan
after the same chunk as when reading in process: the preview, the report (FILE:ROW:COLUMN),
the progress and what is written are the same either way. Smaller files are read in
process, where starting a child would cost more than it saves.

The reader is a module-level function (it is sent to the child by name) taking the kind
of import, the files, the time zone and the lists of problems and notes it fills. The
system's own zone, which may be read from a file and cannot be sent, the child finds itself.
An error in the child is raised again here; the child is stopped when the import stops
early.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import queue as queues
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import tzinfo
from pathlib import Path
from typing import Any

from desk.config.schema import system_zone
from desk.transfer.records import Problem, TaskRecord

READ_AHEAD_BYTES = 4 << 20
"""Files smaller than this together (some 15,000 ClickUp rows) are read in process."""
AHEAD = 2
"""Chunks the child may read ahead of the writer (some 10 MB each at 5,000 records)."""
WAIT = 1.0
"""Seconds between checks that the child is still alive while waiting for a chunk."""

Reader = Callable[[str, list[Path], tzinfo, list[Problem], list[Problem]],
                  Iterator[TaskRecord]]


@contextmanager
def task_records(read: Reader, kind: str, paths: list[Path], zone: tzinfo, size: int,
                 problems: list[Problem], notes: list[Problem]) -> Iterator[Iterator[TaskRecord]]:
    """The records `read(kind, paths, zone, problems, notes)` gives, read in a child process
    when the files are large, `size` records at a time (the writer's chunk)."""
    if _total_size(paths) < READ_AHEAD_BYTES:
        yield read(kind, paths, zone, problems, notes)
        return
    arguments = (kind, paths, None if zone is system_zone() else zone)
    context = multiprocessing.get_context("spawn")
    channel = context.Queue(AHEAD)
    child = context.Process(target=_read, args=(read, arguments, size, channel), daemon=True,
                            name="desk import reader")
    child.start()
    try:
        yield _received(channel, child, problems, notes)
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        channel.close()
        channel.cancel_join_thread()


def _total_size(paths: Sequence[Path]) -> int:
    """The bytes of the files together (one that cannot be read counts nothing)."""
    total = 0
    for path in paths:
        try:
            total += Path(path).stat().st_size
        except OSError:
            continue
    return total


def _received(channel: Any, child: Any, problems: list[Problem],
              notes: list[Problem]) -> Iterator[TaskRecord]:
    """The records the child sends, in order; its problems and notes into the lists given
    as each chunk is taken. An error of the child is raised here."""
    while True:
        try:
            kind, payload, found, noted = channel.get(timeout=WAIT)
        except queues.Empty:
            if not child.is_alive():
                raise RuntimeError("the import's reading process stopped unexpectedly "
                                   f"(exit code {child.exitcode})") from None
            continue
        problems.extend(found)
        notes.extend(noted)
        if kind == "error":
            raise payload
        if kind == "end":
            return
        yield from payload


def _read(read: Reader, arguments: tuple, size: int, channel: Any) -> None:
    """In the child: read the records and send them `size` at a time with their digests,
    then "end"; or "error" with what went wrong. Its objects have no cycles, so the cycle
    collector, which would walk every record again and again, stays off."""
    gc.disable()
    kind, paths, zone = arguments
    problems: list[Problem] = []
    notes: list[Problem] = []
    chunk: list[TaskRecord] = []

    def send(kind: str, payload: object) -> None:
        """Put one message (copies of the lists: the queue pickles it later, in a thread)."""
        channel.put((kind, payload, list(problems), list(notes)))
        problems.clear()
        notes.clear()

    try:
        for record in read(kind, paths, zone or system_zone(), problems, notes):
            record.digest()
            chunk.append(record)
            if len(chunk) == size:
                send("records", chunk)
                chunk = []
        if chunk:
            send("records", chunk)
        send("end", None)
    except Exception as error:  # raised again in the parent
        send("error", _portable(error))
    channel.close()
    channel.join_thread()


def _portable(error: Exception) -> Exception:
    """The error itself when it can be sent to the parent, else a RuntimeError saying it."""
    try:
        pickle.dumps(error)
    except Exception:  # any failure to pickle
        return RuntimeError(f"reading the import failed: {type(error).__name__}: {error}")
    return error
