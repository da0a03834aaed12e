"""A task's checklists and their nested items: adding, ticking, renaming, moving, deleting
and reading them. Every change is recorded as the task's activity (field "checklist").

Items carry a version: every edit names the version it read, and an item someone else
changed since is a ConflictError (nothing written) with the item as it is now and as the
edit would have left it. A whole checklist is deleted at the items it was read with: one
added, changed or deleted since is a ConflictError too."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from msgspec import Struct

from desk.clock import stored, utcnow
from desk.dialect import locking
from desk.errors import ConflictError, InvalidInput, NotFound
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.positions import next_position
from desk.models import Checklist, ChecklistItem, Task, database
from desk.work.checklists.trees import ItemView, checked_text, grouped, tree

FIELD = "checklist"  # the Activity field of every checklist change on a task
ENTITY = "checklist item"  # what a ConflictError about an item names


class ChecklistView(Struct, frozen=True):
    """A checklist of a task: its items as a tree and its progress as (done, total)."""

    id: int
    name: str
    items: tuple[ItemView, ...]
    progress: tuple[int, int]


def add_checklist(agent: AgentRef, task_id: int, name: str) -> int:
    """Add an empty checklist at the end of a task's checklists; returns its id."""
    require_writer(agent)
    name = checked_text(name, "checklist name", 200)
    with database.atomic():
        checklist_id = new_checklist(task_id, name)
        audit.record("task", task_id, agent, {FIELD: (None, name)}, None, "checklist.created",
                     {"checklist_id": checklist_id})
    return checklist_id


def add_item(agent: AgentRef, checklist_id: int, text: str, parent_id: int | None = None) -> int:
    """Append an item to a checklist (under `parent_id` when given); returns its id."""
    require_writer(agent)
    text = checked_text(text, "item text", 500)
    with database.atomic():
        checklist = versions.load_for_update(Checklist, checklist_id, "checklist")
        if parent_id is not None:
            parent = _item(parent_id)
            if parent.checklist_id != checklist_id:
                raise InvalidInput(f"item {parent_id} is not on checklist {checklist_id}")
        position = next_position(
            ChecklistItem.position,
            (ChecklistItem.checklist == checklist_id) & _siblings_of(parent_id),
            f"checklist {checklist_id}")
        item_id = ChecklistItem.create(checklist=checklist_id, parent=parent_id, text=text,
                                       position=position).id
        audit.record("task", checklist.task_id, agent, {FIELD: (None, _label(False, text))},
                     None, "checklist.item_added", {"checklist_id": checklist_id,
                                                    "item_id": item_id})
    return item_id


def set_done(agent: AgentRef, item_id: int, version: int, done: bool, *,
             now: datetime | None = None) -> bool:
    """Tick (done=True) or untick an item read at `version`; returns whether that changed it.

    Idempotent: two agents ticking the same item leave it ticked, and a call that changes
    nothing records nothing. Otherwise an item changed since `version` is a ConflictError
    (nothing written). Ticking the last open item of all the task's checklists also records
    the event "checklist.completed". `now` is when it is ticked (default: the current time;
    a caller recording history passes the moment).
    """
    require_writer(agent)
    if not isinstance(done, bool):
        raise InvalidInput(f"done must be true or false, not {done!r}")
    with database.atomic():
        item = _item(item_id)
        if item.done == done:
            return False
        _check_version(item, version, _label(done, item.text))
        task_id = item.checklist.task_id
        versions.load_for_update(Task, task_id, "task")  # one completion check at a time
        moment = stored(now) or utcnow()
        versions.bump(ChecklistItem, item_id, item.version, ENTITY,
                      {"done": done, "done_at": moment if done else None,
                       "done_by": agent.id if done else None})
        audit.record("task", task_id, agent,
                     {FIELD: (_label(item.done, item.text), _label(done, item.text))}, None,
                     "checklist.item_toggled", {"item_id": item_id, "done": done}, at=moment)
        if done and open_items(task_id) == 0:
            audit.record("task", task_id, agent, {}, None, "checklist.completed",
                         {"task_id": task_id}, at=moment)
    return True


def rename_item(agent: AgentRef, item_id: int, version: int, text: str) -> None:
    """Change the text of an item read at `version`; an item changed since is a
    ConflictError (nothing written), unless it already says `text`."""
    require_writer(agent)
    text = checked_text(text, "item text", 500)
    with database.atomic():
        item = _item(item_id)
        if item.text == text:
            return
        _check_version(item, version, _label(item.done, text))
        versions.bump(ChecklistItem, item_id, item.version, ENTITY, {"text": text})
        audit.record("task", item.checklist.task_id, agent,
                     {FIELD: (_label(item.done, item.text), _label(item.done, text))}, None,
                     "checklist.item_renamed", {"item_id": item_id})


