"""The outbox: e-mail waiting to go out (desk.mail.delivery sends it).

- `queue` puts a message in (an automation's e-mail, a reply: `queue_reply`). Its recipient
  must be one address and its subject one line, so no text can add a header. It is recorded
  on its task (else its client) as the field "email", with the event "email.queued".
- `retry` queues a failed message again (or a waiting one at once); `rows`, `counts` and
  `get` read the outbox for the TUI and `desk outbox`, as the reader may see it: the
  recipient of an e-mail about a confidential client is hidden from whoever may not see the
  client in full, and so are its hidden values in the subject, text and error
  (desk.kernel.confidential).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, tzinfo

from msgspec import Struct
from peewee import fn

from desk.clock import to_local
from desk.email_address import check_address
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit, confidential
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import storable_text
from desk.models import Agent, Client, Comment, Contact, Outbox, QueryData, Task, database
from desk.vocabulary import OUTBOX_STATUSES

NOT_CONFIGURED = "no SMTP server is configured (smtp.host in the config)"
"""Why mail waits in the outbox when there is no server."""
"""A claim this old means its sender stopped while sending (it never takes this long)."""
ACTOR = "outbox"
"""Who the history names for what the sender records."""
_TOKEN = re.compile(r"\s*\[#\d+\]\s*")
_REPLY_PREFIX = re.compile(r"^(?:\s*re\s*:\s*)+", re.IGNORECASE)


class OutboxRow(Struct, frozen=True):
    """One message as the outbox lists it; `sending` while a sender has it claimed. Times are
    naive UTC."""

    id: int
    task_id: int | None
    client_id: int | None
    to_address: str
    subject: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None
    sending: bool


class OutboxMessage(Struct, frozen=True):
    """One message with its body and threading headers (message ids in angle brackets)."""

    row: OutboxRow
    body: str
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]


# --- reading -------------------------------------------------------------------------------


def rows(status: str | None = None, limit: int = 200,
         viewer: AgentRef | None = None) -> list[OutboxRow]:
    """The newest `limit` messages, newest first, as `viewer` may see them (nobody's for
    None); only those of `status` when given."""
    query = Outbox.select().order_by(Outbox.id.desc()).limit(limit)
    if status is not None:
        if status not in OUTBOX_STATUSES:
            raise InvalidInput(f"the status must be queued, sent or failed, not {status!r}")
        query = query.where(Outbox.status == status)
    messages = list(query)
    masks = _masks(viewer, messages)
    return [_row(message, masks.get(message.id)) for message in messages]


def counts() -> dict[str, int]:
    """How many messages are queued, sent and failed."""
    found = dict(Outbox.select(Outbox.status, fn.COUNT(Outbox.id))
                 .group_by(Outbox.status).tuples())
    return {status: found.get(status, 0) for status in OUTBOX_STATUSES}


def get(outbox_id: int, viewer: AgentRef | None = None) -> OutboxMessage:
    """One message with its body, as `viewer` may see it (nobody's for None); NotFound when
    there is none."""
    message = Outbox.get_or_none(Outbox.id == outbox_id)
    if message is None:
        raise NotFound(f"no e-mail {outbox_id} in the outbox")
    mask = _masks(viewer, [message]).get(message.id)
    body = mask.text(message.body) if mask is not None else message.body
    return OutboxMessage(_row(message, mask), body, message.message_id, message.in_reply_to,
                         tuple(message.reference_ids.split()))


def headers(message: OutboxMessage, zone: tzinfo) -> list[tuple[str, str]]:
    """What is shown above a message's text, as (label, value) pairs (the empty ones left
    out), times in `zone`: its state, its headers, its task, when it was made and sent."""
    row = message.row

    def when(moment: datetime | None) -> str:
        """A stored time in `zone`, to the minute."""
        return f"{to_local(moment, zone):%Y-%m-%d %H:%M}" if moment else ""

    pairs = [("Status", f"{row.status}{' (being sent)' if row.sending else ''}, "
                        f"{row.attempts} attempt{'s' if row.attempts != 1 else ''}"),
             ("To", row.to_address), ("Subject", row.subject),
             ("Message-ID", message.message_id or ""), ("In-Reply-To", message.in_reply_to or ""),
             ("References", " ".join(message.references)),
             ("Task", f"#{row.task_id}" if row.task_id else ""),
             ("Created", when(row.created_at)), ("Sent", when(row.sent_at)),
             ("Next attempt", when(row.next_attempt_at)), ("Last error", row.last_error)]
    return [(label, value) for label, value in pairs if value]


def _row(message: Outbox, mask: confidential.Mask | None = None) -> OutboxRow:
    """The listed fields of a message, with the hidden values of `mask` hidden."""
    to_address, subject, error = message.to_address, message.subject, message.last_error
    if mask is not None:
        to_address, subject, error = mask.value(to_address), mask.text(subject), mask.text(error)
    return OutboxRow(message.id, message.task_id, message.client_id, to_address, subject,
                     message.status, message.attempts, error, message.created_at,
                     message.sent_at, message.next_attempt_at, message.sending_since is not None)


def _masks(viewer: AgentRef | None, messages: Sequence[Outbox]) -> dict[int, confidential.Mask]:
    """The masks of the messages about a confidential client `viewer` may not see in full:
    the client of its task, else its own client."""
    by_task = confidential.task_masks(viewer, {m.task_id for m in messages if m.task_id})
    by_client = confidential.masks(viewer, {m.client_id for m in messages
                                            if m.client_id and not m.task_id})
    found = {message.id: by_task.get(message.task_id) if message.task_id
             else by_client.get(message.client_id) for message in messages}
    return {message_id: mask for message_id, mask in found.items() if mask is not None}


# --- queueing ------------------------------------------------------------------------------


def problem(to_address: str, subject: str) -> str | None:
    """Why a message to `to_address` with `subject` cannot be queued, or None: the address
    must be one address and the subject one line of at most 500 characters."""
    try:
        check_address(to_address)
    except ValueError as error:
        return f"the recipient is {error}"
    if len(to_address) > 254:
        return "the recipient's address is longer than 254 characters"
    if "\r" in subject or "\n" in subject or "\x00" in subject:
        return "the subject must be one line (no line breaks or NUL)"
    if len(subject) > 500:
        return "the subject is longer than 500 characters"
    return None


def queue(agent: AgentRef, to_address: str, subject: str, body: str, *,
          task_id: int | None = None, client_id: int | None = None,
          in_reply_to: str | None = None, references: Sequence[str] = (),
          cc: Sequence[str] = (), hold_until: datetime | None = None) -> int:
    """Put an e-mail in the outbox for the sender to deliver, not before `hold_until` (naive
    UTC) when given (desk.mail.outbox_edits); returns its id.

    Needs a task or a client to belong to; refuses (InvalidInput) a recipient (or one of
    `cc`, its further recipients) that is not one address or a subject that is not one line.
    Recorded on the task (else the client) as the field "email", with the event
    "email.queued".
    """
    require_writer(agent)
    if task_id is None and client_id is None:
        raise InvalidInput("an e-mail in the outbox belongs to a task or a client")
    storable_text(subject, "an e-mail's subject")
    storable_text(body, "an e-mail's text")
    for address in (to_address, *cc):
        reason = problem(address, subject)
        if reason is not None:
            raise InvalidInput(f"cannot queue the e-mail: {reason}")
    copies = ", ".join(dict.fromkeys(address for address in cc if address != to_address))
    with database.atomic():
        message = Outbox.create(task=task_id, client=client_id, to_address=to_address,
                                subject=subject, body=body, in_reply_to=in_reply_to,
                                reference_ids=" ".join(references), cc=copies,
                                next_attempt_at=hold_until)
        entity, entity_id = owner(message)
        said = f"{to_address}{f' (cc {copies})' if copies else ''}: {subject}"
        audit.record(entity, entity_id, agent, {"email": (None, said)},
                     None, "email.queued", {"outbox_id": message.id, "to": to_address})
    return message.id


def queue_reply(agent: AgentRef, task_id: int, body: str,
                cc: Sequence[str] = (), hold_until: datetime | None = None
                ) -> tuple[str, str]:
    """Queue a reply written on a task as an e-mail to `reply_address` (and `cc`), with the
    subject "Re: TITLE [#ID]", In-Reply-To the newest message from them (else the query's
    first) and References both, held until `hold_until` (its undo window) when given. Call
    inside the reply's transaction.

    The e-mail ends with the author's signature (`signed`). Returns (the address, "") once
    queued, or ("", why not) when there is nobody to write to or an address is not one.
    """
    task = Task.get_by_id(task_id)
    data = QueryData.get_or_none(QueryData.task == task_id)
    to_address = reply_address(task_id)
    if not to_address:
        return "", "nobody to e-mail: the task has no requester or client e-mail address"
    subject = reply_subject(task.title, task_id)
    for address in (to_address, *cc):
        reason = problem(address, subject)
        if reason is not None:
            return "", f"not e-mailed: {reason}"
    first = data.message_id if data else None
    newest = (Comment.select(Comment.message_id)
              .where((Comment.task == task_id) & (Comment.kind == "message")
                     & Comment.message_id.is_null(False))
              .order_by(Comment.id.desc()).limit(1).scalar())
    references = list(dict.fromkeys(ident for ident in (first, newest) if ident))
    queue(agent, to_address, subject, signed(body, agent), task_id=task_id,
          client_id=task.client_id, in_reply_to=newest or first, references=references, cc=cc,
          hold_until=hold_until)
    return to_address, ""


def reply_address(task_id: int) -> str:
    """Where a reply on a task goes: the query's requester contact, else its requester's
    address, else the client's primary contact, else the client's own address ("" for
    nobody)."""
    task = Task.get_by_id(task_id)
    data = QueryData.get_or_none(QueryData.task == task_id)
    asked = (Contact.select(Contact.email).where(Contact.id == data.requester_contact_id)
             .scalar() if data is not None and data.requester_contact_id else None)
    if task.client_id is None:
        return asked or (data.requester_email if data else "")
    primary = (Contact.select(Contact.email)
               .where((Contact.client == task.client_id) & Contact.is_primary).scalar())
    own = Client.select(Client.email).where(Client.id == task.client_id).scalar()
    return asked or (data.requester_email if data else "") or primary or own or ""


def signed(body: str, agent: AgentRef) -> str:
    """A reply's text with its author's signature under the usual "-- " line, when they
    keep one (desk.kernel.profiles)."""
    signature = Agent.select(Agent.signature).where(Agent.id == agent.id).scalar()
    return f"{body.rstrip()}\n\n-- \n{signature}" if signature else body


def reply_subject(title: str, task_id: int) -> str:
    """"Re: TITLE [#ID]" on one line, whatever "Re:" and [#ID] the title holds already."""
    words = " ".join(_TOKEN.sub(" ", _REPLY_PREFIX.sub("", title)).split())
    token = f" [#{task_id}]"
    return f"Re: {words[:500 - len(token) - 4]}{token}"


def owner(message: Outbox) -> tuple[str, int]:
    """What a message's history is recorded on: its task, else its client, else itself."""
    if message.task_id is not None:
        return "task", message.task_id
    if message.client_id is not None:
        return "client", message.client_id
    return "outbox", message.id


# --- retrying ------------------------------------------------------------------------------


def retry(agent: AgentRef, outbox_id: int) -> OutboxRow:
    """Queue a failed message again with a fresh count of attempts, or make a queued one
    waiting out its backoff due at once (returned as `agent` may see it). A sent message is
    never sent again (InvalidInput), nor one a sender is sending right now."""
    require_writer(agent)
    with database.atomic():
        message = Outbox.get_or_none(Outbox.id == outbox_id)
        if message is None:
            raise NotFound(f"no e-mail {outbox_id} in the outbox")
        if message.status == "sent":
            raise InvalidInput(f"e-mail {outbox_id} was sent at {message.sent_at:%Y-%m-%d %H:%M} "
                               "UTC; desk sends a message once")
        changes: dict = {"next_attempt_at": None}
        if message.status == "failed":
            changes.update(status="queued", attempts=0)
        updated = (Outbox.update(**changes)
                   .where((Outbox.id == outbox_id) & (Outbox.status == message.status)
                          & Outbox.sending_since.is_null()).execute())
        if not updated:
            raise InvalidInput(f"e-mail {outbox_id} is being sent right now")
        entity, entity_id = owner(message)
        audit.record(entity, entity_id, agent,
                     {"email": (message.status,
                                f"queued again: {message.to_address}: {message.subject}")},
                     None, "email.retried", {"outbox_id": outbox_id, "to": message.to_address})
        message = Outbox.get_by_id(outbox_id)
        return _row(message, _masks(agent, [message]).get(outbox_id))


def emails(count: int) -> str:
    """"1 e-mail", "3 e-mails"."""
    return f"{count} e-mail{'s' if count != 1 else ''}"
