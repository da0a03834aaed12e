"""Changing a message still waiting in the outbox: holding a reply for its undo window,
cancelling it, or editing its subject and text.

A message may be changed only while it is queued and no sender has claimed it. Each change
names what the agent read (its status, subject and text): when the sender took the message
meanwhile, or someone else edited it, nothing is changed and the agent is told why. Every
change is recorded on the message's task (else its client) as the field "email".

A reply is held by giving it a `next_attempt_at` in the future before any attempt was made
(`attempts` 0): the sender skips it until then, "send now" included (desk.mail.delivery).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec import Struct

from desk.errors import ConflictError, InvalidInput, NotFound
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import storable_text
from desk.mail.outbox import owner, problem
from desk.models import Outbox, database


class Read(Struct, frozen=True):
    """What an agent read of a queued message, named back when they change it."""

    subject: str
    body: str


def held_until(now: datetime, seconds: int) -> datetime | None:
    """When a reply written at `now` (naive UTC) may first go out: None for no wait."""
    return now + timedelta(seconds=seconds) if seconds > 0 else None


def in_window(message: Outbox, now: datetime) -> bool:
    """Whether a message is still held in its undo window at `now` (naive UTC)."""
    return (message.status == "queued" and message.attempts == 0
            and message.sending_since is None and message.next_attempt_at is not None
            and message.next_attempt_at > now)


def cancel(agent: AgentRef, outbox_id: int, read: Read | None = None) -> None:
    """Take a queued message out of the outbox before it is sent (it is removed, its
    history kept); `read` as the agent saw it, when they saw it. InvalidInput when a sender
    has it or it went out; ConflictError when it was edited since it was read."""
    require_writer(agent)
    with database.atomic():
        message = _waiting(outbox_id, read)
        Outbox.delete().where(Outbox.id == outbox_id).execute()
        entity, entity_id = owner(message)
        audit.record(entity, entity_id, agent,
                     {"email": ("queued", f"cancelled: {message.to_address}: {message.subject}")},
                     None, "email.cancelled", {"outbox_id": outbox_id, "to": message.to_address})


def edit(agent: AgentRef, outbox_id: int, read: Read, subject: str, body: str) -> None:
    """Change the subject and text of a queued message the agent read as `read`.
    InvalidInput for a subject that is not one line or an empty text, or when a sender has
    it or it went out; ConflictError when someone edited it since it was read."""
    require_writer(agent)
    storable_text(subject, "an e-mail's subject")
    storable_text(body, "an e-mail's text")
    if not subject.strip() or not body.strip():
        raise InvalidInput("an e-mail's subject and text cannot be empty")
    with database.atomic():
        message = _waiting(outbox_id, read)
        reason = problem(message.to_address, subject)
        if reason is not None:
            raise InvalidInput(f"cannot change e-mail {outbox_id}: {reason}")
        if (subject, body) == (message.subject, message.body):
            return
        changed = (Outbox.update(subject=subject, body=body)
                   .where((Outbox.id == outbox_id) & (Outbox.status == "queued")
                          & Outbox.sending_since.is_null()).execute())
        if not changed:
            raise InvalidInput(f"e-mail {outbox_id} is being sent right now; nothing changed")
        entity, entity_id = owner(message)
        audit.record(entity, entity_id, agent,
                     {"email": (f"{message.to_address}: {message.subject}",
                                f"edited: {message.to_address}: {subject}")},
                     None, "email.edited", {"outbox_id": outbox_id, "to": message.to_address})


def _waiting(outbox_id: int, read: Read | None) -> Outbox:
    """A message still waiting to be sent, as the agent read it, or the reason it is not."""
    message = Outbox.get_or_none(Outbox.id == outbox_id)
    if message is None:
        raise NotFound(f"no e-mail {outbox_id} in the outbox (cancelled meanwhile?)")
    if message.status == "sent":
        raise InvalidInput(f"e-mail {outbox_id} was sent at {message.sent_at:%Y-%m-%d %H:%M} "
                           "UTC; nothing changed")
    if message.status != "queued":
        raise InvalidInput(f"e-mail {outbox_id} has {message.status}; retry it first")
    if message.sending_since is not None:
        raise InvalidInput(f"e-mail {outbox_id} is being sent right now; nothing changed")
    if read is not None and read != Read(message.subject, message.body):
        theirs = {name: (getattr(message, name), getattr(read, name))
                  for name in ("subject", "body") if getattr(message, name) != getattr(read, name)}
        raise ConflictError("e-mail", outbox_id, theirs, 0)
    return message
