"""The hostile corpus (tests/hostile_text.py) e-mailed to the desk: in the subject, the body,
the sender's name and an attachment's name.

Every message becomes a query whose title, description, requester and file list hold the
text (NUL dropped, undecodable bytes read as text, as the mail reader documents), or is set
aside as failed with a reason; intake never raises and never stores an unstorable character.
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest
from hostile_text import CORPUS

from desk import db as desk_db
from desk import sla
from desk.config import Settings, SqliteSettings
from desk.kernel import agents
from desk.models import Attachment, MailMessage, QueryData, Task
from desk.support.intake import IntakeOptions, take_mail
from desk.text import unstorable
from desk.work import workspace

Build = Callable[[str, int], bytes]


def _bytes(text: str) -> bytes:
    """`text` as UTF-8; a lone surrogate becomes the bytes a broken mailer would send."""
    return text.encode("utf-8", "surrogatepass")


def _utf8_words(text: str) -> str:
    """`text` as RFC 2047 encoded words: a header may carry any byte that way."""
    data = _bytes(text)
    words = [f"=?utf-8?b?{base64.b64encode(data[at:at + 45]).decode()}?="
             for at in range(0, len(data), 45)]
    return "\r\n ".join(words) or '""'


def _message(n: int, *, subject: str = "Hello", name: str = "Ada", body: str = "Body",
             filename: str | None = None) -> bytes:
    """A raw e-mail from ada+N@lovelace.example with these parts (the body base64)."""
    headers = (f"From: {_utf8_words(name)} <ada+{n}@lovelace.example>\r\n"
               f"Subject: {_utf8_words(subject)}\r\nMessage-ID: <m{n}@lovelace.example>\r\n"
               "MIME-Version: 1.0\r\n")
    text = base64.encodebytes(_bytes(body)).decode().replace("\n", "\r\n")
    part = ("Content-Type: text/plain; charset=utf-8\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{text}\r\n")
    if filename is None:
        return (headers + part).encode()
    attached = (f"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; "
                f"filename*=utf-8''{quote(_bytes(filename))}\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n")
    return (headers + "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
            f"--b\r\n{part}--b\r\n{attached}--b--\r\n").encode()


PLACES: dict[str, Build] = {
    "subject": lambda text, n: _message(n, subject=text),
    "body": lambda text, n: _message(n, body=text),
    "sender name": lambda text, n: _message(n, name=text),
    "attachment name": lambda text, n: _message(n, filename=text),
}


@pytest.fixture(scope="module")
def desk(tmp_path_factory, sqlite_template) -> Iterator[tuple[agents.AgentRef, IntakeOptions]]:
    """A desk with a support inbox (SQLite, synchronous=normal: many small commits)."""
    folder = tmp_path_factory.mktemp("hostile-mail")
    shutil.copyfile(sqlite_template, folder / "desk.db")
    connected = desk_db.connect(f"sqlite:///{folder / 'desk.db'}",
                                SqliteSettings(synchronous="normal"))
    admin = agents.acting()
    workspace.create_space(admin, "Support")
    workspace.create_list(admin, "Support", "Support inbox")
    yield admin, IntakeOptions(list_name="Support inbox", attachments_root=folder / "files",
                               sla_rules=sla.book(Settings()))
    connected.close()


def _stored_text(task_id: int) -> list[str]:
    """Every text intake stored for a query."""
    task = Task.get_by_id(task_id)
    data = QueryData.get(QueryData.task == task_id)
    files = [row.filename for row in Attachment.select().where(Attachment.task == task_id)]
    return [task.title, task.description, data.requester_name, *files]


@pytest.mark.parametrize("place", PLACES)
def test_hostile_mail_becomes_a_query_or_is_set_aside_with_a_reason(desk, place):
    admin, options = desk
    offset = list(PLACES).index(place) * 1000
    taken = 0
    for number, (name, text) in enumerate(CORPUS.items(), start=offset):
        outcome = take_mail(admin, PLACES[place](text, number), f"{place} {name}", options)
        if outcome.outcome == "failed":
            assert outcome.detail, name
            assert MailMessage.get(MailMessage.source == f"{place} {name}").error, name
            continue
        assert outcome.outcome == "new", (name, outcome)
        assert all(unstorable(stored) < 0 for stored in _stored_text(outcome.task_id)), name
        taken += 1
    assert taken >= len(CORPUS) - 5, f"{place}: only {taken} of {len(CORPUS)} taken in"
