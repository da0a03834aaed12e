"""Shaping the statuses of a list: add, rename, reorder, recolour, recategorise, remove.
Admins only (adding a status as an import does is `workspace.add_status`).

A list keeps at least one status, and never loses its last status of a kind it has: one for
work not done (open or active), where new tasks start, and one for work done (done or
closed), where tasks finish. A status's tasks copy its category (and `closed_at` follows
it), so changing the category or removing the status moves those tasks with it; each of
them gets a new version, a line in its history and the "status changed" event a status
change of its own fires (so automations run). As when one task changes status, an order
with open checklist items is not closed that way unless the person says so (`force`); the
override is in its history. Each change to a status names the version read (None: as it
is now) and is in the history of the status ("status").
"""

from __future__ import annotations

import re

from msgspec import Struct
from peewee import fn

from desk import sla
from desk.clock import utcnow
from desk.errors import ConflictError, InvalidInput, NotFound
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_admin
from desk.kernel.inputs import required_text
from desk.kernel.positions import move_to
from desk.models import Checklist, ChecklistItem, Status, Task, database
from desk.text import counted
from desk.vocabulary import CATEGORIES, DONE_CATEGORIES
from desk.work.workspace import StatusRef, add_status

COLOUR = re.compile(r"#(?:[0-9a-f]{3}|[0-9a-f]{6})")
"""A colour as a status keeps it: #rgb or #rrggbb (stored as #rrggbb)."""


class StatusRow(Struct, frozen=True):
    """A status of a list as an admin edits it."""

    id: int
    name: str
    category: str
    colour: str
    position: int
    version: int
    tasks: int


def rows(list_id: int) -> list[StatusRow]:
    """The statuses of a list in order, with their colours, versions and task counts."""
    counts = dict(Task.select(Task.status, fn.COUNT(Task.id))
                  .where(Task.task_list == list_id).group_by(Task.status).tuples())
    found = Status.select().where(Status.task_list == list_id).order_by(Status.position,
                                                                        Status.id)
    return [StatusRow(row.id, row.name, row.category, row.colour, place, row.version,
                      counts.get(row.id, 0)) for place, row in enumerate(found, start=1)]


def add(agent: AgentRef, list_id: int, name: str, category: str) -> StatusRef:
    """Add a status after the others (admins only)."""
    require_admin(agent)
    return add_status(agent, list_id, name, category)


def rename(agent: AgentRef, list_id: int, name: str, new: str,
           version: int | None = None) -> None:
    """Rename a status; names stay unique in the list (ignoring case)."""
    require_admin(agent)
    new = required_text(new, what="a status name", limit=100)
    with database.atomic():
        status = _for_update(list_id, name)
        clash = (Status.task_list == list_id) & (fn.LOWER(Status.name) == new.lower()) & \
            (Status.id != status.id)
        if Status.select().where(clash).exists():
            raise InvalidInput(f"the list has a status named {new!r} already")
        versions.save(Status, status, version, "status", agent, "status.updated",
                      {"name": new})


def move(agent: AgentRef, list_id: int, name: str, position: int,
         version: int | None = None) -> None:
    """Put a status at `position` (1 = first; the board's columns follow)."""
    require_admin(agent)
    with database.atomic():
        status = _for_update(list_id, name)
        old, new = move_to(Status.position, Status.task_list == list_id, status.id, position,
                           f"list {list_id}", f"status {status.name!r}")
        if old != new:
            status.position = old  # compared as the place the person saw
            versions.save(Status, status, version, "status", agent, "status.updated",
                          {"position": new})


def recolour(agent: AgentRef, list_id: int, name: str, colour: str,
             version: int | None = None) -> str:
    """Give a status a colour (#rgb or #rrggbb; "" or "none" for its category's own);
    returns it as stored."""
    require_admin(agent)
    stored = colour_of(colour)
    with database.atomic():
        status = _for_update(list_id, name)
        versions.save(Status, status, version, "status", agent, "status.updated",
                      {"colour": stored})
    return stored


def colour_of(text: str) -> str:
    """A colour as stored ("#rrggbb", or "" for none), or InvalidInput naming the text."""
    typed = str(text).strip().lower()
    if typed in ("", "none"):
        return ""
    if not COLOUR.fullmatch(typed):
        raise InvalidInput(f"a colour is #rgb or #rrggbb (like #2a7ae2), or none; "
                           f"not {text!r}")
    return typed if len(typed) == 7 else "#" + "".join(digit * 2 for digit in typed[1:])


class OpenOrders(InvalidInput):
    """Moving a status's tasks would close orders whose checklists have open items; `orders`
    is how many. Confirmed with `force` (--force, or yes in the app)."""

    def __init__(self, orders: int) -> None:
        verb = "has" if orders == 1 else "have"
        super().__init__(f"{counted(orders, 'order')} {verb} open checklist items; moving "
                         f"{'it' if orders == 1 else 'them'} to a done status needs --force")
        self.orders = orders


def set_category(agent: AgentRef, list_id: int, name: str, category: str,
                 version: int | None = None, *, force: bool = False) -> int:
    """Put a status in another category; its tasks follow. Returns how many moved."""
    require_admin(agent)
    category = _category(category)
    with database.atomic():
        status = _for_update(list_id, name)
        _keeps_kinds(list_id, status.id, category)
        if status.category == category:
            return 0
        versions.save(Status, status, version, "status", agent, "status.updated",
                      {"category": category})
        return _move_tasks(agent, status, status.id, status.name, category, force)


