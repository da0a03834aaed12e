"""Every command of the command line, run by a viewer: not one row of the workspace changes.

The commands are read from the parser, so a new command is tried as soon as it exists (and
this test asks for a sample value of any new argument). Beside each command as such, the
forms that write are tried too: `tick --now 2100-01-01`, `demo --reset`, `recur --stop`, a
viewer promoting themselves..."""

from __future__ import annotations

import argparse
import grp
import hashlib
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from os_account import ACCOUNT

from desk import db as desk_db
from desk import sla
from desk.cli import build_parser, main
from desk.config import Settings
from desk.crm import clients, contacts
from desk.kernel import agents
from desk.mail import outbox
from desk.models import Agent
from desk.recurrence import series as recurrence
from desk.work import checklists, orders, tasks, workspace

ME = ACCOUNT.pw_name  # the tests' account (tests/os_account.py)
BERLIN = ZoneInfo("Europe/Berlin")
RULES = sla.book(Settings())  # the shipped SLA rules and working week
MAIL = Path(__file__).parent.parent / "data" / "mail"
SUBMISSION = json.dumps({"name": "Ada", "email": "ada@example.com", "problem": "Scanner jams"})
CONFIG = """timezone: Europe/Berlin
automations: []
smtp: {host: 127.0.0.1, port: 1, from_address: desk@example.com}
intake: {imap: {host: 127.0.0.1, port: 1, user: desk, password_env: NO_SUCH_VARIABLE}}
"""

SAMPLES = {
    "id": ["1"], "task": ["1"], "keep": ["2"], "others": ["3"], "title": ["Sneaky"],
    "username": ["boss"], "role": ["viewer"], "name": ["Widget"], "price": ["10"],
    "product": ["1"], "client": ["1"], "qty": ["2"], "template": ["Onboarding"],
    "rule": ["daily"], "entry": ["1"], "score": ["5"], "comment": ["great"], "query": [],
    "words": ["start", "1", "renewal"],
    "files": [str(MAIL / "01-new-plain.eml")], "old": ["Support"], "new": ["Renamed"],
    "list": ["Orders"], "space": ["Support"], "category": ["open"], "position": ["1"],
    "colour": ["#fff"], "kind": ["text"], "options": ["a,b"],
    "keyfile": [str(MAIL.parent / "bob.pub")], "target": ["boss"], "user": [],
    "contact": ["1"],
    "duration": ["1h"],
}
"""A value for each argument a command needs, by its name (`dest`)."""

COMMAND_SAMPLES = {("loyalty", "words"): [],
                   ("suggestions", "words"): []}
"""Samples for one command's argument whose name other commands use with other meanings
(their writing forms are in WRITING_FORMS)."""

PATHS = {"backup": "copy.db", "maildir": "maildir", "mbox": "mail.mbox"}
"""The `path` argument of the commands that take one (under the test's folder)."""

WRITING_FORMS = [
    ["tick", "--now", "2100-01-01"], ["demo", "--reset", "--no-tui"],
    ["demo", "--tasks", "5", "--no-tui"], ["recur", "1", "--stop"],
    ["recur", "1", "weekly on mon", "--preview"], ["agents", "role", ME, "admin"],
    ["agents", "add", "mallory", "--role", "admin"], ["agents", "disable", "boss"],
    ["agents", "remove", "boss"], ["init", "--shared", grp.getgrgid(os.getgid()).gr_name],
    ["order", "1", "1", "--qty", "1"], ["products", "edit", "1", "--active", "no"],
    ["merge", "2", "3"], ["lists", "add", "X", "--space", "Support"],
    ["statuses", "Orders", "add", "Later", "--category", "open"],
    ["statuses", "Orders", "remove", "Widget", "--to", "Open", "--yes"],
    ["fields", "Orders", "remove", "Widget", "--yes"],
    ["portal", "access", "1", "--shared", "yes", "--enabled", "no"],
    ["time", "statement", "1", "--send"],
    ["suggestions", "act", "1:check_in:cadence"],
    ["suggestions", "dismiss", "1:check_in:cadence", "--reason", "no"],
    ["loyalty", "redeem", "1", "5% off", "--order", "1"],
    ["loyalty", "adjust", "1", "100", "--note", "goodwill"],
    ["contacts", "1", "remove", "1", "--yes"],
]
"""Forms beyond each command as such, chosen because they write."""


def leaf_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = (),
                  chain: tuple[argparse.ArgumentParser, ...] = ()
                  ) -> Iterator[tuple[tuple[str, ...], tuple[argparse.ArgumentParser, ...]]]:
    """Every command the parser runs (those with a handler), with the parsers of its words
    (a group's own arguments come before its action: `statuses LIST add NAME`)."""
    if parser.get_default("handler") is not None:
        yield path, chain
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                yield from leaf_commands(command, (*path, name), (*chain, command))


