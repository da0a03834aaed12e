"""Exporting tasks and clients: the rows a query finds, gathered a page at a time, written by
the format modules (desk.transfer.task_formats, desk.transfer.client_formats) as chunks of
text, so an export of a million tasks is never held whole.

An export without a status term includes done and closed tasks (unlike `desk ls`, which
hides them): an export is for taking everything out. A confidential client's contact
details and notes are left blank for an agent who may not see them, and on its tasks the
hidden values in titles, descriptions and messages, and the senders of its messages, show
as hidden (desk.kernel.confidential), as they do in the app. The tasks of archived lists (and
of the lists of archived spaces) are included, each marked `archived`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo

from peewee import JOIN

from desk.crm import clients
from desk.kernel import confidential
from desk.kernel.agents import AgentRef
from desk.models import (
    Agent,
    Checklist,
    ChecklistItem,
    Client,
    Comment,
    CustomField,
    CustomValue,
    Occurrence,
    RecurringSeries,
    Space,
    Task,
    TaskList,
)
from desk.work import filters, tasks

PAGE = 1000


def export(what: str, fmt: str, query: str, context: filters.Context, agent: AgentRef,
           zone: tzinfo) -> Iterator[str]:
    """The export of tasks or clients matching `query` in `fmt`, as chunks of text."""
    if what == "tasks":
        from desk.transfer import task_formats

        conditions = filters.task_conditions(filters.parse_tasks(query), context)
        return task_formats.write(fmt, task_pages(conditions, agent), zone)
    from desk.transfer import client_formats

    conditions = filters.client_conditions(filters.parse_clients(query), context)
    return client_formats.write(fmt, client_pages(conditions, agent))


def _id_pages(model, conditions: list) -> Iterator[list[int]]:
    """The ids of the matching rows in id order, a page at a time (keyset paging)."""
    last = 0
    while True:
        query = model.select(model.id).where(model.id > last, *conditions)
        ids = [row_id for (row_id,) in query.order_by(model.id).limit(PAGE).tuples()]
        if not ids:
            return
        yield ids
        last = ids[-1]


def task_pages(conditions: list, agent: AgentRef) -> Iterator[list[dict]]:
    """Every matching task as a dict of all it carries, as `agent` may see it, a page at a
    time."""
    for ids in _id_pages(Task, conditions):
        masks = confidential.task_masks(agent, ids)
        rows = {row.id: row for row in tasks.rows_for(ids)}
        extra = {task_id: rest for task_id, *rest in
                 Task.select(Task.id, Task.description, Task.start_at, Task.closed_at,
                             Task.created_at, Task.snoozed_until, Task.estimate_minutes,
                             Space.name, TaskList.archived_at.is_null(False)
                             | Space.archived_at.is_null(False))
                 .join(TaskList).join(Space).where(Task.id.in_(ids)).tuples()}
        checklists = _checklists(ids)
        comments = _comments(ids)
        fields = _fields(ids)
        series = _series(ids)
        page = []
        for task_id in ids:
            row = rows[task_id]
            (description, start, closed, created, snoozed, estimate, space,
             archived) = extra[task_id]
            page.append({
                "id": task_id, "title": row.title, "description": description,
                "space": space, "list": row.list, "archived": bool(archived),
                "status": row.status,
                "category": row.category, "priority": row.priority, "tags": row.tags,
                "assignees": row.assignees, "parent_id": row.parent_id, "client": row.client,
                "start_at": start, "due_at": row.due_at, "closed_at": closed,
                "created_at": created, "snoozed_until": snoozed, "estimate_minutes": estimate,
                "fields": fields.get(task_id, {}), "checklists": checklists.get(task_id, []),
                "comments": comments.get(task_id, []), "recurrence": series.get(task_id)})
            outside = [comment.pop("from_outside") for comment in page[-1]["comments"]]
            if task_id in masks:
                _hide(page[-1], masks[task_id], outside)
        yield page


def _hide(task: dict, mask: confidential.Mask, outside: list[bool]) -> None:
    """Hide a confidential client's values in an exported task: in its title, description
    and messages, and the sender of each message that came from outside the desk
    (`outside`, one flag per message)."""
    task["title"], task["description"] = mask.text(task["title"]), mask.text(task["description"])
    for comment, from_outside in zip(task["comments"], outside, strict=True):
        comment["body"] = mask.text(comment["body"])
        if from_outside:
            comment["author"] = mask.value(comment["author"])


def _checklists(ids: list[int]) -> dict[int, list]:
    """[name, [[text, done], ...]] of each task's checklists, nested items flattened."""
    found: dict[int, list] = {}
    lists = {checklist_id: (task_id, name) for checklist_id, task_id, name in
             Checklist.select(Checklist.id, Checklist.task, Checklist.name)
             .where(Checklist.task.in_(ids)).order_by(Checklist.position, Checklist.id)
             .tuples()}
    items: dict[int, list] = {}
    for checklist_id, text, done in (ChecklistItem.select(ChecklistItem.checklist,
                                                          ChecklistItem.text, ChecklistItem.done)
                                     .where(ChecklistItem.checklist.in_(list(lists)))
                                     .order_by(ChecklistItem.position, ChecklistItem.id)
                                     .tuples()):
        items.setdefault(checklist_id, []).append([text, bool(done)])
    for checklist_id, (task_id, name) in lists.items():
        found.setdefault(task_id, []).append([name, items.get(checklist_id, [])])
    return found


