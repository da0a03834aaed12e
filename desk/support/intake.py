"""Intake from e-mail: a message becomes a new query, or a comment on the query it answers
(form submissions: desk.support.forms, which shares the requester matching here).

Every message is taken once, by its key (desk.mail.keys: the Message-ID with a digest of
the content, or a hash of the bytes); reading the same mailbox again creates nothing new, and
a message stored under the bare Message-ID of older keys is recognised by it with the same
sender and subject. A different message reusing a Message-ID is taken too, with a note
that one of the two may be forged. What becomes of a message is kept in MailMessage, in the
same transaction as the query, comment or note it made:

- new: a new query on the intake list, its requester matched to a client by address, then
  by domain (never a public mail domain), else a new customer (when configured); its files
  saved (desk.mail.attachments) and listed on it;
- comment: a reply (In-Reply-To or References naming a message of the thread, or a [#ID]
  token in the subject) is added to its query as a message from the requester, which then
  waits on us again; a resolved query reopens (when configured) and a snoozed one wakes
  (with the "wake" snooze policy); a reply to a resolved query that starts with a score from
  1 to 5 is the answer to the survey, recorded as its CSAT; a reply to an NPS survey from
  the address it went to that starts with a score from 0 to 10 is its answer
  (desk.support.feedback.answers);
- automatic: auto-replies, out-of-office mail and bounces never open a query: they become an
  internal note on the thread they answer, or are only logged;
- failed: a message that cannot be read, or whose query cannot be written, is kept (its raw
  bytes under the data directory) and reported, never dropped.

The changes are recorded by intake as actor ("intake"), through the ordinary services.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Literal

from msgspec import Struct, field

from desk import sla
from desk.clock import stored, utcnow
from desk.config import IntakeSettings
from desk.crm import interactions
from desk.dialect import serialize
from desk.errors import DeskError, InvalidInput
from desk.kernel import audit, search
from desk.kernel.agents import AgentRef, require_writer
from desk.mail import attachments, keys
from desk.mail.parse import MailError, ParsedMail, parse
from desk.mail.sources import IncomingMail
from desk.models import (
    Comment,
    MailMessage,
    Outbox,
    QueryData,
    Status,
    Task,
    database,
)
from desk.paths import data_dir
from desk.sla import Book
from desk.support import csat, requesters, threads
from desk.support.feedback import answers
from desk.vocabulary import DONE_CATEGORIES
from desk.work import notices, tasks, workspace

ACTOR = "intake"
PREVIEW = 200  # characters of a message kept in its activity row and interaction summary
SnoozePolicy = Literal["wake", "stay"]


class IntakeOptions(Struct, frozen=True):
    """How messages are taken in (from the `intake:` settings; `snooze_policy` is "wake" =
    a reply wakes a snoozed query, "stay" = it stays snoozed until its time), and the SLA
    rules that give a new query its due times (`sla_rules`, needed to create one)."""

    list_name: str = "Support inbox"
    attachment_max_bytes: int = attachments.DEFAULT_MAX_BYTES
    reopen_resolved: bool = True
    create_customers: bool = True
    public_domains: frozenset[str] = frozenset()
    snooze_policy: SnoozePolicy = "wake"
    attachments_root: Path | None = None
    sla_rules: Book | None = None

    @classmethod
    def from_settings(cls, settings: IntakeSettings, sla_rules: Book) -> IntakeOptions:
        """The options the settings describe, creating queries by `sla_rules`."""
        return cls(list_name=settings.list, attachment_max_bytes=settings.attachment_max_bytes,
                   attachments_root=(Path(settings.attachments_folder).expanduser()
                                     if settings.attachments_folder else None),
                   reopen_resolved=settings.reopen_resolved,
                   create_customers=settings.create_customers,
                   public_domains=frozenset(settings.public_domains),
                   snooze_policy=settings.snooze_policy, sla_rules=sla_rules)


class Outcome(Struct, frozen=True):
    """What became of one message or submission: `outcome` is new, comment, automatic,
    failed or duplicate (taken before); `detail` says more (a subject, a reason)."""

    source: str
    outcome: str
    task_id: int | None = None
    detail: str = ""

    def text(self) -> str:
        """The report line, e.g. "new query #12: Printer jam" (user text included as is:
        print it through desk.text)."""
        task = f"#{self.task_id}" if self.task_id is not None else ""
        texts = {
            "new": f"new query {task}: {self.detail}",
            "comment": (f"comment on {task}" if task else "survey answer")
                       + (f" ({self.detail})" if self.detail else ""),
            "automatic": (f"automatic ({self.detail}): note on {task}" if task
                          else f"automatic ({self.detail}): logged"),
            "failed": f"failed: {self.detail}",
            "duplicate": "already taken" + (f" ({self.detail})" if self.detail else ""),
        }
        return f"{self.source}: {texts[self.outcome]}"


class IntakeReport(Struct):
    """The outcomes of one intake run, in order."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """How many messages had this outcome."""
        return sum(1 for item in self.outcomes if item.outcome == outcome)

    def summary(self) -> str:
        """One line: "intake: 2 new, 1 comment, 0 automatic, 1 failed, 3 already taken"."""
        comments = self.count("comment")
        return (f"intake: {self.count('new')} new, {comments} "
                f"{'comment' if comments == 1 else 'comments'}, {self.count('automatic')} "
                f"automatic, {self.count('failed')} failed, {self.count('duplicate')} "
                "already taken")


# --- e-mail --------------------------------------------------------------------------------


def take_all(agent: AgentRef, messages: Iterable[IncomingMail], options: IntakeOptions, *,
             now: datetime | None = None,
             on_outcome: Callable[[Outcome], None] | None = None) -> IntakeReport:
    """Take every message of a source (desk.mail.sources), calling each message's
    `done` once it is recorded (an IMAP source flags or moves it then) and `on_outcome`
    with each outcome as it happens. The intake list is checked first: a list that does not
    exist stops the run before any message is taken (a DeskError)."""
    require_writer(agent)
    workspace.starter_list(agent, options.list_name)
    report = IntakeReport()
    for message in messages:
        outcome = take_mail(agent, message.raw, message.source, options, now=now)
        if message.done is not None:
            message.done()
        report.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return report


def take_mail(agent: AgentRef, raw: bytes, source: str, options: IntakeOptions, *,
              now: datetime | None = None) -> Outcome:
    """Take one e-mail (its raw bytes, from `source`) once; returns what became of it.

    Nothing raises for a bad message: it is recorded as failed, with its bytes kept. Database
    errors do raise (the message is then not marked taken and is read again next time)."""
    require_writer(agent)
    now = stored(now) or utcnow()  # aware or naive UTC in, naive UTC from here on
    try:
        parsed = parse(raw)
    except MailError as error:
        return _fail(agent, raw, keys.raw_key(raw), source, str(error), now)
    if (taken := _taken(parsed.key, source, parsed)) is not None:
        return taken
    saved: list[attachments.SavedFile] = []
    try:
        with audit.acting_as(ACTOR, 0), database.atomic():
            serialize(f"mail:{parsed.key}")
            if (taken := _taken(parsed.key, source, parsed)) is not None:
                return taken
            thread = threads.find_thread(parsed)
            if parsed.is_automatic:
                return _automatic(agent, parsed, thread, source, now, parsed.automatic_reason)
            if _sent_here(parsed):
                return _automatic(agent, parsed, None, source, now, "sent by this desk")
            if thread is None and (answered := _nps_reply(agent, parsed, source, now)):
                return answered
            earlier = threads.earlier_with_message_id(parsed)
            saved, skipped = _store_files(parsed, options)
            if thread is not None:
                outcome = _reply(agent, parsed, thread, source, options, now, saved, skipped)
            else:
                outcome = _new_query(agent, parsed, source, options, now, saved, skipped)
            if earlier is not None:
                _note_reused_message_id(agent, outcome.task_id, parsed, earlier, now)
            return outcome
    except DeskError as error:
        attachments.discard(saved, options.attachments_root)
        return _fail(agent, raw, parsed.key, source, str(error), now, parsed)
    except BaseException:
        attachments.discard(saved, options.attachments_root)
        raise


def _taken(key: str, source: str, parsed: ParsedMail | None = None) -> Outcome | None:
    """The duplicate outcome when the message with `key` was taken before, else None.

    A message taken before keys had a digest is stored under its bare Message-ID: the
    same Message-ID with the same sender and subject is that message read again."""
    before = MailMessage.get_or_none(MailMessage.key == key)
    if before is None and parsed is not None and parsed.message_id is not None:
        before = MailMessage.get_or_none(
            (MailMessage.key == keys.legacy_key(parsed.message_id))
            & (MailMessage.sender == parsed.sender_address[:254])
            & (MailMessage.subject == parsed.subject[:500]))
    if before is None:
        return None
    detail = before.outcome + (f" #{before.task_id}" if before.task_id else "")
    return Outcome(source, "duplicate", before.task_id, detail)


def _note_reused_message_id(agent: AgentRef, task_id: int, parsed: ParsedMail,
                            earlier: MailMessage, now: datetime) -> None:
    """Tell the agents on the query that its message shares its Message-ID with another."""
    where = f"{earlier.outcome} #{earlier.task_id}" if earlier.task_id else earlier.outcome
    add_message(agent, task_id, "note", ACTOR,
                f"Another message with the Message-ID {parsed.message_id} was taken before "
                f"(from {earlier.sender or 'an unknown sender'}: {where}). One of the two may "
                "be forged; replies naming this Message-ID now come here.", None, now)


def _store_files(parsed: ParsedMail, options: IntakeOptions
                 ) -> tuple[list[attachments.SavedFile], list[attachments.SkippedFile]]:
    """Save the message's files in a folder of its own (named by a hash of its key)."""
    if not parsed.attachments:
        return [], []
    folder = hashlib.sha256(parsed.key.encode("utf-8")).hexdigest()[:24]
    return attachments.store(folder, parsed.attachments, max_bytes=options.attachment_max_bytes,
                             root=options.attachments_root)


