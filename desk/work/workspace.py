"""Spaces, lists and their ordered statuses: the shape of the workspace."""

from __future__ import annotations

from msgspec import Struct
from peewee import fn

from desk.errors import InvalidInput, NotFound
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_admin, require_writer
from desk.kernel.inputs import required_text, storable_text, typed_id
from desk.kernel.positions import next_position
from desk.models import Client, Space, Status, Task, TaskList, database
from desk.vocabulary import CATEGORIES

STATUS_LIMIT = 100
"""The most characters a status name may have."""
DEFAULT_STATUSES = (("To do", "open"), ("In progress", "active"), ("Done", "done"),
                    ("Closed", "closed"))


class ListRef(Struct, frozen=True):
    """A list with its space and its statuses in order ((name, category) pairs); an archived
    list (or a list of an archived space) is `archived`."""

    id: int
    name: str
    space: str
    statuses: tuple[tuple[str, str], ...]
    archived: bool = False
    version: int = 1


def create_space(agent: AgentRef, name: str) -> int:
    """Create a space; returns its id."""
    require_writer(agent)
    name = _required(name, "space name")
    with database.atomic():
        if Space.select().where(Space.name == name).exists():
            raise InvalidInput(f"a space named {name!r} exists already")
        position = next_position(Space.position, Space.id.is_null(False), "workspace")
        space = Space.create(name=name, position=position)
        audit.record("space", space.id, agent, {"name": (None, name)}, None, "space.created")
    return space.id


def create_list(agent: AgentRef, space: str, name: str,
                statuses: tuple[tuple[str, str], ...] = DEFAULT_STATUSES) -> ListRef:
    """Create a list in a space with its ordered (name, category) statuses."""
    require_writer(agent)
    name = _required(name, "list name")
    if not statuses:
        raise InvalidInput("a list needs at least one status")
    for status, category in statuses:
        if len(storable_text(status, "a status name")) > STATUS_LIMIT:
            raise InvalidInput(f"a status name can have at most {STATUS_LIMIT} characters")
        if category not in CATEGORIES:
            raise InvalidInput(
                f"status {status!r}: category must be one of {', '.join(CATEGORIES)}")
    storable_text(space, "a space name")
    with database.atomic():
        space_row = Space.get_or_none(Space.name == space)
        if space_row is None:
            raise NotFound(f"no space named {space!r}")
        same_name = (TaskList.space == space_row) & (TaskList.name == name)
        if TaskList.select().where(same_name).exists():
            raise InvalidInput(f"space {space!r} has a list named {name!r} already")
        position = next_position(TaskList.position, TaskList.space == space_row,
                                 f"space {space_row.id}")
        task_list = TaskList.create(space=space_row, name=name, position=position)
        Status.insert_many([
            {"task_list": task_list.id, "name": status, "category": category, "position": index}
            for index, (status, category) in enumerate(statuses)
        ]).execute()
        audit.record("list", task_list.id, agent, {"name": (None, name)}, None, "list.created")
    return get_list(task_list.id)


def add_status(agent: AgentRef, list_id: int, name: str, category: str) -> StatusRef:
    """Add a status in `category` (open, active, done or closed) after the list's other
    statuses; returns it. A status name is unique within its list (case-insensitively).
    Recorded as activity of the list (field "status"), event "status.added"."""
    require_writer(agent)
    name = required_text(name, what="a status name", limit=100)
    if category not in CATEGORIES:
        raise InvalidInput(f"status {name!r}: category must be one of {', '.join(CATEGORIES)}, "
                           f"not {category!r}")
    with database.atomic():
        if not TaskList.select().where(TaskList.id == list_id).exists():
            raise NotFound(f"no list {list_id}")
        in_list = Status.select().where(Status.task_list == list_id)
        if in_list.where(fn.LOWER(Status.name) == name.lower()).exists():
            raise InvalidInput(f"the list has a status named {name!r} already")
        position = (Status.select(fn.COALESCE(fn.MAX(Status.position), -1))
                    .where(Status.task_list == list_id).scalar() + 1)
        status = Status.create(task_list=list_id, name=name, category=category,
                               position=position)
        audit.record("list", list_id, agent, {"status": (None, f"{name} ({category})")}, None,
                     "status.added", {"status_id": status.id, "category": category})
    return StatusRef(status.id, name, category)


def rename_space(agent: AgentRef, old: str, new: str, version: int | None = None) -> None:
    """Rename the space `old` (admins only), read at `version` (None: as it is now); names
    stay unique. Recorded as activity of the space ("name")."""
    require_admin(agent)
    new = _required(new, "space name")
    with database.atomic():
        space = versions.load_for_update(Space, find_space(old).id, "space")
        if new != space.name and Space.select().where(Space.name == new).exists():
            raise InvalidInput(f"a space named {new!r} exists already")
        versions.save(Space, space, version, "space", agent, "space.updated", {"name": new})


def rename_list(agent: AgentRef, name: str, new: str, version: int | None = None) -> ListRef:
    """Rename the list `name` (as `find_list` reads it; admins only), read at `version`
    (None: as it is now); a space's list names stay unique. Recorded as activity of the list
    ("name")."""
    require_admin(agent)
    new = _required(new, "list name")
    with database.atomic():
        found = find_list(name)
        row = versions.load_for_update(TaskList, found.id, "list")
        same = (TaskList.space == row.space_id) & (TaskList.name == new) & \
            (TaskList.id != found.id)
        if TaskList.select().where(same).exists():
            raise InvalidInput(f"space {found.space!r} has a list named {new!r} already")
        versions.save(TaskList, row, version, "list", agent, "list.updated", {"name": new})
    return get_list(found.id)


