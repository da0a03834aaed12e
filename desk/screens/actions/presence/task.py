"""The task screen's part in presence (desk.screens.actions.presence.app): it tells the app which
task it has open, and whether a reply is being written, and shows who else has it open on a
line under the header ("✎ Ana is replying"), hidden while nobody else does."""

from __future__ import annotations

from textual.widgets import Static

from desk.kernel.presence import Seen
from desk.screens.renderers.presence import words


class TaskPresence:
    """Mixed into the task screen, which has `task_id` and a Static `#task-presence`."""

    task_id: int
    replying = False
    """A reply to the client is being written here now."""

    def presence_line(self) -> Static:
        """The line that says who else has the task open (hidden while nobody does)."""
        return Static(id="task-presence")

    def presence_open(self) -> dict[int, str]:
        """What this screen has open: its task, viewed or replied to."""
        return {self.task_id: "replying" if self.replying else "viewing"}

    def presence_ids(self) -> list[int]:
        """The tasks whose presence this screen shows: its own."""
        return [self.task_id]

    def show_presence(self, found: dict[int, tuple[Seen, ...]]) -> None:
        """Show who else has the task open, or hide the line."""
        seen = found.get(self.task_id, ())
        line = self.query_one("#task-presence", Static)  # type: ignore[attr-defined]
        line.update(words(seen) if seen else "")
        line.display = bool(seen)

    def writing_reply(self, replying: bool) -> None:
        """A reply editor opened or closed: others see it at once."""
        self.replying = replying
        self.app.live_refresh.presence.follow()  # type: ignore[attr-defined]
