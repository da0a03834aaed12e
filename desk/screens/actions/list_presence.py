"""A list screen's part in presence (desk.screens.actions.presence): the tasks on its rows in
view are asked about on each live-refresh tick, and a row that someone else has open is drawn
with a mark before its title (✎ replying, ◉ viewing; desk.screens.renderers.presence)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from textual.content import Content

from desk.kernel.presence import Seen
from desk.screens.renderers.presence import mark, words
from desk.screens.widgets.virtual_list import VirtualList


class ListPresence:
    """Mixed into a TriageActions screen: its `triage_list()` rows are tasks, or outline
    lines (desk.work.outline), with their `id`."""

    presence: Mapping[int, tuple[Seen, ...]] = MappingProxyType({})
    """Task id -> the other agents on it, for the rows in view as last read."""

    def triage_list(self) -> VirtualList:
        """The list whose rows get the marks (the host screen's)."""
        raise NotImplementedError

    def presence_ids(self) -> list[int]:
        """The tasks on the rows in view (an outline's headings have keys, not ids)."""
        return [row.id for row in self.triage_list().rows_in_view() if isinstance(row.id, int)]

    def presence_mark(self, row: Any) -> str:
        """The mark before a row's title: "" while nobody else has its task open."""
        return mark(self.presence.get(row.id, ()))

    def presence_words(self, task_id: int) -> Content | None:
        """"✎ Ana is replying, Bo is viewing" for a task, or None while nobody else is on it."""
        seen = self.presence.get(task_id)
        return words(seen) if seen else None

    def show_presence(self, found: Mapping[int, tuple[Seen, ...]]) -> None:
        """New answers: draw the rows again when they changed."""
        if found != self.presence:
            self.presence = found
            self.triage_list().redraw()
            self.presence_changed()

    def presence_changed(self) -> None:
        """Hook for the screen: what it shows of presence besides the rows."""