def _with_files(text: str, saved, skipped) -> str:
    """A message's text followed by the list of its files."""
    listing = attachments.listing(saved, skipped)
    return "\n\n".join(part for part in (text.strip() or "(no text)", listing) if part)


def _new_query(agent: AgentRef, parsed: ParsedMail, source: str, options: IntakeOptions,
               now: datetime, saved, skipped) -> Outcome:
    """A new query from a message that answers none."""
    client_id = requesters.client_of(agent, parsed.sender_address, parsed.sender_name,
                                     options.public_domains, options.create_customers)
    subject = parsed.subject or "(no subject)"
    description = _with_files(parsed.body, saved, skipped)
    task_id = create_query(agent, options, subject[:500], description, client_id, "normal",
                            {"requester_name": parsed.sender_name[:200],
                             "requester_email": parsed.sender_address[:254], "channel": "email",
                             "message_id": parsed.message_id,
                             "requester_contact": requesters.contact_of(client_id,
                                                                    parsed.sender_address)})
    mail = _remember(agent, parsed.key, source, parsed, task_id, "new", now=now)
    attachments.record(task_id, saved, mail_id=mail.id)
    if client_id is not None:
        interactions.log(agent, client_id, "email", subject[:PREVIEW], task_id=task_id,
                         occurred_at=min(now, utcnow()))
    return Outcome(source, "new", task_id, subject)


