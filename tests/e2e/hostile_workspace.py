"""A workspace with the hostile corpus (tests/hostile_text.py) in every text field a screen
shows, put there through the services and through mail intake, as an attacker who can
e-mail support or fill in a form would.

`build(url, files)` returns how many strings × fields were tried and how many were stored
(the rest were refused with a clear InvalidInput).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote

from hostile_text import CORPUS, ONE_MEGABYTE, TEN_THOUSAND_LINES

from desk import db as desk_db
from desk import sla
from desk.config import Settings, SqliteSettings
from desk.crm import clients, interactions
from desk.errors import InvalidInput
from desk.kernel import agents
from desk.mail import outbox
from desk.support.intake import IntakeOptions, take_mail
from desk.work import checklists, comments, custom_fields, orders, tasks, views, workspace

RULES = sla.book(Settings())
"""The shipped SLA rules, which give the queries made here their due times."""

FIRST_TITLE = "Hostile: \x1b]0;PWNED-TITLE\x07 \x1b]52;c;UFdORUQtQ0xJUA==\x07 \u202eevil"
"""The title of the query the end-to-end test opens first (it ranks first: urgent)."""
BIG_TITLE = "Megabyte description"
"""The task whose description is the corpus's megabyte (the end-to-end test opens it)."""
CLIENT = "Client Zyxwv \x1b]52;c;UFdORUQtQ0xJUA==\x07 [b]bold[/b]"
"""The client the end-to-end test opens: hostile name, notes and interactions."""


@dataclass
class Tally:
    """Strings × fields tried, and how many of them were stored."""

    tried: int = 0
    stored: int = 0
    refused: list[str] = field(default_factory=list)

    def put(self, what: str, write: Callable[[], object]) -> None:
        """Try one write; a clear refusal is counted, anything else raises."""
        self.tried += 1
        try:
            write()
        except InvalidInput as error:
            self.refused.append(f"{what}: {error}")
            return
        self.stored += 1


def build(url: str, files: Path) -> Tally:
    """Fill the database at `url` (new, SQLite) with the corpus; attachments go to `files`."""
    connected = desk_db.connect(url, SqliteSettings(synchronous="normal"))
    desk_db.migrate(connected)
    try:
        return _fill(agents.acting(), files)
    finally:
        connected.close()


@dataclass(frozen=True)
class Places:
    """Where the corpus is written: the agent, the inbox, the first query and its client."""

    admin: agents.AgentRef
    list_id: int
    first_id: int
    client_id: int
    checklist_id: int

    def version(self) -> int:
        """The first query's version now."""
        return tasks.get(self.first_id).row.version


WRITES: dict[str, Callable[[Places, str], object]] = {
    "title": lambda at, text: tasks.create(at.admin, text, at.list_id, kind="query",
                                                sla_rules=RULES),
    "description": lambda at, text: tasks.create(at.admin, "Description", at.list_id,
                                                 client_id=at.client_id, description=text),
    "tag": lambda at, text: tasks.update(at.admin, at.first_id, at.version(), tags=[text]),
    "custom field": lambda at, text: custom_fields.set_value(at.admin, at.first_id,
                                                             at.version(), "Notes", text),
    "reply": lambda at, text: comments.reply(at.admin, at.first_id, text),
    "note": lambda at, text: comments.note(at.admin, at.first_id, text),
    "summary": lambda at, text: interactions.log(at.admin, at.client_id, "call", text),
    "checklist item": lambda at, text: checklists.add_item(at.admin, at.checklist_id, text),
    "client": lambda at, text: clients.create(at.admin, text, "customer", notes=text),
    "template": lambda at, text: checklists.create_template(at.admin, text, [text]),
    "product": lambda at, text: orders.create_product(at.admin, text, unit_price=1),
    "view": lambda at, text: views.save(at.admin, "tasks", text, "is:open"),
    "outbox": lambda at, text: outbox.queue(
        at.admin, "ada@hostile.example", " ".join(text.split())[:400], text,
        task_id=at.first_id),
}
"""Every text field a screen shows, and how to write one corpus string into it."""


def _fill(admin: agents.AgentRef, files: Path) -> Tally:
    tally = Tally()
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Support inbox")
    custom_fields.define(admin, inbox.id, "Notes", "text")
    client = clients.create(admin, CLIENT, "client", email="info@hostile.example",
                            notes=CORPUS["everything"] + "\n\n" + CORPUS["osc52-st"]).row
    first = tasks.create(admin, FIRST_TITLE, inbox.id, kind="query", sla_rules=RULES,
                         priority="urgent",
                         client_id=client.id, description=CORPUS["markdown"] + "\n\n"
                         + CORPUS["everything"] + "\n" + CORPUS["osc8-link"]).row
    checklist = checklists.add_checklist(admin, first.id, CORPUS["osc0-title"])
    tasks.create(admin, BIG_TITLE, inbox.id, description=ONE_MEGABYTE)
    places = Places(admin, inbox.id, first.id, client.id, checklist)
    for name, text in CORPUS.items():
        for field_name, write in WRITES.items():
            tally.put(f"{name} {field_name}", partial(write, places, text))
    _mail(tally, admin, files)
    return tally


def _mail(tally: Tally, admin: agents.AgentRef, files: Path) -> None:
    """E-mails with the corpus in the subject, the body, the sender's name and a file name."""
    options = IntakeOptions(list_name="Support inbox", attachments_root=files, sla_rules=RULES)
    for number, (name, text) in enumerate(CORPUS.items()):
        if text in (ONE_MEGABYTE, TEN_THOUSAND_LINES):
            continue  # too big for a header; the mail test sends those
        tally.tried += 1
        raw = _message(number, text)
        outcome = take_mail(admin, raw, f"hostile {name}", options)
        if outcome.outcome == "failed":
            tally.refused.append(f"{name} mail: {outcome.detail}")
        else:
            tally.stored += 1
    for big in (ONE_MEGABYTE, TEN_THOUSAND_LINES):
        tally.tried += 1
        outcome = take_mail(admin, _message(len(big), "Big body", body=big), "big", options)
        tally.stored += outcome.outcome == "new"


def _message(number: int, text: str, body: str | None = None) -> bytes:
    """An e-mail with `text` in its subject, sender's name, body and attachment's name."""
    data = text.encode("utf-8", "surrogatepass")
    word = "".join(f"=?utf-8?b?{base64.b64encode(data[at:at + 45]).decode()}?="
                   for at in range(0, len(data), 45)) or "x"
    content = base64.encodebytes((body if body is not None else text)
                                 .encode("utf-8", "surrogatepass")).decode()
    return (f"From: {word} <mailer{number}@hostile.example>\r\nSubject: {word}\r\n"
            f"Message-ID: <hostile{number}@hostile.example>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64"
            f"\r\n\r\n{content}\r\n--b\r\nContent-Type: application/octet-stream\r\n"
            f"Content-Disposition: attachment; filename*=utf-8''{quote(data)}\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--b--\r\n").encode()

