"""0027_sla_waiting: the time a query spends waiting on the customer is given back to its
resolution target. `query_data.waiting_since` is when it began to wait on the customer
(NULL while it waits on us), and `waited_seconds` the business time credited so far, so that
due times worked out again from the query's creation (a new priority or client) keep the
credit. Queries waiting now start from the history row that made them wait. Frozen:
imports nothing of desk.
"""
from peewee import *


def up(migrator, db):
    moment = "TIMESTAMP" if isinstance(db, PostgresqlDatabase) else "DATETIME"
    # Plain ALTERs with a default in the database: no table copy on SQLite, no rewrite on
    # PostgreSQL, and raw bulk INSERTs that do not name the columns keep working.
    db.execute_sql(f"ALTER TABLE query_data ADD COLUMN waiting_since {moment}")
    db.execute_sql("ALTER TABLE query_data ADD COLUMN waited_seconds INTEGER NOT NULL "
                   "DEFAULT 0")
    db.execute_sql(
        "UPDATE query_data SET waiting_since = (SELECT MAX(activity.at) FROM activity "
        "WHERE activity.entity = 'task' AND activity.entity_id = query_data.task_id "
        "AND activity.field = 'waiting_on' AND activity.new = 'them') "
        "WHERE waiting_on = 'them' AND resolved_at IS NULL")


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('query_data', 'waited_seconds'),
        migrator.drop_column('query_data', 'waiting_since'),
    )
