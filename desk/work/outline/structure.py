"""What an outline reads whole before paging: its sections and its subtask structure.

The sections are one, or (grouped, or sorted by status) one per status of the list in the
list's order (per category for the whole workspace). The structure is the matching
subtasks': how many under each parent, and which parents match (one GROUP BY on the parent
index and one primary-key read, O(matching subtasks); a workspace without subtasks skips
both). From it follow the roots' condition (a matching task without a matching parent), how
many lines each parent's subtree shows, and per section the roots that have subtasks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cmp_to_key
from typing import Any

from msgspec import Struct
from peewee import Expression, fn

from desk.models import Status, Task
from desk.vocabulary import CATEGORIES
from desk.work.listing import Sort
from desk.work.outline import keys
from desk.work.outline.view import View

LITERAL_PARENTS = 1000
"""Up to this many orphan parents are named in the root condition; more become a subquery."""
PARENTS_PER_QUERY = 30_000
"""Parents read per query (bound parameters; SQLite allows 32,766). Beyond one query their
order is sorted here, as SQLite's binary collation orders text."""


class Section(Struct, frozen=True):
    """A run of roots sharing a condition (a status, a category, or everything)."""

    key: str
    name: str
    category: str
    condition: Expression | None
    colour: str = ""  # a status's own colour ("" for none)

    @property
    def value(self) -> object:
        """What the GROUP BY column (status or category) holds for the section's rows."""
        kind, _, value = self.key.partition(":")
        return value if kind == "category" else int(value)


class Structure(Struct):
    """What the outline knows before paging: sections, the subtasks and who has them."""

    sections: list[Section]
    roots: list[Expression]  # the root conditions (query and "is a root")
    kids: dict[int, int]  # parent id -> its matching direct subtasks
    shown: dict[int, int]  # matching parent -> its subtree lines shown (0 when folded)
    total: dict[int, int]  # matching parent -> its matching subtasks, all levels
    parent_of: dict[int, int | None]  # matching parent -> its parent
    rooted: list[list[int]]  # per section: its roots that have matching subtasks
    branching: list[list[tuple[tuple, int]]]  # per section: (key, id) of roots showing some

    def section_of(self, status: int, category: str) -> int | None:
        """The index of the section a root with this status is in (None: no such section)."""
        wanted = ("all", f"category:{category}", f"status:{status}")
        return next((index for index, section in enumerate(self.sections)
                     if section.key in wanted), None)


def learn(view: View, order: Sort, by_status: bool, matching: list[Expression],
          select: Callable[..., Any]) -> Structure:
    """Sections, subtask counts, matching parents and the roots' condition of `view`, whose
    roots sort in `order`; `matching` are the conditions of a matching task and `select`
    SELECTs tasks joined as the order needs."""
    kids: dict[int, int] = {}
    if Task.select().where(Task.parent.is_null(False)).exists():  # the parent index only
        kids = dict(Task.select(Task.parent, fn.COUNT(Task.id))
                    .where(*matching, Task.parent.is_null(False))
                    .group_by(Task.parent).tuples())
    parent_of: dict[int, int | None] = {}
    status_of: dict[int, tuple[int, str]] = {}
    sort_keys: dict[int, tuple] = {}
    for chunk in chunks(list(kids), PARENTS_PER_QUERY):
        found = (select(Task.id, Task.parent, Task.status, Task.category, *order.columns)
                 .where(*matching, Task.id.in_(chunk))
                 .order_by(*order.order_by()).tuples())
        for task_id, parent, status, category, *key in found:
            parent_of[task_id] = parent
            status_of[task_id] = (status, category)
            sort_keys[task_id] = tuple(key)
    orphans = [parent for parent in kids if parent not in parent_of]
    roots = list(matching)
    if not orphans:
        roots.append(Task.parent.is_null())
    else:
        if len(orphans) <= LITERAL_PARENTS:
            roots.append(Task.parent.is_null() | Task.parent.in_(orphans))
        else:  # the parent is not one of the matching parents
            with_kids = Task.select(Task.parent).where(*matching, Task.parent.is_null(False))
            parents = Task.select(Task.id).where(*matching, Task.id.in_(with_kids))
            roots.append(Task.parent.is_null() | Task.parent.not_in(parents))
    total, shown = subtree_sizes(kids, parent_of, view.folded)
    found_sections = sections(view, by_status)
    structure = Structure(found_sections, roots, kids, shown, total, parent_of,
                          [[] for _ in found_sections], [[] for _ in found_sections])
    ordered = list(parent_of)  # in the database's sort order when read in one query
    if len(kids) > PARENTS_PER_QUERY:
        ordered.sort(key=cmp_to_key(lambda a, b: keys.compare_keys(order, sort_keys[a],
                                                                   sort_keys[b])))
    for task_id in ordered:
        if parent_of[task_id] in parent_of:
            continue  # a subtask under a matching parent, not a root
        section = structure.section_of(*status_of[task_id])
        if section is None:
            continue
        structure.rooted[section].append(task_id)
        if shown[task_id]:
            structure.branching[section].append((sort_keys[task_id], task_id))
    return structure


def sections(view: View, by_status: bool) -> list[Section]:
    """One section, or one per status of the list (per category for the workspace)."""
    if not by_status:
        return [Section("all", "", "", None)]
    if view.list_id is None:
        return [Section(f"category:{category}", category.capitalize(), category,
                        Task.category == category) for category in CATEGORIES]
    statuses = (Status.select(Status.id, Status.name, Status.category, Status.colour)
                .where(Status.task_list == view.list_id)
                .order_by(Status.position, Status.id).tuples())
    return [Section(f"status:{status}", name, category, Task.status == status, colour)
            for status, name, category, colour in statuses]


def subtree_sizes(kids: dict[int, int], parent_of: dict[int, int | None],
                  folded: frozenset[int]) -> tuple[dict[int, int], dict[int, int]]:
    """(all matching subtasks, subtree lines shown) per matching parent, counting nested
    subtasks; a folded parent shows none."""
    children: dict[int, list[int]] = {}
    for node, parent in parent_of.items():
        if parent in parent_of:
            children.setdefault(parent, []).append(node)
    total: dict[int, int] = {}
    shown: dict[int, int] = {}

    def visit(node: int, seen: frozenset[int]) -> None:
        """Sizes of `node` after those of its children (`seen` guards against cycles)."""
        below = [child for child in children.get(node, []) if child not in seen]
        for child in below:
            if child not in total:
                visit(child, seen | {node})
        total[node] = kids.get(node, 0) + sum(total[child] for child in below)
        shown[node] = 0 if node in folded else (
            kids.get(node, 0) + sum(shown[child] for child in below))

    for node in parent_of:
        if node not in total:
            visit(node, frozenset())
    return total, shown


def chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    """`ids` in slices small enough for an IN list of bound parameters."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
