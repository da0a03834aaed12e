"""Benchmark of what every save and every list page pays in Python: the CPU time of a task's
title change (`tasks.update`: the writer's standing, the row read for update, the version,
its history and event, the task read back), of a support query created (`tasks.create`
with two tags and an assignee: the task, its query data and SLA due times, its links, its
history, its search document, the task read back) and of filling in 100 rows of a page
(`tasks.rows_for`). Prints figures; asserts nothing.

    python tests/bench/bench_writes.py [--db sqlite:///PATH] [--rounds 5] [--calls 200]

Without --db it builds the demo workspace (`desk demo --no-tui`) in a temporary folder; with
--db it changes that workspace's first task. Each figure is the least CPU time per call of
the rounds (each of --calls calls), which a busy machine disturbs least. To compare two
checkouts, run the script of each with PYTHONPATH set to it, alternately.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from desk import db as desk_db
from desk import sla
from desk.config import Settings
from desk.kernel import agents
from desk.models import Agent, Task, database
from desk.work import tasks


def least_ms(call: Callable[[int], object], rounds: int, calls: int) -> float:
    """The least CPU milliseconds per call over `rounds` rounds of `calls` calls of
    `call(n)`, n counting every call."""
    best, n = float("inf"), 0
    for _ in range(rounds):
        began = time.process_time()
        for _ in range(calls):
            n += 1
            call(n)
        best = min(best, (time.process_time() - began) / calls)
    return best * 1000


def main() -> None:
    """Build or open the workspace, then print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing workspace (default: build the demo)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'demo.db'}"
        if not args.db:
            subprocess.run([sys.executable, "-m", "desk", "demo", "--no-tui", "--db", url],
                           check=True, capture_output=True)
        database.initialize(desk_db.connect(url))
        admin = agents.ref(Agent.select().where(Agent.role == "admin").order_by(Agent.id).get(),
                           "bench")
        task = Task.select().order_by(Task.id).get()
        version = [task.version]

        def change_title(n: int) -> None:
            version[0] = tasks.update(admin, task.id, version[0], title=f"Title {n}").row.version

        rules = sla.book(Settings())

        def create_query(n: int) -> None:
            tasks.create(admin, f"Query {n}", task.task_list_id, kind="query",
                         tags=["bench", "printer"], assignees=[admin.username],
                         priority="high", sla_rules=rules)

        page = [task_id for (task_id,) in Task.select(Task.id).order_by(Task.id).limit(100)
                .tuples()]
        print(f"{Task.select().count():,} tasks; least CPU per call of {args.rounds} rounds "
              f"of {args.calls}")
        print(f"  a task's title change (tasks.update)   "
              f"{least_ms(change_title, args.rounds, args.calls):6.2f} ms")
        print(f"  a support query created (tasks.create) "
              f"{least_ms(create_query, args.rounds, args.calls):6.2f} ms")
        print(f"  100 rows of a page (tasks.rows_for)    "
              f"{least_ms(lambda n: tasks.rows_for(page), args.rounds, args.calls):6.2f} ms")


if __name__ == "__main__":
    main()
