"""The portal's own PostgreSQL role: `desk portal role create` makes a login role with exactly
the grants of desk.support.portal.grants, the whole portal works as that role, the role is
refused what the portal never does, and a portal whose role lacks a grant says which one
when it starts. On the test cluster (DESK_TEST_POSTGRES_URL) only: SQLite has no roles.
Roles are cluster-wide, so each name carries a random part and is dropped afterwards."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import psycopg
import pytest
from postgres_server import refused

from desk import db as desk_db
from desk.config import Settings, parse_settings
from desk.errors import DeskError, InvalidInput
from desk.kernel.access import pg_roles
from desk.models import (
    Activity,
    Checklist,
    ChecklistItem,
    Client,
    Comment,
    Interaction,
    NpsSurvey,
    QueryData,
    Task,
    TaskList,
    database,
)
from desk.portal.app import create_app
from desk.support.feedback import links, surveys
from desk.support.portal import grants, role
from desk.work import checklists, tasks

from .conftest import PORTAL_CONFIG, post, sign_in
from .test_feedback_pages import CLICK, SURVEYS_ON, answer, links_in

pytestmark = pytest.mark.parametrize("db_url", ["postgres"], indirect=True)

PASSWORD = "correct horse battery"
FILE_LINK = re.compile(r"/requests/\d+/files/\d+")


@pytest.fixture
def settings() -> Settings:
    """The portal on, with working hours around the clock: a contact's reply to the request
    waiting on them then always gives its resolution target back the business time it
    waited, whatever the hour the test runs at, and that needs a grant of its own."""
    return parse_settings(PORTAL_CONFIG + "calendar:\n  days: [mon, tue, wed, thu, fri, sat, "
                                          "sun]\n  hours: \"00:00-24:00\"\n")


def role_url(workspace_url: str, name: str) -> str:
    """The URL the portal connects with as `name`, with its password."""
    url = pg_roles.login_url(workspace_url, name)
    return url.replace(f"//{name}@", f"//{name}:{quote(PASSWORD)}@", 1)


@pytest.fixture
def portal_role(db, admin, postgres_workspace) -> Iterator[str]:
    """A portal role made by `role.create` on the test database; dropped afterwards."""
    name = f"desk_portal_{uuid.uuid4().hex[:8]}"
    made = role.create(admin, name, PASSWORD)
    assert (made.name, made.created, made.grants) == (name, True, len(grants.needed()))
    yield name
    database.initialize(db)
    db.connect(reuse_if_open=True)
    db.execute_sql(f"DROP OWNED BY {name}")
    db.execute_sql(f"DROP ROLE {name}")


@pytest.fixture
def as_role(portal_role, db, postgres_workspace, world) -> Iterator[object]:
    """The test database, with the portal's world in it, opened as the portal's role and
    bound to desk's models."""
    connected = desk_db.connect(role_url(postgres_workspace.url, portal_role), create=False)
    yield connected
    connected.close()
    database.initialize(db)


def test_the_whole_portal_works_as_its_role(db, admin, settings, world, portal_role,
                                            postgres_workspace) -> None:
    # the support list's template gives each new request a checklist
    checklists.create_template(admin, "Triage", ["Read it", {"Answer": ["Draft"]}],
                               list_name="Support inbox")
    as_role = desk_db.connect(role_url(postgres_workspace.url, portal_role), create=False)
    try:
        whole_portal_flow(as_role, admin, settings, world)
    finally:
        as_role.close()
        database.initialize(db)


