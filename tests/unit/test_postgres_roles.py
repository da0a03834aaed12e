"""The postgres identity mode: each agent logs in as a PostgreSQL role of their own, and the
database itself holds them to their desk role.

One desk per module on the test cluster (DESK_TEST_POSTGRES_URL), made as a team makes one:
a superuser creates the owner role and the database, the owner runs `desk init` and `desk
agents add` (desk's own CLI, in a child process, with identity.mode postgres). Then each
agent's own login is tried with plain psycopg, as a client that bypasses desk would, and with
desk. Roles are cluster-wide, so every name carries a random part and everything made is
dropped. Nothing is shared with other tests, so they need not be `serial`; they run in a
group of their own, on one worker, so the module's desk is set up once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from peewee import PostgresqlDatabase
from postgres_server import (
    POSTGRES_ADMIN_URL,
    drop_database_and_roles,
    postgres_url,
    refused,
    require_postgres,
    superuser,
)

from desk import db as desk_db
from desk.config import IdentitySettings
from desk.database_url import postgres_params
from desk.errors import PermissionDenied
from desk.kernel.access import identity, pg_roles

pytestmark = pytest.mark.xdist_group("postgres_roles")

CONFIG = "identity:\n  mode: postgres\n"


@dataclass(frozen=True)
class Desk:
    """A desk on the test cluster in the postgres mode: its database, owner and agents."""

    database: str
    owner: str
    agents: dict[str, str]
    """Each agent's desk role, by what the tests call them (alice -> agent)."""
    suffix: str
    config: Path
    environment: dict[str, str]

    def role(self, who: str) -> str:
        """The login role of `who` (alice -> alice_1a2b3c4d; the owner is "owner")."""
        return self.owner if who == "owner" else f"{who}_{self.suffix}"

    def url(self, who: str) -> str:
        """The URL `who` logs in with."""
        return pg_roles.login_url(postgres_url(self.database), self.role(who))

    def desk(self, who: str, *args: str) -> subprocess.CompletedProcess:
        """Run desk's CLI as `who`, in a child process."""
        return subprocess.run([sys.executable, "-m", "desk", "--config", str(self.config),
                               "--db", self.url(who), *args], env=self.environment,
                              capture_output=True, text=True, check=False, timeout=120)

    def connect(self, who: str, **options):
        """A plain psycopg connection as `who`."""
        import psycopg

        return psycopg.connect(self.url(who), **options)


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> Iterator[Desk]:
    """A desk whose owner set it up in the postgres mode, with agents alice and bob, viewer
    vera and admin adam; dropped, with every role made, at the end."""
    require_postgres()
    suffix = uuid.uuid4().hex[:8]
    home = tmp_path_factory.mktemp("pgroles")
    config = home / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("DESK_", "PG"))}
    environment.update({f"XDG_{part}_HOME": str(home / part.lower())
                        for part in ("CONFIG", "DATA", "CACHE", "STATE")})
    made = Desk(f"desk_roles_{suffix}", f"owner_{suffix}",
                {"alice": "agent", "bob": "agent", "vera": "viewer", "adam": "admin"},
                suffix, config, environment)
    superuser([f"CREATE ROLE {made.owner} LOGIN CREATEROLE",
               f"GRANT pg_signal_backend TO {made.owner}",
               f"CREATE DATABASE {made.database} OWNER {made.owner}"])
    try:
        ran = made.desk("owner", "init")
        assert ran.returncode == 0, ran.stderr
        for who, role in made.agents.items():
            ran = made.desk("owner", "agents", "add", made.role(who), "--role", role)
            assert ran.returncode == 0, ran.stderr
        yield made
    finally:
        drop_database_and_roles(made.database, made.suffix, made.owner)


# --- the mode itself ---------------------------------------------------------------------


def test_the_postgres_mode_is_refused_on_sqlite(sqlite_db):
    with pytest.raises(PermissionDenied, match="needs a PostgreSQL database"):
        identity.establish(IdentitySettings(mode="postgres"), sqlite_db)


