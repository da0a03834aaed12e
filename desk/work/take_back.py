"""Taking back a reply within its undo window (`u` after a reply).

A reply's e-mail waits in the outbox for `smtp.undo_seconds` (desk.mail.outbox_edits).
Until then its author may take it back: the e-mail is cancelled and the reply comment is
removed (it never reached anyone), both recorded in the task's history, and its text comes
back so the editor can reopen it. What the reply changed on its query (the first response
time, waiting on the requester) goes back too; the client's relationship clock keeps the
touch. Which reply is the agent's newest is read from the events
the reply wrote ("comment.added", then "email.queued" in the same transaction).
"""

from __future__ import annotations

import json
from datetime import datetime

from msgspec import Struct

from desk.clock import stored, utcnow
from desk.errors import InvalidInput
from desk.kernel import audit, search
from desk.kernel.agents import AgentRef, require_writer
from desk.mail import outbox_edits
from desk.models import Activity, Comment, Event, Outbox, QueryData, database
from desk.work.comments import PREVIEW

RECENT = 200
"""How many of an agent's newest queued e-mails are looked through (a bulk reply's)."""


class Held(Struct, frozen=True):
    """A reply still in its undo window: its task, comment, e-mail (to whom, copied to whom)
    and text as written."""

    task_id: int
    comment_id: int
    outbox_id: int
    body: str
    until: datetime
    written: datetime
    to: str
    cc: tuple[str, ...] = ()


def held(agent: AgentRef, now: datetime | None = None) -> Held | None:
    """The agent's newest reply whose e-mail is still held at `now` (default: the current
    time, the clock replies are written by), or None. Of a reply sent to several queries at
    once, each is taken back in turn (newest first)."""
    moment = stored(now) or utcnow()
    for queued in (Event.select().where((Event.kind == "email.queued")
                                        & (Event.agent == agent.id) & (Event.entity == "task"))
                   .order_by(Event.id.desc()).limit(RECENT)):
        message = Outbox.get_or_none(Outbox.id == json.loads(queued.data).get("outbox_id"))
        if message is None:
            continue  # taken back or cancelled: look at the one before
        if not outbox_edits.in_window(message, moment):
            return None
        return _reply_of(queued, message)
    return None


def _reply_of(queued: Event, message: Outbox) -> Held | None:
    """The reply comment whose e-mail `queued` recorded, if it is still there."""
    added = (Event.select().where((Event.kind == "comment.added")
                                  & (Event.agent == queued.agent_id)
                                  & (Event.entity == "task")
                                  & (Event.entity_id == queued.entity_id)
                                  & (Event.id < queued.id))
             .order_by(Event.id.desc()).first())
    comment_id = json.loads(added.data).get("comment_id") if added else None
    comment = Comment.get_or_none((Comment.id == comment_id) & (Comment.kind == "reply"))
    if comment is None:
        return None
    return Held(queued.entity_id, comment.id, message.id, comment.body, message.next_attempt_at,
                comment.created_at, message.to_address,
                tuple(filter(None, message.cc.split(", "))))


def take_back(agent: AgentRef, now: datetime | None = None) -> Held:
    """Cancel the agent's newest reply still in its undo window and remove its comment;
    returns it (its text to write again). InvalidInput when there is none any more."""
    require_writer(agent)
    with database.atomic():
        reply = held(agent, now)
        if reply is None:
            raise InvalidInput("no reply of yours is waiting to go out: the undo window has "
                               "passed, or it was taken back already")
        outbox_edits.cancel(agent, reply.outbox_id)
        Comment.delete().where(Comment.id == reply.comment_id).execute()
        search.remove(search.COMMENT, reply.comment_id)
        changes = {"reply": (reply.body[:PREVIEW], None), **_unanswer(reply)}
        audit.record("task", reply.task_id, agent, changes, None, "comment.taken_back",
                     {"comment_id": reply.comment_id, "outbox_id": reply.outbox_id})
    return reply


def _unanswer(reply: Held) -> dict[str, tuple]:
    """Undo what the reply changed in its query's support data, where nothing changed it
    since: the first response time it set, and who the query waited on before it."""
    data = QueryData.get_or_none(QueryData.task == reply.task_id)
    if data is None:
        return {}
    changes: dict[str, tuple] = {}
    if data.first_response_at == reply.written:
        changes["first_response_at"] = (reply.written, None)
    before = (Activity.select(Activity.old)
              .where((Activity.entity == "task") & (Activity.entity_id == reply.task_id)
                     & (Activity.field == "waiting_on") & (Activity.at == reply.written))
              .order_by(Activity.id.desc()).scalar())
    columns: dict[str, object] = {}
    if before and data.waiting_on == "them":
        changes["waiting_on"] = ("them", before)
        columns["waiting_since"] = None  # the wait never was: nothing to give back
    columns.update((name, new) for name, (_, new) in changes.items())
    if columns:
        (QueryData.update({getattr(QueryData, name): new for name, new in columns.items()})
         .where(QueryData.task == reply.task_id).execute())
    return changes
