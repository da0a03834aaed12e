"""Topping the demo up to N tasks fast, with generated ones.

Raw multi-row INSERTs through a DB-API `executemany`, 4-5x faster than peewee's insert_many;
the secondary indexes of the task tables (and on PostgreSQL their foreign keys), and their
triggers, are dropped during the load and re-created afterwards, and SQLite gets a larger
page cache meanwhile.
The generated rows draw on the curated demo's lists, statuses, clients, agents and tags and
on its seeded random generator, so the same seed generates the same tasks. This is the one
part of the demo written without the services: at a million tasks, speed is the point, and
the rows keep the invariants the services keep (a task's category is its status's, closed_at
is set exactly while done or closed, version 1, positions continue each list).
"""

from __future__ import annotations

import time as clock
from bisect import bisect
from collections.abc import Sequence
from datetime import timedelta
from itertools import accumulate, chain

from peewee import fn

from desk.demo.context import Demo
from desk.dialect import bulk_write, is_sqlite
from desk.models import Tag, Task, database
from desk.vocabulary import DONE_CATEGORIES, PRIORITIES

BATCH = 10_000  # generated tasks per executemany
ROWS_PER_STATEMENT = 50  # rows per generated INSERT statement
BULK_CACHE_KIB = 262_144  # SQLite page cache while generating tasks (restored afterwards)
BULK_TABLES = ("task", "task_assignee", "task_tag")  # indexes dropped while generating