def whole_portal_flow(as_role, admin, settings, world) -> None:
    """Sign in, read, reply, solve, rate, reopen and open a new request as the role."""
    (user,) = as_role.execute_sql("SELECT session_user").fetchone()
    assert user.startswith("desk_portal_")
    app = create_app(settings, as_role, admin)  # checks the role's grants first
    app.testing = True
    ada = app.test_client()
    sign_in(ada, "ada@acme.example")  # the link read from the queued e-mail
    listing = ada.get("/requests").get_data(True)
    assert "Printer on fire" in listing and "Website" in listing  # a request, an order
    assert "We are on it." in ada.get(f"/requests/{world.ada_query}").get_data(True)
    assert ada.get(f"/orders/{world.acme_order}").status_code == 200
    assert ada.get("/shared").status_code == 200
    query = world.ada_query
    assert post(ada, f"/requests/{query}/reply", body="Still smoking.").status_code == 302
    assert post(ada, f"/requests/{query}/solve").status_code == 302
    assert post(ada, f"/requests/{query}/rate", score="4").status_code == 302
    assert post(ada, f"/requests/{query}/reopen").status_code == 302
    answer = post(ada, "/requests/new", subject="Need toner", description="It is empty.",
                  priority="high", product="Website",
                  files=(io.BytesIO(b"empty cartridge"), "toner.txt"))
    assert answer.status_code == 302, answer.get_data(True)
    page = ada.get(answer.headers["Location"]).get_data(True)
    download = FILE_LINK.search(page).group(0)
    assert ada.get(download).get_data() == b"empty cartridge"
    assert post(ada, "/sign-out").status_code == 302
    database.initialize(as_role)  # read back what the role wrote, as the role
    assert Comment.get((Comment.task == query) & (Comment.kind == "message")
                       ).body == "Still smoking."
    assert QueryData.get_by_id(query).csat_score == 4
    new = Task.select().order_by(Task.id.desc()).get()
    assert (new.title, new.client_id) == ("Need toner", world.acme)
    assert [item.text for item in ChecklistItem.select().join(Checklist).where(
        Checklist.task == new.id).order_by(ChecklistItem.id)] == ["Read it", "Answer", "Draft"]
    # The history names the contact, and the role it came through (migration 0028).
    entry = Activity.get((Activity.entity_id == new.id) & (Activity.field == "kind"))
    assert (entry.actor, entry.via) == ("portal: ada@acme.example", f"postgres role {user}")


