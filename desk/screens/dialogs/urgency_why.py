"""Why a row ranks where it does in the inbox: its urgency score term by term.

`UrgencyScreen(task_id, title, now, weights)` computes desk.support.urgency.breakdown in a
worker at `now` (the moment the inbox was ranked at) and lists each term: its name, the value
it read, the weight from the config's `urgency.weights`, and the points it gives, then the
total. Escape (or enter, or `w` again) closes.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from desk.config import UrgencySettings
from desk.screens.actions.calls import run_service
from desk.screens.grammar import nav
from desk.screens.hints import key_text
from desk.screens.safe import safe_line
from desk.support import urgency

TERM_NAMES = {"sla": "SLA deadline", "priority": "Priority", "client": "Client kind",
              "retainer": "Retainer", "lead_score": "Lead score", "age": "Age",
              "waiting_on_us": "Waiting on us"}
"""How each term of the score is named."""
NAME, VALUE, WEIGHT, POINTS = 15, 24, 7, 8
"""The widths of the columns."""


def term_line(name: str, value: str, weight: str, points: str) -> Content:
    """One line of the table, its columns padded to their widths."""
    name_cell, value_cell = safe_line(name, NAME - 1), safe_line(value, VALUE - 1)
    return Content.assemble(
        name_cell.pad_right(NAME - name_cell.cell_length),
        value_cell.pad_right(VALUE - value_cell.cell_length),
        weight.rjust(WEIGHT), points.rjust(POINTS))


def table(breakdown: urgency.Breakdown) -> Content:
    """The breakdown as lines: a heading, one line per term, the total."""
    lines = [term_line("Term", "Value", "Weight", "Points").stylize("bold")]
    for term in breakdown.terms:
        lines.append(term_line(TERM_NAMES.get(term.name, term.name), term.shown,
                               f"{term.weight:g}", f"{term.points:.1f}"))
    lines.append(term_line("Total", "", "", f"{breakdown.total:.1f}").stylize("bold"))
    return Content("\n").join(lines)


class UrgencyScreen(ModalScreen[None]):
    """The urgency score of one task, term by term; escape closes."""

    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "close", "Close", show=True),
        Binding("enter,w", "close", "Close", id="urgency.close"),
    ]

    def __init__(self, task_id: int, title: str, now: datetime, weights: UrgencySettings,
                 note: str = "") -> None:
        """The score of task `task_id` (called `title`) at `now`; `note` is a line under it
        (e.g. that the inbox is ranked by priority for now)."""
        super().__init__()
        self.task_id, self.task_title, self.now, self.weights = task_id, title, now, weights
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(safe_line(f"Why #{self.task_id} ranks here: {self.task_title}", 60),
                         classes="dialog-title")
            yield Static(Content("Working it out…").stylize("dim"), id="urgency-terms")
            hint = key_text(self, "{nav.back} closes · the weights are the config's "
                                  "urgency.weights")
            yield Static(Content("\n").join([Content(line) for line in (self.note, hint)
                                             if line]), classes="dialog-hint")

    def on_mount(self) -> None:
        """Compute the breakdown in a worker."""
        task_id, now, weights = self.task_id, self.now, self.weights
        pause = self.app.settings.sla.pause_while_waiting
        currency = self.app.settings.money.currency
        run_service(self, lambda: urgency.breakdown(task_id, now, weights, currency=currency,
                                                    pause_while_waiting=pause),
                    done=self.show)

    def show(self, breakdown: urgency.Breakdown) -> None:
        """Show the terms and the total."""
        self.query_one("#urgency-terms", Static).update(table(breakdown))

    def action_close(self) -> None:
        """Close the breakdown."""
        self.dismiss(None)
