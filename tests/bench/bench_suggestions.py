"""Benchmark of the next best action: the time to compute the suggestions for every client,
rule by rule and all together, and for one client. Prints figures; asserts nothing.

    python tests/bench/bench_suggestions.py [--db sqlite:///PATH] [--tasks N] [--clients N]

Without --db it builds the demo workspace (`desk demo --no-tui`, or `--tasks N` of it) in a
temporary folder; `--clients N` then adds N generated clients to it (a cadence, a birthday,
a retainer, a stage and a last contact each, so every rule has work), since the rules' cost
grows with the clients, not the tasks. Each figure is the median of 5 runs after one
warm-up, as of now.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from msgspec.structs import replace

from desk import db as desk_db
from desk.automation.suggestions.listing import suggestions
from desk.config.schema import Settings
from desk.models import Client, Task, database

RUNS = 5


def timed(call) -> tuple[float, object]:
    """The median seconds of RUNS calls after a warm-up, and the last result."""
    result = call()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def add_clients(count: int) -> None:
    """Insert `count` generated clients in chunks, each with what some rule reads."""
    rng, today = random.Random(2026), date.today()
    stages = ("active", "active", "active", "at_risk", "onboarding", "churned")
    rows = [{"name": f"Generated client {number}", "kind": rng.choice(("client", "customer")),
             "lifecycle_stage": rng.choice(stages), "contact_cadence_days": rng.choice(
                 (None, 14, 30, 90)),
             "last_contact_at": datetime.now() - timedelta(days=rng.randint(0, 400)),
             "birthday": date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28)),
             "retainer_amount": rng.choice((None, 500, 1500)),
             "retainer_cycle": rng.choice(("monthly", "quarterly", "yearly")),
             "acquisition_date": today - timedelta(days=rng.randint(30, 2000))}
            for number in range(count)]
    with database.atomic():
        for chunk in range(0, count, 500):
            Client.insert_many(rows[chunk:chunk + 500]).execute()


def main() -> None:
    """Build or open the workspace, then print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing workspace (default: build the demo)")
    parser.add_argument("--tasks", type=int, help="the demo's size when building it")
    parser.add_argument("--clients", type=int, default=0,
                        help="generated clients to add to the demo built (not to --db)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'demo.db'}"
        if not args.db:
            command = [sys.executable, "-m", "desk", "demo", "--no-tui", "--db", url]
            subprocess.run(command + (["--tasks", str(args.tasks)] if args.tasks else []),
                           check=True, capture_output=True)
        database.initialize(desk_db.connect(url))
        if args.clients and not args.db:
            add_clients(args.clients)
        settings, now = Settings(), datetime.now(UTC)
        print(f"{Task.select().count():,} tasks, {Client.select().count():,} clients")
        for rule in settings.suggestions.rules:
            only = replace(settings, suggestions=replace(settings.suggestions, rules=[rule]))
            seconds, found = timed(lambda only=only: suggestions(only, now))
            print(f"  {rule:<11} {seconds * 1000:8.1f} ms  {len(found):5} suggestions")
        seconds, found = timed(lambda: suggestions(settings, now))
        print(f"  {'all rules':<11} {seconds * 1000:8.1f} ms  {len(found):5} suggestions")
        client_id = found[0].client_id if found else 1
        seconds, mine = timed(lambda: suggestions(settings, now, client_id))
        print(f"  one client  {seconds * 1000:8.1f} ms  {len(mine):5} suggestions")


if __name__ == "__main__":
    main()
