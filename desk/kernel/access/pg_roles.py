"""PostgreSQL roles for the postgres identity mode: the database holds each agent to their role.

Every agent logs in as a PostgreSQL role of their own (desk.kernel.access.identity reads it with
`SELECT session_user`). `set_up`, run once by the database's owner (by `desk init`), makes
three group roles named after the database, so two desks on one cluster never share them:

- DB_viewer: CONNECT, and SELECT on every table;
- DB_agent: what agents write: INSERT, UPDATE and DELETE on desk's tables, but only INSERT
  on the audit trail (activity), only their own profile among the agents (no one's
  role or standing; a row-level security policy), nothing on the migrations' own table;
- DB_admin: as DB_agent, and agents' rows too (adding agents, roles, disabling).

Default privileges give the tables of later migrations the same grants. CONNECT and TEMP on
the database are taken from PUBLIC, so a role in none of the groups cannot connect.

The agent table is the one truth about who may log in: a trigger (`desk_agent_login`,
SECURITY DEFINER, owned by the owner) keeps each agent's login role in step with their row
whenever it is added, changed or removed, by desk or anyone else. It creates the LOGIN role
when missing, makes it a member of exactly the group of its desk role, and for a disabled or
removed agent takes every group away and ends their open connections to this database
(pg_terminate_backend). The owner, superusers and roles that cannot log in (groups) are
never touched, nor any role's membership in another desk's groups. So the owner needs
CREATEROLE and pg_signal_backend. An admin may also set an agent login's password
(`desk_set_password`, given only a SCRAM verifier). Migration 0013 writes each audit row's
author from `session_user` for every session but the owner's.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from desk.errors import InvalidInput, PermissionDenied
from desk.kernel import agents, audit
from desk.kernel.agents import AgentRef, find, require_admin
from desk.models import Agent, database
from desk.vocabulary import ROLES

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
"""A login role desk manages: lower-case letters, digits and _, as PostgreSQL folds names."""
SYNC_FUNCTION = "desk_sync_role"
"""The function `set_up` makes: its being there says the roles were set up."""
AGENT_COLUMNS = ("name", "email", "signature", "away", "version")
"""The columns of the agent table a plain agent may update: their own profile (display name,
e-mail, signature, away, and its version), on their own row only (a row-level security
policy)."""

SYNC = """
CREATE OR REPLACE FUNCTION desk_sync_role(login_name text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    target pg_catalog.pg_roles%ROWTYPE;
    owner_oid oid := (SELECT datdba FROM pg_catalog.pg_database
                      WHERE datname = pg_catalog.current_database());
    wanted text;
    suffix text;
    grp text;
BEGIN
    IF login_name !~ '^[a-z_][a-z0-9_]{{0,62}}$' OR login_name LIKE 'pg\\_%' THEN
        RETURN 'unmanaged';  -- desk agents add refuses it; an older agent gets no login
    END IF;
    SELECT * INTO target FROM pg_catalog.pg_roles WHERE rolname = login_name;
    IF FOUND AND (target.rolsuper OR target.oid = owner_oid OR NOT target.rolcanlogin) THEN
        RETURN 'unmanaged';  -- a group (this desk's own, say) is never made an agent's login
    END IF;
    SELECT pg_catalog.current_database() || '_' || role INTO wanted
        FROM agent WHERE username = login_name AND NOT disabled;
    IF wanted IS NULL AND target.oid IS NULL THEN
        RETURN 'none';
    END IF;
    IF target.oid IS NULL THEN
        EXECUTE pg_catalog.format('CREATE ROLE %I LOGIN', login_name);
    END IF;
    FOREACH suffix IN ARRAY ARRAY['viewer', 'agent', 'admin'] LOOP
        grp := pg_catalog.current_database() || '_' || suffix;
        IF grp = wanted THEN
            IF NOT pg_catalog.pg_has_role(login_name, grp, 'MEMBER') THEN
                EXECUTE pg_catalog.format('GRANT %I TO %I', grp, login_name);
            END IF;
        ELSIF EXISTS (SELECT FROM pg_catalog.pg_auth_members m
                      JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                      JOIN pg_catalog.pg_roles u ON u.oid = m.member
                      WHERE g.rolname = grp AND u.rolname = login_name) THEN
            EXECUTE pg_catalog.format('REVOKE %I FROM %I', grp, login_name);
        END IF;
    END LOOP;
    IF wanted IS NULL THEN
        PERFORM pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity
            WHERE usename = login_name AND datname = pg_catalog.current_database()
              AND pid <> pg_catalog.pg_backend_pid();
    END IF;
    RETURN coalesce(wanted, 'none');
END
$$
"""
LOGIN_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION desk_agent_login() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM desk_sync_role(OLD.username);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM desk_sync_role(NEW.username);
    END IF;
    RETURN NULL;
END
$$
"""
PASSWORD = """
CREATE OR REPLACE FUNCTION desk_set_password(login_name text, verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
    IF verifier !~ '^SCRAM-SHA-256\\$' THEN
        RAISE EXCEPTION 'desk: a password is set only as a SCRAM-SHA-256 verifier';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_auth_members m
                   JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                   JOIN pg_catalog.pg_roles u ON u.oid = m.member
                   WHERE u.rolname = login_name AND NOT u.rolsuper
                     AND g.rolname IN (pg_catalog.current_database() || '_viewer',
                                       pg_catalog.current_database() || '_agent',
                                       pg_catalog.current_database() || '_admin')) THEN
        RAISE EXCEPTION 'desk: % is not an enabled agent''s login of this desk',
            pg_catalog.quote_literal(login_name);
    END IF;
    EXECUTE pg_catalog.format('ALTER ROLE %I PASSWORD %L', login_name, verifier);
END
$$
"""
LOGIN_TRIGGER = ("CREATE TRIGGER agent_login AFTER INSERT OR UPDATE OF username, role, disabled "
                 "OR DELETE ON agent FOR EACH ROW EXECUTE FUNCTION desk_agent_login()")


def group_names(database_name: str) -> dict[str, str]:
    """The group role of each desk role on the database `database_name`: DB_viewer..."""
    groups = {role: f"{database_name}_{role}" for role in ROLES}
    if max(len(name.encode()) for name in groups.values()) > 63:
        raise InvalidInput(f"the database name {database_name!r} is too long for its group "
                           "roles (PostgreSQL keeps 63 bytes of a name): use a shorter one")
    return groups


def manageable(username: str) -> bool:
    """Whether desk may manage a login role named `username` (as desk_sync_role decides)."""
    return bool(ROLE_NAME.fullmatch(username)) and not username.startswith("pg_")


def check_role_name(username: str) -> None:
    """Refuse, with one line, a name desk may not manage a login role of (InvalidInput)."""
    if not manageable(username):
        raise InvalidInput(f"{username!r} cannot be a PostgreSQL login role desk manages: use "
                           "lower-case letters, digits and _ (not starting with a digit or "
                           "pg_), at most 63")


def ready() -> bool:
    """Whether the roles of this database were set up (`set_up` made its function)."""
    query = "SELECT to_regprocedure(%s) IS NOT NULL"
    (found,) = database.execute_sql(query, (f"{SYNC_FUNCTION}(text)",)).fetchone()
    return bool(found)


def require_ready() -> None:
    """Refuse to add or change agents before the roles are set up (PermissionDenied)."""
    if not ready():
        raise PermissionDenied("the PostgreSQL roles of this desk are not set up: the "
                               "database's owner runs desk init first")


def set_up(actor: AgentRef) -> tuple[dict[str, str], list[str], list[str]]:
    """Make the group roles, grants, default privileges and the login trigger (the owner
    only, who needs CREATEROLE and pg_signal_backend), then a login role for every agent;
    safe to run again. Returns the groups, the agents given a login role, and those skipped
    because their name cannot be a role's."""
    require_admin(actor)
    from psycopg import sql

    with database.atomic():
        name, schema, owner = check_owner()
        groups = group_names(name)
        existing = {row for (row,) in database.execute_sql(
            "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (list(groups.values()),))}
        statements = [sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(group))
                      for group in groups.values() if group not in existing]
        statements += _grants(sql, name, schema, owner, groups)
        schema_sql = sql.Identifier(schema).as_string(database.connection())
        statements += [sql.SQL(SYNC.format(schema=schema_sql)),
                       sql.SQL(LOGIN_TRIGGER_FUNCTION.format(schema=schema_sql)),
                       sql.SQL(PASSWORD.format(schema=schema_sql)),
                       sql.SQL("REVOKE ALL ON FUNCTION desk_sync_role(text), desk_agent_login(), "
                               "desk_set_password(text, text) FROM PUBLIC"),
                       sql.SQL("GRANT EXECUTE ON FUNCTION desk_set_password(text, text) TO {}")
                       .format(sql.Identifier(groups["admin"])),
                       sql.SQL("DROP TRIGGER IF EXISTS agent_login ON agent"),
                       sql.SQL(LOGIN_TRIGGER)]
        cursor = database.cursor()
        for statement in statements:  # without parameters: psycopg reads no % in them
            cursor.execute(statement)
        synced, skipped = [], []
        for (username,) in Agent.select(Agent.username).order_by(Agent.username).tuples():
            if username == owner:
                continue
            if manageable(username):
                database.execute_sql("SELECT desk_sync_role(%s)", (username,))
                synced.append(username)
            else:
                skipped.append(username)
    return groups, synced, skipped


def database_owner() -> str:
    """The role that owns this database."""
    query = ("SELECT pg_get_userbyid(datdba) FROM pg_database "
             "WHERE datname = current_database()")
    (owner,) = database.execute_sql(query).fetchone()
    return owner


def check_owner() -> tuple[str, str, str]:
    """The database's name, its schema and its owner, who must be the session's role and
    may create roles and end other roles' connections; PermissionDenied otherwise. Reads
    only: `desk init` asks before it writes anything."""
    name, schema, owner, user, may_create, may_signal = database.execute_sql(
        "SELECT current_database(), current_schema(), pg_get_userbyid(d.datdba), session_user, "
        "r.rolcreaterole OR r.rolsuper, "
        "r.rolsuper OR pg_has_role(session_user, 'pg_signal_backend', 'MEMBER') "
        "FROM pg_database d, pg_roles r "
        "WHERE d.datname = current_database() AND r.rolname = session_user").fetchone()
    if user != owner:
        raise PermissionDenied(f"the PostgreSQL roles of {name} are set up by its owner, "
                               f"{owner}, not {user}")
    if not (may_create and may_signal):
        raise PermissionDenied(f"{owner} needs CREATEROLE and pg_signal_backend to manage "
                               f"agents' roles; as a superuser: ALTER ROLE {owner} CREATEROLE; "
                               f"GRANT pg_signal_backend TO {owner};")
    return name, schema, owner


def _grants(sql, name: str, schema: str, owner: str, groups: dict[str, str]) -> list:
    """The grants of the groups on the database, its schema, tables and sequences."""
    ident = sql.Identifier
    everyone = sql.SQL(", ").join(ident(group) for group in groups.values())
    writers = sql.SQL(", ").join(ident(groups[role]) for role in ("agent", "admin"))
    on_schema = ident(schema)
    defaults = sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} ").format(
        ident(owner), on_schema)
    columns = sql.SQL(", ").join(ident(column) for column in AGENT_COLUMNS)
    return [
        sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(ident(name)),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(ident(name), everyone),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(on_schema, everyone),
        sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(on_schema, everyone),
        sql.SQL("GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(
            on_schema, writers),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
            on_schema, writers),
        sql.SQL("REVOKE INSERT, UPDATE, DELETE ON schema_migration FROM {}").format(writers),
        sql.SQL("REVOKE UPDATE, DELETE ON activity FROM {}").format(writers),
        # only the owner lists the portal's roles, whose history keeps a contact's name
        sql.SQL("REVOKE INSERT, UPDATE, DELETE ON portal_role FROM {}").format(writers),
        sql.SQL("REVOKE INSERT, UPDATE, DELETE ON agent FROM {}").format(ident(groups["agent"])),
        sql.SQL("GRANT UPDATE ({}) ON agent TO {}").format(columns, ident(groups["agent"])),
        sql.SQL("ALTER TABLE agent ENABLE ROW LEVEL SECURITY"),
        sql.SQL("DROP POLICY IF EXISTS desk_read ON agent"),
        sql.SQL("CREATE POLICY desk_read ON agent FOR SELECT USING (true)"),
        sql.SQL("DROP POLICY IF EXISTS desk_own_name ON agent"),
        sql.SQL("CREATE POLICY desk_own_name ON agent FOR UPDATE TO {} "
                "USING (username = session_user) WITH CHECK (username = session_user)"
                ).format(ident(groups["agent"])),
        sql.SQL("DROP POLICY IF EXISTS desk_admins ON agent"),
        sql.SQL("CREATE POLICY desk_admins ON agent TO {} USING (true) WITH CHECK (true)"
                ).format(ident(groups["admin"])),
        defaults + sql.SQL("GRANT SELECT ON TABLES TO {}").format(everyone),
        defaults + sql.SQL("GRANT INSERT, UPDATE, DELETE ON TABLES TO {}").format(writers),
        defaults + sql.SQL("GRANT USAGE, SELECT ON SEQUENCES TO {}").format(writers),
    ]


