"""Creating a workspace only where a person asked for one (desk init, desk demo, the default
file), and refusing, untouched, a missing file, a missing folder, a malformed URL and a
database that is another application's."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from peewee import PostgresqlDatabase
from postgres_server import create_postgres_database, drop_postgres_database, require_postgres

from desk import database_url
from desk import db as desk_db
from desk.cli import main
from desk.models import Agent

COMMANDS = (["ls"], ["add", "A task"], ["migrate", "--status"], ["migrate"], ["agents"],
            ["tick"], ["backup", "copy.db"], [])
"""Commands that open a workspace as it is, in a session, or with no command at all."""


def run(capsys, *args: str) -> tuple[int, str, str]:
    """`desk ARGS...` in-process: (status, stdout, stderr)."""
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def files_under(folder: Path) -> list[str]:
    """Every file and folder under `folder`, as relative paths."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_file_is_refused_with_the_way_to_create_it(tmp_path, capsys, monkeypatch,
                                                             command):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "--db", "sqlite:///team.db", *command)
    assert status == 1 and out == ""
    assert err == "desk: there is no desk workspace at team.db; to create one there: " \
                  "desk init --db team.db\n"
    assert files_under(tmp_path) == []


def test_a_missing_folder_is_refused_and_not_created(tmp_path, capsys):
    status, _, err = run(capsys, "--db", f"sqlite:///{tmp_path}/no/such/desk.db", "ls")
    assert status == 1 and f"(its folder {tmp_path}/no/such does not exist)" in err
    assert files_under(tmp_path) == []


@pytest.mark.parametrize("url", ["sqlite:/team.db", "sqlite:team.db", "postgresql:/desk",
                                 "sqlite://team.db", "sqlite://host/team.db"])
def test_a_malformed_url_is_refused_and_creates_nothing(tmp_path, capsys, monkeypatch, url):
    monkeypatch.chdir(tmp_path)
    for command in (["ls"], ["init"]):
        status, _, err = run(capsys, "--db", url, *command)
        assert status == 1 and err.startswith(f"desk: malformed database URL '{url}': ")
        assert "sqlite:///relative/path.db" in err and err.count("\n") == 1
    assert files_under(tmp_path) == []


@pytest.fixture
def other_app(tmp_path) -> Path:
    """Another application's SQLite file, closed."""
    path = tmp_path / "notes.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    connection.execute("INSERT INTO note (body) VALUES ('keep me')")
    connection.commit()
    connection.close()
    return path


def fingerprint(folder: Path) -> dict[str, str]:
    """The sha256 of every file in `folder`."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.iterdir()) if path.is_file()}


@pytest.mark.parametrize("command", [*COMMANDS, ["init"], ["demo", "--no-tui"],
                                     ["demo", "--reset", "--no-tui"]])
def test_another_applications_file_is_refused_untouched(other_app, capsys, command):
    before = fingerprint(other_app.parent)
    status, out, err = run(capsys, "--db", str(other_app), *command)
    assert status == 1 and out == ""
    assert err == f"desk: {other_app} is not a desk database (it holds other tables: note); " \
                  "desk changed nothing: choose another --db\n"
    assert fingerprint(other_app.parent) == before  # no -wal, no lock file, no byte changed


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("hello, these are my notes\n" * 100)
    before = fingerprint(tmp_path)
    for command in (["ls"], ["init"]):
        status, _, err = run(capsys, "--db", str(text), *command)
        assert status == 1 and f"desk: {text} is not a SQLite database" in err
    assert fingerprint(tmp_path) == before


def test_init_creates_the_workspace_and_its_admin_once(tmp_path, capsys):
    url = f"sqlite:///{tmp_path}/new/desk.db"
    status, out, err = run(capsys, "init", "--db", url)
    assert status == 0 and err == f"desk: created a new workspace in {url}\n"
    assert out.splitlines()[0].endswith(") are an admin of it")
    assert "agents add NAME --role agent" in out
    assert run(capsys, "--db", url, "add", "First")[0] == 0
    status, out, err = run(capsys, "init", "--db", url)  # again: nothing new
    assert status == 0 and err == "" and out.startswith(f"{url} is a desk workspace; you (")
    connected = desk_db.connect(url)
    try:
        assert Agent.select().count() == 1
    finally:
        connected.close()


def test_init_without_a_database_uses_the_default_file(capsys):
    status, _, err = run(capsys, "init")
    assert status == 0 and "created a new workspace in sqlite:///" in err
    assert (Path(err.split("sqlite:///")[1].strip())).is_file()


@pytest.fixture
def postgres_database():
    """A new, empty PostgreSQL database (skips without a server)."""
    require_postgres()
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


def test_an_empty_postgresql_database_needs_desk_init(postgres_database, capsys):
    status, _, err = run(capsys, "--db", postgres_database, "ls")
    assert status == 1 and err.startswith("desk: postgresql://") and \
        "holds no desk workspace; to create one there: desk init --db postgresql://" in err
    assert run(capsys, "--db", postgres_database, "init")[0] == 0
    assert run(capsys, "--db", postgres_database, "add", "First")[0] == 0


def test_another_applications_postgresql_database_is_refused(postgres_database, capsys):
    other = PostgresqlDatabase(**database_url.postgres_params(postgres_database))
    other.execute_sql("CREATE TABLE invoice (id serial PRIMARY KEY)")
    for command in (["init"], ["ls"]):
        status, _, err = run(capsys, "--db", postgres_database, *command)
        assert status == 1 and "is not a desk database (it holds other tables: invoice)" in err
    try:
        assert other.get_tables() == ["invoice"]
    finally:
        other.close()


def test_shared_is_for_sqlite_only(capsys):
    status, _, err = run(capsys, "--db", "postgresql://desk@localhost/desk", "init",
                         "--shared", "staff")
    assert status == 1 and "--shared is for a SQLite file" in err
