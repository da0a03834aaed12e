"""Benchmark of the desk core at 10k, 100k and 1M tasks. Prints figures; asserts nothing.

    python tests/bench/bench_core.py [--sizes 10000,100000,1000000] [--dir /tmp/desk-bench]

For each size it builds the demo workspace with `desk demo --tasks N` (timed), then times
the CLI end to end (`desk ls 'status:open' --limit 100 --format json`, median of 5 runs
with its peak memory) and, in process, the first page of the default list views, a middle
keyset page, a count and a full-text search.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from desk import db
from desk.kernel import agents, search
from desk.work import filters, listing


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one subprocess, measured for that process alone."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with status {child.returncode}")
    return elapsed, usage.ru_maxrss


def median_ms(action, runs: int = 7) -> float:
    """Median milliseconds of an in-process call."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def bench(size: int, folder: Path) -> None:
    """Build a workspace of `size` tasks and print its figures."""
    path = folder / f"bench-{size}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    desk = [sys.executable, "-m", "desk", "--db", url]
    build, build_rss = timed([*desk, "demo", "--tasks", str(size), "--no-tui"])
    print(f"\n== {size:,} tasks ({path.stat().st_size / 2**20:,.0f} MiB)")
    print(f"desk demo --tasks {size}: {build:.1f} s, peak RSS {build_rss / 1024:.0f} MiB")
    runs = [timed([*desk, "ls", "status:open", "--limit", "100", "--format", "json"])
            for _ in range(5)]
    print(f"desk ls 'status:open' --limit 100 --format json: median "
          f"{statistics.median(r[0] for r in runs) * 1000:.0f} ms wall, "
          f"peak RSS {max(r[1] for r in runs) / 1024:.0f} MiB")

    db.connect(url)
    context = filters.Context(agents.acting().username,
                              datetime.now(ZoneInfo("Europe/Berlin")))
    figures = {
        "first page, default view (not done, by priority)":
            lambda: listing.task_page("", context),
        "first page, status:open": lambda: listing.task_page("status:open", context),
        "first page, kind:query (inbox)": lambda: listing.task_page("kind:query", context),
        "first page, list:Orders by position":
            lambda: listing.task_page("list:Orders", context, sort="position"),
        "page at offset 50,000 of the default view":
            lambda: listing.task_page("", context, offset=min(50_000, size // 2)),
        "count of the default view": lambda: listing.task_count("", context),
        "full-text: first page of 'printer'": lambda: listing.task_page("printer", context),
        "full-text: search.find('invoice')": lambda: search.find("invoice"),
    }
    first = listing.task_page("", context, limit=100)
    if first.next_key:
        figures["keyset page after the first"] = lambda: listing.task_page(
            "", context, after=first.next_key)
    for label, action in figures.items():
        print(f"  {label:<48} {median_ms(action):8.2f} ms")


def main() -> None:
    """Run the benchmark for the sizes asked for."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/desk-bench"))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    for size in (int(text) for text in args.sizes.split(",")):
        bench(size, args.dir)


if __name__ == "__main__":
    main()
