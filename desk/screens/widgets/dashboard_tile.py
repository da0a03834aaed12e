"""One tile of the dashboard: a titled box of lines, each line a figure that opens its rows.

A `Tile` is a LineList whose items are `TileLine`s: a headline (the tile's key number, in
bold), bars (a label, a bar as long as its share of the largest, the value), a sparkline (a
trend drawn with block characters), or plain text. Every line is cut to the tile's width,
never wrapped, so a tile draws the same at 80x24 and shows more at a larger size. j/k pick a
line; enter posts LineList.Selected with it, and the dashboard opens the line's drill-down.
"""

from __future__ import annotations

from msgspec import Struct
from textual.content import Content

from desk.metrics.dashboard import DrillDown
from desk.screens.safe import safe_line
from desk.screens.widgets.line_list import LineList

SPARKS = "▁▂▃▄▅▆▇█"
"""The heights of a sparkline, lowest first."""
BAR = "█"
"""The character bars are drawn with."""


class TileLine(Struct, frozen=True):
    """One line of a tile: a label and a value, right-aligned.

    `detail` follows the value when the tile is wide enough; `share` (0..1) draws a bar and
    `spark` a trend (None: a gap) between them; `label_width` lines up the bars of a tile;
    `headline` draws the value in bold before its label. Enter opens `drill` (the rows behind
    the number) or the client `client_id`.
    """

    label: str
    value: str = ""
    drill: DrillDown | None = None
    detail: str = ""
    share: float | None = None
    spark: tuple[float | None, ...] = ()
    label_width: int | None = None
    headline: bool = False
    client_id: int | None = None


def draw_line(line: TileLine, width: int) -> list[Content]:
    """A tile line cut to `width` cells (one line, never wrapped): the value is never cut,
    the label gives way first. A bar or trend takes at least half the width, or, on a
    narrow tile, leaves the label up to 12 cells while it keeps 4."""
    if line.headline:
        drawn = Content(line.value + "  ").stylize("bold") + safe_line(line.label).stylize("dim")
        return [drawn.truncate(width, ellipsis=True)]
    drawing = bool(line.spark) or line.share is not None
    cap = (max(width // 2, min(width - len(line.value) - 6, 12), 4) if drawing
           else width - len(line.value) - 2)
    label_width = min(line.label_width or len(line.label), cap)
    value = line.value
    if line.detail and label_width + len(value) + len(line.detail) + 4 + 4 * drawing <= width:
        value = f"{value} · {line.detail}"
    label_width = max(min(label_width, width - len(value) - 1 - 4 * drawing), 0)
    room = max(width - label_width - len(value) - 2, 0)
    label = safe_line(line.label, label_width) if label_width else Content("")
    label = label.pad_right(label_width - label.cell_length)
    drawn = sparkline(line.spark, room) if line.spark else (
        bar(line.share, room) if line.share is not None else "")
    middle = Content(" " + drawn).stylize("$accent") if drawn else Content(" ")
    middle = middle.pad_right(room + 1 - middle.cell_length)
    return [(label + middle + Content(" " + value)).truncate(width)]


def bar(share: float, room: int) -> str:
    """A bar `share` (0..1) of `room` cells long; a non-zero share shows at least one."""
    cells = round(max(0.0, min(share, 1.0)) * room)
    return BAR * (cells or (1 if share > 0 and room else 0))


def sparkline(values: tuple[float | None, ...], room: int) -> str:
    """The last `room` values as block heights between their lowest and highest; a gap is a
    space."""
    shown = values[-room:] if room else ()
    known = [value for value in shown if value is not None]
    if not known:
        return " " * len(shown)
    low, high = min(known), max(known)
    steps = len(SPARKS) - 1
    return "".join(" " if value is None else
                   SPARKS[round((value - low) / (high - low) * steps) if high > low else steps // 2]
                   for value in shown)


class Tile(LineList):
    """A titled dashboard tile of TileLines; "Counting…" until its figures arrive."""

    DEFAULT_CSS = """
    Tile {
        height: 100%;
        border: none;
        border-top: solid $panel-lighten-2;
        border-title-color: $text-muted;
        margin: 0 1 0 0;
        overflow: hidden hidden;
        & > .line-list--cursor { background: transparent; color: $foreground; text-style: none; }
        &:focus { border-top: solid $accent; border-title-color: $accent;
                  border-title-style: bold; }
    }
    """

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(draw_line, empty="Counting…", id=id)
        self.border_title = title
