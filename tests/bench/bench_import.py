"""Benchmark of `desk import clickup`: a generated ClickUp-shaped CSV imported into a new
SQLite workspace. Prints rows per second of the dry run, the import, and the re-import of
the same file (which creates nothing); asserts nothing.

    python tests/bench/bench_import.py [--rows 100000] [--dir /tmp/desk-bench-import]
        [--postgres postgresql://user@host/scratch_prefix]

With --postgres the workspace is a new PostgreSQL database beside the one the URL names
(dropped and made again each run) instead of a SQLite file in --dir.

To compare checkouts with PYTHONPATH, run it from a directory that holds no `desk` package
(e.g. /tmp): `python -m desk` finds the one in the current directory first.

The file has the columns of a real export: 5 spaces of 4 lists each, statuses of every
category, a subtask for every tenth task, assignees (half of them agents), tags, priorities,
millisecond dates with their text columns, estimates, time spent, a checklist on every
fifth task and a comment on every third.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench_data import postgres_scratch

HEADER = ["Task ID", "Task Name", "Task Content", "Status", "Date Created",
          "Date Created Text", "Due Date", "Due Date Text", "Start Date", "Start Date Text",
          "Parent ID", "Attachments", "Assignees", "Tags", "Priority", "List Name",
          "Folder Name", "Space Name", "Time Estimated", "Time Estimated Text", "Checklists",
          "Comments", "Assigned Comments", "Time Spent", "Time Spent Text"]
STATUSES = ("to do", "in progress", "review", "complete", "closed")
PEOPLE = ("bench", "Ann Lee", "bob@example.com", "Cleo Stranger")
AGENTS = (("bench", "Bench Agent"), ("ann", "Ann Lee"))
"""The agents added before the import: half of PEOPLE (by user name, and by name)."""
DAY_MS = 86_400_000


def generate(path: Path, rows: int) -> None:
    """Write a ClickUp-shaped CSV of `rows` tasks."""
    start = 1_735_689_600_000  # 2025-01-01
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for n in range(rows):
            created = start + (n % 365) * DAY_MS
            parent = f"t{n - 1}" if n % 10 == 9 else ""
            checklist = (json.dumps([{"Steps": ["Prepare", "Send", "Confirm"]}])
                         if n % 5 == 0 else "[]")
            comments = (json.dumps([{"text": f"Spoke to the client about order {n}",
                                     "by": "bob@example.com", "date": str(created)}])
                        if n % 3 == 0 else "[]")
            writer.writerow([
                f"t{n}", f"Task {n}: follow up with client {n % 997}",
                f"Details of task {n}\nwith a second line", STATUSES[n % len(STATUSES)],
                created, "", created + 7 * DAY_MS, "", "null", "", parent, "[]",
                f"[{PEOPLE[n % len(PEOPLE)]}]", f"[tag{n % 20},batch{n % 3}]",
                str(n % 5) if n % 5 else "", f"List {n % 4}", "hidden", f"Space {n % 5}",
                3_600_000, "1h", checklist, comments, 0, 1_800_000, "30m"])


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one desk command, which must succeed
    (exit 0, or 2: problems reported). On a shared machine the CPU time is the steadier
    figure."""
    began = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) not in (0, 2):
        raise SystemExit(f"{' '.join(command)} failed with status "
                         f"{os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_utime + usage.ru_stime


def main() -> None:
    """Generate, import, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/desk-bench-import"))
    parser.add_argument("--postgres", default="", help="base URL of a PostgreSQL scratch db")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    source = args.dir / f"clickup-{args.rows}.csv"
    if not source.exists():
        generate(source, args.rows)
    if args.postgres:
        url = postgres_scratch(args.postgres, args.rows, create=True)
    else:
        database = args.dir / "desk.db"
        database.unlink(missing_ok=True)
        url = f"sqlite:///{database}"
    env = {**os.environ, "DESK_DATABASE": url}
    desk = [sys.executable, "-m", "desk"]
    run([*desk, "init"], env)  # only a workspace someone created takes an import
    for username, name in AGENTS:  # the people of the file who are agents
        run([*desk, "agents", "add", username, "--name", name], env)
    print(f"{url.split(':')[0]}: {args.rows} rows, {source.stat().st_size / 1e6:.1f} MB, load "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for label, extra in (("dry run", ["--dry-run"]), ("import", []), ("re-import", [])):
        seconds, cpu = run([*desk, "import", "clickup", str(source), *extra], env)
        print(f"{label:10} {seconds:7.1f} s  {args.rows / seconds:8.0f} rows/s   "
              f"cpu {cpu:6.1f} s  {args.rows / cpu:8.0f} rows per cpu-second")


if __name__ == "__main__":
    main()
