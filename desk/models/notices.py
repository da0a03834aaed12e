"""What each agent should look at ("For me": desk.work.notices) and the tasks they follow."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField

from desk.clock import utcnow
from desk.models.base import BaseModel, one_of
from desk.models.people import Agent
from desk.models.support import Comment
from desk.models.tasks import Task
from desk.vocabulary import NOTICE_KINDS


class Notice(BaseModel):
    """Something that happened for an agent on a task: they were mentioned in a note or
    assigned it, or someone replied, the requester wrote, or a note was added on a task they
    follow. `read_at` is when they opened it (None: unread)."""

    agent = ForeignKeyField(Agent, on_delete="CASCADE", index=False)
    task = ForeignKeyField(Task, on_delete="CASCADE")
    kind = CharField(max_length=8, constraints=[one_of("kind", NOTICE_KINDS)])
    comment = ForeignKeyField(Comment, null=True, on_delete="CASCADE")
    by = CharField(max_length=200, default="")
    """Who caused it, as people are shown them (an agent's display name, a sender)."""
    at = DateTimeField(default=utcnow)
    read_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("agent", "at"), False), (("task",), False), (("comment",), False))


# An agent's unread notices: the count in the key bar (desk/migrations/0026_notices.py).
Notice.add_index(Notice.index(Notice.agent, Notice.at, name="notice_unread")
                 .where(Notice.read_at.is_null()))


class Follow(BaseModel):
    """An agent follows a task: replies, messages and notes on it become their notices."""

    agent = ForeignKeyField(Agent, on_delete="CASCADE")
    task = ForeignKeyField(Task, on_delete="CASCADE", index=False)
    at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("task", "agent"), True), (("agent",), False))
