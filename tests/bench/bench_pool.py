"""PostgreSQL sessions opened by 60 scroll keys, without a pool of connections and with one.

    DESK_TEST_POSTGRES_URL=postgresql://postgres@/postgres?host=/tmp/pg \\
        python tests/bench/bench_pool.py [--keys 60] [--key j] [--runs 2]

A script, not a test: it prints figures and asserts nothing. It makes a scratch database on
the server of DESK_TEST_POSTGRES_URL, builds the demo workspace in it, and for each run opens
the real app (Textual's pilot, 80x24) twice, alternately: "before", on a plain
PostgresqlDatabase as desk opened it until the pool (a connection per background load), and
"after", on the database `desk.db.connect` opens (desk.pool). Each time it presses `--keys`
scroll keys on the inbox, each once the work of the one before has landed, then closes the
app and the database and reads, from pg_stat_database, how many sessions were opened in the
scratch database meanwhile (the server counts a session when it starts and flushes the
count when it ends, so the figure is read after the last one ended). It also prints the
wall-clock time per key. The scratch database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from peewee import Database, PostgresqlDatabase
from textual.worker import WorkerCancelled, WorkerFailed

from desk import db as desk_db
from desk import demo, sla
from desk.app import make_app
from desk.config import Settings
from desk.database_url import postgres_params
from desk.kernel import agents
from desk.models import database
from desk.work import filters

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def scratch(admin_url: str) -> tuple[str, str]:
    """Create an empty scratch database; its name and URL."""
    name = f"desk_bench_pool_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, query = admin_url.partition("?")
    return name, f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


def sessions(admin_url: str, name: str) -> int:
    """Sessions the server has counted in database `name`, once the count stops moving."""
    last = -1
    with psycopg.connect(admin_url, autocommit=True) as admin:
        for _ in range(50):
            admin.execute("SELECT pg_stat_clear_snapshot()")
            now = admin.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s",
                                (name,)).fetchone()[0]
            if now == last:
                return now
            last = now
            time.sleep(0.2)
    return last


def unpooled(url: str) -> Database:
    """The database as desk opened it before the pool: a session per connection."""
    params = postgres_params(url)
    params.setdefault("options", "-c jit=off -c max_parallel_workers_per_gather=0")
    opened = PostgresqlDatabase(prefer_psycopg3=True, **params)
    database.initialize(opened)
    opened.connect()
    return opened


async def settle(pilot) -> None:
    """Wait until no worker of the app is running and the screen has painted."""
    for _ in range(200):
        with suppress(WorkerCancelled, WorkerFailed):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not pilot.app.workers:
            return


async def scroll(opened: Database, keys: int, key: str) -> float:
    """Open the app on `opened`, press `key` `keys` times; seconds per key."""
    with opened.connection_context():
        agent = agents.acting()
    context = filters.Context(agent.username, NOW, admin=agent.role == "admin")
    app = make_app(Settings(), opened, agent, context, state_file=Path(os.devnull),
                   clock=lambda: NOW, watch_interval=None, tick_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        start = time.perf_counter()
        for _ in range(keys):
            await pilot.press(key)
            await settle(pilot)
        return (time.perf_counter() - start) / keys


def main() -> int:
    """Build the scratch workspace, run before and after, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--key", default="j")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    admin_url = os.environ.get("DESK_TEST_POSTGRES_URL", "")
    if not admin_url:
        print("set DESK_TEST_POSTGRES_URL to a PostgreSQL admin URL", file=sys.stderr)
        return 2
    name, url = scratch(admin_url)
    try:
        built = desk_db.connect(url)
        desk_db.migrate(built)
        with built.connection_context():
            demo.build(agents.acting(), sla_rules=sla.book(Settings()),
                       now=NOW.replace(tzinfo=None))
        built.close()
        figures: dict[str, list[tuple[int, float]]] = {"before": [], "after": []}
        for _ in range(args.runs):
            for label, opener in (("before", unpooled), ("after", desk_db.connect)):
                counted = sessions(admin_url, name)
                opened = opener(url)
                per_key = asyncio.run(scroll(opened, args.keys, args.key))
                opened.close()
                figures[label].append((sessions(admin_url, name) - counted, per_key))
        print(f"{args.keys} x {args.key} on the inbox at 80x24, PostgreSQL, demo workspace")
        for label, runs in figures.items():
            opened_counts = ", ".join(str(count) for count, _ in runs)
            per_key = statistics.median(seconds for _, seconds in runs) * 1000
            print(f"  {label:6}: sessions opened {opened_counts}; {per_key:.1f} ms a key "
                  "(median of runs)")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