def starter_list(agent: AgentRef, name: str) -> ListRef:
    """The list `name` to add work to (InvalidInput when it is archived, as `open_list`); in a
    workspace without any list yet, it is created in a space called "Desk" so that a new
    workspace is usable at once."""
    with database.atomic():
        if TaskList.select().exists():
            return open_list(name)
        if not Space.select().where(Space.name == "Desk").exists():
            create_space(agent, "Desk")
        return create_list(agent, "Desk", name)


def get_list(list_id: int) -> ListRef:
    """The list with this id."""
    task_list = TaskList.get_or_none(TaskList.id == list_id)
    if task_list is None:
        raise NotFound(f"no list {list_id}")
    statuses = tuple((s.name, s.category) for s in
                     task_list.statuses.order_by(Status.position))
    archived = task_list.archived_at is not None or task_list.space.archived_at is not None
    return ListRef(task_list.id, task_list.name, task_list.space.name, statuses, archived,
                   task_list.version)


class StatusRef(Struct, frozen=True):
    """One status of a list: its id (which `status:<id>` names exactly), name, category and
    its own colour ("" for none)."""

    id: int
    name: str
    category: str
    colour: str = ""


def statuses(list_id: int) -> list[StatusRef]:
    """The statuses of a list in order, with their ids (the columns of its board)."""
    if not TaskList.select().where(TaskList.id == list_id).exists():
        raise NotFound(f"no list {list_id}")
    rows = (Status.select(Status.id, Status.name, Status.category, Status.colour)
            .where(Status.task_list == list_id).order_by(Status.position, Status.id).tuples())
    return [StatusRef(*row) for row in rows]


def find_list(name: str) -> ListRef:
    """A list by name (case-insensitive), by "Space/List", or by id."""
    text = storable_text(name.strip(), "a list's name")
    if (list_id := typed_id(text)) is not None:
        return get_list(list_id)
    query = TaskList.select().join(Space)
    if "/" in text:
        space, _, list_name = text.partition("/")
        query = query.where((fn.LOWER(Space.name) == space.strip().lower())
                            & (fn.LOWER(TaskList.name) == list_name.strip().lower()))
    else:
        query = query.where(fn.LOWER(TaskList.name) == text.lower())
    matches = list(query.limit(2))
    if not matches:
        raise NotFound(f"no list named {name!r}")
    if len(matches) > 1:
        raise InvalidInput(f"several lists are named {name!r}; write it as Space/List")
    return get_list(matches[0].id)


def open_list(name: str) -> ListRef:
    """The list `name` as `find_list` reads it, for adding work to: InvalidInput naming the
    list and how to restore it when it (or its space) is archived."""
    found = find_list(name)
    if not found.archived:
        return found
    row = TaskList.get_by_id(found.id)
    restore = (f"desk lists restore {found.name!r}" if row.archived_at is not None
               else f"desk spaces restore {found.space!r}")
    raise InvalidInput(f"the list {found.space}/{found.name} is archived; restore it first "
                       f"({restore})")


def tree(archived: bool = False) -> list[dict]:
    """Spaces in order, each with its lists in order: the sidebar and `desk lists`. Archived
    spaces and lists are left out, unless `archived`: then every entry says whether it is
    archived itself."""
    lists: dict[int, list[dict]] = {}
    rows = TaskList.select().order_by(TaskList.position, TaskList.id)
    spaces = Space.select().order_by(Space.position, Space.id)
    if not archived:
        rows = rows.where(TaskList.archived_at.is_null())
        spaces = spaces.where(Space.archived_at.is_null())
    for row in rows:
        lists.setdefault(row.space_id, []).append(
            {"id": row.id, "name": row.name, "version": row.version,
             "archived": row.archived_at is not None})
    return [{"id": s.id, "name": s.name, "version": s.version,
             "archived": s.archived_at is not None, "lists": lists.get(s.id, [])}
            for s in spaces]


def find_space(name: str) -> Space:
    """A space by name (as typed, else ignoring case) or by id, archived or not."""
    text = storable_text(name.strip(), "a space's name")
    if (space_id := typed_id(text)) is not None and (
            found := Space.get_or_none(Space.id == space_id)) is not None:
        return found
    found = (Space.get_or_none(Space.name == text)
             or Space.get_or_none(fn.LOWER(Space.name) == text.lower()))
    if found is None:
        raise NotFound(f"no space named {name!r}")
    return found


def hidden_lists() -> list[int]:
    """The ids of the archived lists and of the lists of archived spaces: left out of the
    default listings, found when a query names their list or space."""
    archived = TaskList.archived_at.is_null(False) | TaskList.space.in_(
        Space.select(Space.id).where(Space.archived_at.is_null(False)))
    return [row for (row,) in TaskList.select(TaskList.id).where(archived).tuples()]


def summary() -> dict:
    """Counts that describe a workspace at a glance."""
    by_kind = dict(Task.select(Task.kind, fn.COUNT(Task.id)).group_by(Task.kind).tuples())
    open_by_kind = dict(Task.select(Task.kind, fn.COUNT(Task.id))
                        .where(Task.closed_at.is_null()).group_by(Task.kind).tuples())
    clients = dict(Client.select(Client.kind, fn.COUNT(Client.id)).group_by(Client.kind).tuples())
    return {
        "spaces": Space.select().count(),
        "lists": TaskList.select().count(),
        "tasks": by_kind,
        "open": open_by_kind,
        "clients": clients,
    }


def _required(value: str, what: str) -> str:
    """A stripped, non-empty name of at most 200 characters."""
    return required_text(value, what=f"the {what}", limit=200)