def top_up(demo: Demo, target: int, seconds: dict[str, float]) -> None:
    """Generate tasks until the workspace holds `target` in total, timing the stages.

    Raw multi-row INSERTs through executemany, with the secondary indexes of the three
    tables dropped during the load and re-created from their own definitions afterwards
    (sorting once beats updating twenty B-trees a million times), and on PostgreSQL their
    foreign keys too. All inside the caller's transaction: an error leaves the database
    as it was, and a re-created unique index or foreign key re-checks every row.
    """
    missing = target - Task.select().count()
    if missing <= 0:
        return
    stage = "Generated tasks"
    started = clock.perf_counter()
    demo.report(stage, 0, missing)
    generator = _Generator(demo, missing)
    mark = "?" if is_sqlite() else "%s"
    statements = (_MultiInsert("task", _Generator.COLUMNS, mark),
                  _MultiInsert("task_assignee", ("task_id", "agent_id", "task_open",
                                                 "task_due_at"), mark),
                  _MultiInsert("task_tag", ("task_id", "tag_id"), mark))
    indexes = secondary_indexes(BULK_TABLES)
    keys = [] if is_sqlite() else foreign_keys(BULK_TABLES)
    triggers = row_triggers(BULK_TABLES)
    first_id = generator.first_id
    with bulk_write(BULK_CACHE_KIB):
        for table, name, _ in triggers:
            database.execute_sql(f'DROP TRIGGER "{name}"' if is_sqlite()
                                 else f'DROP TRIGGER "{name}" ON "{table}"')
        for table, name, _ in keys:
            database.execute_sql(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            database.execute_sql(f'DROP INDEX "{name}"')
        cursor = database.cursor()
        for done in range(0, missing, BATCH):
            size = min(BATCH, missing - done)
            rows = generator.batch(done, size)
            for statement, batch in zip(statements, rows, strict=True):
                statement.execute(cursor, batch)
            demo.report(stage, done + size, missing)
        seconds[stage] = round(clock.perf_counter() - started, 3)
        stage, started = "Task indexes", clock.perf_counter()
        restore = [definition for _, definition in indexes] + [
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'
            for table, name, definition in keys]
        for number, statement in enumerate(restore):
            demo.report(stage, number, len(restore))
            database.execute_sql(statement)
        demo.report(stage, len(restore), len(restore))
        for _, _, definition in triggers:
            database.execute_sql(definition)
        if triggers:  # the inbox ones, once for each new open task (they watch kind); the
            # assignments were written with their copies of their task's facts
            database.execute_sql(f"UPDATE task SET kind = kind WHERE id >= {int(first_id)} "
                                 "AND closed_at IS NULL")
        seconds[stage] = round(clock.perf_counter() - started, 3)


def secondary_indexes(tables: Sequence[str]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes on `tables` that no constraint owns."""
    if is_sqlite():
        marks = ", ".join("?" for _ in tables)
        query = (f"SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                 f"AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name")
    else:
        marks = ", ".join("%s" for _ in tables)
        query = ("SELECT i.indexname, i.indexdef FROM pg_indexes i "
                 f"WHERE i.schemaname = current_schema() AND i.tablename IN ({marks}) "
                 "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
                 "format('%%I.%%I', i.schemaname, i.indexname)::regclass) "
                 "ORDER BY i.indexname")
    return [(name, sql) for name, sql in database.execute_sql(query, tuple(tables)).fetchall()]


def row_triggers(tables: Sequence[str]) -> list[tuple[str, str, str]]:
    """(table, name, CREATE statement) of the triggers on `tables` (migration 0023's, which
    keep each task's inbox moment, and 0029's, which make a task's urgency score due when
    that moment is set). Fired for every inserted row, with the tables' indexes
    dropped, each would read a whole table: the load drops them, re-creates them after the
    indexes and fires them once for the new open tasks."""
    if is_sqlite():
        marks = ", ".join("?" for _ in tables)
        query = ("SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger' "
                 f"AND tbl_name IN ({marks}) ORDER BY name")
    else:
        marks = ", ".join("%s" for _ in tables)
        query = ("SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                 "JOIN pg_class c ON c.oid = t.tgrelid "
                 "JOIN pg_namespace n ON n.oid = c.relnamespace "
                 f"WHERE NOT t.tgisinternal AND n.nspname = current_schema() "
                 f"AND c.relname IN ({marks}) ORDER BY t.tgname")
    return [tuple(row) for row in database.execute_sql(query, tuple(tables)).fetchall()]


def foreign_keys(tables: Sequence[str]) -> list[tuple[str, str, str]]:
    """PostgreSQL: (table, name, definition) of the foreign keys declared on `tables`.

    Each is checked by a trigger per inserted row; the PostgreSQL manual ("Populating a
    Database") advises dropping them for a bulk load and adding them back, which checks every
    row once, in one query.
    """
    marks = ", ".join("%s" for _ in tables)
    query = ("SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
             "JOIN pg_class t ON t.oid = c.conrelid "
             "JOIN pg_namespace n ON n.oid = t.relnamespace "
             f"WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname IN ({marks}) "
             "ORDER BY t.relname, c.conname")
    return [tuple(row) for row in database.execute_sql(query, tuple(tables)).fetchall()]


class _MultiInsert:
    """An INSERT of many rows per statement: far fewer statement runs than one row each.

    SQLite evaluates a CHECK (x IN (...)) by building a small table once per statement run, so
    executemany of one-row statements pays that for every row.
    """

    def __init__(self, table: str, columns: Sequence[str], mark: str) -> None:
        self.row = f"({', '.join([mark] * len(columns))})"
        self.head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        self.full = self.head + ", ".join([self.row] * ROWS_PER_STATEMENT)

    def execute(self, cursor, rows: list[tuple]) -> None:
        """Insert `rows`: full statements through executemany, then one for the rest."""
        per = ROWS_PER_STATEMENT
        whole = len(rows) - len(rows) % per
        if whole:
            cursor.executemany(self.full, [tuple(chain.from_iterable(rows[i:i + per]))
                                           for i in range(0, whole, per)])
        if whole < len(rows):
            rest = rows[whole:]
            cursor.execute(self.head + ", ".join([self.row] * len(rest)),
                           tuple(chain.from_iterable(rest)))


class _Generator:
    """Rows of generated tasks: cheap per row (precomputed strings, one random() per choice).

    Dates are strings ('YYYY-MM-DD HH:MM:SS'), the form SQLite stores and PostgreSQL casts.
    Ids are explicit and increase with creation time, positions continue each list.
    """

    COLUMNS = ("id", "task_list_id", "status_id", "category", "kind", "title", "description",
               "priority", "team_id", "client_id", "due_at", "estimate_minutes", "position",
               "created_by_id", "created_at", "updated_at", "closed_at", "version")

    def __init__(self, demo: Demo, count: int) -> None:
        words = demo.content.generated
        self.words = words
        self.count = count
        self.rng = demo.rng
        self.first_id = (Task.select(fn.MAX(Task.id)).scalar() or 0) + 1
        # One entry per list: (cumulative weight, list id, team id, status table, position).
        self.lists = []
        total = 0
        for name, weight in words.lists.items():
            total += weight
            task_list = demo.lists[name]
            statuses = [(status.id, status.category) for status in task_list.statuses]
            per_category: dict[str, int] = {}
            for _, category in statuses:
                per_category[category] = per_category.get(category, 0) + 1
            weights = [words.categories[c] / per_category[c] for _, c in statuses]
            cumulative = list(accumulate(weights))
            table = (cumulative, [(sid, c, c in DONE_CATEGORIES) for sid, c in statuses])
            position = (Task.select(fn.MAX(Task.position))
                        .where(Task.task_list == task_list.id).scalar() or 0)
            self.lists.append([total, task_list.id, task_list.team_id, table, position])
        self.list_total = total
        self.list_cumulative = [entry[0] for entry in self.lists]
        priorities = demo.content.support.priorities
        self.priorities = list(accumulate(priorities.values()))
        self.priority_values = [PRIORITIES[name] for name in priorities]
        self.clients = [(info.id, info.spec.name) for info in demo.clients]
        self.writers = list(dict.fromkeys(demo.agent(name).id for name in words.writers))
        tag_ids = dict(Tag.select(Tag.name, Tag.id).tuples())
        self.tags = [tag_ids[name] for name in words.tags]
        self.bases = [f"{verb} {thing}" for verb in words.verbs for thing in words.objects]
        self.suffixed = [[f"{base} {suffix}" for suffix in words.suffixes]
                         for base in self.bases]
        self.client_titles: dict[tuple[int, int], str] = {}
        # Days as strings, index = days before today (negative: in the future).
        self.future = 60
        today = demo.today
        self.days = [(today - timedelta(days=offset)).isoformat() + " "
                     for offset in range(-self.future, words.span_days + 2)]
        self.times = [f"{hour:02d}:{minute:02d}:00" for hour in range(7, 19)
                      for minute in range(60)]

    def day(self, days_before_today: int) -> str:
        """'YYYY-MM-DD ' for a day relative to today."""
        return self.days[days_before_today + self.future]

    def batch(self, start: int, size: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
        """The rows of generated tasks start..start+size, with their assignees and tags."""
        rng = self.rng
        random = rng.random
        count, span = self.count, self.words.span_days
        suffixes, descriptions = self.words.suffixes, self.words.descriptions
        estimates = self.words.estimates
        lists, list_cumulative, list_total = self.lists, self.list_cumulative, self.list_total
        priorities, priority_values = self.priorities, self.priority_values
        clients, writers, tags = self.clients, self.writers, self.tags
        bases, suffixed, client_titles = self.bases, self.suffixed, self.client_titles
        times, n_times = self.times, len(self.times)
        day = self.day
        task_rows: list[tuple] = []
        assignee_rows: list[tuple] = []
        tag_rows: list[tuple] = []
        for index in range(start, start + size):
            task_id = self.first_id + index
            entry = lists[bisect(list_cumulative, random() * list_total)]
            cumulative, statuses = entry[3]
            status_id, category, done = statuses[bisect(cumulative, random() * cumulative[-1])]
            entry[4] += 1
            priority = priority_values[bisect(priorities, random() * priorities[-1])]
            base = int(random() * len(bases))
            client_id = None
            if random() < 0.35:
                which = int(random() * len(clients))
                client_id, client_name = clients[which]
                title = client_titles.get((base, which))
                if title is None:
                    title = client_titles[(base, which)] = f"{bases[base]} for {client_name}"
            elif random() < 0.3:
                title = suffixed[base][int(random() * len(suffixes))]
            else:
                title = bases[base]
            # Older ids were created earlier: from two years ago up to yesterday.
            created_days = 1 + (span - 1) * (count - index) // count
            created_at = day(created_days) + times[int(random() * n_times)]
            closed_at = None
            if done:
                closed_days = max(1, created_days - int(random() * 20))
                closed_at = (created_at if closed_days == created_days
                             else day(closed_days) + times[int(random() * n_times)])
            due_at = None
            if random() < 0.55:
                due_days = (created_days - 1 - int(random() * 30) if done
                            else int(random() * 65) - 45)
                due_at = day(max(due_days, -self.future)) + "17:00:00"
            task_rows.append((
                task_id, entry[1], status_id, category, "task", title,
                descriptions[int(random() * len(descriptions))] if random() < 0.25 else "",
                priority, entry[2], client_id, due_at,
                estimates[int(random() * len(estimates))] if random() < 0.3 else None,
                entry[4], writers[int(random() * len(writers))], created_at,
                closed_at or created_at, closed_at, 1,
            ))
            roll = random()
            if roll < 0.85:  # an assignment copies its task's openness and due time
                first = int(random() * len(writers))
                assignee_rows.append((task_id, writers[first], closed_at is None, due_at))
                if roll >= 0.75:
                    second = (first + 1 + int(random() * (len(writers) - 1))) % len(writers)
                    assignee_rows.append((task_id, writers[second], closed_at is None, due_at))
            roll = random()
            if roll < 0.5:
                first = int(random() * len(tags))
                tag_rows.append((task_id, tags[first]))
                if roll >= 0.4:
                    second = (first + 1 + int(random() * (len(tags) - 1))) % len(tags)
                    tag_rows.append((task_id, tags[second]))
        return task_rows, assignee_rows, tag_rows

