"""Reading a large import's records in a second process while this one writes them, so an
import that creates many tasks uses two cores: one parses the files (CSV, cell values,
digests), the other writes.

Files of READ_AHEAD_BYTES or more together are read here for the writer's first chunk.
Once it is written, the importer says whether a second process is worth it: in a real run
where most records were new, the writer has more to do than the reader. (In a dry run or
a re-import, whose records are mostly unchanged, the writer has less, and a second process
only costs its start and the hand-over: 2 CPU-seconds and as much wall time at 100,000
rows.) Then a child process (multiprocessing's "spawn": a fork would copy the database
connection and the app's threads) reads the files again, passes over the first chunk, and
writes the rest a chunk at a time, each record with its digest worked out, together with
the problems and notes found while reading that chunk, as a pickle file in a temporary
folder of the import's own, and sends its name over a queue; at most AHEAD chunks wait. (A
chunk sent through the queue's pipe itself would cross it 64 KB at a time, each piece
waiting for the writer to be scheduled: on a busy machine that took longer than reading
here.) The chunks are the writer's own (`size` records), so the problems are taken into
the plan after the same chunk as when reading here: the report (FILE:ROW:COLUMN), the
progress and what is written are the same either way.

The reader is a module-level function (it is sent to the child by name) taking the kind
of import, the files, the time zone and the lists of problems and notes it fills. The
system's own zone, which may be read from a file and cannot be sent, the child finds itself.
An error in the child is raised again here; the child is stopped when the import stops
early, and the folder removed. Where no child can be started (the app, whose standard
error Textual captures, which multiprocessing needs), the files are read here.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import pickle
import queue as queues
import sys
import tempfile
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
                 problems: list[Problem], notes: list[Problem], *,
                 worth_it: Callable[[], bool]) -> Iterator[Iterator[TaskRecord]]:
    """The records `read(kind, paths, zone, problems, notes)` gives. When the files are
    large, the first `size` (the writer's chunk) are read here; if then `worth_it()` (asked
    once the writer has written them), the rest are read in a child process, `size` at a
    time."""
    if _total_size(paths) < READ_AHEAD_BYTES:
        yield read(kind, paths, zone, problems, notes)
        return
    with tempfile.TemporaryDirectory(prefix="desk-import-") as folder:
        children: list[Any] = []
        try:
            yield _first_here(read, (kind, paths, zone), size, problems, notes, worth_it,
                              folder, children)
        finally:
            for child, channel in children:
                if child.is_alive():
                    child.terminate()
                child.join()
                channel.close()
                channel.cancel_join_thread()


def _first_here(read: Reader, arguments: tuple, size: int, problems: list[Problem],
                notes: list[Problem], worth_it: Callable[[], bool], folder: str,
                children: list[Any]) -> Iterator[TaskRecord]:
    """The first chunk read here; the rest here too, or by a child (which `children` gets,
    with its queue) that reads the first chunk again without sending it."""
    here = read(*arguments, problems, notes)
    first = list(itertools.islice(here, size))
    yield from first
    if len(first) < size or not worth_it() or not _can_start():
        yield from here
        return
    here.close()
    kind, paths, zone = arguments
    context = multiprocessing.get_context("spawn")
    channel = context.Queue(AHEAD)
    child = context.Process(
        target=_read, args=(read, (kind, paths, None if zone is system_zone() else zone),
                            size, channel, folder), daemon=True, name="desk import reader")
    children.append((child, channel))
    child.start()
    yield from _received(channel, child, problems, notes)


def _can_start() -> bool:
    """Whether a child process can be started: multiprocessing passes standard error's file
    to the process that tracks its resources, and fails where it has none (the app, whose
    standard error Textual captures); there the files are read here."""
    try:
        return sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        return False


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
            name = channel.get(timeout=WAIT)
        except queues.Empty:
            if not child.is_alive():
                raise RuntimeError("the import's reading process stopped unexpectedly "
                                   f"(exit code {child.exitcode})") from None
            continue
        chunk = Path(name)
        kind, payload, found, noted = pickle.loads(chunk.read_bytes())
        chunk.unlink()
        problems.extend(found)
        notes.extend(noted)
        if kind == "error":
            raise payload
        if kind == "end":
            return
        yield from payload


def _read(read: Reader, arguments: tuple, size: int, channel: Any, folder: str) -> None:
    """In the child: read the records after the first `size` (read by the parent, with
    their problems and notes) and send them `size` at a time with their digests, then
    "end"; or "error" with what went wrong, each message a file in `folder`. Its objects
    have no cycles, so the cycle collector, which would walk every record again and again,
    stays off."""
    gc.disable()
    kind, paths, zone = arguments
    problems: list[Problem] = []
    notes: list[Problem] = []
    chunk: list[TaskRecord] = []
    written = itertools.count(1)

    def send(kind: str, payload: object) -> None:
        """Write one message with the problems and notes found since the last, and send
        its name."""
        name = os.path.join(folder, f"{next(written)}.pickle")
        with open(name, "wb") as stream:
            pickle.dump((kind, payload, problems, notes), stream, pickle.HIGHEST_PROTOCOL)
        problems.clear()
        notes.clear()
        channel.put(name)

    try:
        records = read(kind, paths, zone or system_zone(), problems, notes)
        for _ in itertools.islice(records, size):
            pass
        problems.clear()
        notes.clear()
        for record in records:
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