def _reply(agent: AgentRef, parsed: ParsedMail, task_id: int, source: str,
           options: IntakeOptions, now: datetime, saved, skipped) -> Outcome:
    """A reply from the requester added to the query it answers."""
    task = Task.get_by_id(task_id)
    body = parsed.reply_body
    answer = csat.score_in(body) if task.category in DONE_CATEGORIES else None
    text = _with_files(body, saved, skipped)
    notes = []
    if answer is not None:
        comment = add_message(agent, task_id, "message", parsed.sender, text,
                              parsed.message_id, now)
        csat.record(agent, task_id, *answer)
        notes.append(f"CSAT {answer[0]} recorded")
    else:
        comment, done = requester_wrote(agent, task, parsed.sender, text, parsed.message_id,
                                        options, now)
        notes += done
    mail = _remember(agent, parsed.key, source, parsed, task_id, "comment", now=now)
    attachments.record(task_id, saved, comment_id=comment.id, mail_id=mail.id)
    if task.client_id is not None:
        interactions.log(agent, task.client_id, "email", body[:PREVIEW], task_id=task_id,
                         occurred_at=min(now, utcnow()))
    return Outcome(source, "comment", task_id, ", ".join(notes))


def _nps_reply(agent: AgentRef, parsed: ParsedMail, source: str,
               now: datetime) -> Outcome | None:
    """A reply to an NPS survey that starts with a score: recorded as its answer (the mail
    taken as a comment on no query). None for any other message, which goes on as usual."""
    survey = answers.survey_replied_to(parsed)
    answer = answers.take_reply(agent, survey, parsed.reply_body, now) if survey else None
    if answer is None:
        return None
    _remember(agent, parsed.key, source, parsed, None, "comment", now=now)
    return Outcome(source, "comment", None, f"NPS {answer.score} recorded")


