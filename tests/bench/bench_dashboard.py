"""Benchmark of the dashboard metrics at 100k and 1M tasks. Prints figures; asserts nothing.

    python tests/bench/bench_dashboard.py [--sizes 100000,1000000] [--dir /tmp/desk-bench]
        [--from /tmp/h5/bench]

For each size it copies the demo workspace `tui-N.db` found in --from (the cached databases
of bench_tui.py), or else builds one with `desk demo --tasks N` (timed) in --dir, and
brings the copy's schema up to date. It then times, in process, each part of the dashboard
(desk.metrics.dashboard.SECTIONS, and the two halves of the workload) and the whole
dashboard for every period (median of 5 runs), and `desk report --format json` end to end.
The load average is printed with the figures: they mean little on a busy machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench_core import median_ms

from desk import db
from desk.metrics import dashboard as metrics
from desk.metrics import team

RUNS = 5


def workspace(size: int, folder: Path, cached: Path | None) -> Path:
    """A database of `size` tasks of our own: a copy of the cached one, else a new demo."""
    path = folder / f"dashboard-{size}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    source = cached / f"tui-{size}.db" if cached else None
    if source and source.exists():
        shutil.copyfile(source, path)
        print(f"copied {source}")
        return path
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "desk", "--db", f"sqlite:///{path}", "demo",
                    "--tasks", str(size), "--no-tui"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"desk demo --tasks {size}: {time.perf_counter() - start:.1f} s")
    return path


def bench(size: int, folder: Path, cached: Path | None) -> None:
    """Time the dashboard on a workspace of `size` tasks and print the figures."""
    print(f"\n== {size:,} tasks")
    path = workspace(size, folder, cached)
    url = f"sqlite:///{path}"
    database = db.connect(url)
    db.migrate(database)
    print(f"{path.stat().st_size / 2**20:,.0f} MiB; load average "
          f"{' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    now = datetime.now(ZoneInfo("Europe/Berlin"))
    span = metrics.window("30d", now)
    total = 0.0
    for name, compute in metrics.SECTIONS.items():
        spent = median_ms(lambda compute=compute: compute(span), RUNS)
        total += spent
        print(f"  {name:<34} {spent:8.1f} ms")
    print(f"  {'sum of the parts (30d)':<34} {total:8.1f} ms")
    for name, loads in (("agent_loads", team.agent_loads),
                        ("team_loads", team.team_loads)):
        print(f"  {f'  of which workload {name}':<34} "
              f"{median_ms(lambda loads=loads: loads(now), RUNS):8.1f} ms")
    for period in metrics.PERIODS:
        spent = median_ms(lambda period=period: metrics.dashboard(period, now), RUNS)
        print(f"  {f'dashboard({period!r})':<34} {spent:8.1f} ms")
    command = [sys.executable, "-m", "desk", "--db", url, "report", "--format", "json"]
    walls = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        walls.append((time.perf_counter() - start) * 1000)
    print(f"  {'desk report --format json (wall)':<34} {statistics.median(walls):8.1f} ms")
    print(f"load average afterwards {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    database.close()


def main() -> None:
    """Run the benchmark for the sizes asked for."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/desk-bench"),
                        help="where the copies (or new demos) go")
    parser.add_argument("--from", dest="cached", type=Path, default=None,
                        help="a folder of cached tui-N.db demo databases to copy")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    for size in (int(text) for text in args.sizes.split(",")):
        bench(size, args.dir, args.cached)


if __name__ == "__main__":
    main()
