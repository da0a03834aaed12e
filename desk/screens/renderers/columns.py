"""Lines of a list drawn as columns that fit the width: the shared part of task and client
rows (screens/task_rows.py, screens/client_rows.py).

One column takes the room the fixed-width columns leave; when that room falls below its
minimum, fixed columns drop out, least important first, so a row reads well at 80 columns
and at 200.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from msgspec import Struct
from rich.segment import Segment
from textual.cache import LRUCache
from textual.content import Content
from textual.strip import Strip
from textual.style import Style

MARK_CELLS = 2
"""Every line starts with a mark column: `✓ ` when the row is marked."""
CELLS_KEPT = 2048
"""Drawn cells a line keeps for reuse (see ColumnLine.cell_key)."""


class Column(Struct, frozen=True):
    """A column: its heading, width (0 = takes the rest), and when it is dropped (lower goes
    first when the row is too narrow)."""

    name: str
    heading: str
    width: int
    keep: int


def fit(columns: Sequence[Column], width: int, flexible_min: int,
        at_least: int) -> list[tuple[Column, int]]:
    """The columns that fit in `width` cells (after the mark), with their widths: fixed
    columns drop out until the flexible one has `flexible_min` cells or only `at_least`
    columns are left."""
    room = width - MARK_CELLS
    shown = list(columns)

    def fixed() -> int:
        return sum(column.width + 1 for column in shown if column.width)

    while len(shown) > at_least and room - fixed() < flexible_min:
        shown.remove(min((c for c in shown if c.width), key=lambda c: c.keep))
    return [(column, column.width or max(room - fixed(), 1)) for column in shown]


def heading(fitted: Sequence[tuple[Column, int]]) -> Content:
    """The column headings above lines laid out as `fitted`."""
    parts = [" " * MARK_CELLS]
    for column, size in fitted:
        parts.append(column.heading[:size].ljust(size) + " ")
    return Content("".join(parts))


class ThemeStyles:
    """Theme colours by variable name (error, status-open...), as Styles, cached."""

    def __init__(self, variables: Mapping[str, str]) -> None:
        self.variables = dict(variables)
        self._styles: dict[str, Style] = {}

    def __call__(self, variable: str) -> Style:
        """The colour of `variable`; plain when the theme does not have it."""
        if variable not in self._styles:
            try:
                self._styles[variable] = Style.parse(f"${variable}", self.variables)
            except Exception:  # a theme without the variable: plain text
                self._styles[variable] = Style()
        return self._styles[variable]


class ColumnLine:
    """Draws rows as fitted columns for a VirtualList. Subclasses say which columns fit
    (`fitted`) and what one cell shows (`cell`), and may say what a cell depends on
    (`cell_key`): a status, a client or a due date is drawn once for the rows that share it."""

    def __init__(self, variables: Mapping[str, str]) -> None:
        self.style = ThemeStyles(variables)
        self._drawn: LRUCache[tuple, list[Segment]] = LRUCache(CELLS_KEPT)

    def fitted(self, width: int) -> list[tuple[Column, int]]:
        """The columns for `width` cells."""
        raise NotImplementedError

    def cell(self, row: Any, name: str, size: int) -> Content:
        """Column `name` of `row`, at most `size` cells."""
        raise NotImplementedError

    def cells(self, row: Any, width: int) -> list[Content]:
        """The row's cells for `width`, each exactly its column's width."""
        parts = []
        for column, size in self.fitted(width):
            text = self.cell(row, column.name, size)
            parts.append(text.pad_right(max(size - text.cell_length, 0)))
        return parts

    def cell_key(self, row: Any, name: str) -> Hashable | None:
        """All that column `name` of `row` shows depends on (besides the line's theme and
        time), for cells drawn once and reused; None (the default) draws it every time."""
        return None

    def render(self, row: Any, width: int, selected: bool, marked: bool) -> Strip:
        """One list line (the VirtualList's render_row)."""
        segments = [Segment("✓ " if marked else "  ")]
        for column, size in self.fitted(width):
            key = self.cell_key(row, column.name)
            if key is None:
                segments += self._cell_segments(row, column.name, size)
            elif (drawn := self._drawn.get(known := (column.name, size, key))) is not None:
                segments += drawn
            else:
                segments += (drawn := self._cell_segments(row, column.name, size))
                self._drawn[known] = drawn
        return Strip(segments)

    def _cell_segments(self, row: Any, name: str, size: int) -> list[Segment]:
        """Column `name` of `row` as segments: its cell, padded to `size`, and a space."""
        text = self.cell(row, name, size)
        return [*text.render_segments(), Segment(" " * (max(size - text.cell_length, 0) + 1))]
