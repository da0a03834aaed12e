"""Lines to outline positions and back: where line N is, and which line a task is on.

An offset (`G`, the scrollbar, a reload deep in the list) is found by counting the roots
before the few roots that have subtasks (a binary search over them, counts remembered), then
an OFFSET from the nearest such root, or from the section's end when that is nearer.
"""

from __future__ import annotations

from itertools import pairwise

from desk.models import Task
from desk.work.outline import keys
from desk.work.outline.counts import Counts
from desk.work.outline.lines import Position
from desk.work.outline.matching import Matching


class Jumps:
    """Finds lines of one outline by offset, and the offset of a task's line."""

    def __init__(self, matching: Matching, counts: Counts) -> None:
        """Jumps over the tasks of `matching`, counted by `counts`."""
        self.matching = matching
        self.counts = counts

    def position_of(self, offset: int) -> Position | None:
        """The outline position of line `offset`, or None past the end."""
        if offset <= 0:
            return (0, None, 0)
        sizes = self.counts.sizes()
        structure = self.matching.structure()
        for section, size in enumerate(sizes):
            if offset >= size:
                offset -= size
                continue
            if self.matching.grouped:
                if offset == 0:
                    return (section, None, 0)
                offset -= 1
            branching = structure.branching[section]
            index = self._last_branch_at(section, offset) if branching else -1
            if index < 0:
                return self._root_after(section, None, offset)
            key, node = branching[index]
            start = (self.counts.rank(section, key)
                     + sum(structure.shown[n] for _, n in branching[:index]))
            inside = offset - start
            if inside <= structure.shown[node]:
                return (section, key, inside)
            return self._root_after(section, key, inside - structure.shown[node] - 1)
        return None

    def locate(self, task_id: int) -> int | None:
        """The line a task is on, or None when it is not shown (no match, or folded away)."""
        structure = self.matching.structure()
        chain = self.matching.chain(task_id)
        if chain is None:
            return None
        root = chain[0]
        if any(node in self.matching.view.folded for node in chain[:-1]):
            return None
        row = (self.matching.select(Task.status, Task.category, *self.matching.order.columns)
               .where(Task.id == root).tuples().first())
        section = structure.section_of(row[0], row[1])
        if section is None:
            return None
        key = tuple(row[2:])
        line = sum(self.counts.sizes()[:section]) + (1 if self.matching.grouped else 0)
        before = self.counts.rank(section, key)
        branching = structure.branching[section]
        index = self._branches_before(section, before)
        line += before + sum(structure.shown[node] for _, node in branching[:index])
        for parent, child in pairwise(chain):
            line += 1
            for sibling in self.matching.children(parent):
                if sibling == child:
                    break
                line += 1 + structure.shown.get(sibling, 0)
        return line

    def _last_branch_at(self, section: int, offset: int) -> int:
        """The last root with subtasks in `section` that starts at or before `offset`
        (-1 when none does): a binary search over their starting lines."""
        structure = self.matching.structure()
        branching = structure.branching[section]
        starts: dict[int, int] = {}

        def start(index: int) -> int:
            """The line (within the section) root `index` of the branching roots is on."""
            if index not in starts:
                key, _ = branching[index]
                starts[index] = (self.counts.rank(section, key)
                                 + sum(structure.shown[n] for _, n in branching[:index]))
            return starts[index]

        low, high = 0, len(branching) - 1
        found = -1
        while low <= high:
            middle = (low + high) // 2
            if start(middle) <= offset:
                found, low = middle, middle + 1
            else:
                high = middle - 1
        return found

    def _branches_before(self, section: int, rank: int) -> int:
        """How many roots with shown subtasks sort before the root of rank `rank`."""
        branching = self.matching.structure().branching[section]
        low, high = 0, len(branching)
        while low < high:
            middle = (low + high) // 2
            if self.counts.rank(section, branching[middle][0]) < rank:
                low = middle + 1
            else:
                high = middle
        return low

    def _root_after(self, section: int, key: tuple | None, skip: int) -> Position | None:
        """The position of the root `skip` roots after `key` (from the section's start when
        None), or None when there is no such root. Past the middle of the section the roots
        are counted from its end, so a jump to the bottom reads few rows."""
        order = self.matching.order
        start = 0 if key is None else self.counts.rank(section, key) + 1
        roots = self.counts.roots[section] if self.counts.roots is not None else None
        if roots is not None and skip > (roots - start) // 2:
            back = roots - 1 - start - skip
            if back < 0:
                return None
            query = self.matching.section_roots(section, columns=order.columns)
            row = (query.order_by(*keys.reversed_order(order)).offset(back).limit(1)
                   .tuples().first())
        else:
            row = self.matching.roots_query(section, key).offset(skip).limit(1).tuples().first()
        return None if row is None else (section, tuple(row), 0)
