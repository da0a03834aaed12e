"""The task screen (being built: see issue 3). `TaskScreen(task_id)` opens one task."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class TaskScreen(Screen[None]):
    """Everything about one task (stand-in until the real screen lands)."""

    TITLE = "Task"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="task.back")]

    def __init__(self, task_id: int) -> None:
        super().__init__()
        self.task_id = task_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Task {self.task_id}")
        yield Footer()
