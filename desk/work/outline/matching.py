"""The tasks an outline shows and the SQL every part of it builds on.

A task is shown when it matches the view (its query, its list, the default "not done"). The
roots of a section are read in the view's sort, after a key, as keyset pages; a parent's
matching subtasks follow in their own order (position).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from peewee import JOIN, Expression

from desk.errors import InvalidInput
from desk.models import Client, Task
from desk.work import listing
from desk.work.filters import Context
from desk.work.outline import keys, structure
from desk.work.outline.structure import Structure
from desk.work.outline.view import SORTS, View, root_order


class Matching:
    """The matching tasks of one `View`, their sort and their subtask structure (learnt once);
    safe to share between threads. Every method runs inside a database connection."""

    def __init__(self, view: View, context: Context) -> None:
        """The tasks of `view` that the asker in `context` sees."""
        if view.sort not in SORTS:
            raise InvalidInput(f"sort must be one of {', '.join(SORTS)}, not {view.sort!r}")
        self.view = view
        self.context = context
        self.grouped = view.grouped
        self.by_status = view.grouped or view.sort == "status"
        self.order = root_order(view)
        self._joined = any(column.model is Client for column in self.order.columns)
        self._learning = threading.Lock()  # one thread learns the structure, others wait
        self._conditions: list[Expression] | None = None
        self._structure: Structure | None = None

    def conditions(self) -> list[Expression]:
        """The conditions of a matching task: the query, the list, the default "not done"
        (compiled once: names in the query are looked up once)."""
        if self._conditions is None:
            found = listing.task_conditions(self.view.query, self.context,
                                            scoped=self.view.list_id is not None)
            if self.view.list_id is not None:
                found.append(Task.task_list == self.view.list_id)
            self._conditions = found  # two threads may both compile it: the same result
        return list(self._conditions)

    def structure(self) -> Structure:
        """The sections and the subtask structure, learnt once."""
        with self._learning:
            if self._structure is None:
                self._structure = structure.learn(self.view, self.order, self.by_status,
                                                  self.conditions(), self.select)
            return self._structure

    def select(self, *columns: Any):
        """SELECT `columns` of tasks, joined to the client when the sort names it."""
        query = Task.select(*columns)
        if self._joined:
            query = query.join(Client, JOIN.LEFT_OUTER, on=(Task.client == Client.id))
        return query

    def roots_query(self, section: int = 0, key: tuple | None = None, *,
                    inclusive: bool = False):
        """The SELECT of a section's roots in order, as their sort keys (no limit): after
        `key` (or from it, `inclusive`), for paging and for EXPLAIN."""
        query = self.section_roots(section, columns=self.order.columns)
        if key is not None:
            query = query.where(keys.at_or_after(self.order, key) if inclusive
                                else keys.after(self.order, key))
        return query.order_by(*self.order.order_by())

    def section_roots(self, section: int, columns: Sequence = ()):
        """SELECT the roots of a section (their sort columns, or nothing to count them)."""
        query = self.select(*columns)
        known = self.structure()
        condition = known.sections[section].condition
        extra = [condition] if condition is not None else []
        return query.where(*known.roots, *extra)

    def children(self, node: int) -> list[int]:
        """The matching subtasks right under `node`, in their order."""
        if not self.structure().kids.get(node):
            return []
        return [child for (child,) in Task.select(Task.id)
                .where(*self.conditions(), Task.parent == node)
                .order_by(Task.position, Task.id).tuples()]

    def chain(self, task_id: int) -> list[int] | None:
        """The task and its matching ancestors, root first; None when the task does not match."""
        if not Task.select().where(*self.conditions(), Task.id == task_id).exists():
            return None
        parent_of = self.structure().parent_of
        parent = (Task.select(Task.parent).where(Task.id == task_id).scalar())
        chain = [task_id]
        while parent is not None and parent in parent_of and len(chain) < 100:
            chain.append(parent)
            parent = parent_of[parent]
        return list(reversed(chain))
