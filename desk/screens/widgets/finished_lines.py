"""A list line made ready for the screen in one pass over its segments.

A drawn row is a run of segments, one or more per column. Before the compositor can take it,
it needs the list's own style under every segment, exactly the view's width in cells, and
neighbours of one style joined, so that the terminal gets one colour sequence per run of
cells instead of one per column. Textual's `Strip.apply_style`, `adjust_cell_length` and
`simplify` do that in three passes, each building a new Strip: a third of what drawing a
line of the inbox cost. `finished` does the same in one.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip


def finished(segments: Iterable[Segment], base: Style, width: int) -> Strip:
    """`segments` over `base`, cut or padded (in `base`) to exactly `width` cells, with
    neighbours of one style joined: what `Strip(segments).apply_style(base)
    .adjust_cell_length(width, base).simplify()` gives. Control segments pass as they are."""
    line: list[Segment] = []
    texts: list[str] = []
    style: Style | None = None
    cells = 0

    def close_run() -> None:
        if texts:
            line.append(Segment("".join(texts), style))
            texts.clear()

    for text, own, control in segments:
        if control:
            close_run()
            line.append(Segment(text, own, control))
            continue
        if cells >= width:
            break
        size = cell_len(text)
        if cells + size > width:
            text, size = set_cell_size(text, width - cells), width - cells
        combined = (base + own if own else base) if base else own
        if combined != style:
            close_run()
            style = combined
        texts.append(text)
        cells += size
    if cells < width:
        if style != base:
            close_run()
            style = base
        texts.append(" " * (width - cells))
    close_run()
    return Strip(line, width)
