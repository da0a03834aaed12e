"""How many lines and tasks each section of an outline holds, and how many roots come first.

The matching tasks are counted (per status when grouped) from the list's index, less the
subtasks under matching parents, so no row is read to ask if it has a parent. Pages never
wait for the counts: a status heading read before them has count None.
"""

from __future__ import annotations

import threading
from typing import Any

from peewee import SQL, Expression, fn

from desk.models import Task
from desk.work.outline import keys
from desk.work.outline.matching import Matching
from desk.work.outline.structure import Structure, chunks


class Counts:
    """The counts of one outline's matching tasks, each counted once and remembered; safe
    to share between threads."""

    def __init__(self, matching: Matching) -> None:
        """Counts over the tasks of `matching`."""
        self.matching = matching
        self._measuring = threading.Lock()  # counting does not hold up the first page
        self._memo = threading.Lock()
        self._sizes: list[int] | None = None  # lines per section, headings included
        self._heads: list[int] | None = None  # tasks per section (folded ones too)
        self._ranks: dict[tuple[int, int], int] = {}
        self.roots: list[int] | None = None  # roots per section, once measured

    def sizes(self) -> list[int]:
        """Lines per section (its heading, its roots, their shown subtasks), learnt once."""
        structure = self.matching.structure()
        with self._measuring:
            if self._sizes is None:
                self._sizes, self._heads = self._measure(structure)
            return self._sizes

    def headings(self) -> list[int]:
        """Tasks per section, folded subtasks included (what a heading counts)."""
        self.sizes()
        return self._heads or []

    def known_headings(self) -> list[int] | None:
        """What `headings` gives when the counts are known already, else None: never
        waited for."""
        return self._heads

    def counting_query(self, column: Any = None, *extra: Expression):
        """SELECT (value of `column`, how many) over the matching tasks that also meet
        `extra`, one row per value (one row, value None, without a column): for counting and
        for EXPLAIN."""
        select = self.matching.select if extra else Task.select  # `extra` may compare keys
        conditions = self.matching.conditions()
        if column is None:
            return select(SQL("NULL"), fn.COUNT(Task.id)).where(*conditions, *extra)
        return select(column, fn.COUNT(Task.id)).where(*conditions, *extra).group_by(column)

    def rank(self, section: int, key: tuple) -> int:
        """How many roots of `section` sort before `key` (remembered per root)."""
        memo = (section, key[-1])
        with self._memo:
            if memo in self._ranks:
                return self._ranks[memo]
        structure = self.matching.structure()
        condition = structure.sections[section].condition
        extra = ([keys.before(self.matching.order, key)]
                 + ([condition] if condition is not None else []))
        found = sum(self._grouped_count(None, structure, *extra).values())
        with self._memo:
            self._ranks[memo] = found
        return found

    def _measure(self, structure: Structure) -> tuple[list[int], list[int]]:
        """(lines, tasks) per section: one count, or one GROUP BY, of the matching tasks
        less the subtasks that sit under a matching parent (so no row is read to ask whether
        it has a parent; only the subtasks are)."""
        if self.matching.by_status:
            column = Task.category if self.matching.view.list_id is None else Task.status
            counted = self._grouped_count(column, structure)
            roots = [counted.get(section.value, 0) for section in structure.sections]
        else:
            roots = [sum(self._grouped_count(None, structure).values())]
        self.roots = roots
        lines, heads = [], []
        for index, count in enumerate(roots):
            shown = sum(structure.shown[node] for _, node in structure.branching[index])
            heading = 1 if self.matching.grouped and count else 0
            lines.append(count + shown + heading)
            heads.append(count + sum(structure.total[node] for node in structure.rooted[index]))
        return lines, heads

    def _grouped_count(self, column: Any, structure: Structure,
                       *extra: Expression) -> dict[Any, int]:
        """Roots matching `extra` per value of `column` (all under None when it is None):
        matching tasks less the subtasks under matching parents."""
        def counts(*more: Expression) -> dict[Any, int]:
            """Matching tasks (and `more`) per value of `column`."""
            return dict(self.counting_query(column, *extra, *more).tuples())

        found = counts()
        for chunk in chunks(list(structure.parent_of)):
            for value, number in counts(Task.parent.in_(chunk)).items():
                found[value] = found.get(value, 0) - number
        return found
