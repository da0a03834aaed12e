"""The conflict dialog: someone saved the same field while you were editing it.

`ConflictScreen(rows)` shows, for each conflicting field, the value now stored ("theirs",
with who saved it and when) and the value you tried to save ("yours"), both as plain text
through `safe`. Three ways out, and none of them loses anything silently:

- `t` keeps theirs: dismisses with KEEP_THEIRS; your value is dropped on purpose.
- `o` overwrites: dismisses with OVERWRITE; your value is saved over theirs.
- `escape` (or `c`) cancels: dismisses with None; the caller reopens your draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from desk.pages.task import ConflictRow
from desk.screens.hints import key_hint
from desk.screens.safe import safe, safe_line

KEEP_THEIRS = "theirs"
"""The dialog's result when their value stays and yours is dropped."""

OVERWRITE = "overwrite"
"""The dialog's result when your value is saved over theirs."""


class ConflictScreen(ModalScreen[str | None]):
    """Their value and yours, side by side; keep theirs, overwrite, or cancel."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("t", f"choose('{KEEP_THEIRS}')", "Keep theirs", id="conflict.theirs"),
        Binding("o", f"choose('{OVERWRITE}')", "Overwrite with yours", id="conflict.overwrite"),
        Binding("escape,c", "cancel", "Cancel", id="conflict.cancel"),
    ]

    def __init__(self, rows: Sequence[ConflictRow]) -> None:
        super().__init__()
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-conflict"):
            yield Static(Content("Someone else saved this while you were editing"),
                         classes="dialog-title")
            with VerticalScroll(id="conflict-fields"):
                for row in self.rows:
                    yield Static(safe_line(row.label), classes="conflict-field")
                    yield Static(safe_line(f"Theirs (saved by {row.changed_by}):"),
                                 classes="conflict-label")
                    yield Static(safe(row.theirs), classes="conflict-theirs")
                    yield Static(Content("Yours (not saved yet):"), classes="conflict-label")
                    yield Static(safe(row.yours), classes="conflict-yours")
            yield Static(key_hint(self, "{conflict.theirs} keep theirs (drop yours) · "
                                        "{conflict.overwrite} overwrite with yours · "
                                        "{conflict.cancel} cancel (back to your draft)"),
                         id="conflict-hint", classes="dialog-hint")

    def action_choose(self, choice: str) -> None:
        """Close with KEEP_THEIRS or OVERWRITE."""
        self.dismiss(choice)

    def action_cancel(self) -> None:
        """Close without choosing: the caller goes back to your draft."""
        self.dismiss(None)
