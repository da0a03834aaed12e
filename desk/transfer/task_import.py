"""Importing task records: the same pass for a dry run and a real one.

Records are taken a chunk at a time. Each is new (no source key), unchanged (same digest
as the last import: skipped), changed (updated through the services), or a repeat of a
source id already read in this run (a problem). In a real run each chunk is written in one
transaction: a task arrives whole (with its tags, checklists, comments, fields and source
key) or not at all, and an interrupted import is finished by running it again. What
needs the whole file (parents that come after their subtasks, dependencies, recurring
series) is linked at the end, in one more transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo

from msgspec import Struct

from desk.business_hours import Calendar
from desk.kernel.agents import AgentRef
from desk.transfer import keys
from desk.transfer.chunk_writes import Writes, writes_for
from desk.transfer.plan import Plan, Progress, in_chunks
from desk.transfer.records import Problem, TaskRecord, unchanged
from desk.transfer.shaping import Shaper
from desk.transfer.task_links import Links
from desk.transfer.task_rows import prepare
from desk.transfer.task_updates import update_task
from desk.transfer.task_writer import insert_tasks

CHUNK = 5000
"""Records written per transaction: what a failure can leave unwritten, to be finished by
running the import again. SQLite folds its write-ahead log into the database once, at the
end of the import (`desk.dialect.bulk_write`), not at each commit."""
FIRST_CHUNK = 500
"""Records written in the first transaction (or CHUNK, when fewer): a large file's reader
starts in another process (desk.transfer.read_ahead), and the writing starts as soon as it
sent these instead of waiting for a whole chunk (0.2 s of a 100,000-row import)."""


class TaskOptions(Struct, frozen=True):
    """What an import of tasks needs besides its records: the workspace's time zone and
    business calendar (for recurring series)."""

    zone: tzinfo
    calendar: Calendar


def import_tasks(agent: AgentRef, source: str, records: Iterable[TaskRecord], plan: Plan,
                 options: TaskOptions, progress: Progress | None = None,
                 problems: list[Problem] | None = None) -> Plan:
    """Read every record and count (dry run) or write (real run) it into `plan`.
    `problems` is the list the records' reader fills; it is moved into the plan as it goes."""
    problems = problems if problems is not None else []
    with writes_for(plan, progress) as writes:
        shaper = Shaper(agent, plan, writes.step)
        links = Links(agent, source, plan, options.zone, options.calendar)
        seen: set[str] = set()
        in_chunks(records, plan, CHUNK,
                  lambda chunk: _chunk(agent, source, chunk, plan, shaper, links, seen, writes),
                  problems, first=min(FIRST_CHUNK, CHUNK))
        writes.step(links.apply)
    plan.take(problems)
    return plan


def _chunk(agent: AgentRef, source: str, chunk: list[TaskRecord], plan: Plan, shaper: Shaper,
           links: Links, seen: set[str], writes: Writes) -> None:
    """Classify one chunk of records and, in a real run, hand its writes to `writes`."""
    # the keys of this run's earlier chunks may not be committed yet: `seen` holds them
    known = keys.lookup(source, [record.source_id for record in chunk])
    new = []
    for record in chunk:
        if record.source_id in seen:
            plan.problem(Problem(record.place, f"the id {record.source_id!r} was read "
                                               "before in this import; row skipped"))
            plan.refused += 1
            continue
        seen.add(record.source_id)
        key = known.get(record.source_id)
        if key is not None and unchanged(record, key.digest):
            plan.unchanged += 1
            links.known(record, key.entity_id, changed=False)
            continue
        task = prepare(source, record, shaper, plan)
        if key is None:
            new.append(task)
        elif plan.dry_run or writes.step(update_task, agent, source, task, key, plan):
            plan.updated += 1
            links.known(record, key.entity_id, changed=True)
        else:
            plan.refused += 1
    plan.created += len(new)
    if plan.dry_run:
        for task in new:
            links.known(task.record, None, changed=True)
    elif new:
        ids, under_parent = insert_tasks(agent, source, new, links.ids, shaper, writes)
        for task in new:
            source_id = task.record.source_id
            links.created(task.record, ids[source_id], with_parent=source_id in under_parent)
    writes.commit(chunk[-1].place)
