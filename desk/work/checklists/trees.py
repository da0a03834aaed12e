"""Nested items, for checklists on tasks and checklist templates alike.

Items nest through `parent` and keep their order among their siblings in `position`. A tree
is read with one query per table and built in memory by `tree`; a new tree is written by
`insert_tree`. Nested items given as data (a YAML file, a form) are checked by `specs`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from msgspec import Struct
from peewee import Field

from desk.errors import InvalidInput
from desk.kernel.inputs import required_text


class ItemView(Struct, frozen=True):
    """An item with its nested children, in order, and the version it was read at (None for
    a template's items, which change with their template's version)."""

    id: int
    text: str
    done: bool
    children: tuple[ItemView, ...] = ()
    version: int | None = None


class ItemSpec(Struct, frozen=True):
    """An item to be written: its text and its children."""

    text: str
    children: tuple[ItemSpec, ...] = ()


def tree(rows: Iterable[tuple[int, int | None, str, bool, int | None]]
         ) -> tuple[ItemView, ...]:
    """Items as a tree, from (id, parent id, text, done, version) rows already in sibling
    order."""
    children: dict[int | None, list[tuple[int, str, bool, int | None]]] = {}
    for item_id, parent_id, text, done, version in rows:
        children.setdefault(parent_id, []).append((item_id, text, bool(done), version))

    def build(parent_id: int | None) -> tuple[ItemView, ...]:
        """The subtree under `parent_id`."""
        return tuple(ItemView(item_id, text, done, build(item_id), version)
                     for item_id, text, done, version in children.get(parent_id, ()))

    return build(None)


def grouped(rows: Iterable[tuple]) -> dict[int, list[tuple]]:
    """Rows grouped by their first column, keeping their order, without that column."""
    found: dict[int, list[tuple]] = {}
    for key, *rest in rows:
        found.setdefault(key, []).append(tuple(rest))
    return found


def insert_tree(owner: Field, owner_id: int, nodes: Iterable[ItemSpec | ItemView],
                parent_id: int | None = None) -> None:
    """Write a new tree of nodes as items of `owner_id`, where `owner` is the item model's
    column naming it (ChecklistItem.checklist or ChecklistTemplateItem.template)."""
    for position, node in enumerate(nodes, start=1):
        row = owner.model.create(**{owner.name: owner_id}, parent=parent_id, text=node.text,
                                 position=position)
        insert_tree(owner, owner_id, node.children, row.id)


def specs(items: object, place: str = "") -> tuple[ItemSpec, ...]:
    """Nested items (texts and {text: [children]} mappings) as ItemSpecs, or InvalidInput
    naming the offending item by its position, e.g. "item 2.1"."""
    if items is None:
        return ()
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
        what = f"the children of {place}" if place else "the items"
        raise InvalidInput(f"{what} must be a list, not {items!r}")
    return tuple(_spec(entry, f"{place}.{index}" if place else f"item {index}")
                 for index, entry in enumerate(items, start=1))


def _spec(entry: object, place: str) -> ItemSpec:
    """One entry of nested items as an ItemSpec."""
    if isinstance(entry, str):
        return ItemSpec(checked_text(entry, place, 500))
    if isinstance(entry, Mapping) and len(entry) == 1:
        ((text, children),) = entry.items()
        if isinstance(text, str):
            return ItemSpec(checked_text(text, place, 500), specs(children, place))
    raise InvalidInput(f"{place} must be a text or {{text: [children]}}, not {entry!r}")


def summary(nodes: Iterable[ItemSpec | ItemView]) -> str:
    """Items on one line for the history: "Kick-off, Content [Texts, Images]"."""
    return ", ".join(node.text + (f" [{summary(node.children)}]" if node.children else "")
                     for node in nodes)


def count_items(items: Iterable[ItemView]) -> int:
    """How many items a tree has, nested ones included."""
    return sum(1 + count_items(item.children) for item in items)


def checked_text(value: object, what: str, limit: int) -> str:
    """A stripped, non-empty text of at most `limit` characters (anything but text is empty)."""
    return required_text(value if isinstance(value, str) else "", what=f"the {what}",
                         limit=limit)
