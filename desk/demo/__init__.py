"""`desk demo`: a believable workspace, built from a fixed seed into an empty database.

The demo is a small IT-services business, Brightline IT: seven agents in four teams; the
Support, Sales, Finance and Internal spaces; about forty clients and customers across every
lifecycle stage; a product and service catalogue with checklist templates; orders, support
queries with their conversations, recurring duties and a year of interactions. Every date is
relative to `now`, so the demo always looks current, and every choice comes from
`random.Random(seed)`: the same seed builds the same workspace.

The content comes from packaged data files (desk/demo/data, read by desk.demo.content) and
is built through the services, the same functions the CLI and the app call, by the agent
who would have done each thing, at the moment it happened: so versions, activity, search
documents, SLA times, positions and events are exactly what real use leaves behind. The
stages are desk.demo.company (agents, teams, lists, catalogue), relationships (clients and
their interactions), sales (orders), helpdesk (support queries) and duties (tasks and
series). The events of that history are marked handled at the end: the automation rules act
on what happens from now on, as a running desk would have handled them long ago.

`tasks=N` then tops the workspace up to N tasks with generated ones (desk.demo.bulk) through
a raw DB-API `executemany`, 4-5x faster than peewee's insert_many, and the full-text index is
rebuilt once at the end instead of indexing row by row. Everything runs in one transaction:
the database ends up either empty or holding the whole demo.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from msgspec import Struct, field
from peewee import AutoField, Database, fn

from desk.automation import processor
from desk.clock import stored, utcnow
from desk.config import UrgencySettings
from desk.demo import (
    company,
    contacts,
    content,
    duties,
    feedback,
    helpdesk,
    loyalty,
    relationships,
    sales,
    sequences,
)
from desk.demo import time as timesheets
from desk.demo.bulk import top_up
from desk.demo.context import Demo, Progress
from desk.dialect import is_sqlite
from desk.errors import DeskError, InvalidInput
from desk.kernel import search
from desk.kernel.agents import AgentRef, require_writer
from desk.models import (
    MODELS,
    Agent,
    ChecklistTemplate,
    Client,
    Interaction,
    Meta,
    OrderData,
    Product,
    RecurringSeries,
    Space,
    Tag,
    Task,
    TaskList,
    database,
)
from desk.sla import Book
from desk.support import urgency_store
from desk.text import visible

DEMO_KEY = "workspace"
DEMO_VALUE = "demo"

# Tables that must be empty before a demo is built. Agents (this account) may exist already.
WORK_TABLES = (Space, TaskList, Task, Client, Product, ChecklistTemplate, Tag, RecurringSeries,
               Interaction)


class DemoSummary(Struct, frozen=True):
    """What a demo workspace holds, where it lives, and how long building it took."""

    agents: int
    clients: dict[str, int]  # by kind: client, customer
    tasks: dict[str, int]  # by kind: task, order, query
    open_queries: int
    orders: int
    series: int
    interactions: int
    database: str  # the SQLite file, or the PostgreSQL database name
    lists: tuple[str, ...]  # "Space/List" paths, in sidebar order
    seconds: dict[str, float] = field(default_factory=dict)  # build time per stage

    @property
    def total_tasks(self) -> int:
        """Tasks of every kind."""
        return sum(self.tasks.values())


def is_empty() -> bool:
    """Whether the bound database holds no work yet (agents alone do not count)."""
    return not any(model.select().exists() for model in WORK_TABLES)


def is_demo() -> bool:
    """Whether the bound database was built by `desk demo`."""
    row = Meta.get_or_none(Meta.key == DEMO_KEY)
    return row is not None and row.value == DEMO_VALUE


def mark_demo() -> None:
    """Record in the Meta table that this workspace is a demo (safe to throw away)."""
    with database.atomic():
        Meta.delete().where(Meta.key == DEMO_KEY).execute()
        Meta.insert(key=DEMO_KEY, value=DEMO_VALUE).execute()


def wipe(db: Database) -> None:
    """Throw away the demo workspace in `db`, schema and all, and close `db`.

    `db` must be the database desk's models are bound to (as `desk.db.connect` returns it).
    Refused with InvalidInput, touching nothing, unless the workspace is a demo (`is_demo`):
    nothing else is ever wiped. PostgreSQL: drops the current schema with everything in it
    and creates it again, empty, in one transaction, so a failure leaves the demo as it was;
    other schemas are untouched, and the new schema belongs to the connected role. SQLite:
    closes the connection and deletes the file with its -wal and -shm files (a process that
    still has it open keeps writing to the deleted file).

    Afterwards the caller reconnects and migrates (`desk.db.connect`, `desk.db.migrate`) and
    can build the demo again.
    """
    if database.obj is not db:
        raise DeskError("wipe needs the database desk is connected to")
    if is_sqlite(db):
        _refuse_unless_demo()
        file = Path(db.database)
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{file}{suffix}").unlink(missing_ok=True)
        return
    with db.atomic():
        _refuse_unless_demo()
        schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
        quoted = '"' + schema.replace('"', '""') + '"'
        db.execute_sql(f"DROP SCHEMA {quoted} CASCADE")
        db.execute_sql(f"CREATE SCHEMA {quoted}")
    db.close()


def _refuse_unless_demo() -> None:
    """InvalidInput unless the bound database holds a demo workspace."""
    if not is_demo():
        raise InvalidInput("this workspace was not built by desk demo; it will not be wiped")


def build(admin: AgentRef, *, sla_rules: Book, tasks: int | None = None, seed: int = 2026,
          now: datetime | None = None, progress: Progress | None = None,
          urgency: UrgencySettings | None = None) -> DemoSummary:
    """Build the demo workspace into the bound, freshly migrated, empty database.

    `admin` (this account) joins the demo agents; `sla_rules` give the queries their due
    times. `tasks` tops the workspace up to that many tasks in total with generated ones.
    `now` (naive UTC, default the current time) anchors every date. `progress(stage, done,
    total)` is called as stages advance. Every open task's urgency score is stored by
    `urgency` (the config's; the shipped settings when None), so the inbox's first page
    need not score them.
    Raises InvalidInput, changing nothing, when the database already holds work.
    """
    require_writer(admin)
    if tasks is not None and tasks < 0:
        raise InvalidInput(f"the number of tasks cannot be negative, not {tasks}")
    moment = (stored(now) or utcnow()).replace(microsecond=0)
    demo = Demo(content.load(), admin, seed, moment, sla_rules,
                progress or (lambda stage, done, total: None))
    seconds: dict[str, float] = {}

    def timed(stage: str, *steps: Callable[[Demo], object]) -> None:
        demo.report(stage, 0, 1)
        started = clock.perf_counter()
        for step in steps:
            step(demo)
        seconds[stage] = round(clock.perf_counter() - started, 3)
        demo.report(stage, 1, 1)

    with database.atomic():
        if not is_empty():
            raise InvalidInput("the database already holds a workspace; the demo needs an "
                               "empty one (desk demo --reset rebuilds a demo)")
        timed("Agents and teams", company.agents_and_teams)
        timed("Spaces and lists", company.spaces_and_lists)
        timed("Catalogue", company.catalogue)
        timed("Clients", relationships.create_clients)
        timed("Orders", sales.place_orders)
        timed("Support queries", helpdesk.take_queries)
        timed("Tasks and series", duties.write_tasks, duties.write_series)
        timed("Contacts", contacts.add_people)
        timed("Interactions", relationships.log_touches)
        timed("Sequences", sequences.enrol_clients)
        timed("Loyalty", loyalty.earn_and_rank)
        timed("Time", timesheets.track_time)
        timed("Feedback", feedback.nps_answers)
        timed("History handled", _handled)
        if tasks:
            top_up(demo, tasks, seconds)
            timed("Search index", lambda _: search.rebuild())
        timed("Urgency scores", lambda _: urgency_store.refresh(
            urgency or UrgencySettings(), moment,
            pause_while_waiting=sla_rules.pause_while_waiting))
        timed("Finishing", lambda _: _finish())
        committing = clock.perf_counter()
    seconds["Commit"] = round(clock.perf_counter() - committing, 3)
    if is_sqlite():
        timed("Checkpoint", lambda _: database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)"))
    else:
        # PostgreSQL counts open tasks from an index alone only where its visibility map
        # says the rows are visible to all, which a vacuum records: until autovacuum came by,
        # minutes later, the dashboard at a million tasks took 1.6 s instead of 0.13 s.
        timed("Vacuum", lambda _: database.execute_sql("VACUUM"))
    return current_summary(seconds)


def _handled(demo: Demo) -> None:
    """Mark the events of the demo's history handled (no rule fires on them): a running desk
    would have handled each within a minute of it happening."""
    processor.process((), demo.now.replace(tzinfo=UTC), demo.admin, sla_rules=demo.sla_rules)


def _finish() -> None:
    """Make later inserts safe after explicit ids, refresh planner statistics, mark the demo."""
    if not is_sqlite():
        _reset_sequences()
    # Without statistics SQLite's planner can pick an index that matches the filter but not
    # the order, and a list page at a million tasks takes a second instead of 40 ms.
    # The small tables too: without their statistics SQLite takes query_data (60 rows) for
    # a big one and builds a Bloom filter of the whole task table to join it, which made
    # each of the report's relationship queries a 0.3 s pass over a million tasks.
    for table in ("task", "task_assignee", "task_tag", "search_doc", "query_data",
                  "order_data", "client"):
        if is_sqlite() and table == "search_doc":
            continue  # a virtual FTS5 table has no statistics to gather
        database.execute_sql(f'ANALYZE "{table}"')
    mark_demo()


def _reset_sequences() -> None:
    """PostgreSQL: move every id sequence past the largest id, so later inserts don't collide."""
    for model in MODELS:
        if not isinstance(model._meta.primary_key, AutoField):
            continue
        table = model._meta.table_name
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
        )


