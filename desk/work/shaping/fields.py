"""Shaping the custom fields of a list: add, rename, change a dropdown's options, remove.
Admins only (a field an import defines is `custom_fields.define`).

Each change names the version read (None: as it is now) and is in the history of the field
("field"). Removing a field removes the tasks' values of it, and each value goes into its
task's history first, so nothing is lost without a trace.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from peewee import fn

from desk.clock import utcnow
from desk.errors import ConflictError, InvalidInput, NotFound
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_admin
from desk.models import CustomField, CustomValue, Task, database
from desk.text import counted
from desk.work.custom_fields import (
    FieldRow,
    checked_name,
    checked_options,
    define,
    field_row,
)


def add(agent: AgentRef, list_id: int, name: str, kind: str,
        options: Iterable[str] = ()) -> FieldRow:
    """Add a field to a list (admins only)."""
    require_admin(agent)
    return define(agent, list_id, name, kind, options)


def find(list_id: int, name: str) -> FieldRow:
    """The list's field named `name` (ignoring case)."""
    return field_row(_find(list_id, name))


def usage(list_id: int, name: str) -> int:
    """How many tasks hold a value of the field: what removing it clears."""
    return CustomValue.select().where(CustomValue.field == _find(list_id, name).id).count()


def rename(agent: AgentRef, list_id: int, name: str, new: str,
           version: int | None = None) -> None:
    """Rename a field; names stay unique in the list (ignoring case)."""
    require_admin(agent)
    new = checked_name(new)
    with database.atomic():
        field = _for_update(list_id, name)
        clash = (CustomField.task_list == list_id) & \
            (fn.LOWER(CustomField.name) == new.lower()) & (CustomField.id != field.id)
        if CustomField.select().where(clash).exists():
            raise InvalidInput(f"the list has a field named {new!r} already")
        versions.save(CustomField, field, version, "field", agent, "custom_field.updated",
                      {"name": new})


def set_options(agent: AgentRef, list_id: int, name: str, options: Iterable[str],
                version: int | None = None) -> tuple[str, ...]:
    """Give a dropdown field these options, in this order; an option that tasks hold cannot
    go. Returns the options as stored."""
    require_admin(agent)
    with database.atomic():
        field = _for_update(list_id, name)
        if field.kind != "dropdown":
            raise InvalidInput(f"field {field.name!r} ({field.kind}) has no options; only a "
                               "dropdown does")
        choices = checked_options(field.name, field.kind, options)
        kept = {choice.lower() for choice in choices}
        held = dict(CustomValue.select(CustomValue.value, fn.COUNT(CustomValue.id))
                    .where(CustomValue.field == field.id).group_by(CustomValue.value).tuples())
        for value, count in held.items():
            if value.lower() not in kept:
                raise InvalidInput(f"option {value!r} is held by {counted(count, 'task')}; "
                                   "keep it, or change those tasks first")
        old = tuple(json.loads(field.options))
        versions.save(CustomField, field, version, "field", agent, "custom_field.updated",
                      {"options": json.dumps(choices)},
                      said={"options": (", ".join(old), ", ".join(choices))})
    return tuple(choices)


def remove(agent: AgentRef, list_id: int, name: str, version: int | None = None) -> int:
    """Remove a field and its values; returns how many tasks held one (each of them gets a
    new version, and its history records the value cleared)."""
    require_admin(agent)
    with database.atomic():
        field = _for_update(list_id, name)
        if version is not None and version != field.version:
            raise ConflictError("field", field.id, {}, field.version)
        values = list(CustomValue.select(CustomValue.task, CustomValue.value)
                      .where(CustomValue.field == field.id).tuples())
        key = f"custom:{field.name}"
        tasks = [task for task, _ in values]
        (Task.update({Task.version: Task.version + 1, Task.updated_at: utcnow()})
         .where(Task.id.in_(tasks)).execute())
        audit.record_many("task", ((task, {key: (value, None)}) for task, value in values),
                          agent, None, "task.updated", {"list_id": list_id})
        CustomValue.delete().where(CustomValue.field == field.id).execute()
        CustomField.delete().where(CustomField.id == field.id).execute()
        audit.record("field", field.id, agent, {"name": (field.name, None)}, None,
                     "custom_field.removed", {"list_id": list_id, "values": len(values)})
    return len(values)


def _find(list_id: int, name: str) -> CustomField:
    """The field row of the list named `name` (ignoring case)."""
    typed = checked_name(name)
    found = (CustomField.select().where((CustomField.task_list == list_id)
                                        & (fn.LOWER(CustomField.name) == typed.lower()))
             .first())
    if found is None:
        raise NotFound(f"the list has no field named {name!r}")
    return found


def _for_update(list_id: int, name: str) -> CustomField:
    """The field `name` of the list, read for an update."""
    return versions.load_for_update(CustomField, _find(list_id, name).id, "field")
