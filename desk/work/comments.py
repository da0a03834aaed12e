"""Comments on tasks: replies to the client and internal notes. Append-only.

There is deliberately no way to edit or delete a comment: what was said to a client, and what
the team noted, stays as written. Bodies are stored exactly as typed (escape codes and
markup-looking text included); making them safe to draw is desk.text's job.

A reply on a task linked to a client is a touch with that client: it logs an Interaction of
kind "reply" and moves the relationship clock. A reply on a support query also records the
first response time (once) and leaves the query waiting on the requester; a query nobody
had started (a status of the "open" category, such as New) moves to its list's first status
of the "active" category (such as Open), recorded as a status change. A reply is also
e-mailed, in the same transaction, through the outbox (desk.mail.outbox.queue_reply) to
the query's requester or else the client; with nobody to write to, or when the caller says
it reached them another way (`email=False`), it is only stored, and its row says why. A note
does none of this.

Every comment tells the agents it concerns in the same transaction (desk.work.notices): a
note's @mentions, the task's followers; the author of a reply follows the task.

Comments are read as a person may see them (desk.kernel.confidential): on a task of a
confidential client they may not see in full, a message's sender shows as hidden, and so do
the hidden values in the bodies and the address a reply was mailed to.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from msgspec import Struct
from peewee import JOIN, fn

from desk.clock import stored, utcnow
from desk.crm import interactions
from desk.dialect import locking
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit, confidential, search
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import storable_text
from desk.mail import outbox
from desk.mail.outbox_edits import held_until
from desk.models import Agent, Comment, QueryData, Status, Task, database
from desk.vocabulary import PORTAL_PREFIX
from desk.work import notices, tasks

PREVIEW = 200  # characters of a comment kept in its activity row and interaction summary
NOT_EMAILED = "not e-mailed: it reached them another way"  # a reply given email=False


class CommentRow(Struct, frozen=True):
    """One comment as the task screen and the CLI show it."""

    id: int
    kind: str
    author: str
    body: str
    created_at: datetime
    mailed_to: str = ""
    """For a reply just written: the address it was queued to in the outbox..."""
    not_mailed: str = ""
    """...or why it was not e-mailed (nobody to write to)."""
    by: str = ""
    """How people are shown the author: an agent's display name as it is now, a sender's
    name; `author` when empty."""

    @property
    def via_portal(self) -> bool:
        """Whether a client's contact wrote it in the client portal."""
        return self.kind == "message" and self.author.startswith(PORTAL_PREFIX)


def reply(agent: AgentRef, task_id: int, body: str, *, email: bool = True,
          now: datetime | None = None, cc: Sequence[str] = (),
          hold_seconds: int = 0) -> CommentRow:
    """Add a reply to the client on a task; it moves the client's relationship clock and is
    queued as an e-mail to the requester (or the client) when there is an address, with a
    copy to each address of `cc` (other contacts of the client the agent chose).

    `email=False` records a reply that reached them another way (said on the phone, or sent
    before desk kept the thread): nothing is queued. `now` is when it was written (default:
    the current time; a caller recording history passes the moment). The e-mail waits
    `hold_seconds` (its undo window, desk.work.take_back) before it may go out.
    """
    return _add(agent, task_id, "reply", body, email, now, cc, hold_seconds)


def note(agent: AgentRef, task_id: int, body: str, *, now: datetime | None = None
         ) -> CommentRow:
    """Add an internal note to a task; it is never sent and does not touch the client.
    `now` is when it was written (default: the current time)."""
    return _add(agent, task_id, "note", body, False, now)


def for_task(task_id: int, viewer: AgentRef | None = None) -> list[CommentRow]:
    """The comments of a task, oldest first, as `viewer` may see them (nobody's for None)."""
    query = (Comment.select(Comment.id, Comment.kind,
                            fn.COALESCE(Agent.username, Comment.author_name).alias("author"),
                            Comment.body, Comment.created_at, Comment.author.is_null(),
                            fn.COALESCE(Agent.name, Comment.author_name).alias("by"))
             .join(Agent, JOIN.LEFT_OUTER, on=Comment.author == Agent.id)
             .where(Comment.task == task_id)
             .order_by(Comment.id))
    mask = confidential.task_masks(viewer, [task_id]).get(task_id)
    if mask is None:
        return [CommentRow(comment_id, kind, author, body, at, by=by)
                for comment_id, kind, author, body, at, _, by in query.tuples()]
    return [CommentRow(comment_id, kind, mask.value(author) if outside else author,
                       mask.text(body), at, by=mask.value(by) if outside else by)
            for comment_id, kind, author, body, at, outside, by in query.tuples()]


