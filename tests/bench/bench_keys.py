"""Keys, bytes, start and memory: desk's inbox against a bare virtual list, side by side.

    python tests/bench/bench_keys.py [--sizes 10000,100000,1000000] [--terms 120x40,80x24]
                                     [--runs 3] [--keys 40] [--dir DIR] [--bare DIR]
                                     [--link 100,1000]

A script, not a test: it prints figures and asserts nothing. One command builds (once, cached
in DIR, shared with bench_tui.py) the demo workspaces and the bare list's tables
(make_bare_db.py), then for each size and terminal runs the bare list and desk alternately,
`--runs` times each, each in a real pseudo-terminal with Textual's real driver, and prints
every figure of issue 19 with the median of the runs, their range and desk's ratio to the
bare list, and the load average before and after (the machine may be shared: only ratios
within one run compare).

Each run measures: the first painted row from process start; down-arrow keys inside the view
and keys that scroll (send to the last byte before QUIET seconds of silence, p95, and bytes
per key); page down, end (`G`) and home (`g`); 60 down-arrows at 30 Hz (a held key) and the lag
from the last key to the last byte; the peak resident memory (VmHWM).

With `--link DELAY_MS,KBIT` the same runs go through a forwarder that delays every byte
DELAY_MS one way and paces it to KBIT kbit/s (see link.py), as over SSH on a slow link.

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

from bench_tui import first_inbox_title, isolated_environment, workspace
from link import Terminal

QUIET = 0.025
"""Seconds without output after which a key's frame counts as finished."""
DOWN, PAGE_DOWN, END, HOME = b"\x1b[B", b"\x1b[6~", b"\x1b[F", b"\x1b[H"
FIGURES = (  # (key, label, unit)
    ("first_paint", "first painted row, from process start", "s"),
    ("inview_p95", "key inside the view, p95", "ms"),
    ("scroll_p95", "key that scrolls, p95", "ms"),
    ("pagedown", "page down", "ms"),
    ("end", "G (end)", "ms"),
    ("home", "g (home)", "ms"),
    ("burst_lag", "lag after 60 keys at 30 Hz", "ms"),
    ("scroll_bytes", "bytes per scrolling key", "B"),
    ("inview_bytes", "bytes per move inside the view", "B"),
    ("memory", "peak memory (VmHWM)", "MiB"),
)


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(command: list[str], environment: dict[str, str], marker: bytes, quit_key: bytes,
            keys: int, columns: int, rows: int, link: tuple[int, int] | None) -> dict:
    """One run of `command` in a pseudo-terminal: every figure of FIGURES."""
    term = Terminal(command, environment, columns, rows, link)
    figures: dict[str, float] = {}
    try:
        figures["first_paint"] = term.wait_for(marker)
        term.settle(0.5)
        inview = [term.key(DOWN, QUIET) for _ in range(min(keys, rows - 12))]
        for _ in range(rows):  # to the bottom of the view, unmeasured
            term.key(DOWN, QUIET)
        term.settle(0.3)
        scroll = [term.key(DOWN, QUIET) for _ in range(keys)]
        for name, sequence in (("pagedown", PAGE_DOWN), ("end", END), ("home", HOME)):
            term.settle(0.2)
            figures[name] = term.key(sequence, 0.1).last * 1000
        term.settle(0.3)
        figures["burst_lag"] = term.burst(DOWN, 60, 1 / 30) * 1000
        figures["inview_p95"] = p95([frame.last * 1000 for frame in inview])
        figures["scroll_p95"] = p95([frame.last * 1000 for frame in scroll])
        figures["inview_bytes"] = statistics.median(frame.size for frame in inview)
        figures["scroll_bytes"] = statistics.median(frame.size for frame in scroll)
        figures["memory"] = term.peak_memory_mib()
    finally:
        term.quit(quit_key)
    return figures


def shown(values: list[float], unit: str) -> str:
    """The median of the runs, and their range when there are several."""
    def one(value: float) -> str:
        return f"{value:.2f}" if unit == "s" else f"{value:,.0f}" if unit == "B" else f"{value:.1f}"
    text = f"{one(statistics.median(values))} {unit}"
    if len(values) > 1:
        text += f" ({one(min(values))}–{one(max(values))})"
    return text


def report(title: str, desk: list[dict], bare: list[dict]) -> None:
    """The table of one size and terminal: desk, bare list, ratio of the medians."""
    print(f"\n{title}")
    print(f"| {'':38} | {'desk':>24} | {'bare list':>24} | ratio |")
    print(f"| {'-' * 38} | {'-' * 24} | {'-' * 24} | ----- |")
    for key, label, unit in FIGURES:
        mine = [run[key] for run in desk if key in run]
        theirs = [run[key] for run in bare if key in run]
        if not mine or not theirs:
            continue
        ratio = statistics.median(mine) / max(statistics.median(theirs), 1e-9)
        print(f"| {label:38} | {shown(mine, unit):>24} | {shown(theirs, unit):>24} "
              f"| {ratio:4.1f}× |", flush=True)


def bare_folder(given: Path | None) -> Path:
    """Where bare_list.py and make_bare_db.py are."""
    if given is not None:
        return given
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "bench" / "bare_list.py").exists():
            return parent / "shared" / "bench"
    raise SystemExit("bare_list.py not found: say where with --bare")


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
    parser.add_argument("--only", choices=("desk", "bare"), default=None)
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
        bare_db = args.dir / f"bare-{size}.db"
        if not bare_db.exists():
            subprocess.run([sys.executable, str(bare / "make_bare_db.py"), str(bare_db),
                            str(size)], check=True, stdout=subprocess.DEVNULL)
        title = first_inbox_title(desk_db).encode()
        commands = {
            "desk": ([sys.executable, "-m", "desk", "--db", f"sqlite:///{desk_db}"], title, b"q"),
            "bare": ([sys.executable, str(bare / "bare_list.py"), "virtual", str(bare_db)],
                     b"Task ", b"\x11"),
        }
        for term in args.terms.split(","):
            columns, rows = (int(part) for part in term.split("x"))
            environment.update(COLUMNS=str(columns), LINES=str(rows))
            results: dict[str, list[dict]] = {"desk": [], "bare": []}
            for _ in range(args.runs):
                for name in ("bare", "desk"):
                    if args.only in (None, name):
                        command, marker, quit_key = commands[name]
                        results[name].append(measure(command, environment, marker, quit_key,
                                                     args.keys, columns, rows, link))
            report(f"== {size:,} tasks at {term}, {args.runs} runs each, link "
                   f"{args.link or 'none'}; load average now {load()}",
                   results["desk"], results["bare"] or results["desk"])
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
