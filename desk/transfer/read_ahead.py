"""Reading a large import's records in a second process while this one writes them.

Reading and checking a row (CSV, dates, JSON cells, the record's digest) is about a third of
an import's work; writing it is the rest. A reader of task records, `read(paths, zone,
problems, notes)` (desk.transfer.clickup.records and its kind), is run in a child process
(`serve`) that writes its records to its standard output a batch at a time, digests worked
out, so on a machine with two cores the two halves overlap (a dry run, which writes
nothing, reads in its own process: desk.transfer.run.run_import). Records, problems and notes
arrive in the order the reader made them, each problem and note just before the record read
after it, as if the reader ran here. Small files are read here (a new process takes longer
to start than they take to read), and so is every file on a machine with one core, in a
time zone that cannot be handed to another process (one read from a zone file without a
name) or where Python cannot start itself again (no sys.executable).

The child is a plain subprocess, not one of the multiprocessing module's: that module's
helper process needs a standard error with a file descriptor, which the app's is not.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import tzinfo
from pathlib import Path
from typing import BinaryIO

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
CHILD = "from desk.transfer.read_ahead import serve; serve()"
"""What the child process runs."""
_LENGTH = struct.Struct("!Q")
"""What precedes each message: its length in bytes."""

Reader = Callable[[list[Path], tzinfo, list[Problem], list[Problem]], Iterator[TaskRecord]]
"""A reader of task records: (paths, zone, problems, notes), filling the two lists as it
goes."""
Batch = list[tuple[TaskRecord | None, tuple[Problem, ...], tuple[Problem, ...]]]
"""Records, each with the problems and notes made before it; None after the last record."""


def records(read: Reader, paths: list[Path], zone: tzinfo, problems: list[Problem],
            notes: list[Problem]) -> Iterator[TaskRecord]:
    """The records `read` gives for `paths`: read in a second process when the files hold
    READ_AHEAD_BYTES or more, here otherwise."""
    if (sum(path.stat().st_size for path in paths) < READ_AHEAD_BYTES or not sys.executable
            or (os.cpu_count() or 1) < 2 or not _picklable(zone)):
        return read(paths, zone, problems, notes)
    return _from_child(read, paths, zone, problems, notes)


def _from_child(read: Reader, paths: list[Path], zone: tzinfo, problems: list[Problem],
                notes: list[Problem]) -> Iterator[TaskRecord]:
    """Run `read` in a child process and yield what it sends; the child is stopped when the
    caller stops early. An error the reader raised is raised here."""
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    finished = False
    try:
        # this process's import path first, where the reader is found; a child that ended
        # at once is reported below, with its exit code
        with contextlib.suppress(BrokenPipeError), child.stdin:
            _write_whole(child.stdin.fileno(),
                         pickle.dumps((sys.path, pickle.dumps((read, paths, zone))),
                                      pickle.HIGHEST_PROTOCOL))
        while True:
            message = _received(child.stdout)
            if message is None:
                raise RuntimeError(f"the import's reader stopped unexpectedly (exit code "
                                   f"{child.wait()})")
            if isinstance(message, BaseException):
                finished = True  # the child's last message
                raise message
            batch, done = message
            for record, read_problems, read_notes in batch:
                problems += read_problems
                notes += read_notes
                if record is not None:
                    yield record
            if done:
                finished = True
                return
    finally:
        child.stdout.close()
        if not finished:  # stopped early: the child's reading is of no more use
            child.kill()
        child.wait()


def _picklable(value: object) -> bool:
    """Whether `value` can be handed to another process (a time zone, an error)."""
    try:
        pickle.dumps(value)
    except Exception:  # pickling runs the value's own code, which may raise anything
        return False
    return True


def _received(stream: BinaryIO) -> object:
    """The next message on `stream`, or None when it ended."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    body = stream.read(length)
    return pickle.loads(body) if len(body) == length else None


def serve() -> None:
    """The child process (CHILD): take the parent's import path and (reader, paths, zone)
    from standard input, then read the records into pickled batches (the last one with what
    was made after the last record) that a thread writes to standard output, so reading goes
    on while the parent is busy writing, up to QUEUED batches ahead. An error of the reader
    is sent after the records read before it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    sys.setswitchinterval(SWITCH_SECONDS)  # this process only
    sys.path[:], request = pickle.loads(sys.stdin.buffer.read())
    read, paths, zone = pickle.loads(request)
    records_out, sys.stdout = sys.stdout.buffer, sys.stderr  # a stray print goes elsewhere
    batches: queue.Queue[bytes | None] = queue.Queue(QUEUED)
    sender = threading.Thread(target=_send_all, args=(batches, records_out), daemon=True)
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
        batches.put(_pickled(error if _picklable(error)
                             else RuntimeError(f"{type(error).__name__}: {error}")))
    finally:
        batches.put(None)
        sender.join()


def _send_all(batches: queue.Queue[bytes | None], stream: BinaryIO) -> None:
    """In the child's sending thread: write what is queued until None. Once the parent has
    stopped reading, the rest is taken and dropped, so the reading thread ends too."""
    sending = True
    while (message := batches.get()) is not None:
        if not sending:
            continue
        try:
            _write_whole(stream.fileno(), message)
        except OSError:
            sending = False


def _write_whole(descriptor: int, message: bytes) -> None:
    """Write all of `message` to `descriptor`, going on after a write that stopped short.
    A stop and continue (Ctrl-Z, then fg) cuts a write to a full pipe short, and Python's
    buffered writer then left the stream broken: the other end read bytes of a message
    where its length belonged."""
    rest = memoryview(message)
    while rest:
        rest = rest[os.write(descriptor, rest):]


def _pickled(message: object) -> bytes:
    """A message as it is sent: its length, then its pickle (made by the reading thread, so
    the sending thread seldom needs Python's lock)."""
    body = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(body)) + body


def _taken(found: list[Problem]) -> tuple[Problem, ...]:
    """What a list holds, emptying it."""
    if not found:
        return ()
    taken = tuple(found)
    found.clear()
    return taken
