"""Keys, bytes, start and memory: desk's inbox against a bare virtual list, side by side.

    python tests/bench/bench_keys.py [--sizes 10000,100000,1000000] [--terms 120x40,80x24]
                                     [--runs 3] [--keys 40] [--dir DIR] [--bare DIR]
                                     [--link 100,1000] [--before CHECKOUT] [--starts N]
                                     [--postgres ADMIN_URL]

A script, not a test: it prints figures and asserts nothing. One command builds (once, cached
in DIR, shared with bench_tui.py) the demo workspaces and the bare list's tables
(make_bare_db.py), then for each size and terminal runs the bare list and desk alternately,
`--runs` times each, each in a real pseudo-terminal with Textual's real driver, and prints
every figure of issue 19 with the median of the runs, their range and desk's ratio to the
bare list, and the load average before and after (the machine may be shared: only ratios
within one run compare).

Each run measures: the first painted row from process start; down-arrow keys inside the view
and keys that scroll (send to the last byte before QUIET seconds of silence, p95, and bytes
per key); page down, end (`G`) and home (`g`) until their rows have arrived (not the
inbox's detail strip, which follows once the cursor rests); 60 down-arrows at 30 Hz (a
held key) and the lag from the last key to the end of its frame (the last byte before QUIET
seconds of silence) and to the last byte of all (the detail strip, drawn once the cursor
has rested, included); the peak resident memory (VmHWM) after those keys, again after
LEFT_OPEN seconds without keys, and again after paging through PAGED_THROUGH screens; and the
CPU time the program used per key (all threads; /proc), which a busy machine disturbs far
less than the wall-clock figures. (desk rescores the urgency scores the clock moved once a
minute: before each run of desk the scores due within the next minute are made due now,
so that every run has the same background work to do.)

With `--link DELAY_MS,KBIT` the same runs go through a forwarder that delays every byte
DELAY_MS one way and paces it to KBIT kbit/s (see link.py), as over SSH on a slow link.
With `--before CHECKOUT` a desk from another checkout runs alternately too, for a change's
before and after in the same run. With `--starts N` each program is only started N times,
alternately, and quit at its first painted row: the first paint and the CPU time used by
then (steadier than the wall time on a shared machine), for changes to the start.

With `--postgres ADMIN_URL` desk also runs, alternately, over the same demo workspace in a
PostgreSQL database beside the one ADMIN_URL names (built once, then reused), and the table
adds its figures and their ratio to desk's on SQLite.

The bare list lives in the sibling `shared/bench` folder of the project (found by walking up
from this file) or where `--bare` says.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_tui import (
    first_inbox_title,
    isolated_environment,
    moving_scores_due,
    postgres_workspace,
    workspace,
)
from link import Terminal

QUIET = 0.025
"""Seconds without output after which a key's frame counts as finished."""
JUMP_QUIET = 0.05
"""The same for page down, end and home, whose rows may come from a worker a little later;
shorter than the inbox's wait before its detail strip follows a cursor at rest (0.08 s)."""
PLACEHOLDER = rb"H\x1b\[[0-9;]*m  \xe2\x80\xa6\x1b\[0m"
"""A row of desk's list still loading: "  …" at the start of a line."""
LEFT_OPEN = 7.0
"""Seconds a run then leaves the program without keys: desk imports the screens it has not
shown yet after a second without keys, and does its background work (automations, mail,
the urgency scores the clock moved) 5 s after it starts, later while keys keep coming."""
PAGED_THROUGH = 200
"""Page downs a run ends with, each once the one before has been drawn: 200 screens, more
pages than a list keeps."""
DOWN, PAGE_DOWN, END, HOME = b"\x1b[B", b"\x1b[6~", b"\x1b[F", b"\x1b[H"
FIGURES = (  # (key, label, unit)
    ("first_paint", "first painted row, from process start", "s"),
    ("start_cpu", "CPU used by the first painted row", "s"),
    ("inview_p95", "key inside the view, p95", "ms"),
    ("scroll_p95", "key that scrolls, p95", "ms"),
    ("pagedown", "page down", "ms"),
    ("end", "G (end)", "ms"),
    ("home", "g (home)", "ms"),
    ("burst_lag", "lag after 60 keys at 30 Hz", "ms"),
    ("burst_rest", "… until all output (detail strip)", "ms"),
    ("scroll_bytes", "bytes per scrolling key", "B"),
    ("inview_bytes", "bytes per move inside the view", "B"),
    ("memory", "peak memory (VmHWM)", "MiB"),
    ("memory_open", "… then left open without keys", "MiB"),
    ("memory_paged", "… then paged through the list", "MiB"),
    ("inview_cpu", "CPU per move inside the view", "ms"),
    ("scroll_cpu", "CPU per scrolling key", "ms"),
    ("burst_cpu", "CPU per key of the 30 Hz burst", "ms"),
)


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(command: list[str], environment: dict[str, str], marker: bytes, quit_key: bytes,
            pending: bytes | None, keys: int, columns: int, rows: int,
            link: tuple[int, int] | None) -> dict:
    """One run of `command` in a pseudo-terminal: every figure of FIGURES."""
    term = Terminal(command, environment, columns, rows, link, cwd=environment["HOME"])
    figures: dict[str, float] = {}
    try:
        figures["first_paint"] = term.wait_for(marker)
        figures["start_cpu"] = term.cpu_seconds()
        term.idle()
        cpu = term.cpu_seconds()
        inview = [term.key(DOWN, QUIET) for _ in range(min(keys, rows - 12))]
        figures["inview_cpu"] = (term.cpu_seconds() - cpu) * 1000 / len(inview)
        for _ in range(rows):  # to the bottom of the view, unmeasured
            term.key(DOWN, QUIET)
        term.settle(0.3)
        cpu = term.cpu_seconds()
        scroll = [term.key(DOWN, QUIET) for _ in range(keys)]
        figures["scroll_cpu"] = (term.cpu_seconds() - cpu) * 1000 / keys
        for name, sequence in (("pagedown", PAGE_DOWN), ("end", END), ("home", HOME)):
            term.idle()
            figures[name] = term.jump(sequence, JUMP_QUIET, pending) * 1000
        term.idle()
        cpu = term.cpu_seconds()
        lag, rest = term.burst(DOWN, 60, 1 / 30, QUIET)
        figures["burst_lag"], figures["burst_rest"] = lag * 1000, rest * 1000
        figures["burst_cpu"] = (term.cpu_seconds() - cpu) * 1000 / 60
        figures["inview_p95"] = p95([frame.last * 1000 for frame in inview])
        figures["scroll_p95"] = p95([frame.last * 1000 for frame in scroll])
        figures["inview_bytes"] = statistics.median(frame.size for frame in inview)
        figures["scroll_bytes"] = statistics.median(frame.size for frame in scroll)
        figures["memory"] = term.peak_memory_mib()
        term.stay(LEFT_OPEN)
        figures["memory_open"] = term.peak_memory_mib()
        for _ in range(PAGED_THROUGH):
            term.key(PAGE_DOWN, QUIET)
        figures["memory_paged"] = term.peak_memory_mib()
    finally:
        term.quit(quit_key)
    return figures


