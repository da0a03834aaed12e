"""desk contacts CLIENT list|add|edit|remove: the app's checks from the command line, JSON
output, a mistake is one line naming its option and changes nothing, remove asks first."""

from __future__ import annotations

import json

import pytest

from desk.models import Activity, Contact


@pytest.fixture
def desk(new_workspace, run_desk):
    """`desk ARGS...` on a new workspace with the client Acme Ltd."""
    assert run_desk("init", "--template", "agency")[0] == 0
    assert run_desk("clients", "add", "Acme Ltd", "--kind", "client")[0] == 0
    return run_desk


def listed(desk) -> list[dict]:
    """What `desk contacts acme --format json` lists."""
    status, out, _ = desk("contacts", "acme", "--format", "json")
    assert status == 0
    return json.loads(out)


def test_contacts_are_added_listed_edited_and_removed(desk):
    assert desk("contacts", "acme", "add", "Ada Lovelace", "--role", "decision maker",
                "--email", "ada@acme.test", "--title", "CEO", "--birthday", "1815-12-10") == (
        0, "added contact 1: Ada Lovelace (primary)\n", "")
    assert desk("contacts", "Acme Ltd", "add", "Bob Byte", "--role", "technical",
                "--phone", "+44 1234 5678")[:2] == (0, "added contact 2: Bob Byte\n")
    ada, bob = listed(desk)
    assert (ada["name"], ada["role"], ada["email"], ada["birthday"], ada["primary"]) == (
        "Ada Lovelace", "decision_maker", "ada@acme.test", "1815-12-10", True)
    assert (bob["role"], bob["phone"], bob["primary"]) == ("technical", "+44 1234 5678", False)
    assert desk("contacts", "acme", "edit", "bob", "--primary", "yes", "--title", "CTO")[:2] \
        == (0, "changed contact 2: Bob Byte (version 2)\n")
    assert [(row["name"], row["primary"], row["title"]) for row in listed(desk)] == [
        ("Bob Byte", True, "CTO"), ("Ada Lovelace", False, "CEO")]
    status, out, _ = desk("contacts", "acme", "list")
    assert status == 0 and out.splitlines()[0].split() == [
        "ID", "NAME", "ROLE", "TITLE", "EMAIL", "PHONE", "PRIMARY"]
    assert desk("contacts", "acme", "remove", "ada@acme.test", "--yes")[:2] == (
        0, "removed contact 1: Ada Lovelace\n")
    assert [row["name"] for row in listed(desk)] == ["Bob Byte"]


@pytest.mark.parametrize(("args", "message"), [
    (["add", "Eve", "--role", "boss"], "desk: --role: role must be one of"),
    (["add", "Eve", "--role", "user", "--email", "eve at acme"],
     "desk: --email: not an e-mail address"),
    (["add", "Eve", "--role", "user", "--birthday", "tomorrow"],
     "desk: --birthday: birthday must be a date like"),
    (["edit", "Ada", "--phone", "call me"], "desk: --phone: phone 'call me' is not a phone"),
    (["edit", "Zed", "--title", "x"], "desk: client 1 has no contact 'Zed'"),
    (["edit", "Ada"], "desk: name at least one field to change"),
])
def test_a_mistake_is_one_line_and_changes_nothing(desk, args, message):
    assert desk("contacts", "acme", "add", "Ada", "--role", "user")[0] == 0
    before = (list(Contact.select().tuples()), Activity.select().count())
    status, out, err = desk("contacts", "acme", *args)
    assert (status, out) == (1, "")
    assert err.startswith(message) and err.count("\n") == 1
    assert (list(Contact.select().tuples()), Activity.select().count()) == before


def test_remove_without_yes_and_without_a_terminal_is_refused(desk):
    assert desk("contacts", "acme", "add", "Ada", "--role", "user")[0] == 0
    status, _, err = desk("contacts", "acme", "remove", "Ada")
    assert status == 1 and "remove the contact Ada (1); add --yes to go ahead" in err
    assert Contact.select().count() == 1


def test_hostile_text_prints_visibly(desk):
    assert desk("contacts", "acme", "add", "Eve\x1b[31m", "--role", "user")[0] == 0
    status, out, _ = desk("contacts", "acme")
    assert status == 0 and "\x1b" not in out and "Eve" in out
