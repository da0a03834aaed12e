"""What an agent shares with a client's portal explicitly, and what a contact reads of it.

Nothing an agent writes reaches the portal by itself: internal notes never do, and the
client's notes (its requirements document) stay internal. An agent shares the notes with
the client's portal setting `notes_shared` (desk.support.portal.contacts.set_access), and
one comment of a client's task with `share_comment`, which holds to the confidentiality
rule by itself: a confidential client's comments are shared only by those who see it in
full (desk.kernel.confidential). A contact who sees the client's orders
(its own address, every contact of a shared client) reads every shared document; another
contact reads only the comments shared on their own requests. The portal shows them as text.
"""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct
from peewee import JOIN

from desk.errors import InvalidInput, NotFound, PermissionDenied
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require
from desk.kernel.confidential import can_see
from desk.models import Agent, Client, Comment, PortalClient, QueryData, Task, database
from desk.support.portal import contacts
from desk.support.portal.contacts import Contact

NOTES_TITLE = "Requirements"
"""The heading of the client's notes on its portal."""
LIMIT = 100
"""The most shared comments the portal lists, newest first."""


def share_comment(agent: AgentRef, task_id: int, comment_id: int, shared: bool) -> bool:
    """Share a comment of task `task_id` with its client's portal (or stop sharing it);
    recorded on the task ("portal_shared"). False when it already was as asked. Refused,
    changing nothing: a comment of another task (InvalidInput, saying so when that task is
    another client's), a task without a client (no portal to share with), and a comment of
    a confidential client's task unless the agent sees that client in full (an admin or
    its account manager: PermissionDenied), for it may name the client's people."""
    current = require(agent, "agent")
    with database.atomic():
        row = (Comment.select(Comment.task, Comment.portal_shared, Task.client,
                              Client.confidential, Client.account_manager)
               .join(Task).join(Client, JOIN.LEFT_OUTER, on=Task.client == Client.id)
               .where(Comment.id == comment_id).tuples().first())
        if row is None:
            raise NotFound(f"no comment {comment_id}")
        owner, before, client_id, confidential, manager_id = row
        if owner != task_id:
            _refuse_other_task(comment_id, owner, client_id, task_id)
        if client_id is None:
            raise InvalidInput(f"task {task_id} has no client, so no portal to share with")
        if not can_see(current, manager_id, bool(confidential)):
            raise PermissionDenied(
                f"task {task_id} belongs to a confidential client: only an admin or its "
                "account manager may share its comments with the client's portal")
        if bool(before) == shared:
            return False
        Comment.update(portal_shared=shared).where(Comment.id == comment_id).execute()
        audit.record("task", task_id, agent, {"portal_shared": (bool(before), shared)}, None,
                     "task.comment_shared", {"comment": comment_id})
    return True


def _refuse_other_task(comment_id: int, owner: int, client_id: int | None,
                       task_id: int) -> None:
    """Refuse sharing from task `task_id` a comment that belongs to task `owner`, saying
    when that task is another client's (InvalidInput)."""
    here = Task.select(Task.client).where(Task.id == task_id).scalar()
    if client_id != here:
        raise InvalidInput(f"comment {comment_id} is on task {owner} of another client, not "
                           f"on task {task_id}: it cannot be shared with this client's portal")
    raise InvalidInput(f"comment {comment_id} is on task {owner}, not on task {task_id}")


class TaskComment(Struct, frozen=True):
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


class Document(Struct, frozen=True):
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
