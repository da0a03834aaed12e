"""Benchmark of the data side of the inbox, the filters, the dashboard and the CLI, on
SQLite and PostgreSQL. Prints figures; asserts nothing.

    python tests/bench/bench_data.py --db sqlite:////tmp/ws-1m.db [--db postgresql://...]
    python tests/bench/bench_data.py --sizes 10000,100000 [--dir /tmp/desk-bench]
        [--postgres postgresql://user@host/scratch_prefix]
    python tests/bench/bench_data.py --db URL --plans

With --plans it prints the plan of each filter's first page instead of the figures (SQLite's
EXPLAIN QUERY PLAN; PostgreSQL's EXPLAIN ANALYZE), to check that each walks an index in the
list's order with no sort.

With --db it measures existing demo workspaces (built by `desk demo --tasks N`); with
--sizes it builds one per size, on SQLite in --dir and, with --postgres, also in a
PostgreSQL database named after the URL's database plus the size (created and dropped by
this script). Each figure is the median of a few in-process runs (milliseconds); the CLI
figures are wall times of the whole process. The load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from bench_core import median_ms

from desk import db, sla
from desk.config import Settings, UrgencySettings
from desk.metrics import dashboard as metrics
from desk.metrics import team
from desk.models import database as database_proxy
from desk.pages import inbox
from desk.support import triage, urgency_store
from desk.work import filters, listing

AGENT = "maria"
FILTERS = ("@me", "#billing", "#vip", "team:Support", "printer", "@me #billing",
           "@me team:Support printer",
           "kind:query is:open @me")


def load() -> str:
    """The machine's load average, as `uptime` prints it."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def wall_ms(command: list[str], runs: int = 3) -> float:
    """Median wall milliseconds of a command."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def plans(url: str) -> None:
    """Print the plan of the first page of each of FILTERS in the default order."""
    database = db.connect(url)
    context = filters.Context(AGENT, datetime.now(ZoneInfo("Europe/Berlin")))
    explain = "EXPLAIN QUERY PLAN" if url.startswith("sqlite") else "EXPLAIN ANALYZE"
    print(f"\n== {url}; load average {load()}")
    for text in FILTERS:
        sql, params = listing.task_ids_query(text, context).limit(100).sql()
        print(f"  {text!r}")
        for row in database.execute_sql(f"{explain} {sql}", params):
            print(f"    {row[-1]}")
    database.close()


def measure(url: str) -> None:
    """Print every figure of the workspace at `url`."""
    database = db.connect(url)
    db.migrate(database)
    size = database.execute_sql("SELECT count(*) FROM task").fetchone()[0]
    print(f"\n== {url} ({size:,} tasks); load average {load()}")
    now = datetime.now(ZoneInfo("Europe/Berlin"))
    context = filters.Context(AGENT, now)
    book = sla.book(Settings())
    figures = {
        "inbox count": lambda: triage.inbox_count(context),
        "inbox first page, urgent": lambda: triage.inbox_page(context, order="urgent"),
        "inbox first page, score (whole inbox)":
            lambda: triage.inbox_page(context, order="score", weights=UrgencySettings()),
        "inbox page as the TUI asks it": lambda: inbox.page(context, sla_rules=book),
    }
    for text in FILTERS:
        figures[f"first page of {text!r}"] = lambda text=text: listing.task_page(text, context)
    figures["workload: agent_loads"] = lambda: team.agent_loads(now)
    figures["workload: team_loads"] = lambda: team.team_loads(now)
    figures["dashboard('30d')"] = lambda: metrics.dashboard("30d", now)
    # Last: its five rolled-back passes leave some 37,000 dead rows at 1M on PostgreSQL, whose
    # pages the index-only counts then read row by row until a vacuum (the app's background
    # work rescores once a minute, and autovacuum follows within minutes: migration 0030).
    figures["urgency rescore a minute later (rolled back)"] = lambda: rescore_later(now)
    for label, action in figures.items():
        print(f"  {label:<44} {median_ms(action, 5):9.1f} ms")
    database.close()
    desk = [sys.executable, "-m", "desk", "--db", url]
    print(f"  {'desk report --format json (wall)':<44} "
          f"{wall_ms([*desk, 'report', '--format', 'json']):9.1f} ms")
    print(f"  {'desk ls status:open --limit 100 (wall)':<44} "
          f"{wall_ms([*desk, 'ls', 'status:open', '--limit', '100', '--format', 'json']):9.1f} ms")
    print(f"  load average afterwards {load()}")


def rescore_later(now: datetime) -> int:
    """The stored urgency scores rescored a minute after `now` (the moving ones: what the
    background work does every minute), in a transaction rolled back, so each run does
    the same work and the workspace is left as it was."""
    with database_proxy.atomic() as transaction:
        count = urgency_store.refresh(UrgencySettings(), now + timedelta(seconds=61))
        transaction.rollback()
    return count


def build(url: str, size: int) -> None:
    """A demo workspace of `size` tasks at `url`, timed."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "desk", "--db", url, "demo", "--tasks", str(size),
                    "--no-tui"], check=True, stdout=subprocess.DEVNULL)
    print(f"built {url}: {time.perf_counter() - start:.1f} s")


def postgres_scratch(base: str, size: int, create: bool) -> str:
    """The URL of the scratch PostgreSQL database for `size` beside the one `base` names
    (created empty, or dropped)."""
    import psycopg

    parts = urlsplit(base)
    scratch = f"{parts.path.strip('/') or 'desk'}_bench_{size}"
    with psycopg.connect(base.replace("postgresql+", "postgresql"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        if create:
            admin.execute(f'CREATE DATABASE "{scratch}"')
    return urlunsplit(parts._replace(path=f"/{scratch}"))


def main() -> None:
    """Measure the workspaces asked for."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", action="append", default=[], help="an existing workspace")
    parser.add_argument("--sizes", default="", help="build workspaces of these sizes")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/desk-bench"))
    parser.add_argument("--postgres", default="", help="base URL of PostgreSQL scratch dbs")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    parser.add_argument("--plans", action="store_true",
                        help="print each filter's plan instead of the figures (with --db)")
    args = parser.parse_args()
    for url in args.db:
        (plans if args.plans else measure)(url)
    args.dir.mkdir(parents=True, exist_ok=True)
    for size in (int(text) for text in args.sizes.split(",") if text):
        path = args.dir / f"data-{size}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        build(f"sqlite:///{path}", size)
        measure(f"sqlite:///{path}")
        if args.postgres:
            url = postgres_scratch(args.postgres, size, create=True)
            try:
                build(url, size)
                measure(url)
            finally:
                if not args.keep:
                    postgres_scratch(args.postgres, size, create=False)


if __name__ == "__main__":
    main()