def add(actor: AgentRef, username: str, password: str | None = None, **details: Any
        ) -> AgentRef:
    """`desk.kernel.agents.add` in the postgres mode: the name must be one a login role can
    have and the roles set up; the trigger then makes the login role. With `password`, it is
    set in the same transaction. `details` are agents.add's (role, name, email, teams)."""
    check_role_name(username)
    require_ready()
    with database.atomic():
        added = agents.add(actor, username, **details)
        if password is not None:
            set_password(actor, username, password)
    return added


def set_password(actor: AgentRef, username: str, password: str) -> None:
    """Set the password an agent's login role authenticates with (admins only), recorded as
    activity of the agent ("password": set, never the password). desk hashes it here
    (SCRAM-SHA-256, as psql's \\password does), so the server never sees it in clear."""
    require_admin(actor)
    if not password:
        raise InvalidInput("an empty password cannot be set; leave it out to let pg_hba.conf "
                           "decide how the agent logs in")
    with database.atomic():
        agent = find(username)
        database.execute_sql("SELECT desk_set_password(%s, %s)",
                             (username, scram_verifier(password, username)))
        audit.record("agent", agent.id, actor, {"password": (None, "set")}, None,
                     "agent.updated")


def scram_verifier(password: str, username: str) -> str:
    """The SCRAM-SHA-256 verifier of `password` for the login `username`, made on this side
    (as psql's \\password does), so the server never sees the password in clear."""
    connection = database.connection()
    verifier = connection.pgconn.encrypt_password(password.encode(), username.encode(),
                                                  b"scram-sha-256")
    return verifier.decode("ascii")


def login_url(url: str, username: str) -> str:
    """`url` with `username` as its user and no password: the URL an agent's desk uses."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{username}@{host}"))