def test_the_agent_is_the_role_that_logged_in(team):
    connected = desk_db.connect(team.url("alice"), create=False)
    try:
        established = identity.establish(IdentitySettings(mode="postgres"), connected)
    finally:
        connected.close()
    assert established == identity.Identity(team.role("alice"),
                                            f"postgres role {team.role('alice')}")


def test_a_role_that_is_not_an_agent_is_refused(team):
    superuser([f"CREATE ROLE stranger_{team.suffix} LOGIN",
               f"GRANT {team.database}_viewer TO stranger_{team.suffix}"])
    ran = team.desk("stranger", "ls")
    assert ran.returncode == 1 and ran.stdout == ""
    assert ran.stderr.startswith(f"desk: the account 'stranger_{team.suffix}' is not an agent "
                                 "of this desk"), ran.stderr


# --- what the database lets each role do -------------------------------------------------


def test_a_viewer_cannot_write_with_plain_sql(team):
    with team.connect("vera") as vera:
        assert vera.execute("SELECT count(*) FROM task").fetchone() is not None
        for statement in ("INSERT INTO task (title) VALUES ('sneaky')",
                          "UPDATE task SET title = 'sneaky'",
                          "DELETE FROM comment",
                          "INSERT INTO activity (at, actor, entity, entity_id, field) "
                          "VALUES (now(), 'x', 'task', 1, 'title')",
                          "UPDATE agent SET role = 'admin'"):
            assert "permission denied for table" in refused(vera, statement), statement


def test_an_agent_cannot_forge_the_audit_author(team):
    with team.connect("alice") as alice:
        bob_id, alice_id = (alice.execute("SELECT id FROM agent WHERE username = %s",
                                          (team.role(who),)).fetchone()[0]
                            for who in ("bob", "alice"))
        forged = alice.execute(
            "INSERT INTO activity (at, actor, agent_id, entity, entity_id, field, via) "
            "VALUES (now(), %s, %s, 'task', 1, 'title', 'os uid 0') "
            "RETURNING actor, agent_id, via", (team.role("bob"), bob_id)).fetchone()
        assert forged == (team.role("alice"), alice_id, f"postgres role {team.role('alice')}")
        rule = alice.execute(
            "INSERT INTO activity (at, actor, agent_id, entity, entity_id, field) "
            "VALUES (now(), 'rule:escalate', NULL, 'task', 1, 'priority') "
            "RETURNING actor, agent_id").fetchone()
        assert rule == ("rule:escalate", alice_id)  # a rule her desk ran: still hers
        posed = alice.execute(
            "INSERT INTO activity (at, actor, entity, entity_id, field) "
            "VALUES (now(), 'portal: ada@acme.example', 'task', 1, 'title') "
            "RETURNING actor").fetchone()
        assert posed == (team.role("alice"),)  # only the portal's role writes a contact's name
        assert "permission denied" in refused(
            alice, "INSERT INTO portal_role (name) VALUES (%s)", team.role("alice"))


def test_an_agent_cannot_rewrite_history_nor_change_roles(team):
    with team.connect("alice") as alice:
        for statement in ("UPDATE activity SET actor = 'nobody'", "DELETE FROM activity",
                          "TRUNCATE activity",
                          "UPDATE agent SET role = 'admin'", "UPDATE agent SET disabled = true",
                          "INSERT INTO agent (username, name, email, role, away, disabled, "
                          "created_at) VALUES ('x', 'x', '', 'admin', false, false, now())",
                          "DELETE FROM agent", "DELETE FROM schema_migration"):
            assert "permission denied for table" in refused(alice, statement), statement
        assert "permission denied" in refused(alice, "SELECT desk_sync_role(%s)",
                                              team.role("alice"))
        assert "permission denied to create role" in refused(alice, "CREATE ROLE sneaky")
        assert "must have admin option" in refused(alice, f"GRANT {team.database}_admin TO "
                                                         f"{team.role('alice')}")
        assert "temporary tables" in refused(alice, "CREATE TEMP TABLE agent (id int)")
        assert "permission denied to set role" in refused(alice, f"SET ROLE {team.role('bob')}")
        assert "permission denied to set session authorization" in refused(
            alice, f"SET SESSION AUTHORIZATION {team.role('bob')}")
        renamed = alice.execute("UPDATE agent SET name = 'Alice A.' WHERE username IN (%s, %s) "
                                "RETURNING username", (team.role("alice"), team.role("bob")))
        assert renamed.fetchall() == [(team.role("alice"),)]  # her own display name only
        away = alice.execute("UPDATE agent SET away = true, signature = 'A.' RETURNING username")
        assert away.fetchall() == [(team.role("alice"),)]  # and the rest of her own profile
        assert "permission denied for table" in refused(alice, "UPDATE agent SET role = 'admin'")
        alice.rollback()


