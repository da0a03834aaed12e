"""Confidential clients through the CLI, run by a viewer who may not see Secret Co in full
(the world of test_confidential): `desk ls`, `desk clients`, `desk show`, `desk report`,
`desk outbox` and `desk intake` print its name but none of its hidden values."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from email.message import EmailMessage

import pytest
from test_confidential import World, leaks

from desk import db as desk_db
from desk.crm import clients
from desk.kernel import agents
from desk.kernel.access import identity
from desk.kernel.confidential import HIDDEN


@pytest.fixture
def desk(migrated_url, run_desk, monkeypatch, tmp_path):
    """Run `desk ARGS...` as a viewer (this OS account) on the world of test_confidential,
    built by the admin "boss"; `desk.world` is that world."""
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    config = tmp_path / "config.yaml"
    config.write_text("timezone: Europe/Berlin\n")
    monkeypatch.setenv("DESK_CONFIG", str(config))
    desk_db.connect(migrated_url)
    boss = agents.acting("boss")  # the first agent: an admin
    agents.add(boss, identity.os_account(), role="viewer")
    run_desk.world = World(boss, tmp_path)
    return run_desk


def printed(desk, *args: str) -> str:
    """What `desk ARGS...` prints, once it succeeded."""
    status, out, err = desk(*args)
    assert (status, err) == (0, ""), err
    return out


def test_ls_names_the_client_in_every_format_and_nothing_hidden(desk):
    for form in ("table", "json", "csv"):
        out = printed(desk, "ls", "kind:query", "--format", form)
        assert "Secret Co" in out and leaks(out) == []
    rows = list(csv.DictReader(io.StringIO(printed(desk, "ls", "--format", "csv"))))
    assert {row["client"] for row in rows} == {"Secret Co", "Open Ltd"}


def test_ls_finds_no_task_through_a_hidden_value(desk):
    assert json.loads(printed(desk, "ls", "jane", "--format", "json")) == []
    found = json.loads(printed(desk, "ls", "printer", "--format", "json"))
    assert [row["id"] for row in found] == [desk.world.query]


def test_clients_blanks_the_hidden_fields_and_finds_nothing_through_them(desk):
    rows = {row["name"]: row for row in json.loads(printed(desk, "clients", "--format",
                                                           "json"))}
    secret = rows["Secret Co"]
    assert (secret["contact_person"], secret["email"], secret["phone"]) == ("", "", "")
    assert rows["Open Ltd"]["contact_person"] == "Olga Open"
    assert leaks(printed(desk, "clients")) == []
    assert json.loads(printed(desk, "clients", "jane", "--format", "json")) == []
    assert [row["name"] for row in json.loads(
        printed(desk, "clients", "secret", "--format", "json"))] == ["Secret Co"]


def test_show_names_no_hidden_author_or_requester(desk):
    query = str(desk.world.query)
    out = printed(desk, "show", query)
    assert f"--- message by {HIDDEN} at" in out
    assert "Secret Co" in out and leaks(out) == []
    shown = json.loads(printed(desk, "show", query, "--format", "json"))[0]
    assert [comment["author"] for comment in shown["comments"]] == ["boss", HIDDEN]
    history = {entry["field"]: entry["new"] for entry in shown["activity"]}
    assert history["requester_name"] == history["requester_email"] == HIDDEN
    assert leaks(shown) == []


@pytest.mark.parametrize(("what", "formats"), [("tasks", ("csv", "json", "ical")),
                                               ("clients", ("csv", "json", "vcard"))])
def test_export_names_the_client_and_nothing_hidden(desk, what, formats):
    for form in formats:
        out = printed(desk, "export", what, "--format", form)
        assert leaks(out) == [], form
        assert "Secret Co" in out or form == "ical", form  # a to-do carries no client
    if what == "tasks":
        exported = {task["id"]: task for task in json.loads(
            printed(desk, "export", "tasks", "--format", "json"))}
        authors = [comment["author"] for comment in exported[desk.world.query]["comments"]]
        assert authors == ["boss", HIDDEN]


def test_report_names_the_client_and_nothing_hidden(desk):
    boss, secret = agents.acting("boss"), desk.world.secret
    clients.update(boss, secret, clients.get(secret, boss).row.version, lifecycle_stage="at_risk",
                   contact_cadence_days=7, birthday=date(1980, 11, 25))
    for form in ("table", "json"):
        out = printed(desk, "report", "--format", form, "--now", "2026-11-19 10:00")
        assert out.count("Secret Co") >= 2 and leaks(out) == []  # birthdays, at risk


def test_outbox_hides_the_recipient(desk):
    for form in ("table", "json"):
        status, out, err = desk("outbox", "--format", form)
        assert status == 0 and HIDDEN in out and leaks(out + err) == []
    out = printed(desk, "outbox", "show", "1")
    assert f"To: {HIDDEN}" in out and f"Dear {HIDDEN}," in out and leaks(out) == []


def test_intake_lines_name_nobody_hidden(desk, tmp_path):
    agents.set_role(agents.acting("boss"), identity.os_account(), "agent")
    message = EmailMessage()
    message["From"] = "Jane Hidden <jane@hidden.example>"
    message["Subject"] = "Re: Printer jam"
    message["Message-ID"] = "<three@hidden.example>"
    message["In-Reply-To"] = "<one@hidden.example>"
    message.set_content("It jams again. Jane Hidden, 555 0100")
    path = tmp_path / "three.eml"
    path.write_bytes(message.as_bytes())
    status, out, err = desk("intake", "eml", str(path))
    assert (status, err) == (0, "")
    assert out.splitlines()[0] == f"{path}: comment on #{desk.world.query}"
    assert leaks(out) == []
    assert leaks(printed(desk, "show", str(desk.world.query))) == []
