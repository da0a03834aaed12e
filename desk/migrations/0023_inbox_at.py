"""0023_inbox_at: the moment each task enters the inbox, and whether each assignment's task
is open and when it is due, kept by the database itself.

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
filled here.

The dashboard's workload counts each agent's open and overdue assignments: each assignment
now copies its task's openness and due time (triggers again), so the counts are ranges of
the index (agent, open, due) instead of a join of every open task with its assignees (0.5
to 2.6 s at a million tasks); the open tasks by team index gains closed_at to be covering.
Frozen SQL, independent of desk.
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
FACTS = ("UPDATE task_assignee SET "
         "task_open = (SELECT t.closed_at IS NULL FROM task t WHERE t.id = NEW.task_id), "
         "task_due_at = (SELECT t.due_at FROM task t WHERE t.id = NEW.task_id) "
         "WHERE id = NEW.id;")
# The workload's counts per agent and per team: ranges of covering indexes (closed_at makes
# the team's one covering, as for the inbox).
WORKLOAD = ["CREATE INDEX task_assignee_open ON task_assignee (agent_id, task_open, task_due_at)",
            "DROP INDEX task_open_by_team",
            "CREATE INDEX task_open_by_team ON task (team_id, due_at, closed_at) "
            "WHERE closed_at IS NULL"]


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
        "CREATE TRIGGER task_assignee_inbox_update AFTER UPDATE OF task_id, agent_id "
        "ON task_assignee BEGIN "
        f"{refresh.format(expr=expr, id='OLD.task_id')} "
        f"{refresh.format(expr=expr, id='NEW.task_id')} END",
        # an assignment copies whether its task is open and its due time
        f"CREATE TRIGGER task_assignee_facts_insert AFTER INSERT ON task_assignee BEGIN "
        f"{FACTS} END",
        f"CREATE TRIGGER task_assignee_facts_update AFTER UPDATE OF task_id ON task_assignee "
        f"BEGIN {FACTS} END",
        "CREATE TRIGGER task_facts_to_assignees AFTER UPDATE OF closed_at, due_at ON task "
        "BEGIN UPDATE task_assignee SET task_open = NEW.closed_at IS NULL, "
        "task_due_at = NEW.due_at WHERE task_id = NEW.id; END",
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
        "CREATE TRIGGER task_assignee_inbox AFTER INSERT OR DELETE OR UPDATE OF task_id, "
        "agent_id ON task_assignee FOR EACH ROW EXECUTE FUNCTION task_assignee_inbox_at()",
        # an assignment copies whether its task is open and its due time
        "CREATE FUNCTION task_assignee_facts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "SELECT t.closed_at IS NULL, t.due_at INTO NEW.task_open, NEW.task_due_at "
        "FROM task t WHERE t.id = NEW.task_id; RETURN NEW; END $$",
        "CREATE TRIGGER task_assignee_facts BEFORE INSERT OR UPDATE OF task_id ON task_assignee "
        "FOR EACH ROW EXECUTE FUNCTION task_assignee_facts()",
        "CREATE FUNCTION task_facts_to_assignees() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "UPDATE task_assignee SET task_open = NEW.closed_at IS NULL, task_due_at = NEW.due_at "
        "WHERE task_id = NEW.id; RETURN NULL; END $$",
        "CREATE TRIGGER task_facts_to_assignees AFTER UPDATE OF closed_at, due_at ON task "
        "FOR EACH ROW WHEN (OLD.closed_at IS DISTINCT FROM NEW.closed_at "
        "OR OLD.due_at IS DISTINCT FROM NEW.due_at) "
        "EXECUTE FUNCTION task_facts_to_assignees()",
    ]


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    moment = "TIMESTAMP" if postgres else "DATETIME"
    db.execute_sql(f"ALTER TABLE task ADD COLUMN inbox_at {moment}")
    db.execute_sql("ALTER TABLE task_assignee ADD COLUMN task_open BOOLEAN NOT NULL DEFAULT "
                   + ("FALSE" if postgres else "0"))
    db.execute_sql(f"ALTER TABLE task_assignee ADD COLUMN task_due_at {moment}")
    db.execute_sql("UPDATE task_assignee SET "
                   "task_open = (SELECT t.closed_at IS NULL FROM task t "
                   "WHERE t.id = task_assignee.task_id), "
                   "task_due_at = (SELECT t.due_at FROM task t WHERE t.id = task_assignee.task_id)")
    if postgres:
        db.execute_sql(f"UPDATE task SET inbox_at = {inbox_at('postgres', 'task')} "
                       "WHERE closed_at IS NULL")
    else:
        db.execute_sql(f"UPDATE task SET inbox_at = {inbox_at('sqlite', 'task')} "
                       "WHERE closed_at IS NULL")
    for statement in postgres_triggers() if postgres else sqlite_triggers():
        db.execute_sql(statement)
    db.execute_sql(INDEX)
    for statement in WORKLOAD:
        db.execute_sql(statement)
    analysed = postgres or db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
    if analysed:  # the new indexes need statistics beside the old ones' (5 s at 1M tasks):
        # without, SQLite takes `team_id = ?` on the new team index for a few rows and sorts
        # a whole team's tasks for `team:Support` (15 ms -> 1.5 s at a million tasks)
        db.execute_sql("ANALYZE task")
        db.execute_sql("ANALYZE task_assignee")


def down(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    if postgres:
        for name, table in (("task_assignee_inbox", "task_assignee"), ("task_inbox", "task"),
                            ("task_assignee_facts", "task_assignee"),
                            ("task_facts_to_assignees", "task")):
            db.execute_sql(f"DROP TRIGGER {name} ON {table}")
        for name in ("task_assignee_inbox_at", "task_inbox_at", "task_assignee_facts",
                     "task_facts_to_assignees"):
            db.execute_sql(f"DROP FUNCTION {name}()")
    else:
        for name in ("task_inbox_insert", "task_inbox_update", "task_assignee_inbox_insert",
                     "task_assignee_inbox_delete", "task_assignee_inbox_update",
                     "task_assignee_facts_insert", "task_assignee_facts_update",
                     "task_facts_to_assignees"):
            db.execute_sql(f"DROP TRIGGER {name}")
    for name in ("task_open_inbox", "task_assignee_open", "task_open_by_team"):
        db.execute_sql(f"DROP INDEX {name}")
    db.execute_sql("CREATE INDEX task_open_by_team ON task (team_id, due_at) "
                   "WHERE closed_at IS NULL")
    db.execute_sql("ALTER TABLE task DROP COLUMN inbox_at")
    db.execute_sql("ALTER TABLE task_assignee DROP COLUMN task_open")
    db.execute_sql("ALTER TABLE task_assignee DROP COLUMN task_due_at")
