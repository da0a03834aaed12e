"""Marking the rows of a virtual list: `x` marks and moves down, `M` marks a range, `X` marks
every row (a flag plus exceptions, so it needs no row loaded), and the marks as row keys.

`RowMarking` is mixed into desk.screens.widgets.virtual_list.VirtualList, which holds the
state (`_marked`, `_all_marked`, `_anchor`), the rows and the cursor these actions use, and
posts its `MarksChanged` message.
"""

from __future__ import annotations

from typing import Any

from desk.screens.widgets.list_rows import Marks


class RowMarking:
    """The marks of a VirtualList and the actions that change them."""

    _marked: set
    _all_marked: bool
    _anchor: int | None
    cursor: int
    row_count: int

    @property
    def marks(self) -> Marks:
        """The marked rows."""
        count = len(self._marked)
        if self._all_marked:
            count = max(self.row_count - count, 0)
        return Marks(self._all_marked, frozenset(self._marked), count)

    def can_mark(self, row: Any) -> bool:
        """Whether `row` can be marked (every row here; a subclass may say no)."""
        return True

    def action_toggle_mark(self) -> None:
        """Mark or unmark the row under the cursor, then move down (mark-and-advance)."""
        row = self.row_at(self.cursor)
        if row is not None and self.can_mark(row):
            key = self._row_key(row)
            self._marked ^= {key}
            self._anchor = self.cursor if key in self.marks else None
            self.refresh_row(self.cursor)
            self.post_message(self.MarksChanged(self.marks))
        self.move_cursor(self.cursor + 1)

    def action_mark_range(self) -> None:
        """Mark every row from the last row `x` marked to the cursor (the cursor row alone
        when none was), and say how many are marked now."""
        if not self.row_count:
            return
        start = self.cursor if self._anchor is None else self._anchor
        span = range(min(start, self.cursor), max(start, self.cursor) + 1)
        rows = [self.row_at(index) for index in span]
        if any(row is None for row in rows):
            self.notify("Some rows of that range are still loading: try again in a moment.",
                        severity="warning", markup=False)
            return
        for row in rows:
            if self.can_mark(row):
                if self._all_marked:
                    self._marked.discard(self._row_key(row))
                else:
                    self._marked.add(self._row_key(row))
        self._anchor = self.cursor
        self.refresh()
        marks = self.marks
        self.post_message(self.MarksChanged(marks))
        self.notify(f"{marks.count:,} marked", markup=False)

    def action_toggle_mark_all(self) -> None:
        """Mark every row, loaded or not; unmark all when all are marked."""
        if self.row_count:
            self._all_marked, self._marked = not self._all_marked, set()
            self._anchor = None
            self.refresh()
            self.post_message(self.MarksChanged(self.marks))

    def clear_marks(self) -> None:
        """Unmark every row (after a bulk action on the marked rows, say)."""
        self._anchor = None
        if self._marked or self._all_marked:
            self._marked, self._all_marked = set(), False
            self.refresh()
            self.post_message(self.MarksChanged(self.marks))