def test_an_admin_may_not_rewrite_history_either(team):
    with team.connect("adam") as adam:
        for statement in ("UPDATE activity SET actor = 'nobody'", "DELETE FROM activity"):
            assert "permission denied for table" in refused(adam, statement), statement


# --- desk as each role -------------------------------------------------------------------


def test_desk_run_as_each_role_acts_as_that_agent(team):
    title = f"Printer on fire {uuid.uuid4().hex[:6]}"
    added = team.desk("alice", "add", title)
    assert added.returncode == 0, added.stderr
    task_id = int(added.stdout.split("task ", 1)[1].split(":", 1)[0])
    viewer = team.desk("vera", "add", "Sneaky")
    assert viewer.returncode == 1 and viewer.stderr.startswith(
        f"desk: {team.role('vera')} is a viewer and cannot change anything"), viewer.stderr
    listed = team.desk("vera", "ls")
    assert listed.returncode == 0 and title in listed.stdout
    promoted = team.desk("adam", "agents", "role", team.role("bob"), "admin")
    assert promoted.returncode == 0, promoted.stderr
    demoted = team.desk("adam", "agents", "role", team.role("bob"), "agent")
    assert demoted.returncode == 0, demoted.stderr
    with team.connect("owner") as owner:
        authors = set(owner.execute(
            "SELECT actor, via FROM activity WHERE entity = 'task' AND entity_id = %s",
            (task_id,)))
        assert authors == {(team.role("alice"), f"postgres role {team.role('alice')}")}
        roles = list(owner.execute(
            "SELECT a.actor, a.new FROM activity a JOIN agent g ON g.id = a.entity_id "
            "WHERE a.entity = 'agent' AND a.field = 'role' AND g.username = %s "
            "ORDER BY a.id", (team.role("bob"),)))
        assert roles == [(team.owner, "agent"), (team.role("adam"), "admin"),
                         (team.role("adam"), "agent")]


def test_an_agent_s_import_is_written_as_that_agent(team, tmp_path):
    # the statements run on a connection of their own (desk.transfer.chunk_writes), which
    # logs in as the same role and takes the ids it reserved from the tables' sequences
    title = f"Imported {uuid.uuid4().hex[:6]}"
    path = tmp_path / "tasks.csv"
    path.write_text("Task ID,Task Name,Status,List Name,Space Name,Comments\n"
                    f'r1,{title} one,to do,Imports,Roles,"[{{""text"": ""called them""}}]"\n'
                    f"r2,{title} two,complete,Imports,Roles,[]\n", encoding="utf-8")
    imported = team.desk("alice", "import", "clickup", str(path))
    assert imported.returncode == 0, imported.stderr
    assert "created 2" in imported.stdout + imported.stderr
    with team.connect("owner") as owner:
        written = set(owner.execute(
            "SELECT t.title, a.actor, a.via FROM task t JOIN activity a "
            "ON a.entity = 'task' AND a.entity_id = t.id WHERE t.title LIKE %s",
            (f"{title}%",)))
    via = f"postgres role {team.role('alice')}"
    assert written == {(f"{title} one", team.role("alice"), via),
                       (f"{title} two", team.role("alice"), via)}


def test_a_role_change_changes_what_the_database_allows_at_once(team):
    with team.connect("bob", autocommit=True) as bob:
        bob.execute("INSERT INTO tag (name) VALUES (%s)", (f"ok-{team.suffix}",))
        assert team.desk("adam", "agents", "role", team.role("bob"), "viewer").returncode == 0
        try:
            assert "permission denied for table" in refused(
                bob, "INSERT INTO tag (name) VALUES (%s)", f"no-{team.suffix}")
        finally:
            assert team.desk("adam", "agents", "role", team.role("bob"), "agent").returncode == 0


