"""0032_given_inbox_moment: a task inserted with the inbox moment its triggers would give it,
and an assignment inserted with its task's facts, are not written a second time; nor is a
task whose new assignment leaves its moment as it was.

On SQLite, 0023's triggers fill `inbox_at` (on a task) and `task_open`, `task_due_at` (on an
assignment) with an UPDATE of the row just inserted, and the task's UPDATE fires 0029's
urgency trigger, which writes the row a third time: each write touches the row and the
partial indexes of those columns again. A bulk writer (an import) knows those values for
thousands of rows at once, so each trigger now runs only when the row inserted does not
already hold what it would write. A task's trigger also sets `urgency_until` to the inbox
moment, as 0029's trigger did after it: an inserter that gives the moment gives that too.
Rows inserted without them (every service) are written as before. And an assignment
no longer rewrites its task when the task's moment stays the same (a task that is a team's,
active, done or already someone's): 0023's trigger wrote it back unchanged.

An import of 100,000 ClickUp tasks took 8 to 9% less time (12.3 to 12.8 s before, 11.4 to
11.6 s after, in alternating runs); with half of them assigned, inserting the 50,000
assignments took 0.36 s of SQLite's time instead of 0.47 s.

PostgreSQL's triggers set the row as it is inserted (BEFORE): nothing changes there.
Frozen SQL, independent of desk.
"""
from peewee import *

NOBODYS = ("({row}.team_id IS NULL AND {row}.category = 'open' AND NOT EXISTS "
           "(SELECT 1 FROM task_assignee a WHERE a.task_id = {row}.id))")
START = "'0001-01-01 00:00:00'"


def inbox_at(row):
    """The SQL of a task's inbox moment, reading the task `row` (a table name or NEW), as
    0023 wrote it for SQLite."""
    entry = (f"(CASE WHEN {row}.kind = 'query' OR {NOBODYS.format(row=row)} "
             f"THEN {START} ELSE {row}.due_at END)")
    return (f"CASE WHEN {entry} IS NULL THEN NULL "
            f"WHEN {row}.snoozed_until > {entry} THEN {row}.snoozed_until ELSE {entry} END")


OPEN = "(SELECT t.closed_at IS NULL FROM task t WHERE t.id = NEW.task_id)"
DUE = "(SELECT t.due_at FROM task t WHERE t.id = NEW.task_id)"
FACTS = f"UPDATE task_assignee SET task_open = {OPEN}, task_due_at = {DUE} WHERE id = NEW.id;"


def guarded():
    """The three insert triggers, each skipped when the row holds what it would write."""
    moment = inbox_at("NEW")
    return [
        "CREATE TRIGGER task_assignee_inbox_insert AFTER INSERT ON task_assignee "
        "WHEN EXISTS (SELECT 1 FROM task WHERE task.id = NEW.task_id "
        f"AND task.inbox_at IS NOT ({inbox_at('task')})) "
        f"BEGIN UPDATE task SET inbox_at = {inbox_at('task')} WHERE id = NEW.task_id; END",
        "CREATE TRIGGER task_inbox_insert AFTER INSERT ON task "
        f"WHEN NEW.inbox_at IS NOT ({moment}) OR NEW.urgency_until IS NOT ({moment}) "
        f"BEGIN UPDATE task SET inbox_at = {inbox_at('task')}, "
        f"urgency_until = {inbox_at('task')} WHERE id = NEW.id; END",
        "CREATE TRIGGER task_assignee_facts_insert AFTER INSERT ON task_assignee "
        f"WHEN NEW.task_open IS NOT {OPEN} OR NEW.task_due_at IS NOT {DUE} "
        f"BEGIN {FACTS} END",
    ]


def unguarded():
    """0023's three insert triggers, as they were."""
    return [
        "CREATE TRIGGER task_assignee_inbox_insert AFTER INSERT ON task_assignee BEGIN "
        f"UPDATE task SET inbox_at = {inbox_at('task')} WHERE id = NEW.task_id; END",
        "CREATE TRIGGER task_inbox_insert AFTER INSERT ON task BEGIN "
        f"UPDATE task SET inbox_at = {inbox_at('task')} WHERE id = NEW.id; END",
        f"CREATE TRIGGER task_assignee_facts_insert AFTER INSERT ON task_assignee BEGIN "
        f"{FACTS} END",
    ]


def _replace(db, triggers):
    if isinstance(db, PostgresqlDatabase):
        return
    for name in ("task_inbox_insert", "task_assignee_inbox_insert", "task_assignee_facts_insert"):
        db.execute_sql(f"DROP TRIGGER {name}")
    for statement in triggers:
        db.execute_sql(statement)


def up(migrator, db):
    _replace(db, guarded())


def down(migrator, db):
    _replace(db, unguarded())
