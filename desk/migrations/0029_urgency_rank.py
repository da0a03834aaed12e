"""0029_urgency_rank: each inbox task's urgency score, stored and indexed, so the inbox reads
its first page in score order by walking an index instead of scoring every row.

`urgency_rank` is the score negated (the inbox's order is one direction: most urgent first,
then oldest first, as (urgency_rank, id) ascending), a huge number until it is scored (so
the tasks outside the inbox, never scored, lie at the far end of the index, where the first
pages never go, on SQLite, which puts NULL first, as on PostgreSQL); `urgency_until` is the moment the
stored score stops holding, when desk.support.urgency_store computes it again (NULL: not
before a write). The score needs the config's weights, so the database does not compute it:
its triggers make a task due, in the statement of every write that changes what the score
reads (the task's priority, due time, creation, client, openness or inbox moment; its query
data's due times, met targets and whom it waits on; its client's kind, retainer and lead
score), by setting `urgency_until` to the task's `inbox_at` (migration 0023): a task in the
inbox is due at once, one outside it when it enters, one that never enters never. Every
due task is thus in the inbox, and only inbox tasks are scored. Existing open tasks are
made due the same way here. Frozen SQL, independent of desk.
"""
from peewee import *

UNSCORED = "1e300"  # the rank of a task never scored: after every scored one, on both databases
TASK_FIELDS = ("priority", "due_at", "created_at", "client_id", "closed_at", "inbox_at")
QUERY_FIELDS = ("first_response_due", "first_response_at", "resolution_due", "resolved_at",
                "waiting_on")
CLIENT_FIELDS = ("kind", "retainer_amount", "retainer_cycle", "lead_score")
# closed_at, always NULL here, keeps the indexes covering for SQLite's planner (see 0023).
# task_open_urgency holds only tasks that are or will be in the inbox (the inbox's own
# `inbox_at <= now` implies `inbox_at IS NOT NULL` to both planners): the open tasks that never
# enter it all rank UNSCORED, at the end, where reading the last page backwards (`G`) walked
# past every one of them (580,000 at a million tasks).
INDEXES = ["CREATE INDEX task_open_urgency ON task (urgency_rank, id, inbox_at, closed_at) "
           "WHERE closed_at IS NULL AND inbox_at IS NOT NULL",
           "CREATE INDEX task_open_urgency_until ON task (urgency_until, inbox_at, closed_at) "
           "WHERE closed_at IS NULL"]
SQLITE_TRIGGERS = ("task_urgency_update", "query_data_urgency_insert",
                   "query_data_urgency_update", "client_urgency_update")


def changed(fields, old="OLD", new="NEW", dialect="sqlite"):
    """The SQL condition that any of `fields` differs between the two rows."""
    differs = "IS NOT" if dialect == "sqlite" else "IS DISTINCT FROM"
    return " OR ".join(f"{old}.{name} {differs} {new}.{name}" for name in fields)


def sqlite_triggers():
    """AFTER triggers that make the tasks a change names due (0023's triggers set inbox_at
    with an UPDATE of its own, which the first one sees: a new task is made due so)."""
    return [
        f"CREATE TRIGGER task_urgency_update AFTER UPDATE OF {', '.join(TASK_FIELDS)} ON task "
        f"WHEN {changed(TASK_FIELDS)} "
        "BEGIN UPDATE task SET urgency_until = NEW.inbox_at WHERE id = NEW.id; END",
        "CREATE TRIGGER query_data_urgency_insert AFTER INSERT ON query_data "
        "BEGIN UPDATE task SET urgency_until = inbox_at WHERE id = NEW.task_id; END",
        f"CREATE TRIGGER query_data_urgency_update AFTER UPDATE OF {', '.join(QUERY_FIELDS)}, "
        f"task_id ON query_data WHEN {changed((*QUERY_FIELDS, 'task_id'))} "
        "BEGIN UPDATE task SET urgency_until = inbox_at WHERE id IN (OLD.task_id, NEW.task_id); "
        "END",
        f"CREATE TRIGGER client_urgency_update AFTER UPDATE OF {', '.join(CLIENT_FIELDS)} "
        f"ON client WHEN {changed(CLIENT_FIELDS)} "
        "BEGIN UPDATE task SET urgency_until = inbox_at "
        "WHERE client_id = NEW.id AND closed_at IS NULL; END",
    ]


