"""Memory of a session left open: what the app keeps after screens and dialogs have been
opened and closed many times. Prints figures; asserts nothing.

    python tests/bench/bench_session_memory.py --db FILE [--rounds 80] [--before CHECKOUT]

FILE is a workspace `desk demo --tasks N` built (bench_keys.py keeps them in its --dir). The
app runs headless at 120x40 over a copy of it, in a process of its own, without the live
refresh and the background work. Each round opens and closes the keys' help, opens the
inbox's first task and goes back, and visits the tasks, clients and inbox modes. Printed:
the resident memory before the first round and after the last (after a garbage collection),
and the objects still alive then; these should not grow with the rounds. With `--before
CHECKOUT` the desk of another checkout runs too, alternately.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROUND = ("question_mark", "escape", "enter", "escape", "2", "3", "1")
"""The keys of one round, each pressed once the one before has been handled."""


def resident_mib() -> int:
    """This process's resident memory (VmRSS), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


async def measure(path: Path, rounds: int) -> dict[str, int]:
    """In this process: memory and live objects before the rounds and after them."""
    from desk.database_url import skip_postgres_driver

    url = f"sqlite:///{path}"
    skip_postgres_driver(url)  # as the command line does, before peewee is imported
    from desk import db as desk_db
    from desk.app import make_app
    from desk.config import Settings
    from desk.kernel import agents
    from desk.work import filters

    database = desk_db.connect(url)
    with database.connection_context():
        agent = agents.acting()
    context = filters.Context(agent.username, datetime.now(UTC), admin=agent.role == "admin")
    app = make_app(Settings(), database, agent, context, watch_interval=None,
                   tick_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        gc.collect()
        figures = {"start_mib": resident_mib(), "start_objects": len(gc.get_objects())}
        for _ in range(rounds):
            for key in ROUND:
                await pilot.press(key)
        await pilot.pause(0.2)
        gc.collect()
        figures |= {"end_mib": resident_mib(), "end_objects": len(gc.get_objects())}
    return figures


def in_child(checkout: Path, path: Path, rounds: int) -> dict[str, int]:
    """The figures of the desk at `checkout`, measured in a process of its own over a copy
    of the workspace at `path`."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        shutil.copy(path, copy)
        output = subprocess.run(
            [sys.executable, __file__, "--db", str(copy), "--rounds", str(rounds), "--child"],
            env={**os.environ, "PYTHONPATH": str(checkout)}, cwd="/", capture_output=True,
            text=True, check=True).stdout
    return json.loads(output)


def main() -> None:
    """Measure each checkout, alternately, and print a line per run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=80)
    parser.add_argument("--before", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(measure(args.db, args.rounds))))
        return
    checkouts = [("desk", Path(__file__).resolve().parents[2])]
    if args.before is not None:
        checkouts.append(("desk before", args.before.resolve()))
    print(f"{args.rounds} rounds of {' '.join(ROUND)}; load average "
          f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    for _ in range(args.runs):
        for name, checkout in checkouts:
            got = in_child(checkout, args.db, args.rounds)
            print(f"{name:12} {got['start_mib']} MiB -> {got['end_mib']} MiB resident; "
                  f"{got['start_objects']:,} -> {got['end_objects']:,} objects alive",
                  flush=True)


if __name__ == "__main__":
    main()
