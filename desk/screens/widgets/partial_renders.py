"""Draw only the widgets a partial update reaches, as Textual means to.

Each frame Textual repaints the regions that changed: a cursor move in a list is its two
rows. To do so, Textual 8.2's `Compositor._get_renders(crop)` asks every visible widget whose
*clip* overlaps the changed area for its lines, and a widget's clip is the area of the
container it sits in: for a widget placed on the screen, the whole screen. So each key had
every widget of the screen (the header, the detail strip, the key bar, the status lines, the
scroll bar) go through its style cache, only for the lines outside the changed rows to be
thrown away.

`render_what_overlaps` gives the compositor a way of finding its renders that skips a widget
whose visible part (its region within its clip) lies outside the area to repaint. Such a
widget has no line in that area, so what reaches the terminal is the same; a full update
(no crop) draws every widget as before.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip


def _renders(self: Compositor, crop: Region | None = None
             ) -> Iterator[tuple[Region, Region, list[Strip]]]:
    """(region, clip, lines) of each visible widget, front to back, that shows within `crop`
    (all of them without one): its lines of the part of it that its clip shows."""
    for widget, (region, clip) in self.visible_widgets.items():
        shown = region.intersection(clip)
        if not shown.area or (crop is not None and not crop.overlaps(shown)):
            continue
        yield region, clip, widget.render_lines(shown.translate(-region.offset))


def render_what_overlaps() -> None:
    """Have every Compositor draw only the widgets within the area it repaints."""
    Compositor._get_renders = _renders
