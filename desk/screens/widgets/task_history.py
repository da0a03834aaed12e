"""The activity history of a task, newest first: who changed what, when, from what to what.

Each audit row is one line, "2026-11-20 10:00 maria  Status: To do → In progress". Values
are stored text (titles, comment previews, checklist items) and are drawn through
`safe_line`, cut to a readable length; a time (a due date, a first response) shows in the
person's zone to the minute. The row that marks a revert made by `u` (desk.work.undo) reads
"undid status change", beside the lines of the fields it put back.
"""

from __future__ import annotations

from datetime import tzinfo

from textual.content import Content

from desk.clock import to_local
from desk.pages.task import field_label, history_value
from desk.screens.safe import safe_line
from desk.screens.widgets.line_list import LineList
from desk.work.undo import UNDO

VALUE_CELLS = 60
"""At most this many cells of an old or new value are shown."""


def history_line(entry: dict, zone: tzinfo, width: int, currency: str) -> list[Content]:
    """One change: when, who (their display name), the field, and old → new (amounts in
    `currency`)."""
    at = to_local(entry["at"], zone)
    old, new = (history_value(entry["field"], entry.get(side), zone, currency)
                for side in ("old", "new"))
    who = entry.get("by") or entry["actor"]
    head = Content(f"{at:%Y-%m-%d %H:%M} ").stylize("dim") + safe_line(who, 16)
    if entry["field"] == UNDO:
        fields = ", ".join(field_label(name).lower() for name in (new or "").split(", "))
        return [head + safe_line(f"  undid {fields} change").stylize("bold")]
    what = safe_line(f"  {field_label(entry['field'])}: ").stylize("bold")
    if old is None:
        change = safe_line(new or "", VALUE_CELLS)
    elif new is None:
        change = safe_line(old, VALUE_CELLS).stylize("strike") + Content(" (removed)")
    else:
        change = safe_line(old, VALUE_CELLS) + Content(" → ") + safe_line(new, VALUE_CELLS)
    return [head + what + change]


class HistoryList(LineList):
    """The task's activity, newest first."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(self.draw, empty="No activity yet.", id=id)
        self.zone: tzinfo | None = None
        self.currency = ""

    def show(self, entries: list[dict], zone: tzinfo, currency: str) -> None:
        """Show the history with times in `zone` and amounts in `currency`."""
        self.zone, self.currency = zone, currency
        self.set_items(entries)

    def draw(self, entry: dict, width: int) -> list[Content]:
        """One history line (see `history_line`)."""
        return history_line(entry, self.zone, width, self.currency)
