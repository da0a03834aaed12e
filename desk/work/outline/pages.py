"""Pages of an outline, read from a position on.

The first page and every page after a known one are keyset queries on the roots (`after` is
an outline position: section, the current root's sort key and how many lines of that root's
subtree were shown), with the subtasks of the roots on the page read by parent. Pages never
wait for the counts: a status heading read before them has count None.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from desk.work import tasks
from desk.work.outline.counts import Counts
from desk.work.outline.lines import Heading, Line, Page, Position, next_key
from desk.work.outline.matching import Matching


class Pages:
    """Reads pages of one outline: its headings, roots and their shown subtasks."""

    def __init__(self, matching: Matching, counts: Counts) -> None:
        """Pages of the tasks of `matching`; headings count with `counts` once they are known."""
        self.matching = matching
        self.counts = counts

    def fill(self, position: Position, limit: int) -> Page:
        """Lines from `position` on, at most `limit`, and where the next page starts."""
        structure = self.matching.structure()
        section, key, shown = position
        found: list[tuple[Any, int]] = []  # (task id, depth), or (("heading", section), 0)

        def where() -> tuple:
            """The next page's key: the position reached."""
            return next_key((section, key, shown))

        while section < len(structure.sections):
            heading = key is None and shown == 0 and self.matching.grouped  # once it has roots
            if key is None:
                shown = 1
            if key is not None and shown:
                below = list(islice(self._subtree(key[-1], shown - 1), limit - len(found)))
                found.extend(below)
                shown += len(below)
            if len(found) == limit:
                return self._lines(found, where())
            query = self.matching.roots_query(section, key, inclusive=not shown)
            if heading and len(found) + 1 == limit:  # room for the heading alone
                if query.limit(1).exists():
                    found.append((("heading", section), 0))
                    return self._lines(found, where())
                heading = False
            for row in query.limit(limit - len(found) - heading).tuples():
                if heading:
                    found.append((("heading", section), 0))
                    heading = False
                key, shown = tuple(row), 1
                found.append((key[-1], 0))
                below = list(islice(self._subtree(key[-1], 0), limit - len(found)))
                found.extend(below)
                shown += len(below)
                if len(found) == limit:
                    return self._lines(found, where())
            section, key, shown = section + 1, None, 0
        return self._lines(found, None)

    def _lines(self, found: list[tuple[Any, int]], following: tuple | None) -> Page:
        """Turn (id, depth) pairs into Lines, with the task rows read in one go; `following`
        is where the next page starts."""
        structure = self.matching.structure()
        ids = [item for item, _ in found if isinstance(item, int)]
        rows = {row.id: row for row in tasks.rows_for(ids)}
        heads = self.counts.known_headings()  # never waited for
        lines = []
        for item, depth in found:
            if isinstance(item, tuple):
                section = structure.sections[item[1]]
                count = heads[item[1]] if heads is not None else None
                lines.append(Line(heading=Heading(section.key, section.name, section.category,
                                                  count, section.colour)))
            elif item in rows:
                lines.append(Line(rows[item], depth, structure.total.get(item, 0),
                                  item in self.matching.view.folded))
        return Page(lines, following)

    def _subtree(self, node: int, skip: int, depth: int = 1) -> Iterator[tuple[int, int]]:
        """The shown subtasks under `node` in order, as (id, depth), after the first `skip`."""
        structure = self.matching.structure()
        if not structure.shown.get(node):
            return
        for child in self.matching.children(node):
            span = 1 + structure.shown.get(child, 0)
            if skip >= span:
                skip -= span
                continue
            if skip == 0:
                yield child, depth
            else:
                skip -= 1
            yield from self._subtree(child, skip, depth + 1)
            skip = 0
