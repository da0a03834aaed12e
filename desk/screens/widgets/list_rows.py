"""What a VirtualList reads and draws: its rows' source and pages, how a row is drawn, and
which rows are marked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from msgspec import Struct
from rich.segment import Segment
from textual.strip import Strip

from desk.screens.safe import safe_line


class Page(Struct, frozen=True):
    """Rows of one page and the key the next page starts after (None at the end or when the
    source pages by offset). Any object with these two attributes will do, such as
    `desk.work.listing.Page`."""

    rows: Sequence[Any]
    next_key: tuple | None = None


class RowSource(Protocol):
    """Where a VirtualList gets its rows. Called from worker threads only.

    A source whose page near the end costs what one near the start does (it reads it
    backwards from the count) may say so with a true `reads_from_end` attribute: the list
    then fetches its last pages as soon as it has counted, and `G` needs no query."""

    def count(self) -> int:
        """How many rows the list has."""
        ...

    def page(self, number: int, size: int, after: tuple | None) -> Page:
        """Rows `number * size` onwards, at most `size`. `after` is the previous page's
        `next_key` when the list has it (use keyset paging), else None (use the offset)."""
        ...


RenderRow = Callable[[Any, int, bool, bool], Strip]
"""render_row(row, width, selected, marked) -> one line; the list lays its cursor or mark
style beneath the row's own styles and fits the line to `width`."""


def text_row(label: Callable[[Any], str]) -> RenderRow:
    """A `render_row` showing a mark column and `label(row)` through `safe_line`."""

    def render_row(row: Any, width: int, selected: bool, marked: bool) -> Strip:
        """`✓ ` when marked, then the label."""
        text = safe_line(label(row), width - 2)
        return Strip([Segment("✓ " if marked else "  "), *text.render_segments()])

    return render_row


class Marks(Struct, frozen=True):
    """The marked rows: the rows in `ids`, or with `all_rows` every row except `ids`."""

    all_rows: bool
    ids: frozenset
    count: int

    def __contains__(self, key: object) -> bool:
        """Whether the row with this key is marked."""
        return (key in self.ids) != self.all_rows
