"""0028_portal_authors: on PostgreSQL, the history keeps the client contact's name when the
portal's own role writes it ("portal: ada@…"), and only then.

Migration 0013's trigger makes every history row written by a login other than the owner
name that login, so that nobody writes history in another's name. The portal's role
(`desk portal role create`) acts for the contacts who sign in, and the issue asks that its
writes be recorded in the contact's name. The roles that may do so are listed in a table of
their own, `portal_role`, which only the owner writes: this migration takes every right to
change it from every other role (the default privileges of the agents' groups included), and
the trigger keeps an actor "portal: …" only for a session whose login is listed there. Any
other login writing "portal: …" still gets its own name.

SQLite has no roles: nothing changes there. Frozen: imports nothing of desk.
"""

from peewee import PostgresqlDatabase

TABLE = "CREATE TABLE portal_role (name VARCHAR(63) PRIMARY KEY)"

NO_WRITES = """
DO $$
DECLARE grantee text;
BEGIN
    FOR grantee IN
        SELECT DISTINCT pg_catalog.pg_get_userbyid(acl.grantee)
        FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) acl
        WHERE c.oid = 'portal_role'::regclass AND acl.grantee <> c.relowner
          AND acl.grantee <> 0
    LOOP
        EXECUTE pg_catalog.format(
            'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON portal_role FROM %I', grantee);
    END LOOP;
END
$$
"""

HEAD = """
CREATE OR REPLACE FUNCTION desk_activity_author() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_roles r, pg_catalog.pg_class c
               WHERE r.rolname = session_user AND c.oid = TG_RELID
                 AND (r.rolsuper OR r.oid = c.relowner)) THEN
        RETURN NEW;
    END IF;
"""
PORTAL = """
    IF NEW.actor LIKE 'portal: %' AND EXISTS (SELECT FROM portal_role
                                              WHERE name = session_user) THEN
        NEW.agent_id := NULL;
        NEW.via := 'postgres role ' || session_user;
        RETURN NEW;
    END IF;
"""
TAIL = """
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


def _function(db, body: str) -> None:
    """Replace the trigger's function with `body`, its search_path fixed to the schema."""
    (schema,) = db.execute_sql("SELECT current_schema()").fetchone()
    quoted = '"' + schema.replace('"', '""') + '"'
    cursor = db.cursor()  # no parameters: the driver reads no placeholder in the % of LIKE
    cursor.execute(body.format(schema=quoted))


def up(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    db.execute_sql(TABLE)
    db.cursor().execute(NO_WRITES)
    _function(db, HEAD + PORTAL + TAIL)


def down(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    _function(db, HEAD + TAIL)
    db.execute_sql("DROP TABLE portal_role")
