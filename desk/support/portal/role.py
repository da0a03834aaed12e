"""The portal's own PostgreSQL role (`desk portal role create`): a login role that holds
exactly the grants of desk.support.portal.grants, so a portal that is broken into can read
and write what the portal does, and nothing more.

An admin runs it on a connection that may create roles and grant on desk's tables (the
database's owner, or a superuser). It creates the role, or updates an existing one: its
grants on desk's tables and sequences are taken away and given again from the list, so a
second run after an upgrade leaves it exact. A password is set as a SCRAM-SHA-256 verifier
made here (as pg_roles.set_password does); without one, pg_hba.conf decides how it logs in.
A role that is an agent's login, the owner, a superuser, or one with rights of its own
(CREATEROLE, CREATEDB, BYPASSRLS, or membership of another role) is refused: the portal's
role must hold nothing but its grants.
"""

from __future__ import annotations

from msgspec import Struct

from desk.dialect import is_sqlite
from desk.errors import InvalidInput, PermissionDenied
from desk.kernel.access import pg_roles
from desk.kernel.agents import AgentRef, require_admin
from desk.models import Agent, database
from desk.support.portal import grants, signin

DEFAULT_NAME = "desk_portal"
"""The portal role's name unless the admin names another."""


class RoleMade(Struct, frozen=True):
    """What `create` did: the role, whether it was new, and how many grants it holds."""

    name: str
    created: bool
    grants: int


def create(actor: AgentRef, name: str = DEFAULT_NAME, password: str | None = None) -> RoleMade:
    """Create or update the portal's login role `name` with exactly the portal's grants (and
    the portal's cookie key, so the role never writes the workspace's settings); admins
    only, on PostgreSQL. InvalidInput for a name that cannot be one or a role that holds
    more than a portal may; PermissionDenied when this connection may not create roles."""
    require_admin(actor)
    if is_sqlite():
        raise InvalidInput("the portal's role is a PostgreSQL role; on SQLite the portal "
                           "uses the database file as the account that runs it")
    pg_roles.check_role_name(name)
    if password == "":
        raise InvalidInput("the password file is empty; leave --password-file out to let "
                           "pg_hba.conf decide how the portal logs in")
    from psycopg import sql

    signin.secret_key(actor)  # made now, by an admin: the role only reads it
    with database.atomic():
        _check_session()
        created = _check_role(name)
        role = sql.Identifier(name)
        verifier = (None if password is None
                    else pg_roles.scram_verifier(password, name))
        login = sql.SQL("CREATE ROLE {} LOGIN" if created else "ALTER ROLE {} LOGIN").format(role)
        if verifier is not None:
            login += sql.SQL(" PASSWORD {}").format(sql.Literal(verifier))
        statements = [login, *_grants(sql, role)]
        cursor = database.cursor()
        for statement in statements:
            cursor.execute(statement)
        # the history keeps "portal: <contact>" as the author of what this role writes
        # (migration 0028's trigger; only the owner may list a role there)
        cursor.execute("INSERT INTO portal_role (name) VALUES (%s) ON CONFLICT DO NOTHING",
                       (name,))
    return RoleMade(name, created, len(grants.needed()))


def _check_session() -> None:
    """Refuse, with what to do, a connection that may not create roles or grant on desk's
    tables (its role is neither a superuser nor, with CREATEROLE, the tables' owner)."""
    user, superuser, may_create, owns = database.execute_sql(
        "SELECT session_user, r.rolsuper, r.rolcreaterole, "
        "pg_has_role(session_user, c.relowner, 'USAGE') "
        "FROM pg_roles r, pg_class c WHERE r.rolname = session_user "
        "AND c.oid = to_regclass('task')").fetchone()
    if not (superuser or (may_create and owns)):
        raise PermissionDenied(f"{user} cannot make the portal's role: connect as the "
                               "database's owner (with CREATEROLE) or a superuser, with --db")


def _check_role(name: str) -> bool:
    """Whether the role `name` is to be created (False: it exists and may be updated);
    InvalidInput for a role the portal may not use."""
    if Agent.select().where(Agent.username == name).exists():
        raise InvalidInput(f"{name} is an agent's name; the portal's role is a role of its "
                           "own: choose another --name")
    row = database.execute_sql(
        "SELECT r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolbypassrls "
        "OR r.rolreplication, r.oid = d.datdba, "
        "EXISTS (SELECT FROM pg_auth_members m WHERE m.member = r.oid) "
        "FROM pg_roles r, pg_database d "
        "WHERE r.rolname = %s AND d.datname = current_database()", (name,)).fetchone()
    if row is None:
        return True
    powers, owner, member = row
    if owner or powers or member:
        why = ("owns the database" if owner else "has powers of its own (superuser, "
               "CREATEROLE, CREATEDB, BYPASSRLS or REPLICATION)" if powers
               else "is a member of another role")
        raise InvalidInput(f"the role {name} {why}; the portal's role must hold only the "
                           "portal's grants: choose another --name")
    return False


def _grants(sql, role) -> list:
    """Take away the role's grants on desk's tables and sequences, then give it the list's,
    with CONNECT on the database and USAGE on the schema."""
    schema = sql.Identifier(database.execute_sql("SELECT current_schema()").fetchone()[0])
    name = sql.Identifier(database.execute_sql("SELECT current_database()").fetchone()[0])
    statements = [
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(schema, role),
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(schema, role),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(name, role),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, role),
    ]
    for grant in grants.needed():
        if grant.sequence:  # the name as regclass writes it: quoted where it must be
            statements.append(sql.SQL("GRANT USAGE ON SEQUENCE {} TO {}").format(
                sql.SQL(grant.on), role))
            continue
        columns = sql.SQL("")
        if grant.columns:
            columns = sql.SQL(" ({})").format(
                sql.SQL(", ").join(sql.Identifier(column) for column in grant.columns))
        statements.append(sql.SQL("GRANT {}{} ON {} TO {}").format(
            sql.SQL(grant.what), columns, sql.Identifier(grant.on), role))
    return statements
