"""One outgoing e-mail, read-only: its state, its headers and its text.

`OutboxMessageScreen(message, zone)` shows what `desk outbox show` prints. Every value is
stored text (a subject, an address, a server's answer, the body) and is drawn through `safe`,
so markup or escape codes in it show literally. j/k scroll, escape closes.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from desk.mail import outbox
from desk.mail.outbox import OutboxMessage
from desk.screens.safe import safe, safe_line


class OutboxMessageScreen(ModalScreen[None]):
    """An outbox message with its headers; escape closes."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "close", "Close", id="outbox_message.close"),
        Binding("j", "scroll(1)", "Down", show=False, id="outbox_message.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="outbox_message.up"),
    ]

    def __init__(self, message: OutboxMessage, zone: tzinfo) -> None:
        super().__init__()
        self.message, self.zone = message, zone

    def compose(self) -> ComposeResult:
        row = self.message.row
        lines = [Content(f"{label}: ").stylize("bold") + safe_line(value)
                 for label, value in outbox.headers(self.message, self.zone)]
        with Vertical(classes="dialog dialog-wide"):
            yield Static(Content(f"E-mail {row.id}: ") + safe_line(row.subject),
                         classes="dialog-title")
            with VerticalScroll(id="outbox-message-scroll"):
                yield Static(Content("\n").join([*lines, Content("")]),
                             id="outbox-message-headers")
                yield Static(safe(self.message.body), id="outbox-message-body")
            yield Static("j/k scroll · escape closes", classes="dialog-hint")

    def action_scroll(self, lines: int) -> None:
        """Scroll the message by `lines`."""
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        """Close the message."""
        self.dismiss(None)
