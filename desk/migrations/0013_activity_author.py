"""0013_activity_author: on PostgreSQL, the database writes who made each change.

A BEFORE INSERT trigger on activity sets the row's author from `session_user` whenever the
session is neither the table's owner nor a superuser: the agent (the agent row whose
username is the login role, or NULL), `via` ("postgres role NAME") and the actor, which keeps
only the names of desk's own workers ("rule:NAME", "intake", "outbox", "system": the
agent's desk ran them) and otherwise becomes the login role. So a client logged in as an
agent's own role (identity.mode: postgres) cannot write history in another's name; sessions
of the owner (the service account, `desk tick` from its cron) write what desk says.

The function's search_path is fixed to the schema the tables live in, then pg_temp: a
temporary table named agent cannot stand in for desk's. SQLite has no such roles: nothing
changes there.
"""

from peewee import PostgresqlDatabase

FUNCTION = """
CREATE OR REPLACE FUNCTION desk_activity_author() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_roles r, pg_catalog.pg_class c
               WHERE r.rolname = session_user AND c.oid = TG_RELID
                 AND (r.rolsuper OR r.oid = c.relowner)) THEN
        RETURN NEW;
    END IF;
    NEW.agent_id := (SELECT id FROM agent WHERE username = session_user);
    IF NEW.actor IS NULL OR NOT (NEW.actor LIKE 'rule:%'
                                 OR NEW.actor IN ('intake', 'outbox', 'system')) THEN
        NEW.actor := session_user;
    END IF;
    NEW.via := 'postgres role ' || session_user;
    RETURN NEW;
END
$$
"""
TRIGGER = ("CREATE TRIGGER activity_author BEFORE INSERT ON activity "
           "FOR EACH ROW EXECUTE FUNCTION desk_activity_author()")


def up(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    (schema,) = db.execute_sql("SELECT current_schema()").fetchone()
    quoted = '"' + schema.replace('"', '""') + '"'
    cursor = db.cursor()  # no parameters: the driver reads no placeholder in the % of LIKE
    cursor.execute(FUNCTION.format(schema=quoted))
    cursor.execute(TRIGGER)


def down(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    db.execute_sql("DROP TRIGGER IF EXISTS activity_author ON activity")
    db.execute_sql("DROP FUNCTION IF EXISTS desk_activity_author()")
