"""Benchmark of the desk TUI in a real pseudo-terminal at 10k, 100k and 1M tasks.

    python tests/bench/bench_tui.py [--sizes 10000,100000,1000000] [--dir DIR] [--keys 100]

A script, not a test: it prints figures and asserts nothing. For each size it builds (once,
cached in DIR) a demo workspace with `desk demo --tasks N --no-tui`, then starts
`desk --db FILE` under a pseudo-terminal (TERM=xterm-256color, 80x24, an empty home) and
measures what a person at the keyboard would feel:

- first paint: from process start until the first inbox row's title has been written (the
  median of three starts after a first one);
- key to frame: `j` sent, until the terminal output has been written and stays quiet for
  QUIET seconds (the time counted ends at the last byte, not after the quiet wait), as the
  median and 95th percentile; "first byte" is when the first output for the key arrived.
  In view: the cursor moves inside the visible rows (j then k). Scrolling: the cursor is at
  the bottom and every `j` scrolls the list by a row. Page down: `pagedown` each time;
- bytes written per scrolling frame (median);
- peak memory of the desk process (VmHWM from /proc, after all the keys);
- service level, in this process: the first page of a filtered list and of a full-text
  filter (listing.task_page), and search.find as the palette calls it (prefix words) and as
  the CLI does (whole words), the median of 7 calls after one cold call.

Targets (issue 3): first paint < 1 s at 1M, scrolling p95 < 20 ms, memory < 100 MB and flat,
first search page < 100 ms at 1M.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from desk import db as desk_db
from desk import sla
from desk.clock import stored, utcnow
from desk.config import Settings
from desk.kernel import agents, search
from desk.models import Task
from desk.pages import inbox as inbox_page
from desk.text import one_line
from desk.work import filters, listing

ROWS, COLUMNS = 24, 80
QUIET = 0.05
"""Seconds without output after which a frame counts as finished."""
PATIENCE = 60.0
"""Seconds to wait for the first paint before giving up."""
STARTS = 4
"""Starts timed for the first paint; the first one (which may warm the disk cache and
compile bytecode) is shown apart from the median of the others."""


@dataclass
class Frame:
    """What one key produced: seconds to the first and to the last byte, and bytes."""

    first: float
    last: float
    size: int


def isolated_environment(home: Path, bytecode: Path) -> dict[str, str]:
    """An empty home and XDG folders, a 256-colour terminal, no desk or Textual settings.

    Compiled bytecode is kept in `bytecode` (PYTHONPYCACHEPREFIX), as an installed desk has
    it, even where PYTHONDONTWRITEBYTECODE is set: compiling every module from source on each
    start would add about half a second to the first paint."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith(("DESK_", "TEXTUAL", "TMUX", "XDG_"))
                   and name != "PYTHONDONTWRITEBYTECODE"}
    environment.update(HOME=str(home), TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
                       COLUMNS=str(COLUMNS), LINES=str(ROWS), PYTHONPYCACHEPREFIX=str(bytecode))
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        environment[variable] = str(home / variable.lower())
    return environment


def workspace(size: int, folder: Path, environment: dict[str, str]) -> Path:
    """The demo workspace of `size` tasks, built once and then reused from `folder`."""
    path = folder / f"tui-{size}.db"
    if path.exists():
        return path
    partial = folder / f"tui-{size}.building.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    print(f"building a demo workspace of {size:,} tasks in {partial} ...", flush=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "desk", "--db", f"sqlite:///{partial}", "demo",
                    "--tasks", str(size), "--no-tui"], env=environment, check=True,
                   stdout=subprocess.DEVNULL)
    partial.rename(path)
    Path(f"{partial}.migrate-lock").unlink(missing_ok=True)
    print(f"  built in {time.perf_counter() - start:.0f} s", flush=True)
    return path


