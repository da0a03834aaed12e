"""Errors that desk reports to a person: each carries a message fit to print as one line."""

from __future__ import annotations

from desk.text import display_width, one_line


class DeskError(Exception):
    """Base of every error desk shows to a person instead of a traceback."""


class NotFound(DeskError):
    """A record named by id or name does not exist."""


class PermissionDenied(DeskError):
    """The acting agent may not do this (not an agent, or a viewer trying to write)."""


class InvalidInput(DeskError):
    """A value typed or imported is not acceptable; the message names the field."""


class FieldError(InvalidInput):
    """A value of one field is not acceptable; `field` names the field as the service knows
    it (e.g. "email"), so a form can show the message under it and the CLI name its option."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class OpenChecklistItems(InvalidInput):
    """An order cannot move to a done status while checklist items are open, unless the
    person confirms; `open_items` is how many are open."""

    def __init__(self, task_id: int, open_items: int) -> None:
        items = "item" if open_items == 1 else "items"
        super().__init__(f"order {task_id} has {open_items} open checklist {items}; "
                         "confirm to close it anyway")
        self.task_id = task_id
        self.open_items = open_items


class SchemaError(DeskError):
    """The database schema cannot be used by this version of desk."""


class QueryError(DeskError):
    """A malformed query; `position` is the offset of the offending text in `query`."""

    def __init__(self, message: str, query: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.query = query
        self.position = max(0, min(position, len(query)))

    def pointer(self) -> str:
        """Two lines fit to print: the query (made visible, on one line) and a caret under
        the offending position, counted in terminal columns."""
        before = display_width(one_line(self.query[:self.position]))
        return f"{one_line(self.query)}\n{' ' * before}^"

    def __str__(self) -> str:
        return f"{self.message} (at column {self.position + 1})"


class ConflictError(DeskError):
    """Someone saved the same fields first.

    `conflicts` maps each field to a (theirs, yours) pair: the value now stored and the value
    this save wanted to write. Nothing was written.
    """

    def __init__(self, entity: str, entity_id: int, conflicts: dict[str, tuple[object, object]],
                 current_version: int) -> None:
        fields = ", ".join(sorted(conflicts))
        super().__init__(
            f"{entity} {entity_id} was changed by someone else since you read it ({fields}); "
            "nothing was saved"
        )
        self.entity = entity
        self.entity_id = entity_id
        self.conflicts = conflicts
        self.current_version = current_version
