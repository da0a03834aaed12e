"""0023_inbox_at: the moment each task enters the inbox, kept by the database itself.

The inbox (desk.support.triage) holds the not-done tasks that are not snoozed and that are
a query, overdue, or new and nobody's. Only two parts of that depend on the clock, and both
are thresholds: a due time and the end of a snooze. So each task stores `inbox_at`, the
moment from which it is in the inbox while it is not done: the start of time for a query or
a new task nobody holds, its due time otherwise (none: never), and the end of its snooze
when that is later. The inbox at any moment is then `closed_at IS NULL AND inbox_at <= now`:
a range of the partial index below, which counts the inbox of the million-task demo
(132,000 rows) in some 6 ms without reading a task, instead of a 0.9 to 1.9 s pass over
every open task.

Triggers keep the column in the same statement as every write, whoever writes (services,
imports, the demo's bulk load, a second agent at the same time): on a task's insert and on
an update of what it depends on, and on every change of its assignees. Existing rows are
filled here. Frozen SQL, independent of desk.
"""
from peewee import *

NOBODYS = ("({row}.team_id IS NULL AND {row}.category = 'open' AND NOT EXISTS "
           "(SELECT 1 FROM task_assignee a WHERE a.task_id = {row}.id))")
START = {"sqlite": "'0001-01-01 00:00:00'", "postgres": "TIMESTAMP '0001-01-01 00:00:00'"}


def inbox_at(dialect, row):
    """The SQL of a task's inbox moment, reading the task `row` (a table name or NEW)."""
    entry = (f"(CASE WHEN {row}.kind = 'query' OR {NOBODYS.format(row=row)} "
             f"THEN {START[dialect]} ELSE {row}.due_at END)")
    return (f"CASE WHEN {entry} IS NULL THEN NULL "
            f"WHEN {row}.snoozed_until > {entry} THEN {row}.snoozed_until ELSE {entry} END")


# closed_at, always NULL here, makes the index covering for SQLite's planner (3.40), which
# otherwise reads every task of the range to test the index's own condition: 32 ms, not 6.
INDEX = ("CREATE INDEX task_open_inbox ON task (inbox_at, task_list_id, closed_at) "
         "WHERE closed_at IS NULL")
WATCHED = "kind, category, team_id, due_at, snoozed_until, closed_at"


def sqlite_triggers():
    """AFTER triggers that recompute the column of the task a row names."""
    refresh = "UPDATE task SET inbox_at = {expr} WHERE id = {id};"
    expr = inbox_at("sqlite", "task")
    on_task = refresh.format(expr=expr, id="NEW.id")
    return [
        f"CREATE TRIGGER task_inbox_insert AFTER INSERT ON task BEGIN {on_task} END",
        f"CREATE TRIGGER task_inbox_update AFTER UPDATE OF {WATCHED} ON task "
        f"BEGIN {on_task} END",
        "CREATE TRIGGER task_assignee_inbox_insert AFTER INSERT ON task_assignee BEGIN "
        f"{refresh.format(expr=expr, id='NEW.task_id')} END",
        "CREATE TRIGGER task_assignee_inbox_delete AFTER DELETE ON task_assignee BEGIN "
        f"{refresh.format(expr=expr, id='OLD.task_id')} END",
        "CREATE TRIGGER task_assignee_inbox_update AFTER UPDATE ON task_assignee BEGIN "
        f"{refresh.format(expr=expr, id='OLD.task_id')} "
        f"{refresh.format(expr=expr, id='NEW.task_id')} END",
    ]


def postgres_triggers():
    """A BEFORE trigger that sets the column of every inserted or updated task, and one
    that makes the assignees' task recompute it."""
    return [
        "CREATE FUNCTION task_inbox_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.inbox_at := {inbox_at('postgres', 'NEW')}; RETURN NEW; END $$",
        "CREATE TRIGGER task_inbox BEFORE INSERT OR UPDATE ON task "
        "FOR EACH ROW EXECUTE FUNCTION task_inbox_at()",
        "CREATE FUNCTION task_assignee_inbox_at() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF TG_OP <> 'INSERT' THEN UPDATE task SET inbox_at = NULL WHERE id = OLD.task_id; "
        "END IF; IF TG_OP <> 'DELETE' THEN UPDATE task SET inbox_at = NULL "
        "WHERE id = NEW.task_id; END IF; RETURN NULL; END $$",
        "CREATE TRIGGER task_assignee_inbox AFTER INSERT OR UPDATE OR DELETE ON task_assignee "
        "FOR EACH ROW EXECUTE FUNCTION task_assignee_inbox_at()",
    ]


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    db.execute_sql("ALTER TABLE task ADD COLUMN inbox_at "
                   + ("TIMESTAMP" if postgres else "DATETIME"))
    if postgres:
        db.execute_sql(f"UPDATE task SET inbox_at = {inbox_at('postgres', 'task')} "
                       "WHERE closed_at IS NULL")
    else:
        db.execute_sql(f"UPDATE task SET inbox_at = {inbox_at('sqlite', 'task')} "
                       "WHERE closed_at IS NULL")
    for statement in postgres_triggers() if postgres else sqlite_triggers():
        db.execute_sql(statement)
    db.execute_sql(INDEX)


def down(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    if postgres:
        db.execute_sql("DROP TRIGGER task_assignee_inbox ON task_assignee")
        db.execute_sql("DROP TRIGGER task_inbox ON task")
        db.execute_sql("DROP FUNCTION task_assignee_inbox_at()")
        db.execute_sql("DROP FUNCTION task_inbox_at()")
    else:
        for name in ("task_inbox_insert", "task_inbox_update", "task_assignee_inbox_insert",
                     "task_assignee_inbox_delete", "task_assignee_inbox_update"):
            db.execute_sql(f"DROP TRIGGER {name}")
    db.execute_sql("DROP INDEX task_open_inbox")
    db.execute_sql("ALTER TABLE task DROP COLUMN inbox_at")