def _comments(ids: list[int]) -> dict[int, list]:
    """Each task's comments, oldest first, as {"body", "author", "at", "kind"}."""
    found: dict[int, list] = {}
    query = (Comment.select(Comment.task, Comment.kind, Comment.body, Comment.created_at,
                            Comment.author_name, Agent.username)
             .join(Agent, JOIN.LEFT_OUTER, on=Comment.author == Agent.id)
             .where(Comment.task.in_(ids)).order_by(Comment.id).tuples())
    for task_id, kind, body, at, author_name, username in query:
        found.setdefault(task_id, []).append({"kind": kind, "body": body,
                                              "author": username or author_name, "at": at,
                                              "from_outside": username is None})
    return found


def _fields(ids: list[int]) -> dict[int, dict]:
    """Each task's custom values: {name: [kind, value]}."""
    found: dict[int, dict] = {}
    for task_id, name, kind, value in (CustomValue.select(CustomValue.task, CustomField.name,
                                                          CustomField.kind, CustomValue.value)
                                       .join(CustomField).where(CustomValue.task.in_(ids))
                                       .tuples()):
        found.setdefault(task_id, {})[name] = [kind, value]
    return found


def _series(ids: list[int]) -> dict[int, dict]:
    """Each recurring task's rule, start, end and the dates taken out of it."""
    found: dict[int, dict] = {}
    for series_id, task_id, rule, starts, until, count in (
            RecurringSeries.select(RecurringSeries.id, RecurringSeries.task,
                                   RecurringSeries.rule, RecurringSeries.starts_at,
                                   RecurringSeries.until, RecurringSeries.count)
            .where(RecurringSeries.task.in_(ids) & RecurringSeries.active).tuples()):
        excluded = [at for (at,) in Occurrence.select(Occurrence.occurs_at)
                    .where((Occurrence.series == series_id) & Occurrence.task.is_null())
                    .order_by(Occurrence.occurs_at).tuples()]
        found[task_id] = {"rule": rule, "starts_at": starts, "until": until, "count": count,
                          "excluded": excluded}
    return found


def client_pages(conditions: list, agent: AgentRef) -> Iterator[list[dict]]:
    """Every matching client as a dict, as `agent` may see it, a page at a time."""
    for ids in _id_pages(Client, conditions):
        notes = {client_id: (text, manager, confidential) for client_id, text, manager,
                 confidential in Client.select(Client.id, Client.notes, Client.account_manager,
                                               Client.confidential)
                 .where(Client.id.in_(ids)).tuples()}
        page = []
        for row in clients.rows_for(ids, agent):
            text, manager, confidential = notes[row.id]
            page.append({
                "id": row.id, "kind": row.kind, "name": row.name,
                "contact_person": row.contact_person, "email": row.email, "phone": row.phone,
                "birthday": row.birthday, "tags": row.tags, "stage": row.stage,
                "notes": text if clients.can_see(agent, manager, confidential) else ""})
        yield page