def test_a_disabled_agent_cannot_log_in_and_their_open_connection_ends(team):
    import psycopg

    carl = team.role("carl")
    assert team.desk("adam", "agents", "add", carl, "--role", "agent").returncode == 0
    with team.connect("carl", autocommit=True) as open_connection:
        open_connection.execute("SELECT 1")
        disabled = team.desk("adam", "agents", "disable", carl)
        assert disabled.returncode == 0, disabled.stderr
        deadline = time.monotonic() + 5
        with pytest.raises(psycopg.OperationalError):
            while time.monotonic() < deadline:
                open_connection.execute("SELECT 1")
                time.sleep(0.1)
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        team.connect("carl")
    ran = team.desk("carl", "ls")
    assert ran.returncode == 1 and "permission denied for database" in ran.stderr
    assert team.desk("adam", "agents", "enable", carl).returncode == 0
    with team.connect("carl") as again:
        assert again.execute("SELECT session_user").fetchone() == (carl,)


def test_an_open_app_of_a_disabled_agent_stops_with_a_message(team):
    from desk.kernel.agents import AgentRef
    from desk.screens.actions.app.standing import read_standing

    dora = team.role("dora")
    assert team.desk("adam", "agents", "add", dora, "--role", "agent").returncode == 0
    app = SimpleNamespace(database=PostgresqlDatabase(**postgres_params(team.url("dora"))),
                          agent=AgentRef(0, dora, dora, "agent"))
    assert team.desk("adam", "agents", "disable", dora).returncode == 0
    assert read_standing(app) == (f"{dora} may no longer connect to this desk's database "
                                  "(an admin disabled or removed them)")


def test_adding_an_agent_as_a_non_admin_is_refused(team):
    eve = team.role("eve")
    ran = team.desk("alice", "agents", "add", eve, "--role", "admin")
    assert ran.returncode == 1 and ran.stdout == ""
    assert ran.stderr.startswith(f"desk: only an admin can do this; {team.role('alice')} is "
                                 "agent"), ran.stderr
    with team.connect("owner") as owner:
        assert owner.execute("SELECT count(*) FROM agent WHERE username = %s",
                             (eve,)).fetchone() == (0,)
        assert owner.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s",
                             (eve,)).fetchone() == (0,)


@pytest.mark.parametrize("name", ["Robert", 'x"; DROP ROLE postgres; --', "pg_monitor",
                                  "1abc", "a" * 64])
def test_a_name_that_cannot_be_a_login_role_is_refused_with_one_line(team, name):
    ran = team.desk("adam", "agents", "add", name, "--role", "agent")
    assert ran.returncode == 1 and ran.stdout == ""
    assert ran.stderr.count("\n") == 1 and "cannot be a PostgreSQL login role" in ran.stderr
    with team.connect("owner") as owner:
        assert owner.execute("SELECT count(*) FROM agent WHERE username = %s",
                             (name,)).fetchone() == (0,)


def test_desk_init_by_an_agent_sets_only_their_name(team):
    ran = team.desk("alice", "init", "--name", "Alice Example")
    assert ran.returncode == 0, ran.stderr
    assert f"PostgreSQL roles: set up by the database's owner, {team.owner}" in ran.stdout
    assert "your display name: Alice Example" in ran.stdout
    with team.connect("owner") as owner:
        assert owner.execute("SELECT name FROM agent WHERE username = %s",
                             (team.role("alice"),)).fetchone() == ("Alice Example",)


