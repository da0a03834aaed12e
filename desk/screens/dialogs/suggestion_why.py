"""Why a suggestion is made: its rule, the data it read, why now and the task it proposes.

`SuggestionWhyScreen(suggestion, looks_for)` shows what the suggestion carries (nothing is
computed: every suggestion names its rule and data, and there is no score). Escape (or
enter, or `w` again) closes.
"""

from __future__ import annotations

import textwrap
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from desk.automation.suggestions.base import Suggestion
from desk.screens.grammar import nav
from desk.screens.hints import key_text
from desk.screens.safe import safe_line

LABEL, VALUE = 18, 54
"""The widths of the labels and of the values (wrapped under themselves)."""


def line(label: str, value: str) -> Content:
    """A label and its value, the value wrapped to VALUE cells under itself."""
    parts = textwrap.wrap(safe_line(value).plain, VALUE) or [""]
    lines = [Content(label.ljust(LABEL)).stylize("dim") + Content(parts[0])]
    lines += [Content(" " * LABEL + part) for part in parts[1:]]
    return Content("\n").join(lines)


def explanation(suggestion: Suggestion, looks_for: str) -> Content:
    """The lines: rule, reason, each fact, why now, the proposed task."""
    due = f", due {suggestion.due}" if suggestion.due else ""
    who = f" for {suggestion.assignee}" if suggestion.assignee else ""
    lines = [line("Rule", f"{suggestion.rule}: {looks_for}"),
             line("Client", suggestion.client), line("Reason", suggestion.reason),
             *(line(label, value) for label, value in suggestion.facts),
             line("Why now", suggestion.why_now),
             line("Proposes", f"a task \u201c{suggestion.title}\u201d{who}{due}")]
    return Content("\n").join(lines)


class SuggestionWhyScreen(ModalScreen[None]):
    """A suggestion's rule, data and reason; escape closes."""

    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "close", "Close", show=True),
        Binding("enter,w", "close", "Close", id="suggestion_why.close"),
    ]

    def __init__(self, suggestion: Suggestion, looks_for: str) -> None:
        super().__init__()
        self.suggestion, self.looks_for = suggestion, looks_for

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-recur"):
            yield Static(safe_line(f"Why: {self.suggestion.title}", 80),
                         classes="dialog-title")
            yield Static(explanation(self.suggestion, self.looks_for), id="suggestion-why")
            yield Static(Content(key_text(self, "{nav.back} closes · the rules and their "
                                                "order are the config's suggestions:")),
                         classes="dialog-hint")

    def action_close(self) -> None:
        """Close the explanation."""
        self.dismiss(None)
