"""The task list of the Tasks screen as an outline, paged like any other virtual list.

The outline of a query is made of sections: one section, or (grouped, or sorted by status)
one per status of the list in the list's order (per category for the whole workspace), each
under a heading line that counts its tasks. A section holds its roots in the chosen sort
order; under each root its subtasks follow, indented, in their own order (position), unless
the root or a subtask is folded.

Which tasks are where:

- Every task matching the query is shown once. Subtasks match the query like any task.
- A root is a matching task without a parent, or whose parent does not match (a subtask
  still open under a finished parent is a root of its own, so nothing matching is hidden).
- A matching subtask of a matching parent is shown under that parent, in the parent's
  section, whatever its own status.

Paging stays virtual; the whole outline is never loaded. `Outline` is the public face; its
parts are:

- view: what is asked (`View`) and the sorts offered; lines: what is answered (`Line`,
  `Heading`, `Page`) and the positions pages start at.
- matching: the matching tasks and the SQL every part builds on; keys: comparisons of sort
  keys for keyset paging.
- structure: what is read whole, the sections and the matching subtasks' structure.
- counts: the matching tasks counted per section from the list's index.
- pages: keyset pages of roots with their subtasks; jumps: a line's position by offset,
  and a task's line.
"""

from __future__ import annotations

from typing import Any

from peewee import Expression

from desk.errors import InvalidInput
from desk.work.filters import Context
from desk.work.outline.counts import Counts
from desk.work.outline.jumps import Jumps
from desk.work.outline.lines import Heading, Line, Page, decode
from desk.work.outline.matching import Matching
from desk.work.outline.pages import Pages
from desk.work.outline.view import SORTS, View

__all__ = ["SORTS", "Heading", "Line", "Outline", "Page", "View"]


class Outline(Matching):
    """The outline of one `View` as of when it was built; safe to share between threads.

    Every method runs inside a database connection (a worker's). Build a new Outline when the
    data changed: what it learnt about the structure is kept for its lifetime.
    """

    def __init__(self, view: View, context: Context) -> None:
        """The outline of `view` for the asker in `context`."""
        super().__init__(view, context)
        self._counts = Counts(self)
        self._jumps = Jumps(self, self._counts)
        self._pages = Pages(self, self._counts)

    def count(self) -> int:
        """How many lines the outline has (headings included)."""
        return sum(self.sizes())

    def page(self, offset: int, limit: int, after: tuple | None = None) -> Page:
        """`limit` lines from `after` (a page's next_key) or else from line `offset`."""
        if limit < 1:
            raise InvalidInput("the limit must be at least 1")
        position = decode(after) if after is not None else self._jumps.position_of(offset)
        if position is None:
            return Page([], None)
        return self._pages.fill(position, limit)

    def locate(self, task_id: int) -> int | None:
        """The line a task is on, or None when it is not shown (no match, or folded away)."""
        return self._jumps.locate(task_id)

    def sizes(self) -> list[int]:
        """Lines per section (its heading, its roots, their shown subtasks), learnt once."""
        return self._counts.sizes()

    def headings(self) -> list[int]:
        """Tasks per section, folded subtasks included (what a heading counts)."""
        return self._counts.headings()

    def counting_query(self, column: Any = None, *extra: Expression):
        """SELECT (value of `column`, how many) over the matching tasks that also meet
        `extra` (see Counts.counting_query): for counting and for EXPLAIN."""
        return self._counts.counting_query(column, *extra)