def _sent_here(parsed: ParsedMail) -> bool:
    """Whether the message is one this desk sent (a copy that came back to the mailbox):
    taking it as the requester's would loop."""
    return parsed.message_id is not None and Outbox.select().where(
        Outbox.message_id == parsed.message_id).exists()


def _automatic(agent: AgentRef, parsed: ParsedMail, task_id: int | None, source: str,
               now: datetime, reason: str) -> Outcome:
    """Automatic mail (why: `reason`): an internal note on its thread, or only logged."""
    if task_id is not None:
        body = (f"Automatic mail ({reason}) from {parsed.sender}: "
                f"{parsed.subject}\n\n{parsed.body}").strip()
        add_message(agent, task_id, "note", parsed.sender, body, parsed.message_id, now)
    _remember(agent, parsed.key, source, parsed, task_id, "automatic", error=reason, now=now)
    return Outcome(source, "automatic", task_id, reason)


def _fail(agent: AgentRef, raw: bytes, key: str, source: str, reason: str, now: datetime,
          parsed: ParsedMail | None = None) -> Outcome:
    """Keep a message that could not be taken in, and record why (once)."""
    with audit.acting_as(ACTOR, 0), database.atomic():
        serialize(f"mail:{key}")
        if (taken := _taken(key, source, parsed)) is not None:
            return taken
        _remember(agent, key, source, parsed, None, "failed", error=reason,
                  raw_path=str(keep_raw(raw)), now=now)
    return Outcome(source, "failed", None, reason)


def keep_raw(raw: bytes) -> Path:
    """Save the bytes of a message that failed under the data directory; returns the file."""
    folder = data_dir() / "mail" / "failed"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{hashlib.sha256(raw).hexdigest()}.eml"
    if not path.exists():
        path.write_bytes(raw)
    return path


def _remember(agent: AgentRef, key: str, source: str, parsed: ParsedMail | None,
              task_id: int | None, outcome: str, *, error: str = "", raw_path: str = "",
              now: datetime) -> MailMessage:
    """Record that the message with `key` was taken, and what became of it."""
    mail = MailMessage.create(
        key=key[:500], source=source[:500],
        sender=parsed.sender_address[:254] if parsed else "",
        subject=parsed.subject[:500] if parsed else "", task=task_id, outcome=outcome,
        error=error, raw_path=raw_path, received_at=now)
    audit.record("mail", mail.id, agent, {"outcome": (None, outcome)}, None, "mail.taken",
                 {"outcome": outcome, "task_id": task_id, "source": source[:500]})
    return mail


# --- the thread ----------------------------------------------------------------------------


def add_message(agent: AgentRef, task_id: int, kind: str, author: str, body: str,
                message_id: str | None, at: datetime) -> Comment:
    """Add a message from the requester (kind "message") or an internal note about
    automatic mail ("note") to a task, written by `author` (a sender, not an agent), with
    its search document and activity. Call inside the writing transaction."""
    comment = Comment.create(task=task_id, kind=kind, author=None, author_name=author[:200],
                             body=body, message_id=message_id, created_at=at)
    search.index(search.COMMENT, comment.id, task_id, None, "", body)
    notices.on_comment(task_id, comment.id, kind, body, author, None, at)  # its followers
    audit.record("task", task_id, agent, {kind: (None, body[:PREVIEW])}, None, "comment.added",
                 {"kind": kind, "task_id": task_id, "comment_id": comment.id}, at=at)
    return comment


