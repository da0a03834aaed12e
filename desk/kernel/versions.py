"""Optimistic concurrency: a save names the version it read; other agents' fields merge."""

from __future__ import annotations

from collections.abc import Mapping

from peewee import Model

from desk.dialect import locking
from desk.errors import ConflictError, InvalidInput, NotFound
from desk.kernel import audit


def load_for_update(model: type[Model], row_id: int, entity: str) -> Model:
    """Read a row inside a write transaction, locking it on PostgreSQL (SQLite holds the
    database write lock from BEGIN IMMEDIATE already)."""
    row = locking(model.select().where(model.id == row_id)).first()
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
