"""What an agent shares with a client's portal explicitly, and what a contact reads of it.

Nothing an agent writes reaches the portal by itself: internal notes never do, and the
client's notes (its requirements document) stay internal. An agent shares the notes with
the client's portal setting `notes_shared` (desk.support.portal.contacts.set_access), and
one comment of a client's task with `share_comment`. A contact who sees the client's orders
(its own address, every contact of a shared client) reads every shared document; another
contact reads only the comments shared on their own requests. The portal shows them as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peewee import JOIN

from desk.errors import InvalidInput, NotFound
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_writer
from desk.models import Agent, Client, Comment, PortalClient, QueryData, Task, database
from desk.support.portal import contacts
from desk.support.portal.contacts import Contact

NOTES_TITLE = "Requirements"
"""The heading of the client's notes on its portal."""
LIMIT = 100
"""The most shared comments the portal lists, newest first."""


def share_comment(agent: AgentRef, comment_id: int, shared: bool) -> bool:
    """Share the comment with its task's client's portal (or stop sharing it); recorded on
    the task ("portal_shared"). False when it already was as asked. InvalidInput for a
    comment on a task without a client: there is no portal to share it with."""
    require_writer(agent)
    with database.atomic():
        row = (Comment.select(Comment.id, Comment.task, Comment.portal_shared, Task.client)
               .join(Task).where(Comment.id == comment_id).tuples().first())
        if row is None:
            raise NotFound(f"no comment {comment_id}")
        _, task_id, before, client_id = row
        if client_id is None:
            raise InvalidInput(f"task {task_id} has no client, so no portal to share with")
        if bool(before) == shared:
            return False
        Comment.update(portal_shared=shared).where(Comment.id == comment_id).execute()
        audit.record("task", task_id, agent, {"portal_shared": (bool(before), shared)}, None,
                     "task.comment_shared", {"comment": comment_id})
    return True


@dataclass(frozen=True)
class TaskComment:
    """A comment of a task as the sharing pick lists it."""

    id: int
    kind: str
    author: str
    body: str
    shared: bool


def comments_of(task_id: int) -> list[TaskComment]:
    """The comments of a task, oldest first, with whether each is shared with the portal."""
    query = (Comment.select(Comment.id, Comment.kind, Comment.author_name, Agent.username,
                            Comment.body, Comment.portal_shared)
             .join(Agent, JOIN.LEFT_OUTER, on=Comment.author == Agent.id)
             .where(Comment.task == task_id).order_by(Comment.id).tuples())
    return [TaskComment(comment_id, kind, username or name, body, bool(shared))
            for comment_id, kind, name, username, body, shared in query]


@dataclass(frozen=True)
class Document:
    """A document shared with the contact: its heading, its text, and when it was written
    (None for the client's notes, which are edited in place)."""

    title: str
    body: str
    at: datetime | None


def documents(contact: Contact) -> list[Document]:
    """The documents shared with the contact: the client's notes first when shared (and the
    contact sees the client's orders), then shared comments, newest first."""
    found = []
    if contact.sees_orders:
        notes = (Client.select(Client.notes)
                 .join(PortalClient, on=PortalClient.client == Client.id)
                 .where((Client.id == contact.client_id) & PortalClient.notes_shared).scalar())
        if notes and notes.strip():
            found.append(Document(NOTES_TITLE, notes, None))
    condition = Comment.portal_shared & (Task.client == contact.client_id)
    if not contact.sees_orders:
        condition &= Task.id.in_(Task.select(Task.id)
                                 .join(QueryData, on=QueryData.task == Task.id)
                                 .where(contacts.queries(contact)))
    comments = (Comment.select(Task.title, Comment.body, Comment.created_at).join(Task)
                .where(condition).order_by(Comment.id.desc()).limit(LIMIT).tuples())
    found += [Document(title, body, at) for title, body, at in comments]
    return found