def postgres_workspace(size: int, base: str, environment: dict[str, str]) -> str:
    """The URL of the demo workspace of `size` tasks in a PostgreSQL database beside the one
    the admin URL `base` names, built once and then reused: it is built under a name of its
    own and renamed when complete, so an interrupted build is started again."""
    import psycopg

    parts = urlsplit(base)
    name = f"{parts.path.strip('/') or 'desk'}_tui_{size}"
    building = f"{name}_building"
    with psycopg.connect(base, autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return urlunsplit(parts._replace(path=f"/{name}"))
        admin.execute(f'DROP DATABASE IF EXISTS "{building}"')
        admin.execute(f'CREATE DATABASE "{building}"')
    print(f"building a demo workspace of {size:,} tasks in PostgreSQL database {building} ...",
          flush=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "desk", "--db",
                    urlunsplit(parts._replace(path=f"/{building}")), "demo", "--tasks", str(size),
                    "--no-tui"], env=environment, check=True, stdout=subprocess.DEVNULL)
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    print(f"  built in {time.perf_counter() - start:.0f} s", flush=True)
    return urlunsplit(parts._replace(path=f"/{name}"))


class Desk:
    """`desk --db FILE` under a pseudo-terminal of ROWS x COLUMNS."""

    def __init__(self, path: Path, environment: dict[str, str]) -> None:
        """Start desk now; `started` is the moment just before the fork."""
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: size the terminal, then become desk
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
            os.execve(sys.executable, [sys.executable, "-m", "desk", "--db",
                                       f"sqlite:///{path}"], environment)
        self.output = bytearray()

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

    def wait_for(self, text: bytes, patience: float = PATIENCE) -> float:
        """Seconds since start until `text` has been written."""
        deadline = time.perf_counter() + patience
        while text not in self.output:
            if time.perf_counter() > deadline:
                tail = self.output[-2000:].decode("utf-8", "replace")
                raise SystemExit(f"{text!r} never showed; the last output was:\n{tail!r}")
            self.read(0.05)
        return time.perf_counter() - self.started

    def settle(self) -> None:
        """Read until the output has been quiet for a while."""
        while self.read(0.3):
            pass

    def key(self, data: bytes) -> Frame:
        """Send one key; time its output until quiet."""
        self.settle()
        sent = time.perf_counter()
        os.write(self.fd, data)
        first = last = None
        size = 0
        while True:
            chunk = self.read(QUIET if first is not None else 2.0)
            if not chunk:
                break
            last = time.perf_counter()
            first = first or last
            size += len(chunk)
        if first is None:
            return Frame(float("nan"), float("nan"), 0)
        return Frame(first - sent, last - sent, size)

    def peak_memory_mib(self) -> float:
        """The desk process's peak resident memory (VmHWM), in MiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def quit(self) -> int:
        """Press q and wait for the exit status (killing desk after 10 s)."""
        os.write(self.fd, b"q")
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            self.read(0.05)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)
        return -9


def ms(frames: list[Frame], pick: Callable[[Frame], float]) -> str:
    """Median and p95 of one measure of `frames`, in milliseconds."""
    values = sorted(pick(frame) * 1000 for frame in frames)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"median {statistics.median(values):6.1f} ms, p95 {p95:6.1f} ms"


def first_inbox_title(url: str) -> str:
    """The title of the inbox's first row in the workspace at `url`, as the app will show it
    (the first 12 characters of it, which fit the narrowest title column)."""
    database = desk_db.connect(url, create=False)
    try:
        agent = agents.acting()
        context = filters.Context(agent.username, datetime.now(Settings().tz),
                                  admin=agent.role == "admin")
        row = inbox_page.page(context, sla_rules=sla.book(Settings()), limit=1,
                              weights=Settings().urgency).rows[0]
    finally:
        database.close()
    return one_line(row.title)[:12]


def moving_scores_due(url: str) -> None:
    """Make the urgency scores that the clock will move within a minute due now, as they
    are a minute after the last rescoring: each run of desk over `url` then has the same
    background work to do 5 s after it starts (desk.support.urgency_store), whichever run
    came before it."""
    database = desk_db.connect(url, create=False)
    try:
        now = stored(utcnow())
        (Task.update(urgency_until=now)
         .where(Task.closed_at.is_null(), Task.urgency_until <= now + timedelta(seconds=61))
         .execute())
    finally:
        database.close()


def terminal_figures(path: Path, environment: dict[str, str], keys: int) -> None:
    """Start desk in a pseudo-terminal and print the first paint, key and memory figures."""
    title = first_inbox_title(f"sqlite:///{path}").encode()
    paints = []
    for _ in range(STARTS):
        desk = Desk(path, environment)
        paints.append(desk.wait_for(title))
        desk.settle()
        desk.quit()
    paint = statistics.median(paints[1:])
    print(f"  first paint (process start to first inbox row)  {paint * 1000:8.0f} ms (median of "
          f"{STARTS - 1} starts; {paints[0] * 1000:.0f} ms the first time)")
    desk = Desk(path, environment)
    try:
        desk.wait_for(title)
        desk.settle()
        in_view = [desk.key(b"j" if n % 10 < 5 else b"k") for n in range(keys)]
        for _ in range(ROWS):  # to the bottom of the view
            desk.key(b"j")
        scrolling = [desk.key(b"j") for _ in range(keys)]
        paging = [desk.key(b"\x1b[6~") for _ in range(max(keys // 4, 10))]
        memory = desk.peak_memory_mib()
    finally:
        status = desk.quit()
    for label, frames in (("in view (j/k)", in_view), ("scrolling (j)", scrolling),
                          ("page down", paging)):
        print(f"  key to frame, {label:<15} last byte {ms(frames, lambda f: f.last)}"
              f"; first byte {ms(frames, lambda f: f.first)}")
    sizes = [frame.size for frame in scrolling]
    print(f"  bytes per scrolling frame                       {statistics.median(sizes):8.0f}"
          f" (max {max(sizes)})")
    print(f"  peak memory of desk (VmHWM)                     {memory:8.1f} MiB")
    print(f"  exit status after q                             {status:8d}")


def median_ms(action: Callable[[], object], runs: int = 7) -> tuple[float, float]:
    """(cold, median of `runs` warm) milliseconds of an in-process call."""
    start = time.perf_counter()
    action()
    cold = (time.perf_counter() - start) * 1000
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return cold, statistics.median(samples)


def service_figures(path: Path) -> None:
    """The first page of a filtered list and of searches, at the service level."""
    database = desk_db.connect(f"sqlite:///{path}")
    try:
        agent = agents.acting()
        context = filters.Context(agent.username, datetime.now(Settings().tz), admin=True)
        figures: dict[str, Callable[[], object]] = {
            "filtered list 'status:open priority:urgent,high'":
                lambda: listing.task_page("status:open priority:urgent,high", context),
            "filtered list 'kind:query is:open @me'":
                lambda: listing.task_page("kind:query is:open @me", context),
            "full-text list filter 'printer'": lambda: listing.task_page("printer", context),
            "search.find('invoice')": lambda: search.find("invoice"),
            "palette search 'inv' (prefix)": lambda: search.find("inv", prefix=True),
            "palette search 'blue log' (prefix)": lambda: search.find("blue log", prefix=True),
            "palette search 'a' (one letter)": lambda: search.find("a", prefix=True),
        }
        for label, action in figures.items():
            cold, warm = median_ms(action)
            print(f"  first page, {label:<40} {warm:7.2f} ms (cold {cold:.2f} ms)")
    finally:
        database.close()


def main() -> None:
    """Run the benchmark for the sizes asked for."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "desk-bench-tui",
                        help="where the demo workspaces are built and kept between runs")
    parser.add_argument("--keys", type=int, default=100, help="keys per measure")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="desk-bench-home-"))
    environment = isolated_environment(home, args.dir / "bytecode")
    try:
        for size in (int(text) for text in args.sizes.split(",")):
            path = workspace(size, args.dir, environment)
            print(f"\n== {size:,} tasks ({path.stat().st_size / 2**20:,.0f} MiB), "
                  f"{COLUMNS}x{ROWS}", flush=True)
            terminal_figures(path, environment, args.keys)
            service_figures(path)
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