def move_item(agent: AgentRef, item_id: int, version: int, offset: int) -> None:
    """Move an item read at `version` among its siblings by `offset` places (-1 up, +1
    down), within the ends; an item changed since is a ConflictError (nothing moved)."""
    require_writer(agent)
    with database.atomic():
        item = _item(item_id)
        siblings = list(ChecklistItem.select(ChecklistItem.id)
                        .where((ChecklistItem.checklist == item.checklist_id)
                               & _siblings_of(item.parent_id))
                        .order_by(ChecklistItem.position, ChecklistItem.id).tuples())
        ids = [sibling_id for (sibling_id,) in siblings]
        old = ids.index(item_id)
        new = max(0, min(len(ids) - 1, old + offset))
        if new == old:
            return
        _check_version(item, version, f"{_label(item.done, item.text)} (moved to #{new + 1})")
        ids.insert(new, ids.pop(old))
        for position, sibling_id in enumerate(ids, start=1):
            (ChecklistItem.update(position=position)
             .where(ChecklistItem.id == sibling_id).execute())
        versions.bump(ChecklistItem, item_id, item.version, ENTITY, {})
        audit.record("task", item.checklist.task_id, agent,
                     {FIELD: (f"{item.text} (#{old + 1})", f"{item.text} (#{new + 1})")}, None,
                     "checklist.item_moved", {"item_id": item_id})


def delete_item(agent: AgentRef, item_id: int, version: int) -> None:
    """Delete an item read at `version` and everything nested under it; an item changed
    since is a ConflictError (nothing deleted)."""
    require_writer(agent)
    with database.atomic():
        item = _item(item_id)
        _check_version(item, version, None)
        ChecklistItem.delete().where(ChecklistItem.id == item_id).execute()  # children cascade
        audit.record("task", item.checklist.task_id, agent,
                     {FIELD: (_label(item.done, item.text), None)}, None,
                     "checklist.item_deleted", {"item_id": item_id})


def delete_checklist(agent: AgentRef, checklist_id: int, seen: Iterable[tuple[int, int]]
                     ) -> None:
    """Delete a checklist with all its items. `seen` holds the (id, version) of every item
    as the person read them; a checklist whose items are not those any more (one added,
    changed or deleted since) is a ConflictError, and nothing is deleted."""
    require_writer(agent)
    with database.atomic():
        checklist = versions.load_for_update(Checklist, checklist_id, "checklist")
        items = set(ChecklistItem.select(ChecklistItem.id, ChecklistItem.version)
                    .where(ChecklistItem.checklist == checklist_id).tuples())
        if items != set(seen):
            raise ConflictError("checklist", checklist_id,
                                {FIELD: (_described(checklist.name, len(items)), None)}, 0)
        Checklist.delete().where(Checklist.id == checklist_id).execute()  # items cascade
        audit.record("task", checklist.task_id, agent,
                     {FIELD: (_described(checklist.name, len(items)), None)}, None,
                     "checklist.deleted", {"checklist_id": checklist_id})


def for_task(task_id: int) -> list[ChecklistView]:
    """The task's checklists in order, each with its item tree and progress."""
    checklists = list(Checklist.select(Checklist.id, Checklist.name)
                      .where(Checklist.task == task_id)
                      .order_by(Checklist.position, Checklist.id).tuples())
    rows = grouped(ChecklistItem.select(ChecklistItem.checklist, ChecklistItem.id,
                                        ChecklistItem.parent, ChecklistItem.text,
                                        ChecklistItem.done, ChecklistItem.version)
                   .join(Checklist).where(Checklist.task == task_id)
                   .order_by(ChecklistItem.position, ChecklistItem.id).tuples())
    views = []
    for checklist_id, name in checklists:
        items = rows.get(checklist_id, [])
        done = sum(1 for (_, _, _, is_done, _) in items if is_done)
        views.append(ChecklistView(checklist_id, name, tree(items), (done, len(items))))
    return views


def open_items(task_id: int) -> int:
    """How many items of the task's checklists are not done."""
    return (ChecklistItem.select().join(Checklist)
            .where((Checklist.task == task_id) & ~ChecklistItem.done).count())


def new_checklist(task_id: int, name: str) -> int:
    """Insert a checklist at the end of an existing task's checklists (inside a transaction,
    recording nothing); returns its id."""
    if not Task.select().where(Task.id == task_id).exists():
        raise NotFound(f"no task {task_id}")
    position = next_position(Checklist.position, Checklist.task == task_id, f"task {task_id}")
    return Checklist.create(task=task_id, name=name, position=position).id


def _siblings_of(parent_id: int | None):
    """The condition for checklist items directly under `parent_id` (top level when None)."""
    return (ChecklistItem.parent.is_null() if parent_id is None
            else ChecklistItem.parent == parent_id)


def _item(item_id: int) -> ChecklistItem:
    """A checklist item with its checklist, locked on PostgreSQL, or NotFound."""
    query = (ChecklistItem.select(ChecklistItem, Checklist).join(Checklist)
             .where(ChecklistItem.id == item_id))
    item = locking(query).first()
    if item is None:
        raise NotFound(f"no checklist item {item_id}")
    return item


def _check_version(item: ChecklistItem, version: int, yours: str | None) -> None:
    """Refuse an edit of `item` read at `version` when it changed since: a ConflictError
    with the item as it is now (theirs) and as the edit would leave it (yours, None for
    deleted). A version the item never had is InvalidInput."""
    if version > item.version:
        raise InvalidInput(f"version {version} does not exist; the checklist item is at "
                           f"version {item.version}")
    if version != item.version:
        raise ConflictError(ENTITY, item.id, {FIELD: (_label(item.done, item.text), yours)},
                            item.version)


def _described(name: str, items: int) -> str:
    """How a whole checklist shows in the activity history: "Onboarding (3 items)"."""
    return f"{name} ({items} item{'' if items == 1 else 's'})"


def _label(done: bool, text: str) -> str:
    """How an item shows in the activity history: "[x] Call client"."""
    return f"[{'x' if done else ' '}] {text}"
