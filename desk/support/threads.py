"""Which query an incoming e-mail belongs to, and which messages were taken before under a
Message-ID (desk.support.intake's threading).

A reply names the messages it answers (In-Reply-To, References; a bounce the message it
returns). Each of those ids is looked up where desk keeps Message-IDs: the mail taken in
(its key, under either key scheme of desk.mail.keys), a query's opening message, a comment,
the outbox. The nearest id that is known gives the query; else a [#ID] token in the subject.
"""

from __future__ import annotations

import re

from desk.mail import keys
from desk.mail.parse import ParsedMail
from desk.models import Comment, MailMessage, Outbox, QueryData, Task

_TOKEN = re.compile(r"\[#(\d{1,12})\]")


def find_thread(parsed: ParsedMail) -> int | None:
    """The query a message answers: the task of the nearest Message-ID it names (a query's
    own, a comment's, a message taken before, or a reply sent from the outbox), else the
    query of a [#ID] token in its subject; None for a new conversation. A Message-ID that
    two messages taken in share names the newer one's query."""
    ids = list(parsed.thread_ids)
    if ids:
        found: dict[str, int] = {}
        for message_id, mail in taken_under(ids):
            if mail.task_id is not None:
                found.setdefault(message_id, mail.task_id)
        for column, task in ((QueryData.message_id, QueryData.task),
                             (Comment.message_id, Comment.task),
                             (Outbox.message_id, Outbox.task)):
            query = (column.model.select(column, task)
                     .where(column.in_(ids) & task.is_null(False)).tuples())
            for message_id, task_id in query:
                found.setdefault(message_id, task_id)
        for message_id in ids:
            if message_id in found:
                return found[message_id]
    for token in _TOKEN.findall(parsed.subject):
        task_id = int(token)
        if Task.select().where((Task.id == task_id) & (Task.kind == "query")).exists():
            return task_id
    return None


def taken_under(message_ids: list[str]) -> list[tuple[str, MailMessage]]:
    """The messages taken in under any of these Message-IDs (under either key scheme), with
    the id each was taken under, newest first."""
    condition = MailMessage.key.in_([keys.legacy_key(i) for i in message_ids])
    for message_id in message_ids:
        condition |= MailMessage.key.between(*keys.key_bounds(message_id))
    found = []
    for mail in MailMessage.select().where(condition).order_by(MailMessage.id.desc()):
        message_id = keys.message_id_of(mail.key)
        if message_id in message_ids:  # a collation's range may hold other ids
            found.append((message_id, mail))
    return found


def earlier_with_message_id(parsed: ParsedMail) -> MailMessage | None:
    """The newest message taken before under this message's Message-ID (call it once the
    message itself is known not to be taken): the same id on other content, so one of the
    two may be forged. None when there is none, or the message has no Message-ID."""
    if parsed.message_id is None:
        return None
    return next((mail for _, mail in taken_under([parsed.message_id])), None)
