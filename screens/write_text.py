"""Write a longer text: a reply, an internal note, a description (Markdown).

`WriteTextScreen(title, text)` opens a text area. ctrl+j saves (it is the same key as
ctrl+enter in most terminals, and works over SSH and tmux); escape on an unchanged text
closes at once, while a changed draft asks for a second escape before it is discarded.
The modal dismisses with the text, or None.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from desk.screens.safe import safe_line


class WriteTextScreen(ModalScreen[str | None]):
    """A text area; ctrl+j saves, escape (twice for a changed draft) discards."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+j", "save", "Save", id="write.save", priority=True),
        Binding("escape", "cancel", "Discard", id="write.cancel"),
    ]

    def __init__(self, title: str, text: str = "", *, hint: str = "",
                 allow_empty: bool = False) -> None:
        super().__init__()
        self.write_title, self.text, self.hint = title, text, hint
        self.allow_empty = allow_empty
        self.confirming = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Static(safe_line(self.write_title), classes="dialog-title")
            yield TextArea(self.text, id="write-text", soft_wrap=True, tab_behavior="focus")
            yield Static(safe_line(self.hint or "ctrl+j saves · escape discards"),
                         id="write-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @property
    def draft(self) -> str:
        """What is typed now."""
        return self.query_one(TextArea).text

    def on_text_area_changed(self) -> None:
        """Typing again withdraws a pending "discard?" question."""
        self.confirming = False

    def action_save(self) -> None:
        """Close with the text (an empty one is refused unless allowed)."""
        if not self.draft.strip() and not self.allow_empty:
            self.query_one("#write-hint", Static).update("Nothing written yet: type the text, "
                                                         "or escape to close.")
            return
        self.dismiss(self.draft)

    def action_cancel(self) -> None:
        """Close; a changed draft needs a second escape."""
        if self.draft != self.text and not self.confirming:
            self.confirming = True
            self.query_one("#write-hint", Static).update(
                "The draft has changes: escape again discards them, ctrl+j saves.")
            return
        self.dismiss(None)
