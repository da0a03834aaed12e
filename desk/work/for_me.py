"""An agent's "For me": their notices (desk.work.notices) as a list, unread first and newest
first, how many are unread, and marking a task's notices read when they open it.

By default the list holds every unread notice and those read in the last RECENT_DAYS days;
`everything=True` holds them all (up to `limit`). Rows are read as the agent may see them
(desk.kernel.confidential): on a task of a confidential client they may not see in full, the
first words of the comment and a requester's name are masked.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec import Struct
from peewee import JOIN

from desk.clock import stored, utcnow
from desk.errors import NotFound
from desk.kernel import audit, confidential
from desk.kernel.agents import AgentRef, require_writer
from desk.models import Comment, Notice, Task, database

RECENT_DAYS = 7
"""Read notices stay in the default list this many days after they were read."""
PREVIEW = 120
"""Characters of the comment a row shows."""


class ForMeRow(Struct, frozen=True):
    """One notice as the For me screen and `desk forme` show it."""

    id: int
    task_id: int
    title: str
    kind: str
    by: str
    at: datetime
    read: bool
    preview: str
    """The first words of the comment it came from, as typed ("" for an assignment)."""


def rows(agent: AgentRef, *, everything: bool = False, limit: int = 200,
         now: datetime | None = None) -> list[ForMeRow]:
    """`agent`'s notices, unread first, then newest first (see the module)."""
    moment = stored(now) or utcnow()
    shown = Notice.agent == agent.id
    if not everything:
        shown &= Notice.read_at.is_null() | (Notice.read_at >= moment - timedelta(RECENT_DAYS))
    query = (Notice.select(Notice.id, Notice.task, Task.title, Notice.kind, Notice.by,
                           Notice.at, Notice.read_at.is_null(False), Comment.body)
             .join(Task, on=Notice.task == Task.id)
             .join(Comment, JOIN.LEFT_OUTER, on=Notice.comment == Comment.id)
             .where(shown)
             .order_by(Notice.read_at.is_null(False), Notice.at.desc(), Notice.id.desc())
             .limit(limit).tuples())
    found = list(query)
    masks = confidential.task_masks(agent, [row[1] for row in found])
    listed = []
    for notice_id, task_id, title, kind, by, at, read, body in found:
        preview = (body or "")[:PREVIEW]
        if (mask := masks.get(task_id)) is not None:
            preview = mask.text(preview)
            by = mask.value(by) if kind == "message" else by
        listed.append(ForMeRow(notice_id, task_id, title, kind, by, at, bool(read), preview))
    return listed


def unread_count(agent: AgentRef) -> int:
    """How many of `agent`'s notices are unread."""
    return (Notice.select().where((Notice.agent == agent.id) & Notice.read_at.is_null())
            .count())


def mark_read(agent: AgentRef, task_id: int, *, now: datetime | None = None) -> int:
    """Mark `agent`'s unread notices on the task read (they opened it); returns how many.
    Recorded as activity of the notices ("read": how many); refused for a viewer, who changes
    nothing."""
    require_writer(agent)
    moment = stored(now) or utcnow()
    with database.atomic():
        if not Task.select().where(Task.id == task_id).exists():
            raise NotFound(f"no task {task_id}")
        count = (Notice.update(read_at=moment)
                 .where((Notice.agent == agent.id) & (Notice.task == task_id)
                        & Notice.read_at.is_null()).execute())
        if count:
            audit.record("notice", task_id, agent, {"read": (None, count)}, None,
                         "notices.read", {"task_id": task_id}, at=moment)
    return count
