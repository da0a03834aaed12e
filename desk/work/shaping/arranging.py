"""Arranging the workspace: spaces and lists archived and restored, reordered, a list moved
to another space. Admins only; nothing is deleted.

An archived space or list keeps every task: it is left out of the sidebar, the pickers and
the default listings (desk.work.listing), and a query naming its list or space finds its
tasks. Each change names the version the person read (None: as it is now), bumps the row's
version and is in the history of the space ("space") or list ("list").
"""

from __future__ import annotations

from msgspec import Struct

from desk.clock import utcnow
from desk.errors import InvalidInput
from desk.kernel import versions
from desk.kernel.agents import AgentRef, require_admin
from desk.kernel.positions import move_to, next_position
from desk.models import Space, Task, TaskList, database
from desk.work.workspace import ListRef, find_list, find_space, get_list


class Archived(Struct, frozen=True):
    """What archiving or restoring did: the space or list, and how many tasks it holds."""

    id: int
    name: str
    tasks: int


def archive_space(agent: AgentRef, name: str, version: int | None = None) -> Archived:
    """Archive a space with its lists (their tasks are kept)."""
    return _archive_space(agent, name, version, archive=True)


def restore_space(agent: AgentRef, name: str, version: int | None = None) -> Archived:
    """Bring an archived space back, with the lists that were not archived on their own."""
    return _archive_space(agent, name, version, archive=False)


def _archive_space(agent: AgentRef, name: str, version: int | None, *,
                   archive: bool) -> Archived:
    """Archive (or restore) the space `name` read at `version`."""
    require_admin(agent)
    with database.atomic():
        space = _space_for_update(name)
        _refuse_same(space.archived_at is not None, archive, f"the space {space.name!r}")
        _set_archived(Space, space, version, "space", agent, archive)
        lists = TaskList.select(TaskList.id).where(TaskList.space == space.id)
        held = Task.select().where(Task.task_list.in_(lists)).count()
    return Archived(space.id, space.name, held)


def archive_list(agent: AgentRef, name: str, version: int | None = None) -> Archived:
    """Archive a list (its tasks are kept)."""
    return _archive_list(agent, name, version, archive=True)


def restore_list(agent: AgentRef, name: str, version: int | None = None) -> Archived:
    """Bring an archived list back."""
    return _archive_list(agent, name, version, archive=False)


def _archive_list(agent: AgentRef, name: str, version: int | None, *,
                  archive: bool) -> Archived:
    """Archive (or restore) the list `name` read at `version`."""
    require_admin(agent)
    with database.atomic():
        row = _list_for_update(name)
        _refuse_same(row.archived_at is not None, archive, f"the list {row.name!r}")
        _set_archived(TaskList, row, version, "list", agent, archive)
        held = Task.select().where(Task.task_list == row.id).count()
    return Archived(row.id, row.name, held)


def move_space(agent: AgentRef, name: str, position: int, version: int | None = None) -> int:
    """Put the space at `position` (1 = first) among the spaces; returns its old place."""
    require_admin(agent)
    with database.atomic():
        space = _space_for_update(name)
        old, new = move_to(Space.position, Space.id.is_null(False), space.id, position,
                           "workspace", f"space {space.name!r}")
        _placed(Space, space, version, "space", agent, old, new)
    return old


def reorder_list(agent: AgentRef, name: str, position: int,
                 version: int | None = None) -> ListRef:
    """Put the list at `position` (1 = first) among the lists of its space."""
    require_admin(agent)
    with database.atomic():
        row = _list_for_update(name)
        old, new = move_to(TaskList.position, TaskList.space == row.space_id, row.id,
                           position, f"space {row.space_id}", f"list {row.name!r}")
        _placed(TaskList, row, version, "list", agent, old, new)
    return get_list(row.id)


def move_list(agent: AgentRef, name: str, space: str, version: int | None = None) -> ListRef:
    """Move the list to the end of another space; list names stay unique in a space."""
    require_admin(agent)
    with database.atomic():
        row = _list_for_update(name)
        target = find_space(space)
        if target.id == row.space_id:
            raise InvalidInput(f"the list {row.name!r} is in the space {target.name!r} already")
        same = (TaskList.space == target.id) & (TaskList.name == row.name)
        if TaskList.select().where(same).exists():
            raise InvalidInput(f"space {target.name!r} has a list named {row.name!r} already")
        position = next_position(TaskList.position, TaskList.space == target.id,
                                 f"space {target.id}")
        versions.save(TaskList, row, version, "list", agent, "list.updated",
                      {"space_id": target.id, "position": position},
                      said={"space_id": (row.space.name, target.name)})
    return get_list(row.id)


def _space_for_update(name: str) -> Space:
    """The space `name`, read for an update."""
    return versions.load_for_update(Space, find_space(name).id, "space")


def _list_for_update(name: str) -> TaskList:
    """The list `name` (as `find_list` reads it), read for an update."""
    return versions.load_for_update(TaskList, find_list(name).id, "list")


def _refuse_same(archived: bool, archive: bool, what: str) -> None:
    """InvalidInput when the row is already where the change would put it."""
    if archived and archive:
        raise InvalidInput(f"{what} is archived already")
    if not archived and not archive:
        raise InvalidInput(f"{what} is not archived")


def _set_archived(model: type[Space] | type[TaskList], row: Space | TaskList,
                  version: int | None, entity: str, agent: AgentRef, archive: bool) -> None:
    """Write the archive mark (or clear it) with its history, "archived" no -> yes."""
    mark = utcnow() if archive else None
    versions.save(model, row, version, entity, agent,
                  f"{entity}.archived" if archive else f"{entity}.restored",
                  {"archived_at": mark}, said={"archived_at": (not archive, archive)})


def _placed(model: type[Space] | type[TaskList], row: Space | TaskList, version: int | None,
            entity: str, agent: AgentRef, old: int, new: int) -> None:
    """The history of a move from place `old` to `new`, checked against `version`."""
    if old == new:
        return
    current = versions.load_for_update(model, row.id, entity)
    current.position = old  # compared as the place the person saw
    versions.save(model, current, version, entity, agent, f"{entity}.updated",
                  {"position": new})