def test_the_role_is_refused_what_the_portal_never_does(as_role, portal_role,
                                                        postgres_workspace, world) -> None:
    with psycopg.connect(role_url(postgres_workspace.url, portal_role)) as plain:
        for statement in ("UPDATE agent SET role = 'admin'",
                          f"DELETE FROM task WHERE id = {world.gus_query}",
                          "DELETE FROM comment", "UPDATE activity SET actor = 'x'",
                          "SELECT * FROM ssh_key", "SELECT * FROM draft",
                          "INSERT INTO meta (key, value) VALUES ('x', 'y')",
                          "SELECT * FROM schema_migration",
                          "CREATE TABLE mine (id int)", "DROP TABLE portal_session"):
            error = refused(plain, statement)
            assert "permission denied" in error or "must be owner" in error, statement
    assert Task.get_or_none(Task.id == world.gus_query) is not None
    tables = [name for (name,) in as_role.execute_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
    assert set(grants.GRANTS) <= set(tables)
    for table in sorted(set(tables) - set(grants.GRANTS)):  # the rest: not even read
        (any_right,) = as_role.execute_sql(
            "SELECT has_table_privilege(%s, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE') "
            "OR has_any_column_privilege(%s, 'SELECT, INSERT, UPDATE')",
            (table, table)).fetchone()
        assert any_right is False, table


def test_a_missing_grant_is_named_when_the_portal_starts(as_role, admin, db, portal_role,
                                                        settings) -> None:
    db.execute_sql(f"REVOKE INSERT ON comment FROM {portal_role}")
    db.execute_sql(f"GRANT DELETE ON task TO {portal_role}")
    with pytest.raises(DeskError, match=f"{portal_role} lacks INSERT on comment: an admin "
                                        f"runs desk portal role create --name {portal_role}"):
        create_app(settings, as_role, admin)
    database.initialize(db)
    assert role.create(admin, portal_role).created is False  # updated: exact again
    database.initialize(as_role)
    assert grants.missing() == []
    (deletes,) = as_role.execute_sql("SELECT has_table_privilege('task', 'DELETE')").fetchone()
    assert deletes is False


def test_a_role_with_more_rights_than_the_portal_is_refused(db, admin) -> None:
    with pytest.raises(InvalidInput, match="the role postgres owns the database"):
        role.create(admin, "postgres")
    powerful = f"desk_portal_{uuid.uuid4().hex[:8]}"
    db.execute_sql(f"CREATE ROLE {powerful} LOGIN CREATEDB")
    try:
        with pytest.raises(InvalidInput, match=f"the role {powerful} has powers of its own"):
            role.create(admin, powerful)
    finally:
        db.execute_sql(f"DROP ROLE {powerful}")
    with pytest.raises(InvalidInput, match="is an agent's name"):
        role.create(admin, admin.username)
    with pytest.raises(InvalidInput, match="cannot be a PostgreSQL login role"):
        role.create(admin, "Portal; DROP")


def test_survey_links_are_answered_as_the_role(db, admin, world, portal_role,
                                               postgres_workspace) -> None:
    Client.update(lifecycle_stage="active").where(Client.id == world.acme).execute()
    assert surveys.send_due(admin, parse_settings(SURVEYS_ON))  # an NPS survey to Acme
    nps = links_in("ada@acme.example")
    tasks.update(admin, world.ada_query, tasks.get(world.ada_query).row.version, status="Done")
    csat = CLICK.findall(links.csat_links(admin, "http://portal.test", world.ada_query,
                                          "ada@acme.example"))
    settings = parse_settings(SURVEYS_ON)
    connected = desk_db.connect(role_url(postgres_workspace.url, portal_role), create=False)
    try:
        browser = create_app(settings, connected, admin).test_client()
        for path, score in ((nps[8], "8"), (csat[4], "5")):
            done = answer(browser, path, score, "Thanks")
            assert "Your answer is recorded" in done.get_data(True), done.get_data(True)
        assert NpsSurvey.get().score == 8
        assert QueryData.get_by_id(world.ada_query).csat_score == 5
        summaries = {summary for (summary,) in Interaction.select(Interaction.summary)
                     .where(Interaction.client == world.acme).tuples()}
        assert {"NPS 8 (passive, by portal): Thanks",
                f"CSAT 5 on #{world.ada_query}: Thanks"} <= summaries
    finally:
        connected.close()
        database.initialize(db)


def test_the_command_creates_then_updates_the_role(run_desk, migrated_url, admin, db,
                                                   tmp_path) -> None:
    name = f"desk_portal_{uuid.uuid4().hex[:8]}"
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    try:
        status, out, err = run_desk("--db", migrated_url, "portal", "role", "create",
                                    "--name", name, "--password-file", str(secret))
        assert (status, err) == (0, ""), err
        assert out.startswith(f"desk portal: created the PostgreSQL role {name} with the "
                              f"portal's {len(grants.needed())} grants and nothing else")
        (verifier,) = db.execute_sql("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                                     (name,)).fetchone()
        assert verifier.startswith("SCRAM-SHA-256$")
        # the workspace had no list: the intake list new requests go to is made for the role
        assert [name for (name,) in TaskList.select(TaskList.name).tuples()] == [
            Settings().intake.list]
        status, out, _ = run_desk("--db", migrated_url, "portal", "role", "create",
                                  "--name", name)
        assert status == 0 and out.startswith(f"desk portal: updated the PostgreSQL role {name}")
    finally:
        database.initialize(db)
        db.execute_sql(f"DROP OWNED BY {name}")
        db.execute_sql(f"DROP ROLE IF EXISTS {name}")


def test_the_portal_started_as_a_role_lacking_a_grant_names_it(
        run_desk, migrated_url, db, portal_role, postgres_workspace, tmp_path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("portal:\n  enabled: true\n", encoding="utf-8")
    db.execute_sql(f"REVOKE INSERT ON portal_session FROM {portal_role}")
    status, out, err = run_desk("--config", str(config), "--db", migrated_url, "portal",
                                "--database-url", role_url(postgres_workspace.url, portal_role))
    assert (status, out) == (1, "")
    assert f"the portal's database role {portal_role} lacks INSERT on portal_session" in err
    status, _, err = run_desk("--config", str(config), "--db", migrated_url, "portal",
                              "--database-url", "sqlite:///elsewhere.db")
    assert status == 1 and "the portal's own role is a PostgreSQL role" in err
