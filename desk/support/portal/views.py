"""What the portal's pages show a contact, each gathered in a few queries: their requests
and orders, one request with its public conversation (replies and the requester's
messages, never internal notes), and one order with its checklist progress."""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

from msgspec import Struct
from peewee import JOIN, Expression

from desk.clock import to_local
from desk.errors import NotFound
from desk.mail.attachments import size_text
from desk.models import (
    Agent,
    Attachment,
    Checklist,
    ChecklistItem,
    Comment,
    OrderData,
    Product,
    QueryData,
    Status,
    Task,
)
from desk.support.portal import contacts
from desk.support.portal.contacts import Contact
from desk.vocabulary import DONE_CATEGORIES, PORTAL_PREFIX, PRIORITY_NAMES

LIMIT = 200
"""The most requests (and orders) the list shows, newest first among open and done."""
PUBLIC_KINDS = ("reply", "message")
"""The comments a client sees: our replies and their messages."""


def moment(value: datetime | None, zone: tzinfo) -> str:
    """A stored time as clients read it: "Tue 8 Dec 2026, 14:05" ("" for none)."""
    if value is None:
        return ""
    local = to_local(value, zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


class RequestRow(Struct, frozen=True):
    """One request as the list shows it."""

    id: int
    title: str
    status: str
    done: bool
    priority: str
    created: str
    updated: str
    promise: str
    waiting_on_you: bool


class OrderRow(Struct, frozen=True):
    """One order as the list shows it, with its checklist progress and what is next."""

    id: int
    title: str
    status: str
    done: bool
    product: str
    quantity: int
    created: str
    updated: str
    items_done: int
    items: int
    next_item: str


class Message(Struct, frozen=True):
    """One message of a request's public conversation."""

    by: str
    ours: bool
    body: str
    at: str


class RequestPage(Struct, frozen=True):
    """One request with its conversation."""

    row: RequestRow
    description: str
    csat_score: int | None
    messages: list[Message]
    files: list[tuple[int, str, str]]
    """The files that came with it or with a public message: (id, name as saved, size in
    words)."""


def promise(times: tuple[datetime | None, ...], zone: tzinfo, now: datetime) -> str:
    """The SLA promise in words, from a query's (first response, its due time, resolved,
    its due time): what we promised next and by when, or what was done."""
    first_at, first_due, resolved_at, resolution_due = times
    if resolved_at is not None:
        return f"Resolved {moment(resolved_at, zone)}"
    if first_at is None and first_due is not None:
        if first_due < now:
            return f"Our first answer is late: it was due {moment(first_due, zone)}"
        return f"We promised a first answer by {moment(first_due, zone)}"
    if resolution_due is not None:
        if resolution_due < now:
            return f"Our resolution is late: it was due {moment(resolution_due, zone)}"
        return f"We aim to resolve it by {moment(resolution_due, zone)}"
    return ""


_REQUEST_COLUMNS = (Task.id, Task.title, Status.name, Task.category, Task.priority,
                    Task.created_at, Task.updated_at, QueryData.first_response_at,
                    QueryData.first_response_due, QueryData.resolved_at,
                    QueryData.resolution_due, QueryData.waiting_on)


def _request_row(values: tuple, zone: tzinfo, now: datetime) -> RequestRow:
    """A RequestRow from the values of _REQUEST_COLUMNS."""
    (task_id, title, status, category, priority, created, updated, first_at, first_due,
     resolved_at, resolution_due, waiting_on) = values
    done = category in DONE_CATEGORIES
    return RequestRow(task_id, title, status, done, PRIORITY_NAMES[priority],
                      moment(created, zone), moment(updated, zone),
                      promise((first_at, first_due, resolved_at, resolution_due), zone, now),
                      waiting_on == "them" and not done)


def requests(contact: Contact, zone: tzinfo, now: datetime) -> list[RequestRow]:
    """The contact's requests: open ones first, then done; newest change first."""
    query = (Task.select(*_REQUEST_COLUMNS)
             .join(QueryData, on=QueryData.task == Task.id)
             .switch(Task).join(Status, on=Task.status == Status.id)
             .where(contacts.queries(contact))
             .order_by(Task.closed_at.is_null(False), Task.updated_at.desc(), Task.id.desc())
             .limit(LIMIT).tuples())
    return [_request_row(values, zone, now) for values in query]


def request(contact: Contact, task_id: int, zone: tzinfo, now: datetime) -> RequestPage:
    """One of the contact's requests with its public conversation; NotFound when it is not
    theirs to see."""
    task = contacts.visible_query(contact, task_id)
    values = (Task.select(*_REQUEST_COLUMNS, QueryData.csat_score)
              .join(QueryData, on=QueryData.task == Task.id)
              .switch(Task).join(Status, on=Task.status == Status.id)
              .where(Task.id == task.id).tuples().get())
    comments = (Comment.select(Comment.kind, Comment.author_name, Agent.name, Comment.body,
                               Comment.created_at)
                .join(Agent, JOIN.LEFT_OUTER, on=Comment.author == Agent.id)
                .where((Comment.task == task.id) & Comment.kind.in_(PUBLIC_KINDS))
                .order_by(Comment.id).tuples())
    messages = [Message(agent_name or author_name or "us" if kind == "reply"
                        else _sender(author_name, contact),
                        kind == "reply", body, moment(at, zone))
                for kind, author_name, agent_name, body, at in comments]
    files = [(file_id, name, size_text(size)) for file_id, name, size in
             Attachment.select(Attachment.id, Attachment.filename, Attachment.size)
             .join(Comment, JOIN.LEFT_OUTER, on=Attachment.comment == Comment.id)
             .where((Attachment.task == task.id) & _public_file())
             .order_by(Attachment.id).tuples()]
    return RequestPage(_request_row(values[:-1], zone, now), task.description, values[-1],
                       messages, files)


def _sender(author_name: str, contact: Contact) -> str:
    """Who wrote a message from the client's side, as the contact reads it: "You" for their
    own from the portal, another contact's address from it, else the sender as e-mailed."""
    if author_name == contact.actor:
        return "You"
    return author_name.removeprefix(PORTAL_PREFIX) or contact.address


def orders(contact: Contact, zone: tzinfo, *, only: int | None = None) -> list[OrderRow]:
    """The orders the contact sees (or only the order `only`), open ones first, with their
    checklist progress."""
    condition = contacts.orders(contact)
    if only is not None:
        condition &= Task.id == only
    query = (Task.select(Task.id, Task.title, Status.name, Task.category, Product.name,
                         OrderData.quantity, Task.created_at, Task.updated_at)
             .join(Status, on=Task.status == Status.id)
             .switch(Task).join(OrderData, JOIN.LEFT_OUTER, on=OrderData.task == Task.id)
             .join(Product, JOIN.LEFT_OUTER, on=OrderData.product == Product.id)
             .where(condition)
             .order_by(Task.closed_at.is_null(False), Task.updated_at.desc(), Task.id.desc())
             .limit(LIMIT).tuples())
    rows = list(query)
    progress = _progress([row[0] for row in rows])
    return [OrderRow(task_id, title, status, category in DONE_CATEGORIES, product or "",
                     quantity or 0, moment(created, zone), moment(updated, zone),
                     *progress.get(task_id, (0, 0, "")))
            for task_id, title, status, category, product, quantity, created, updated in rows]


def order(contact: Contact, task_id: int, zone: tzinfo) -> OrderRow:
    """One order the contact sees; NotFound otherwise."""
    return orders(contact, zone, only=contacts.visible_order(contact, task_id).id)[0]


def _progress(task_ids: list[int]) -> dict[int, tuple[int, int, str]]:
    """Per order: checklist items done, items in all, and the first item not done."""
    if not task_ids:
        return {}
    items = (ChecklistItem.select(Checklist.task, ChecklistItem.text, ChecklistItem.done)
             .join(Checklist)
             .where(Checklist.task.in_(task_ids))
             .order_by(Checklist.task, Checklist.position, Checklist.id,
                       ChecklistItem.position, ChecklistItem.id).tuples())
    found: dict[int, tuple[int, int, str]] = {}
    for task_id, text, done in items:
        finished, total, upcoming = found.get(task_id, (0, 0, ""))
        found[task_id] = (finished + bool(done), total + 1,
                          upcoming or ("" if done else text))
    return found



def _public_file() -> Expression:
    """Which attachments a client may have (select joined to their comment): those of the
    request itself and of its public messages, never those of an internal note."""
    return Attachment.comment.is_null() | Comment.kind.in_(PUBLIC_KINDS)


class File(Struct, frozen=True):
    """An attachment a contact downloads: where it is, its name and its stored type."""

    path: Path
    filename: str
    content_type: str


def file(contact: Contact, task_id: int, file_id: int, root: Path) -> File:
    """The attachment `file_id` of the contact's request `task_id`, under the attachments
    folder `root`; NotFound when the request is not theirs, the file is not that request's
    (or an internal note's), or it is no longer on disk."""
    task = contacts.visible_query(contact, task_id)
    row = (Attachment.select(Attachment.path, Attachment.filename, Attachment.content_type)
           .join(Comment, JOIN.LEFT_OUTER, on=Attachment.comment == Comment.id)
           .where((Attachment.id == file_id) & (Attachment.task == task.id) & _public_file())
           .tuples().first())
    if row is None:
        raise NotFound(f"no file {file_id} on request {task_id}")
    stored, filename, content_type = row
    path = (root / stored).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        raise NotFound(f"no file {file_id} on request {task_id}")
    return File(path, filename, content_type)
