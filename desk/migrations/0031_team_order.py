"""0031_team_order: a team's open tasks in the default order (priority, then id), so a list
filtered by `team:` walks only that team's tasks instead of every open task, and the
statistics of the small tables a workspace analysed before may lack.

`@me team:Support printer` at a million tasks walked the open tasks by priority, reading
each one's row for its team, until a page of the rare ones that match all three was full
(some 120,000 rows); by this index it walks the team's tasks alone. closed_at, always NULL
here, keeps the index covering for SQLite's planner (see 0023).

A workspace whose task table was analysed (0023, 0029) while its support and order data
were not has SQLite take those few rows for a million and build a Bloom filter of the whole
task table to join them: 0.35 s of every `desk report` at a million tasks. They are
analysed here, where statistics exist. Frozen SQL, independent of desk.
"""
from peewee import *

INDEX = ("CREATE INDEX task_open_by_team_priority ON task (team_id, priority, id, closed_at) "
         "WHERE closed_at IS NULL")
ANALYSED = ("task", "query_data", "order_data", "client")


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    db.execute_sql(INDEX)
    analysed = postgres or db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
    if analysed:  # the new index needs statistics beside the old ones' (see 0023)
        for table in ANALYSED:
            db.execute_sql(f'ANALYZE "{table}"')


def down(migrator, db):
    db.execute_sql("DROP INDEX task_open_by_team_priority")
