"""Delivering the outbox over SMTP: what `desk tick`, the running app and "send now" run.

`deliver` sends what is due, through desk.mail.smtp. Each message is claimed
before it is sent: `UPDATE outbox SET sending_since = now WHERE id = ? AND sending_since IS
NULL AND status = 'queued'` in a transaction of its own, so of two senders at once only one
gets it, and no transaction is open while the server is talked to. The claim also gives the
message its Message-ID (kept for good: intake threads answers by it). Then the message is
marked sent (with sent_at), or failed with the reason (a permanent refusal, or the last of
`smtp.max_attempts`), or left queued with `next_attempt_at` further away after each attempt
(exponential backoff). A claim that outlives STALE_CLAIM means a sender stopped mid-send:
the message may have gone out, so it is marked failed for a person to check and retry, never
sent again by itself.

Without a server (`smtp.host` unset) nothing is sent: mail waits, and `deliver` says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from datetime import datetime, timedelta

from msgspec import Struct, field
from peewee import fn

from desk import dates
from desk.clock import to_local, to_utc
from desk.config import Settings
from desk.kernel import audit
from desk.mail import smtp as smtp_sender
from desk.mail.outbox import ACTOR, NOT_CONFIGURED, counts, emails, owner
from desk.mail.smtp import Connection, Outgoing, SmtpFailure
from desk.models import Outbox, database

STALE_CLAIM = timedelta(hours=1)
"""How long a claim may last before its sender is taken to have stopped mid-send."""


class Delivery(Struct):
    """What a run of the sender did: the ids sent, those left to try again and those failed
    (each with the reason), how many another sender had taken, and, without a server, how
    many messages wait."""

    configured: bool
    sent: list[int] = field(default_factory=list)
    deferred: list[tuple[int, str]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    taken: int = 0
    waiting: int = 0

    def summary(self) -> str:
        """One line: "outbox: 2 sent, 1 to try again, 0 failed" or why nothing was sent."""
        if not self.configured:
            if not self.waiting:
                return f"outbox: nothing waiting; {NOT_CONFIGURED}"
            return f"outbox: {emails(self.waiting)} waiting, not sent: {NOT_CONFIGURED}"
        if not (self.sent or self.deferred or self.failed):
            return "outbox: nothing due"
        return (f"outbox: {len(self.sent)} sent, {len(self.deferred)} to try again, "
                f"{len(self.failed)} failed")

    def problems(self) -> list[str]:
        """The failures worth telling a person, one line each (a server's trouble once)."""
        lines = [f"e-mail {message_id} failed: {reason}" for message_id, reason in self.failed]
        lines += sorted({f"e-mail cannot go out yet: {reason}" for _, reason in self.deferred})
        return lines


def deliver(settings: Settings, now: datetime, *, limit: int = 100, waiting_too: bool = False,
            environ: Mapping[str, str] | None = None) -> Delivery:
    """Send up to `limit` queued messages whose time has come by `now` (aware), oldest first;
    with `waiting_too`, those waiting out a backoff as well ("send now"), never a reply in
    its undo window (desk.mail.outbox_edits).

    Messages whose sender stopped mid-send are marked failed first. Without a server nothing
    is sent and the report counts what waits. `environ` is where smtp.password_env is read
    (the process's environment by default).
    """
    stamp = to_utc(now)
    smtp = settings.smtp
    if not smtp.host:
        return Delivery(False, waiting=counts()["queued"])
    report = Delivery(True)
    _give_up_stale(stamp, report)
    due = (Outbox.status == "queued") & Outbox.sending_since.is_null()
    due_now = Outbox.next_attempt_at.is_null() | (Outbox.next_attempt_at <= stamp)
    # "send now" does not wait out a backoff, but a reply in its undo window still waits
    due &= due_now | (Outbox.attempts > 0) if waiting_too else due_now
    candidates = [message_id for (message_id,) in
                  Outbox.select(Outbox.id).where(due).order_by(Outbox.id).limit(limit).tuples()]
    server_failure: SmtpFailure | None = None
    with ExitStack() as stack:
        connection: Connection | None = None
        for message_id in candidates:
            message = _claim(message_id, due, stamp, smtp_sender.message_id(smtp))
            if message is None:
                report.taken += 1
                continue
            failure = server_failure
            if failure is None:
                try:
                    if connection is None:
                        connection = stack.enter_context(Connection(smtp, environ))
                    connection.send(smtp_sender.compose(smtp, _outgoing(message, now)))
                except SmtpFailure as refused:
                    failure = refused
                    server_failure = refused if refused.server else None
                else:
                    _sent(message, stamp, report)
                    continue
            _failed_attempt(message, stamp, failure, settings, report)
    return report


def _claim(message_id: int, due, stamp: datetime, new_id: str) -> Outbox | None:
    """Claim a message for this sender (giving it a Message-ID if it has none); the message,
    or None when another sender took it first or it is no longer due."""
    with database.atomic():
        claimed = (Outbox.update(sending_since=stamp,
                                 message_id=fn.COALESCE(Outbox.message_id, new_id))
                   .where((Outbox.id == message_id) & due).execute())
        return Outbox.get_by_id(message_id) if claimed else None


def _outgoing(message: Outbox, now: datetime) -> Outgoing:
    """What the sender writes for a claimed message."""
    return Outgoing(message.to_address, message.subject, message.body, message.message_id,
                    now, message.in_reply_to, tuple(message.reference_ids.split()),
                    tuple(address for address in message.cc.split(", ") if address))


def _sent(message: Outbox, stamp: datetime, report: Delivery) -> None:
    """Mark a claimed message sent."""
    if _finish(message, stamp, {"status": "sent", "sent_at": stamp, "last_error": "",
                                "next_attempt_at": None},
               f"sent to {message.to_address}: {message.subject}", "email.sent"):
        report.sent.append(message.id)


def _failed_attempt(message: Outbox, stamp: datetime, failure: SmtpFailure, settings: Settings,
                    report: Delivery) -> None:
    """Record an attempt that failed: failed for good when it is permanent or the last one
    allowed, else queued again after the backoff."""
    attempt, smtp = message.attempts + 1, settings.smtp
    if failure.permanent or attempt >= smtp.max_attempts:
        after = "" if failure.permanent else f" (after {attempt} attempts)"
        if _finish(message, stamp, {"status": "failed", "last_error": failure.reason,
                                    "next_attempt_at": None},
                   f"failed{after}: {failure.reason}", "email.failed"):
            report.failed.append((message.id, failure.reason))
        return
    wait = min(dates.parse_duration(smtp.retry_after) * 2 ** (attempt - 1),
               dates.parse_duration(smtp.retry_max))
    later = stamp + wait
    when = f"{to_local(later, settings.tz):%Y-%m-%d %H:%M}"
    if _finish(message, stamp, {"last_error": failure.reason, "next_attempt_at": later},
               f"not sent (attempt {attempt} of {smtp.max_attempts}, next at {when}): "
               f"{failure.reason}", "email.deferred"):
        report.deferred.append((message.id, failure.reason))


def _finish(message: Outbox, stamp: datetime, changes: dict, said: str, event: str) -> bool:
    """End this sender's claim on a message with `changes` (and one more attempt), recorded
    in its history; False when the claim was no longer this sender's."""
    with database.atomic():
        done = (Outbox.update(sending_since=None, attempts=Outbox.attempts + 1, **changes)
                .where((Outbox.id == message.id) & (Outbox.sending_since == stamp)).execute())
        if done:
            entity, entity_id = owner(message)
            audit.record(entity, entity_id, None, {"email": ("queued", said)}, None, event,
                         {"outbox_id": message.id, "to": message.to_address}, actor=ACTOR)
    return bool(done)


def _give_up_stale(stamp: datetime, report: Delivery) -> None:
    """Mark failed the messages whose sender stopped while sending them: they may have gone
    out, so only a person may send them again."""
    stale = list(Outbox.select().where((Outbox.status == "queued")
                                       & (Outbox.sending_since < stamp - STALE_CLAIM)))
    for message in stale:
        since = f"{message.sending_since:%Y-%m-%d %H:%M}"
        reason = (f"the sender stopped while sending it (since {since} UTC); it may have gone "
                  "out: check, then retry it")
        if _finish(message, message.sending_since,
                   {"status": "failed", "last_error": reason, "next_attempt_at": None},
                   f"failed: {reason}", "email.failed"):
            report.failed.append((message.id, reason))