def postgres_triggers():
    """A BEFORE trigger on the task itself (after 0023's task_inbox, which sets inbox_at:
    PostgreSQL runs a table's BEFORE triggers in the order of their names), AFTER triggers
    on its query data and client."""
    return [
        "CREATE FUNCTION task_urgency_due() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'INSERT' THEN NEW.urgency_until := NEW.inbox_at; "
        f"ELSIF {changed(TASK_FIELDS, dialect='postgres')} THEN "
        "NEW.urgency_until := NEW.inbox_at; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER task_urgency BEFORE INSERT OR UPDATE ON task "
        "FOR EACH ROW EXECUTE FUNCTION task_urgency_due()",
        "CREATE FUNCTION query_data_urgency_due() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "UPDATE task SET urgency_until = inbox_at WHERE id = NEW.task_id; "
        "IF TG_OP = 'UPDATE' THEN UPDATE task SET urgency_until = inbox_at "
        "WHERE id = OLD.task_id AND OLD.task_id <> NEW.task_id; END IF; RETURN NULL; END $$",
        "CREATE TRIGGER query_data_urgency_insert AFTER INSERT ON query_data "
        "FOR EACH ROW EXECUTE FUNCTION query_data_urgency_due()",
        "CREATE TRIGGER query_data_urgency_update AFTER UPDATE ON query_data FOR EACH ROW "
        f"WHEN ({changed((*QUERY_FIELDS, 'task_id'), dialect='postgres')}) "
        "EXECUTE FUNCTION query_data_urgency_due()",
        "CREATE FUNCTION client_urgency_due() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "UPDATE task SET urgency_until = inbox_at WHERE client_id = NEW.id "
        "AND closed_at IS NULL; RETURN NULL; END $$",
        "CREATE TRIGGER client_urgency AFTER UPDATE ON client FOR EACH ROW "
        f"WHEN ({changed(CLIENT_FIELDS, dialect='postgres')}) "
        "EXECUTE FUNCTION client_urgency_due()",
    ]


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    moment = "TIMESTAMP" if postgres else "DATETIME"
    number = "DOUBLE PRECISION" if postgres else "REAL"
    db.execute_sql(f"ALTER TABLE task ADD COLUMN urgency_rank {number} DEFAULT {UNSCORED}")
    db.execute_sql(f"ALTER TABLE task ADD COLUMN urgency_until {moment}")
    db.execute_sql("UPDATE task SET urgency_until = inbox_at WHERE closed_at IS NULL "
                   "AND inbox_at IS NOT NULL")
    for statement in postgres_triggers() if postgres else sqlite_triggers():
        db.execute_sql(statement)
    for statement in INDEXES:
        db.execute_sql(statement)
    analysed = postgres or db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
    if analysed:  # the new indexes need statistics beside the old ones' (see 0023)
        db.execute_sql("ANALYZE task")


def down(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    if postgres:
        for name, table in (("task_urgency", "task"), ("query_data_urgency_insert", "query_data"),
                            ("query_data_urgency_update", "query_data"),
                            ("client_urgency", "client")):
            db.execute_sql(f"DROP TRIGGER {name} ON {table}")
        for name in ("task_urgency_due", "query_data_urgency_due", "client_urgency_due"):
            db.execute_sql(f"DROP FUNCTION {name}()")
    else:
        for name in SQLITE_TRIGGERS:
            db.execute_sql(f"DROP TRIGGER {name}")
    for name in ("task_open_urgency", "task_open_urgency_until"):
        db.execute_sql(f"DROP INDEX {name}")
    db.execute_sql("ALTER TABLE task DROP COLUMN urgency_until")
    db.execute_sql("ALTER TABLE task DROP COLUMN urgency_rank")