def start(command: list[str], environment: dict[str, str], marker: bytes, quit_key: bytes,
          columns: int, rows: int, link: tuple[int, int] | None) -> dict:
    """One start of `command` in a pseudo-terminal, quit at its first painted row: the first
    paint and the CPU time the program had used by then (--starts)."""
    term = Terminal(command, environment, columns, rows, link, cwd=environment["HOME"])
    try:
        return {"first_paint": term.wait_for(marker), "start_cpu": term.cpu_seconds()}
    finally:
        term.quit(quit_key)


def shown(values: list[float], unit: str) -> str:
    """The median of the runs, and their range when there are several."""
    def one(value: float) -> str:
        return f"{value:.2f}" if unit == "s" else f"{value:,.0f}" if unit == "B" else f"{value:.1f}"
    text = f"{one(statistics.median(values))} {unit}"
    if len(values) > 1:
        text += f" ({one(min(values))}–{one(max(values))})"
    return text


OTHERS = (("before", "desk before", "after/before"),
          ("postgres", "desk on PostgreSQL", "PostgreSQL/SQLite"))
"""The other runs a table may have: (name, column, heading of their ratio column)."""


def report(title: str, results: dict[str, list[dict]]) -> None:
    """The table of one size and terminal: desk, the bare list and desk's ratio to it (and,
    with a desk from before, its figures and the ratio after/before; with PostgreSQL, desk's
    figures there and their ratio to SQLite's), medians of the runs."""
    others = [(name, column, heading) for name, column, heading in OTHERS if results.get(name)]
    print(f"\n{title}")
    head = f"| {'':38} | {'desk':>24} | {'bare list':>24} | ratio |"
    rule = f"| {'-' * 38} | {'-' * 24} | {'-' * 24} | ----- |"
    for _, column, heading in others:
        head += f" {column:>24} | {heading} |"
        rule += f" {'-' * 24} | {'-' * len(heading)} |"
    print(head)
    print(rule)
    for key, label, unit in FIGURES:
        mine = [run[key] for run in results["desk"] if key in run]
        theirs = [run[key] for run in results["bare"] if key in run] or mine
        if not mine:
            continue
        line = (f"| {label:38} | {shown(mine, unit):>24} | {shown(theirs, unit):>24} "
                f"| {ratio(mine, theirs):4.1f}× |")
        for name, _, heading in others:
            other = [run[key] for run in results[name] if key in run]
            quotient = ratio(mine, other) if name == "before" else ratio(other, mine)
            line += f" {shown(other, unit):>24} | {quotient:{len(heading) - 1}.2f}× |"
        print(line, flush=True)


