"""One logged interaction in full: when, what kind, who, its task and the whole summary.

The client screen's interaction log cuts each summary to the width of its line; enter on a
line opens `InteractionScreen`, which wraps the summary to show all of it. Enter there opens
the interaction's task when it has one (the screen closes with True); escape closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from desk.clock import to_local
from desk.crm.interactions import InteractionRow
from desk.screens.dialogs.suggestion_why import line
from desk.screens.grammar import nav
from desk.screens.hints import key_text


class InteractionScreen(ModalScreen[bool]):
    """A logged interaction with its whole summary; enter opens its task, escape closes."""

    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "close", "Close", show=True),
        Binding("enter", "open_task", "Open its task", id="interaction.open_task"),
    ]

    def __init__(self, interaction: InteractionRow, zone: tzinfo) -> None:
        super().__init__()
        self.interaction, self.zone = interaction, zone

    def compose(self) -> ComposeResult:
        logged = self.interaction
        lines = [line("When", f"{to_local(logged.occurred_at, self.zone):%Y-%m-%d %H:%M}"),
                 line("Kind", logged.kind), line("By", logged.agent or "—"),
                 line("Summary", logged.summary)]
        if logged.task_id is not None:
            lines.insert(3, line("Task", f"#{logged.task_id}"))
        keys = ("{interaction.open_task} opens its task · {nav.back} closes"
                if logged.task_id is not None else "{nav.back} closes")
        with Vertical(classes="dialog dialog-recur"):
            yield Static("Interaction", classes="dialog-title")
            yield Static(Content("\n").join(lines), id="interaction-text")
            yield Static(Content(key_text(self, keys)), classes="dialog-hint")

    def action_open_task(self) -> None:
        """Close, asking the caller to open the task (when there is one)."""
        if self.interaction.task_id is not None:
            self.dismiss(True)

    def action_close(self) -> None:
        """Close."""
        self.dismiss(False)


def show_interaction(screen: Screen, logged: Sequence[InteractionRow], interaction_id: int,
                     zone: tzinfo) -> None:
    """Open the interaction `interaction_id` of `logged` in full over `screen`; its task
    opens when the person asks for it there."""
    found = next((row for row in logged if row.id == interaction_id), None)
    if found is None:
        return

    def closed(open_task: bool | None) -> None:
        if open_task and found.task_id is not None:
            screen.app.open_task(found.task_id)
    screen.app.push_screen(InteractionScreen(found, zone), closed)