def command_line(path: tuple[str, ...], chain: tuple[argparse.ArgumentParser, ...],
                 folder: Path) -> list[str]:
    """The command with a sample value for each argument its words need."""
    words: list[str] = []
    for word, parser in zip(path, chain, strict=True):
        words.append(word)
        for action in parser._actions:
            needed = not action.option_strings or action.required
            if not needed or action.dest in ("help", "intake_command") or \
                    isinstance(action, argparse._SubParsersAction):
                continue
            if action.dest == "path":
                values = [str(folder / PATHS[path[-1]])]
            elif (path[-1], action.dest) in COMMAND_SAMPLES:
                values = COMMAND_SAMPLES[path[-1], action.dest]
            else:
                assert action.dest in SAMPLES, f"add a sample for {action.dest} of {path}"
                values = SAMPLES[action.dest]
            words += [*action.option_strings[:1], *values] if action.option_strings else values
    return words


def contents(url: str) -> dict[str, tuple[int, str]]:
    """Every table of the database: its row count and a checksum of its rows."""
    connected = desk_db.connect(url)
    try:
        state = {}
        for table in connected.get_tables():
            rows = connected.execute_sql(f'SELECT * FROM "{table}"').fetchall()
            digest = hashlib.sha256("\n".join(sorted(map(repr, rows))).encode()).hexdigest()
            state[table] = (len(rows), digest)
        return state
    finally:
        connected.close()


def mail_sources(folder: Path) -> None:
    """A maildir and an mbox holding one message each."""
    message = (MAIL / "01-new-plain.eml").read_bytes()
    for sub in ("cur", "new", "tmp"):
        (folder / "maildir" / sub).mkdir(parents=True)
    (folder / "maildir" / "new" / "1.eml").write_bytes(message)
    (folder / "mail.mbox").write_bytes(b"From desk@example.com Thu Nov 19 10:00:00 2026\n"
                                       + message + b"\n")


@pytest.fixture
def team(db_url, monkeypatch, tmp_path, capsys) -> str:
    """A workspace with some of everything, where this account is a viewer (another admin,
    boss, demoted it); returns its URL."""
    monkeypatch.setenv("DESK_DATABASE", db_url)
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG)
    monkeypatch.setenv("DESK_CONFIG", str(config))
    assert main(["init"]) == 0
    me = agents.acting()
    workspace.create_space(me, "Support")
    inbox = workspace.create_list(me, "Support", "Support inbox").id
    workspace.create_list(me, "Support", "Orders")
    client = clients.create(me, "Acme", kind="client", email="ops@acme.example",
                            retainer_amount="900", retainer_cycle="monthly",
                            retainer_hours="10").row.id
    contacts.add(me, client, "Ada", role="decision_maker", email="ada@acme.example")
    task = tasks.create(me, "Weekly report", inbox, client_id=client).row.id
    for title in ("Printer jam", "Printer jam again"):
        tasks.create(me, title, inbox, kind="query", client_id=client, sla_rules=RULES)
    checklists.create_template(me, "Onboarding", ["Call", "Send contract"])
    orders.create_product(me, "Setup", unit_price="100")
    recurrence.set_series(me, task, recurrence.SeriesSpec("daily"), BERLIN,
                          calendar=RULES.calendar)
    outbox.queue(me, "ops@acme.example", "Hello", "Body", task_id=task)
    agents.add(me, "boss", role="admin")
    agents.set_role(agents.acting("boss"), me.username, "viewer")
    mail_sources(tmp_path)
    capsys.readouterr()
    return db_url


def test_every_command_as_a_viewer_writes_nothing(team, tmp_path, capsys, monkeypatch):
    lines = [command_line(path, chain, tmp_path)
             for path, chain in leaf_commands(build_parser())] + WRITING_FORMS
    assert len(lines) > 50 and ["tick"] in lines and ["agents", "remove", "boss"] in lines
    before = contents(team)
    tried = []
    for line in lines:
        monkeypatch.setattr("sys.stdin", io.StringIO(SUBMISSION))
        status = main([*line, "--db", team])  # desk demo would use a file of its own
        err = capsys.readouterr().err
        assert contents(team) == before, f"desk {' '.join(line)} wrote as a viewer: {err}"
        assert status in (0, 1), (line, err)
        if status:
            assert any(reason in err for reason in (
                "is a viewer", "only an admin", "not a demo", "--shared is for a SQLite file",
                "only in the ssh identity mode")
            ), (line, err)
        tried.append((" ".join(line), status, err.strip().splitlines()[:1]))
    refused = {line for line, status, _ in tried if status}
    assert {"tick", "tick --now 2100-01-01", "add Sneaky", "outbox send",
            "demo --reset --no-tui", f"agents role {ME} admin"} <= refused
    assert Agent.get(Agent.username == ME).role == "viewer"
    print("\n".join(f"{status}  desk {line}  {' '.join(err)}" for line, status, err in tried))
