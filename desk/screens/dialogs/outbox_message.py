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
from desk.screens.grammar import nav
from desk.screens.hints import key_hint
from desk.screens.safe import safe, safe_line


class OutboxMessageScreen(ModalScreen[None]):
    """An outbox message with its headers; escape closes."""

    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "close", "Close", show=True),
        nav("nav.down", "scroll(1)"),
        nav("nav.up", "scroll(-1)"),
        nav("nav.top", "scroll_top"),
        nav("nav.bottom", "scroll_bottom"),
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
            yield Static(key_hint(self, "{nav.down}/{nav.up} scroll · {nav.back} closes"),
                         classes="dialog-hint")

    def action_scroll(self, lines: int) -> None:
        """Scroll the message by `lines`."""
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_scroll_top(self) -> None:
        """Scroll to the headers."""
        self.query_one(VerticalScroll).scroll_home(animate=False)

    def action_scroll_bottom(self) -> None:
        """Scroll to the end of the message."""
        self.query_one(VerticalScroll).scroll_end(animate=False)

    def action_close(self) -> None:
        """Close the message."""
        self.dismiss(None)