def test_an_upgrade_waits_for_the_owner(team):
    """A migration pending (0013 taken back, as if desk had just been upgraded): an agent's
    desk refuses with one line and changes nothing; the owner's desk init applies it."""
    with team.connect("owner") as owner:
        owner.execute("DROP TRIGGER activity_author ON activity")
        owner.execute("DROP FUNCTION desk_activity_author()")
        owner.execute("DELETE FROM schema_migration WHERE name = '0013_activity_author'")
    try:
        ran = team.desk("alice", "ls")
        assert ran.returncode == 1 and ran.stdout == ""
        assert ran.stderr == (f"desk: the database needs upgrading (0013_activity_author), "
                              f"which only the owner of its tables, {team.owner}, can do: "
                              f"{team.owner} runs desk init first. Nothing was changed.\n")
    finally:
        upgraded = team.desk("owner", "init")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "upgraded the database schema (0013_activity_author)" in upgraded.stderr
    assert team.desk("alice", "ls").returncode == 0


def test_desk_init_by_anyone_but_the_owner_writes_nothing(team, tmp_path):
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    superuser([f"CREATE DATABASE empty_{team.suffix} OWNER {team.owner}"])
    try:
        url = postgres_url(f"empty_{team.suffix}")  # as the superuser, not the owner
        ran = subprocess.run([sys.executable, "-m", "desk", "--config", str(team.config),
                              "--db", url, "init"], env=team.environment, capture_output=True,
                             text=True, check=False, timeout=120)
        assert ran.returncode == 1 and ran.stdout == ""
        assert ran.stderr == (f"desk: the PostgreSQL roles of empty_{team.suffix} are set up "
                              f"by its owner, {team.owner}, not "
                              f"{conninfo_to_dict(POSTGRES_ADMIN_URL)['user']}\n")
        with psycopg.connect(url) as connection:
            assert connection.execute("SELECT count(*) FROM pg_tables WHERE schemaname = "
                                      "'public'").fetchone() == (0,)
        sqlite = subprocess.run([sys.executable, "-m", "desk", "--config", str(team.config),
                                 "--db", f"sqlite:///{tmp_path / 'desk.db'}", "init"],
                                env=team.environment, capture_output=True, text=True,
                                check=False, timeout=120)
        assert sqlite.returncode == 1 and "needs a PostgreSQL database" in sqlite.stderr
        assert not (tmp_path / "desk.db").exists()
    finally:
        superuser([f"DROP DATABASE IF EXISTS empty_{team.suffix} WITH (FORCE)"])


def test_an_agent_whose_name_cannot_be_a_role_keeps_working_without_a_login(team):
    """An agent from before the mode (an OS account name such as Maria.S) gets no login
    role, and changing their row still works."""
    with team.connect("owner") as owner:
        owner.execute("INSERT INTO agent (username, name, email, signature, role, away, "
                      "disabled, created_at, version) VALUES ('Old.Name', 'Old', '', '', "
                      "'agent', false, false, now(), 1)")
        owner.execute("UPDATE agent SET role = 'viewer', disabled = true "
                      "WHERE username = 'Old.Name'")
        assert owner.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'Old.Name'"
                             ).fetchone() == (0,)
        owner.rollback()


def scram_matches(verifier: str, password: str) -> bool:
    """Whether a SCRAM-SHA-256 verifier (SCRAM-SHA-256$ITER:SALT$STOREDKEY:SERVERKEY, as
    pg_authid keeps it) was made from `password` (RFC 5802)."""
    scheme, parameters, keys = verifier.split("$")
    iterations, salt = parameters.split(":")
    stored_key, server_key = keys.split(":")
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt),
                                 int(iterations))
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    return (scheme == "SCRAM-SHA-256"
            and base64.b64encode(hashlib.sha256(client_key).digest()).decode() == stored_key
            and base64.b64encode(hmac.digest(salted, b"Server Key", "sha256")).decode()
            == server_key)