def ratio(mine: list[float], theirs: list[float]) -> float:
    """The ratio of the medians."""
    return statistics.median(mine) / max(statistics.median(theirs), 1e-9)


def bare_folder(given: Path | None) -> Path:
    """Where bare_list.py and make_bare_db.py are."""
    if given is not None:
        return given
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "bench" / "bare_list.py").exists():
            return parent / "shared" / "bench"
    raise SystemExit("bare_list.py not found: say where with --bare")


def bare_database(bare: Path, folder: Path, size: int) -> Path:
    """The bare list's database of `size` rows in `folder`, made by its make_bare_db.py (in
    the folder `bare`) the first time."""
    path = folder / f"bare-{size}.db"
    if not path.exists():
        subprocess.run([sys.executable, str(bare / "make_bare_db.py"), str(path), str(size)],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def load() -> str:
    """The load average, as /proc says it."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    """Build what is missing, then run and print every size and terminal."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--terms", default="120x40,80x24")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "desk-bench-tui")
    parser.add_argument("--bare", type=Path, default=None)
    parser.add_argument("--link", default=None, help="DELAY_MS,KBIT: a slow link (one way)")
    parser.add_argument("--only", choices=("desk", "bare", "postgres"), default=None)
    parser.add_argument("--starts", type=int, default=None,
                        help="only time this many starts of each program, alternating")
    parser.add_argument("--before", type=Path, default=None,
                        help="a checkout of desk to compare with (run with it on PYTHONPATH)")
    parser.add_argument("--postgres", default=None, metavar="ADMIN_URL",
                        help="also run desk on PostgreSQL, beside the database this URL names")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    bare = bare_folder(args.bare)
    link = tuple(int(part) for part in args.link.split(",")) if args.link else None
    home = Path(tempfile.mkdtemp(prefix="desk-bench-home-"))
    environment = isolated_environment(home, args.dir / "bytecode")
    environment["TEXTUAL_ANIMATIONS"] = "none"
    print(f"load average {load()}; link {link or 'none'}", flush=True)
    for size in (int(text) for text in args.sizes.split(",")):
        desk_db = workspace(size, args.dir, environment)
        bare_db = bare_database(bare, args.dir, size)
        title = first_inbox_title(f"sqlite:///{desk_db}").encode()
        desk = [sys.executable, "-m", "desk", "--db", f"sqlite:///{desk_db}"]
        # the workspace each desk runs over (the bare list has a table of its own)
        urls = {"desk": f"sqlite:///{desk_db}", "before": f"sqlite:///{desk_db}"}
        commands = {  # name: (command, marker, quit key, environment)
            "bare": ([sys.executable, str(bare / "bare_list.py"), "virtual", str(bare_db)],
                     b"Task ", b"\x11", None, environment),
            "desk": (desk, title, b"q", PLACEHOLDER, environment),
        }
        if args.before:
            commands["before"] = (desk, title, b"q", PLACEHOLDER,
                                  {**environment, "PYTHONPATH": str(args.before)})
        if args.postgres:
            postgres_db = urls["postgres"] = postgres_workspace(size, args.postgres, environment)
            commands["postgres"] = ([sys.executable, "-m", "desk", "--db", postgres_db],
                                    first_inbox_title(postgres_db).encode(), b"q", PLACEHOLDER,
                                    environment)
        names = [name for name in commands if args.only in (None, name)]
        for term in args.terms.split(","):
            columns, rows = (int(part) for part in term.split("x"))
            for *_, env in commands.values():
                env.update(COLUMNS=str(columns), LINES=str(rows))
            results: dict[str, list[dict]] = {name: [] for name in commands}
            for _ in range(args.starts or args.runs):
                for name in names:
                    command, marker, quit_key, pending, env = commands[name]
                    if name in urls and not args.starts:
                        moving_scores_due(urls[name])
                    results[name].append(
                        start(command, env, marker, quit_key, columns, rows, link)
                        if args.starts else
                        measure(command, env, marker, quit_key, pending, args.keys, columns,
                                rows, link))
            report(f"== {size:,} tasks at {term}, {args.starts or args.runs} "
                   f"{'starts' if args.starts else 'runs'} each, link "
                   f"{args.link or 'none'}; load average now {load()}", results)
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
