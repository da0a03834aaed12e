"""A program in a pseudo-terminal, optionally behind a slow link, for the key benchmarks.

`Terminal` starts a command in a pty of a given size and times what it writes back for each
key sent. With `link=(delay_ms, kbit)` every byte goes through a forwarder in this process:
keys reach the program `delay_ms` after they are sent, and its output reaches the reader
`delay_ms` after it was written, paced to `kbit` kilobits a second (a queue, as on a slow
SSH link: a frame that does not fit waits for the ones before it).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import threading
import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from slow_link import carry


@dataclass
class Frame:
    """What one key produced: seconds from the key to the first and to the last byte."""

    first: float
    last: float
    size: int


class Terminal:
    """A command in a pseudo-terminal of `columns` x `rows`."""

    def __init__(self, command: list[str], environment: dict[str, str], columns: int,
                 rows: int, link: tuple[int, int] | None = None, cwd: str = "/") -> None:
        """Start `command` in folder `cwd` (not the checkout: `python -m` would import from
        the current folder before PYTHONPATH); `started` is the moment just before the fork."""
        self.started = time.perf_counter()
        self.pid, self.master = pty.fork()
        if self.pid == 0:  # the child: size the terminal, then become the command
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.chdir(cwd)
            os.execve(command[0], command, environment)
        self.output = bytearray()
        self.delay = link[0] / 1000 if link else 0.0
        self.fd = self.master
        if link:
            self.fd, write_end = os.pipe()
            threading.Thread(target=self._forward, args=(write_end, link[1] * 1000 / 8),
                             daemon=True).start()

    def _forward(self, write_end: int, bytes_per_second: float) -> None:
        """Carry the program's output to the reader over the slow link (a thread)."""
        carry(lambda: os.read(self.master, 65536), lambda chunk: _write_all(write_end, chunk),
              lambda: os.close(write_end), self.delay, bytes_per_second)

    def send(self, data: bytes) -> None:
        """Type `data` (it reaches the program after the link's delay)."""
        if self.delay:
            threading.Timer(self.delay, os.write, (self.master, data)).start()
        else:
            os.write(self.master, data)

    def read(self, timeout: float) -> bytes:
        """Whatever arrives within `timeout` seconds (b"" when nothing does)."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # the child has gone
            return b""
        self.output += chunk
        return chunk

    def wait_for(self, marker: bytes, patience: float = 120.0) -> float:
        """Seconds since start until `marker` (a regular expression) has been written."""
        pattern = re.compile(marker)
        deadline = time.perf_counter() + patience
        while not pattern.search(self.output):
            if time.perf_counter() > deadline:
                tail = self.output[-2000:].decode("utf-8", "replace")
                raise SystemExit(f"{marker!r} never showed; the last output was:\n{tail!r}")
            self.read(0.02)
        return time.perf_counter() - self.started

    def settle(self, quiet: float) -> None:
        """Read until the output has been quiet for `quiet` seconds."""
        while self.read(quiet):
            pass

    def stay(self, seconds: float) -> None:
        """Read whatever the program writes for `seconds`, sending no key (left open)."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            self.read(left)

    def idle(self, quiet: float = 0.3, patience: float = 60.0) -> None:
        """Read until the program has used no CPU for `quiet` seconds (its start-up work,
        such as counting a large list, is over), giving up after `patience` seconds."""
        deadline = time.perf_counter() + patience
        used = self.cpu_seconds()
        while time.perf_counter() < deadline:
            self.settle(quiet)
            now = self.cpu_seconds()
            if now == used:
                return
            used = now

    def key(self, data: bytes, quiet: float) -> Frame:
        """Send one key; time its output until `quiet` seconds pass without any."""
        sent = time.perf_counter()
        self.send(data)
        first = last = None
        size = 0
        while chunk := self.read(quiet if first is not None else 2.0 + 2 * self.delay):
            last = time.perf_counter()
            first = first or last
            size += len(chunk)
        if first is None or last is None:
            return Frame(float("nan"), float("nan"), 0)
        return Frame(first - sent, last - sent, size)

    def jump(self, data: bytes, quiet: float, pending: bytes | None) -> float:
        """Send one key whose rows may arrive later (a page fetched in a worker): seconds to
        the last byte before `quiet` seconds of silence, once the frame that ended holds no
        row still loading (`pending`, a regular expression for such a row)."""
        sent = time.perf_counter()
        self.send(data)
        pattern = re.compile(pending) if pending else None
        frame, last = b"", None
        while time.perf_counter() - sent < 120:
            chunk = self.read(quiet if frame else 2.0 + 2 * self.delay)
            if chunk:
                frame += chunk
                last = time.perf_counter()
            elif frame and not (pattern and pattern.search(frame)):
                return (last or sent) - sent
            elif frame:
                frame = b""  # rows still loading: wait for the frame that brings them
            elif last is not None:
                return last - sent  # the rows came in the same burst as the placeholders
        return float("nan")

    def burst(self, data: bytes, count: int, interval: float, quiet: float
              ) -> tuple[float, float]:
        """Send `data` `count` times, one every `interval` s (a held key). Seconds from the
        last key until its frame had finished (the output before the first `quiet` seconds
        without any) and until all output had (with what follows only a cursor at rest,
        such as the inbox's detail strip)."""
        arrivals: list[float] = []
        for _ in range(count):
            sent = time.perf_counter()
            self.send(data)
            arrivals = []
            while (left := sent + interval - time.perf_counter()) > 0:
                if self.read(left):
                    arrivals.append(time.perf_counter())
        while self.read(0.1 + self.delay):
            arrivals.append(time.perf_counter())
        if not arrivals:
            return float("nan"), float("nan")
        frame_end = next((early for early, late in pairwise(arrivals)
                          if late - early >= quiet), arrivals[-1])
        return frame_end - sent, arrivals[-1] - sent

    def cpu_seconds(self) -> float:
        """CPU time the program (all its threads) has used so far: steadier than wall time
        on a machine shared with other work."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_memory_mib(self) -> float:
        """The program's peak resident memory (VmHWM), in MiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def quit(self, key: bytes) -> None:
        """Press `key` and wait for the program to end (killing it after 10 s)."""
        self.send(key)
        deadline = time.perf_counter() + 10 + self.delay
        while time.perf_counter() < deadline:
            self.read(0.05)
            done, _status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.master)
        if self.fd != self.master:
            os.close(self.fd)


def _write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to `fd`."""
    while data:
        data = data[os.write(fd, data):]
