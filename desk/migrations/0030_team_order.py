"""0030_team_order: a team's open tasks in the default order (priority, then id), so a list
filtered by `team:` walks only that team's tasks instead of every open task; the
statistics of the small tables a workspace analysed before may lack; and, on PostgreSQL,
a task table vacuumed often enough for its index-only counts.

`@me team:Support printer` at a million tasks walked the open tasks by priority, reading
each one's row for its team, until a page of the rare ones that match all three was full
(some 120,000 rows); by this index it walks the team's tasks alone. closed_at, always NULL
here, keeps the index covering for SQLite's planner (see 0023).

A workspace whose task table was analysed (0023, 0029) while its support and order data
were not has SQLite take those few rows for a million and build a Bloom filter of the whole
task table to join them: 0.35 s of every `desk report` at a million tasks. They are
analysed here, where statistics exist.

PostgreSQL: the task table is vacuumed after 1% of its rows changed, not 20%. The stored
urgency scores (0029) rewrite some 7,500 inbox tasks a minute at a million tasks, and each
rewritten row leaves its page not all-visible until a vacuum, so the index-only counts of
the inbox and the workload read those pages' rows from the table. Rescoring twice a minute
at a million tasks, the inbox's count read 14,000-30,000 rows of the table with this (15-37
ms); at the default, 5,000 more each pass, towards the whole inbox (130,000 rows, 96-133
ms), until a vacuum after some 200,000 changed rows, about half an hour of rescoring.
Vacuuming the changed pages takes a fraction of a second, in the background.

And on PostgreSQL the trigger that keeps a task's inbox moment (0023) runs on the updates
that change what the moment reads, as SQLite's does, not on every update of a task: the
stored scores' rewrites paid it for nothing (268 ms of 1.6 s for 7,500 tasks at a
million). Frozen SQL, independent of desk.
"""
from peewee import *

INDEX = ("CREATE INDEX task_open_by_team_priority ON task (team_id, priority, id, closed_at) "
         "WHERE closed_at IS NULL")
ANALYSED = ("task", "query_data", "order_data", "client")
VACUUM_AFTER = 0.01  # the share of the task table's rows changed that has it vacuumed
# What a task's inbox moment reads of the task (0023's WATCHED), and inbox_at itself, which
# the assignments' trigger sets to NULL to have the moment computed again.
INBOX_TRIGGER = ("CREATE TRIGGER task_inbox BEFORE INSERT OR UPDATE{columns} ON task "
                 "FOR EACH ROW EXECUTE FUNCTION task_inbox_at()")
INBOX_READS = " OF kind, category, team_id, due_at, snoozed_until, closed_at, inbox_at"


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    db.execute_sql(INDEX)
    if postgres:
        db.execute_sql(f"ALTER TABLE task SET (autovacuum_vacuum_scale_factor = {VACUUM_AFTER})")
        db.execute_sql("DROP TRIGGER task_inbox ON task")
        db.execute_sql(INBOX_TRIGGER.format(columns=INBOX_READS))
    analysed = postgres or db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
    if analysed:  # the new index needs statistics beside the old ones' (see 0023)
        for table in ANALYSED:
            db.execute_sql(f'ANALYZE "{table}"')


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("ALTER TABLE task RESET (autovacuum_vacuum_scale_factor)")
        db.execute_sql("DROP TRIGGER task_inbox ON task")
        db.execute_sql(INBOX_TRIGGER.format(columns=""))
    db.execute_sql("DROP INDEX task_open_by_team_priority")