def _add(agent: AgentRef, task_id: int, kind: str, body: str, email: bool,
         now: datetime | None, cc: Sequence[str] = (), hold_seconds: int = 0) -> CommentRow:
    """Write a comment with its search document, activity and event in one transaction;
    a reply is e-mailed when `email` says so."""
    require_writer(agent)
    _check_body(body)
    with database.atomic():
        task = Task.get_or_none(Task.id == task_id)
        if task is None:
            raise NotFound(f"no task {task_id}")
        now = stored(now) or utcnow()
        comment = Comment.create(task=task_id, kind=kind, author=agent.id,
                                 author_name=agent.name, body=body, created_at=now)
        search.index(search.COMMENT, comment.id, task_id, None, "", body)
        changes: dict[str, tuple] = {kind: (None, body[:PREVIEW])}
        if mentions := notices.on_comment(task_id, comment.id, kind, body, agent.name,
                                          agent.id, now):
            changes["mentioned"] = (None, mentions)
        if kind == "reply":
            changes.update(_answer_query(task_id, now))
        audit.record("task", task_id, agent, changes, None, "comment.added",
                     {"kind": kind, "task_id": task_id, "comment_id": comment.id}, at=now)
        if kind == "reply":
            _start_query(agent, task, now)
        if kind == "reply" and task.client_id is not None:
            interactions.log(agent, task.client_id, "reply", body[:PREVIEW], task_id=task_id,
                             occurred_at=now, now=now)
        mailed_to, not_mailed = "", ""
        if kind == "reply":
            mailed_to, not_mailed = (
                outbox.queue_reply(agent, task_id, body, cc,
                                   hold_until=held_until(now, hold_seconds))
                if email else ("", NOT_EMAILED))
        mask = confidential.task_masks(agent, [task_id]).get(task_id) if kind == "reply" else None
    if mask is not None:  # where the e-mail went names the requester
        mailed_to, not_mailed = mask.value(mailed_to), mask.text(not_mailed)
    return CommentRow(comment.id, kind, agent.username, body, now, mailed_to, not_mailed)


def _answer_query(task_id: int, at: datetime) -> dict[str, tuple]:
    """What a reply changes in a query's support data: the first response time (once) and
    who it waits on; returns those changes as (old, new) pairs for the activity history.
    A task without support data is left alone."""
    data = locking(QueryData.select().where(QueryData.task == task_id)).first()
    if data is None:
        return {}
    changes: dict[str, tuple] = {}
    if data.first_response_at is None:
        changes["first_response_at"] = (None, at)
    columns: dict[str, object] = {}
    if data.waiting_on != "them":
        changes["waiting_on"] = (data.waiting_on, "them")
        columns["waiting_since"] = at  # desk.sla.resume gives this wait back
    columns.update((name, new) for name, (_, new) in changes.items())
    if columns:
        (QueryData.update({getattr(QueryData, name): new for name, new in columns.items()})
         .where(QueryData.task == task_id).execute())
    return changes


def _start_query(agent: AgentRef, task: Task, now: datetime) -> None:
    """Move a query nobody had started (its status in the "open" category) to its list's
    first status of the "active" category, as a status change of its own; other tasks, and
    lists without an active status, are left alone."""
    if task.kind != "query" or task.category != "open":
        return
    active = (Status.select(Status.name)
              .where((Status.task_list == task.task_list_id) & (Status.category == "active"))
              .order_by(Status.position, Status.id).first())
    if active is not None:
        tasks.update(agent, task.id, task.version, status=active.name, now=now)


def _check_body(body: object) -> None:
    """Refuse a body that is not text, is blank, or holds a NUL (no database stores one)."""
    if not isinstance(body, str):
        raise InvalidInput(f"a comment must be text, not {body!r}")
    if not body.strip():
        raise InvalidInput("a comment cannot be empty")
    storable_text(body, "a comment")