def requester_wrote(agent: AgentRef, task: Task, author: str, body: str,
                    message_id: str | None, options: IntakeOptions, now: datetime
                    ) -> tuple[Comment, list[str]]:
    """A message from the requester on their query (by e-mail or the portal): added to it,
    the query then waits on us, and a resolved one reopens and a snoozed one wakes as the
    options say. Returns the comment and what was done ("reopened", "woken"). Call inside
    the writing transaction."""
    comment = add_message(agent, task.id, "message", author, body, message_id, now)
    wait_on_us(agent, task.id, now=now, sla_rules=options.sla_rules)
    return comment, _reopen_and_wake(agent, task, options, now)


def wait_on_us(agent: AgentRef, task_id: int, *, now: datetime | None = None,
               sla_rules: Book | None = None) -> None:
    """A query the requester wrote to waits on us (changed at `now`, by default the current
    time); by `sla_rules` its resolution is due later by the business time it waited on the
    customer (desk.sla.resume). Call inside the writing transaction, after `add_message`."""
    data = QueryData.get_or_none(QueryData.task == task_id)
    if data is not None and data.waiting_on != "us":
        at = stored(now) or utcnow()
        changes = {"waiting_on": (data.waiting_on, "us"), **sla.resume(sla_rules, task_id, at)}
        QueryData.update(waiting_on="us").where(QueryData.task == task_id).execute()
        audit.record("task", task_id, agent, changes, None,
                     "task.updated", {"list_id": None, "kind": "query"}, at=at)


def _reopen_and_wake(agent: AgentRef, task: Task, options: IntakeOptions,
                     now: datetime) -> list[str]:
    """Reopen a resolved query and wake a snoozed one, as the options say; returns what
    was done ("reopened", "woken")."""
    changes: dict[str, object] = {}
    if options.reopen_resolved and task.category in DONE_CATEGORIES:
        changes["status"] = reopened_status(task.task_list_id)
    if (options.snooze_policy == "wake" and task.snoozed_until is not None
            and task.snoozed_until > now):
        changes["snoozed_until"] = None
    if changes:
        tasks.update(agent, task.id, Task.get_by_id(task.id).version, **changes)
    return [word for name, word in (("status", "reopened"), ("snoozed_until", "woken"))
            if name in changes]


def reopened_status(list_id: int) -> str:
    """The status a reopened query takes: the list's first status in category open, else its
    first that is not done."""
    query = Status.select(Status.name).where(Status.task_list == list_id).order_by(
        Status.position, Status.id)
    first_open = query.where(Status.category == "open").scalar()
    if first_open is not None:
        return first_open
    name = query.where(Status.category.not_in(DONE_CATEGORIES)).scalar()
    if name is None:
        raise InvalidInput(f"list {list_id} has no open status to reopen a query in")
    return name


def create_query(agent: AgentRef, options: IntakeOptions, title: str, description: str,
                  client_id: int | None, priority: str, support: Mapping[str, object], *,
                  now: datetime | None = None) -> int:
    """Create a query on the intake list with its support data (requester, channel,
    message_id...); returns its id. Call inside the writing transaction. `now` is when it
    came in (default: the current time; a caller recording history passes the moment)."""
    task_list = workspace.starter_list(agent, options.list_name)
    detail = tasks.create(agent, title, task_list.id, kind="query", priority=priority,
                          description=description, client_id=client_id,
                          sla_rules=options.sla_rules, now=now)
    task_id = detail.row.id
    QueryData.update({getattr(QueryData, name): value for name, value in support.items()}
                     ).where(QueryData.task == task_id).execute()
    audit.record("task", task_id, agent,
                 {name: (None, value) for name, value in support.items() if value},
                 None, "query.received", {"channel": support.get("channel")},
                 at=stored(now))
    return task_id
