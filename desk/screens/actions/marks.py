"""The header of a list screen says how many rows are marked ("Tasks · 3 marked").

A screen mixes `MarkCount` in before `Screen`; the VirtualList's `MarksChanged` message
(x, M, X and clearing after a verb) keeps the header's sub-title current.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desk.screens.widgets.virtual_list import VirtualList


class MarkCount:
    """Shows the number of marked rows in the screen's header, after its title."""

    TITLE: str | None
    sub_title: str

    def on_virtual_list_marks_changed(self, message: VirtualList.MarksChanged) -> None:
        """The marks changed: say how many there are now (nothing when none)."""
        marked = f" · {message.count:,} marked" if message.count else ""
        self.sub_title = f"{self.TITLE or ''}{marked}"
