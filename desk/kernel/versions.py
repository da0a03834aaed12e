"""Optimistic concurrency: a save names the version it read; other agents' fields merge."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from peewee import Model

from desk.dialect import row_by_id
from desk.errors import ConflictError, InvalidInput, NotFound
from desk.kernel import audit

if TYPE_CHECKING:
    from desk.kernel.agents import AgentRef


def load_for_update(model: type[Model], row_id: int, entity: str) -> Model:
    """Read a row inside a write transaction, locking it on PostgreSQL (SQLite holds the
    database write lock from BEGIN IMMEDIATE already)."""
    row = row_by_id(model, row_id, lock=True)
    if row is None:
        raise NotFound(f"no {entity} {row_id}")
    return row


def effective_changes(entity: str, entity_id: int, read_version: int, current_version: int,
                      current: Mapping[str, object], wanted: Mapping[str, object]) -> dict:
    """The (old, new) pairs this save really changes, or ConflictError.

    When someone saved since `read_version`, a field they changed and this save changes to
    a different value is a conflict; fields only one side touched merge. A `read_version`
    above the current one was never read from this row: InvalidInput.
    """
    if read_version > current_version:
        raise InvalidInput(f"version {read_version} does not exist; the {entity} is at "
                           f"version {current_version}")
    if read_version != current_version:
        touched = audit.changed_since(entity, entity_id, read_version)
        conflicts = {field: (current[field], value) for field, value in wanted.items()
                     if field in touched and current[field] != value}
        if conflicts:
            raise ConflictError(entity, entity_id, conflicts, current_version)
    return {field: (current[field], value) for field, value in wanted.items()
            if current[field] != value}


def bump(model: type[Model], row_id: int, current_version: int, entity: str,
         columns: Mapping[str, object]) -> int:
    """Write `columns` and the next version if the row is still at `current_version`."""
    values = {getattr(model, name): value for name, value in columns.items()}
    values[model.version] = model.version + 1
    updated = (model.update(values)
               .where((model.id == row_id) & (model.version == current_version))
               .execute())
    if updated != 1:
        raise ConflictError(entity, row_id, {}, current_version)
    return current_version + 1


def save(model: type[Model], row: Model, read_version: int | None, entity: str,
         agent: AgentRef, event: str, wanted: Mapping[str, object], *,
         said: Mapping[str, tuple] | None = None) -> int:
    """Write the `wanted` columns (name -> new value) of `row`, loaded for update and read by
    the person at `read_version` (None: as it is now, for a command that reads and writes at
    once), with the next version and its history; returns the version the row is at.

    Changes merge as in `effective_changes`. The history names each change as `said` gives
    it (field -> (old, new), e.g. names for an id), else by its column's old and new value.
    """
    current = {name: getattr(row, name) for name in wanted}
    read = row.version if read_version is None else read_version
    effective = effective_changes(entity, row.id, read, row.version, current, wanted)
    if not effective:
        return row.version
    version = bump(model, row.id, row.version, entity,
                   {name: new for name, (_, new) in effective.items()})
    history = {field: (said or {}).get(field, pair) for field, pair in effective.items()}
    audit.record(entity, row.id, agent, history, version, event)
    return version
