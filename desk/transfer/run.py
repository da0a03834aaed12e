"""Running an import: `run_import(kind, paths, agent, ...)` reads ClickUp CSV, taskwarrior
JSON, iCalendar VTODOs, contacts (CSV or vCard) or desk's own JSON exports and returns a
`Plan`: with `dry_run` what would be created, updated and skipped, and every problem as
FILE:ROW:COLUMN, writing nothing; without it the same, done.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desk.kernel.agents import AgentRef, require_writer
from desk.transfer import desk_json, read_ahead
from desk.transfer.plan import Plan, Progress
from desk.transfer.records import Place, Problem
from desk.transfer.task_import import TaskOptions, import_tasks
from desk.vocabulary import IMPORT_KINDS


def run_import(kind: str, paths: Sequence[Path], agent: AgentRef, *, dry_run: bool,
               options: TaskOptions, client_kind: str = "customer",
               progress: Progress | None = None) -> Plan:
    """Import files of `kind` (one of IMPORT_KINDS) for `agent`; returns what it would do
    (dry run) or did. A file that cannot be opened is a problem; the others still import."""
    require_writer(agent)
    plan = Plan(kind, dry_run)
    readable = []
    for path in paths:
        try:
            with open(path, "rb"):
                readable.append(Path(path))
        except OSError as error:
            plan.problem(Problem(Place(str(path)), error.strerror or type(error).__name__))
    problems: list[Problem] = []
    if kind == "contacts" or (kind == "desk" and desk_json.holds_clients(readable)):
        from desk.transfer import client_import, contacts

        read = contacts.records if kind == "contacts" else desk_json.client_records
        records = read(readable, options.zone, problems, plan.notes)
        return client_import.import_clients(agent, records, plan, client_kind, progress,
                                            problems)
    read = _task_reader(kind)
    if dry_run:  # all reading: a second process would only add its hand-over
        records = read(readable, options.zone, problems, plan.notes)
    else:  # a large file read in a second process while this one writes
        records = read_ahead.records(read, readable, options.zone, problems, plan.notes)
    return import_tasks(agent, kind, records, plan, options, progress, problems)


def _task_reader(kind: str) -> read_ahead.Reader:
    """The reader of task records of `kind`."""
    if kind == "clickup":
        from desk.transfer import clickup as reader
    elif kind == "taskwarrior":
        from desk.transfer import taskwarrior as reader
    elif kind == "ical":
        from desk.transfer import ical as reader
    elif kind == "desk":
        reader = desk_json
    else:
        raise ValueError(f"kind must be one of {', '.join(IMPORT_KINDS)}, not {kind!r}")
    return reader.records


def count_lines(path: Path) -> int:
    """The lines of a file, counted a block at a time: what a progress bar measures by."""
    lines = 0
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            lines += block.count(b"\n")
    return max(lines, 1)

