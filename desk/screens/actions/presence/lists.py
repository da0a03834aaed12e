"""A list screen's part in presence (desk.screens.actions.presence.app): the tasks on its rows in
view are asked about on each live-refresh tick, and a row that someone else has open is drawn
with a mark before its title (✎ replying, ◉ viewing; desk.screens.renderers.presence). A reply
written from the list to one row (`r`) shows as replying to that row's task while the editor
is open."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from textual.content import Content

from desk.kernel.presence import Seen
from desk.screens.renderers.presence import mark, words


class ListPresence:
    """A base of TriageActions, whose `triage_list()` rows are tasks, or outline lines
    (desk.work.outline), with their `id`."""

    presence: Mapping[int, tuple[Seen, ...]] = MappingProxyType({})
    """Task id -> the other agents on it, for the rows in view as last read."""
    replying_to: int | None = None
    """The task a reply is being written to from this list, if any."""

    def presence_open(self) -> dict[int, str]:
        """What the agent has open here: only the task a reply is being written to."""
        return {} if self.replying_to is None else {self.replying_to: "replying"}

    def writing_reply(self, task_id: int | None) -> None:
        """A reply editor opened on `task_id` (None: it closed): others see it at once."""
        self.replying_to = task_id
        self.app.live_refresh.presence.follow()  # type: ignore[attr-defined]

    def presence_ids(self) -> list[int]:
        """The tasks on the rows in view (an outline's headings have keys, not ids)."""
        return [row.id for row in self.triage_list().rows_in_view()  # type: ignore[attr-defined]
                if isinstance(row.id, int)]

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
            self.triage_list().redraw()  # type: ignore[attr-defined]
            self.presence_changed()

    def presence_changed(self) -> None:
        """Hook for the screen: what it shows of presence besides the rows."""