def open_orders(list_id: int, name: str, *, category: str | None = None,
                to: str | None = None) -> int:
    """How many orders of the status `name` moving into `category` (or into the status `to`
    of the list) would close with open checklist items: what to ask about before
    `set_category` or `remove` (with `force`)."""
    status = _find(list_id, name)
    into = _find(list_id, to).category if to else _category(category or status.category)
    return len(_closing_open_orders(status.id, into))


def removal(list_id: int, name: str, to: str | None) -> int:
    """How many tasks removing the status `name` (their new status `to`) moves: what to ask
    before `remove`; InvalidInput (or NotFound) when the removal would be refused."""
    status = _find(list_id, name)
    _keeps_kinds(list_id, status.id, None)
    held = Task.select().where(Task.status == status.id).count()
    target = _find(list_id, to) if to else None
    if target is not None and target.id == status.id:
        raise InvalidInput(f"the tasks of {status.name!r} must go to another status")
    if held and target is None:
        raise InvalidInput(f"status {status.name!r} holds {counted(held, 'task')}: name the "
                           "status they move to")
    return held


def remove(agent: AgentRef, list_id: int, name: str, to: str | None,
           version: int | None = None, *, force: bool = False) -> int:
    """Remove a status, moving its tasks to the status `to` of the same list first (needed
    when it holds any); returns how many tasks moved."""
    require_admin(agent)
    with database.atomic():
        status = _for_update(list_id, name)
        if version is not None and version != status.version:
            raise ConflictError("status", status.id, {}, status.version)
        removal(list_id, status.name, to)
        target = _find(list_id, to) if to else None
        moved = _move_tasks(agent, status, target.id, target.name, target.category,
                            force) if target is not None else 0
        Status.delete().where(Status.id == status.id).execute()
        audit.record("status", status.id, agent, {"name": (status.name, None)}, None,
                     "status.removed", {"list_id": list_id, "moved_to": to, "tasks": moved})
    return moved


def _move_tasks(agent: AgentRef, status: Status, to_id: int, to_name: str,
                category: str, force: bool) -> int:
    """Put the tasks of `status` in status `to_id` of `category`, each with a new version,
    its history ("status" when the status changes, else "category") and a "status changed"
    event, a query's resolution time kept in step (desk.sla.track); OpenOrders when that
    closes orders with open checklist items, unless `force`."""
    moving = list(Task.select().where(Task.status == status.id).order_by(Task.id))
    if not moving:
        return 0
    blocked = _closing_open_orders(status.id, category)
    if blocked and not force:
        raise OpenOrders(len(blocked))
    now, done = utcnow(), category in DONE_CATEGORIES
    closed = fn.COALESCE(Task.closed_at, now) if done else None
    (Task.update({Task.status: to_id, Task.category: category, Task.closed_at: closed,
                  Task.updated_at: now, Task.version: Task.version + 1})
     .where(Task.id.in_([task.id for task in moving])).execute())
    change = ({"status": (status.name, to_name)} if to_id != status.id
              else {"category": (status.category, category)})
    for task in moving:
        override = ({"checklist_override": (
            None, f"closed with {counted(blocked[task.id], 'open item')}")}
            if task.id in blocked else {})
        support = (sla.track(None, task, {"closed_at": (task.closed_at or now) if done
                                          else None})
                   if task.kind == "query" and (task.closed_at is None) == done else {})
        audit.record("task", task.id, agent, {**change, **override, **support},
                     task.version + 1,
                     "task.status_changed",
                     {"list_id": status.task_list_id, "kind": task.kind,
                      "from": status.name, "to": to_name}, at=now)
    return len(moving)


def _closing_open_orders(status_id: int, category: str) -> dict[int, int]:
    """Order id -> open checklist items, for the open orders of the status that moving into
    `category` would close."""
    if category not in DONE_CATEGORIES:
        return {}
    orders = Task.select(Task.id).where((Task.status == status_id) & (Task.kind == "order")
                                        & Task.closed_at.is_null())
    return dict(ChecklistItem.select(Checklist.task, fn.COUNT(ChecklistItem.id))
                .join(Checklist).where(Checklist.task.in_(orders) & ~ChecklistItem.done)
                .group_by(Checklist.task).tuples())


def _keeps_kinds(list_id: int, status_id: int, category: str | None) -> None:
    """InvalidInput when giving status `status_id` the `category` (None: removing it) would
    leave the list without any status, or without the last one it has for work not done or
    for work done."""
    before = dict(Status.select(Status.id, Status.category)
                  .where(Status.task_list == list_id).tuples())
    after = dict(before)
    after.pop(status_id)
    if category is not None:
        after[status_id] = category
    if not after:
        raise InvalidInput("a list keeps at least one status")
    for kind, categories in (("work not done (open or active)", ("open", "active")),
                             ("work done (done or closed)", DONE_CATEGORIES)):
        if any(value in categories for value in before.values()) and \
                not any(value in categories for value in after.values()):
            raise InvalidInput(f"the list would have no status for {kind}; add one first")


def _category(category: str) -> str:
    """One of the categories, or InvalidInput naming them."""
    typed = str(category).strip().lower()
    if typed not in CATEGORIES:
        raise InvalidInput(f"category must be one of {', '.join(CATEGORIES)}, not {category!r}")
    return typed


def _find(list_id: int, name: str) -> Status:
    """The status of the list named `name` (ignoring case)."""
    typed = required_text(name, what="a status name", limit=100)
    found = (Status.select().where((Status.task_list == list_id)
                                   & (fn.LOWER(Status.name) == typed.lower())).first())
    if found is None:
        raise NotFound(f"the list has no status named {name!r}")
    return found


def _for_update(list_id: int, name: str) -> Status:
    """The status `name` of the list, read for an update."""
    return versions.load_for_update(Status, _find(list_id, name).id, "status")