def current_summary(seconds: dict[str, float] | None = None) -> DemoSummary:
    """The summary of the workspace in the bound database, counted from its tables."""
    spaces = dict(Space.select(Space.id, Space.name).tuples())
    lists = tuple(
        f"{spaces[space_id]}/{name}" for space_id, name in
        TaskList.select(TaskList.space, TaskList.name).join(Space)
        .order_by(Space.position, Space.id, TaskList.position, TaskList.id).tuples()
    )
    target = database.obj
    return DemoSummary(
        agents=Agent.select().count(),
        clients=dict(Client.select(Client.kind, fn.COUNT(Client.id))
                     .group_by(Client.kind).order_by(Client.kind).tuples()),
        tasks=dict(Task.select(Task.kind, fn.COUNT(Task.id))
                   .group_by(Task.kind).order_by(Task.kind).tuples()),
        open_queries=Task.select().where((Task.kind == "query") & Task.closed_at.is_null())
        .count(),
        orders=OrderData.select().count(),
        series=RecurringSeries.select().count(),
        interactions=Interaction.select().count(),
        database=str(getattr(target, "database", "") or ""),
        lists=lists,
        seconds=dict(seconds or {}),
    )


def summary_text(summary: DemoSummary) -> str:
    """The lines the CLI prints after building or reopening the demo."""
    clients = summary.clients
    kinds = summary.tasks
    other = summary.total_tasks - kinds.get("query", 0) - kinds.get("order", 0)
    lines = [
        f"Demo workspace of {content.load().workspace.company}: "
        f"{_count(summary.agents, 'agent')}, "
        f"{_count(clients.get('client', 0), 'client')} and "
        f"{_count(clients.get('customer', 0), 'customer')}.",
        f"  {_count(summary.total_tasks, 'task')}: "
        f"{_count(kinds.get('query', 0), 'support query', 'support queries')} "
        f"({summary.open_queries:,} open), {_count(summary.orders, 'order')}, "
        f"{_count(other, 'other task')}.",
        f"  {_count(summary.series, 'recurring series', 'recurring series')}, "
        f"{_count(summary.interactions, 'logged interaction')}.",
        f"  Lists: {', '.join(summary.lists)}",
    ]
    if summary.database:
        lines.append(f"  Database: {summary.database}")
    if summary.seconds:
        total = sum(summary.seconds.values())
        slow = sorted(summary.seconds.items(), key=lambda item: -item[1])[:3]
        parts = ", ".join(f"{stage.lower()} {seconds:.1f} s" for stage, seconds in slow)
        lines.append(f"  Built in {total:.1f} s ({parts}).")
    return "\n".join(visible(line) for line in lines)


def _count(number: int, singular: str, plural: str | None = None) -> str:
    """'1 agent', '2,000 agents'."""
    return f"{number:,} {singular if number == 1 else (plural or singular + 's')}"

