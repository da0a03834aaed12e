"""CPU per move of a held key in the inbox, measured inside the app run headless: no terminal,
so what is left is desk's and Textual's own work per key (the cursor, the row styles, the
detail strip's wait, a frame when one is due). Prints figures; asserts nothing.

    python tests/bench/bench_held_keys.py --db FILE [--before CHECKOUT] [--runs 2]

FILE is a workspace `desk demo --tasks N` built (bench_keys.py keeps them in its --dir). Each
run starts the app over it at 120x40 in a process of its own, waits 3 s, then five times
posts 200 down and up arrows (ten each way, so the cursor stays inside the view) at 250 Hz,
faster than a frame, as a held key's repeats queue up, and prints the process's CPU time per
move. With `--before CHECKOUT` the desk of another checkout runs too, alternately, for a
change's before and after in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

MOVES = 200
ROUNDS = 5
KEY_GAP = 0.004
"""Seconds between keys: 250 a second, more than Textual's 60 frames."""


async def measure(path: Path) -> list[float]:
    """In this process: the CPU milliseconds per move of each round."""
    from textual import events

    from desk import db as desk_db
    from desk.app import make_app
    from desk.config import Settings
    from desk.kernel import agents
    from desk.work import filters

    database = desk_db.connect(f"sqlite:///{path}")
    with database.connection_context():
        agent = agents.acting()
    context = filters.Context(agent.username, datetime.now(UTC), admin=agent.role == "admin")
    app = make_app(Settings(), database, agent, context, watch_interval=None,
                   tick_interval=None)
    rounds = []
    async with app.run_test(size=(120, 40)) as pilot:
        await asyncio.sleep(3)
        await pilot.pause()
        for _ in range(ROUNDS):
            began = time.process_time()
            for move in range(MOVES):
                key = "down" if (move // 10) % 2 == 0 else "up"
                app.post_message(events.Key(key, None))
                await asyncio.sleep(KEY_GAP)
            await asyncio.sleep(0.3)
            rounds.append((time.process_time() - began) / MOVES * 1000)
    return rounds


def run(checkout: Path, path: Path) -> list[float]:
    """One run of the desk at `checkout` in a process of its own."""
    environment = {**os.environ, "PYTHONPATH": str(checkout)}
    output = subprocess.run([sys.executable, __file__, "--db", str(path), "--child"],
                            env=environment, cwd="/", capture_output=True, text=True,
                            check=True).stdout
    return [float(value) for value in output.split()]


def main() -> None:
    """Run each checkout alternately and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--before", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(" ".join(f"{value:.3f}" for value in asyncio.run(measure(args.db))))
        return
    checkouts = {"desk": Path(__file__).resolve().parents[2]}
    if args.before is not None:
        checkouts["desk before"] = args.before.resolve()
    figures: dict[str, list[float]] = {name: [] for name in checkouts}
    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    for _ in range(args.runs):
        for name, checkout in checkouts.items():
            figures[name] += run(checkout, args.db)
    for name, values in figures.items():
        print(f"{name:12} CPU per move {statistics.median(values):.2f} ms "
              f"({min(values):.2f}-{max(values):.2f}, {len(values)} rounds)")


if __name__ == "__main__":
    main()
