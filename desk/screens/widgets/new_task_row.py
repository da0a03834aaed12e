"""Creating a task in place: a one-line input drawn over the list where the cursor is.

The title comes first; the details follow on the task screen. `enter` posts
`NewTaskRow.Submitted` with the title as typed and `escape` posts `NewTaskRow.Cancelled`; the
screen creates the task and calls `refuse()` with a message when it cannot (an empty title, a
refused write), which keeps the draft and shows the reason under it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from desk.screens.hints import key_text
from desk.screens.safe import safe

HINT = "Title of the new task: enter creates it, {new_task.cancel} cancels"
"""The input's placeholder (binding ids in braces: the keys bound now)."""


class NewTaskRow(Vertical):
    """The in-place input for a new task's title, with a line for what went wrong."""

    DEFAULT_CSS = """
    NewTaskRow {
        position: absolute; height: auto; width: 1fr; background: $boost; display: none;
        &.-open { display: block; }
        Horizontal { height: 1; }
        #new-task-mark { width: 2; color: $accent; text-style: bold; }
        Input { border: none; height: 1; padding: 0; width: 1fr; background: $boost; }
        Input:focus { border: none; }
        #new-task-error { color: $error; height: auto; padding-left: 2; display: none; }
        #new-task-error.-shown { display: block; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="new_task.cancel"),
    ]

    class Submitted(Message):
        """`enter` in the row: create a task titled `title` (as typed, maybe blank)."""

        def __init__(self, title: str) -> None:
            """The title as typed."""
            super().__init__()
            self.title = title

    class Cancelled(Message):
        """`escape` in the row: the draft is dropped."""

    def compose(self) -> ComposeResult:
        """A mark, the input, and the (hidden) error line."""
        with Horizontal():
            yield Static(Content("+"), id="new-task-mark")
            yield Input(placeholder=key_text(self, HINT), id="new-task-title", max_length=500)
        yield Static(id="new-task-error")

    @property
    def is_open(self) -> bool:
        """Whether the row is shown (a draft may be in it)."""
        return self.has_class("-open")

    @property
    def draft(self) -> str:
        """The title typed so far."""
        return self.query_one(Input).value

    def open(self, line: int) -> None:
        """Show an empty row on line `line` of the list's view and focus it."""
        self.styles.offset = (0, max(line, 0))
        self.query_one(Input).value = ""
        self._show_error(None)
        self.add_class("-open")
        self.query_one(Input).focus()

    def close(self) -> None:
        """Hide the row and forget the draft."""
        self.remove_class("-open")
        self.query_one(Input).value = ""
        self._show_error(None)

    def refuse(self, reason: str) -> None:
        """Keep the draft and say, under it, why it was not created (plain text)."""
        self._show_error(reason)
        self.query_one(Input).focus()

    def _show_error(self, reason: str | None) -> None:
        """Show (or hide) the line under the input."""
        error = self.query_one("#new-task-error", Static)
        error.update(safe(reason))
        error.set_class(bool(reason), "-shown")

    @on(Input.Submitted, "#new-task-title")
    def _submitted(self, event: Input.Submitted) -> None:
        """Hand the title to the screen."""
        event.stop()
        self.post_message(self.Submitted(event.value))

    def action_cancel(self) -> None:
        """Drop the draft."""
        self.close()
        self.post_message(self.Cancelled())