def test_an_admin_sets_a_login_password_that_only_the_hash_reaches(team):
    import psycopg

    pia = team.role("pia")
    password = "correct horse battery staple"
    arguments = [sys.executable, "-m", "desk", "--config", str(team.config), "--db",
                 team.url("adam"), "agents", "add", pia, "--password-prompt"]
    differ = subprocess.run(arguments, input="one\ntwo\n", env=team.environment,
                            start_new_session=True,  # no terminal: getpass reads stdin
                            capture_output=True, text=True, check=False, timeout=120)
    assert differ.returncode == 1 and differ.stderr.endswith(
        "desk: the two passwords differ; nothing was changed\n")
    ran = subprocess.run(arguments, input=f"{password}\n{password}\n", env=team.environment,
                         start_new_session=True, capture_output=True, text=True, check=False,
                         timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert f"they log in as the PostgreSQL role {pia} with the password given" in ran.stdout
    with psycopg.connect(POSTGRES_ADMIN_URL) as connection:
        (verifier,) = connection.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                                         (pia,)).fetchone()
    assert scram_matches(verifier, password) and not scram_matches(verifier, "one")
    with team.connect("owner") as owner:
        history = list(owner.execute(
            "SELECT a.actor, a.field, a.old, a.new FROM activity a JOIN agent g "
            "ON g.id = a.entity_id WHERE a.entity = 'agent' AND g.username = %s "
            "ORDER BY a.id", (pia,)))
    assert history == [(team.role("adam"), "role", None, "agent"),
                       (team.role("adam"), "password", None, "set")]
    with team.connect("alice") as alice:
        assert "permission denied for function" in refused(
            alice, "SELECT desk_set_password(%s, %s)", team.role("alice"), verifier)
    with team.connect("adam") as adam:
        assert "is not an enabled agent's login of this desk" in refused(
            adam, "SELECT desk_set_password(%s, %s)", team.owner, verifier)
        assert "only as a SCRAM-SHA-256 verifier" in refused(
            adam, "SELECT desk_set_password(%s, %s)", pia, "plain text")


def test_an_agent_named_after_a_group_gets_no_membership(team):
    """An admin adding an agent named like this desk's own agent group: the group (which
    cannot log in) is left as it is, rather than made a member of the admins."""
    group = f"{team.database}_agent"
    added = team.desk("adam", "agents", "add", group, "--role", "admin")
    assert added.returncode == 0, added.stderr
    with team.connect("owner") as owner:
        assert owner.execute(
            "SELECT count(*) FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member "
            "WHERE u.rolname = %s", (group,)).fetchone() == (0,)
    assert team.desk("adam", "agents", "remove", group).returncode == 0


def test_two_desks_on_one_cluster_keep_their_roles_apart(team):
    """alice in a second desk too: one login role, a group in each desk; disabling her in
    the second leaves her first desk as it was."""
    import psycopg

    second = replace(team, database=f"second_{team.suffix}")
    superuser([f"CREATE DATABASE {second.database} OWNER {team.owner}"])
    try:
        assert second.desk("owner", "init").returncode == 0
        added = second.desk("owner", "agents", "add", team.role("alice"), "--role", "viewer")
        assert added.returncode == 0, added.stderr
        with psycopg.connect(POSTGRES_ADMIN_URL) as connection:
            groups = {name for (name,) in connection.execute(
                "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s",
                (team.role("alice"),))}
        assert groups == {f"{team.database}_agent", f"{second.database}_viewer"}
        assert second.desk("owner", "agents", "disable", team.role("alice")).returncode == 0
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            second.connect("alice")
        assert team.desk("alice", "add", "Still here").returncode == 0
    finally:
        superuser([f"DROP DATABASE IF EXISTS {second.database} WITH (FORCE)"])


def test_a_viewer_reads_the_score_inbox_without_rescoring(team):
    # A viewer may not write tasks: the rescoring before a score page steps aside and the
    # page reads the scores the agents' and the background's rescoring stored
    from datetime import UTC, datetime

    from desk.models import Task
    from desk.support import triage
    from desk.work import filters

    title = f"Scored later {uuid.uuid4().hex[:6]}"
    added = team.desk("alice", "add", title)
    assert added.returncode == 0, added.stderr
    connected = desk_db.connect(team.url("vera"), create=False)
    try:
        context = filters.Context(team.role("vera"), datetime.now(UTC))
        page = triage.inbox_page(context, order="score", limit=1000)
        assert title in {row.title for row in page.rows}
        # never scored: the column's default, ranked after every scored task
        assert Task.select(Task.urgency_rank).where(Task.title == title).scalar() == 1e300
    finally:
        connected.close()
