"""A one-line question: a typed value checked in place before the modal closes.

`PromptScreen(title, parse=...)` shows an input; enter runs `parse(text)`. A `ValueError`
or `DeskError` from it is shown under the input, naming the problem, and the modal stays
open with the text as typed; otherwise the modal closes with the parsed value. Escape closes
with None and changes nothing. With `suggestions`, tab (or right at the end) takes the one
offered; with `each_word` every word of the input completes (several tags in one input).
With `preview`, a line under the input says, as the person types, what the text
will mean (the date understood: "Fri 11 Dec 15:00") or, in the error colour, why it cannot
be read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Input, Static

from desk.errors import DeskError
from desk.screens.dialogs.closing import dismiss_if_in_front
from desk.screens.safe import safe, safe_line
from desk.screens.widgets.safe_input import SafeInput
from desk.screens.widgets.word_suggester import WordSuggester
from desk.text import one_line


class PromptScreen(ModalScreen[Any]):
    """Ask for one value; dismisses with `parse(text)`, or None on escape."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
        Binding("tab", "complete", "Complete", show=False, id="prompt.complete")]

    def __init__(self, title: str, *, parse: Callable[[str], Any] = str.strip, value: str = "",
                 placeholder: str = "", hint: str = "",
                 suggestions: list[str] | None = None, each_word: bool = False,
                 preview: Callable[[str], str] | None = None) -> None:
        """`hint` is a line under the input (e.g. the accepted forms); `suggestions` offers
        inline completion (accept with tab or right), of the last word typed with
        `each_word`, else of the whole input; `preview(text)` says what the text
        means, live, and raises ValueError or DeskError to say why it cannot be read."""
        super().__init__()
        self.prompt_title, self.parse, self.value = title, parse, value
        self.placeholder, self.hint = placeholder, hint
        self.suggestions = suggestions or []
        self.each_word, self.preview = each_word, preview

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(safe_line(self.prompt_title), classes="dialog-title")
            yield SafeInput(self.value, placeholder=self.placeholder, id="prompt-input",
                            suggester=self.suggester())
            if self.preview is not None:
                yield Static("", id="prompt-preview", classes="dialog-preview")
            yield Static(safe(self.hint), id="prompt-hint", classes="dialog-hint")
            yield Static("", id="prompt-error", classes="dialog-error")

    def suggester(self) -> Suggester | None:
        """What completes the input: each word, the whole input, or nothing."""
        if not self.suggestions:
            return None
        if self.each_word:
            return WordSuggester(self.suggestions)
        return SuggestFromList(self.suggestions, case_sensitive=False)

    def on_mount(self) -> None:
        """Preview the value the prompt opens with."""
        self.show_preview(self.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Say what the text means as it is typed."""
        event.stop()
        self.show_preview(event.value)

    def show_preview(self, text: str) -> None:
        """The preview line for `text`: its meaning, or in the error colour why it has none."""
        if self.preview is None:
            return
        line = self.query_one("#prompt-preview", Static)
        try:
            meaning, failed = self.preview(text), False
        except (ValueError, DeskError) as error:
            meaning, failed = str(error), True
        line.set_class(failed, "dialog-error")
        line.update(safe_line(one_line(meaning, 300)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Check the value; close with it, or say what is wrong and stay."""
        event.stop()
        try:
            parsed = self.parse(event.value)
        except (ValueError, DeskError) as error:
            self.show_error(str(error))
            return
        dismiss_if_in_front(self, parsed)  # escape may have closed it first

    def show_error(self, message: str) -> None:
        """Show why the value was refused, in place."""
        self.query_one("#prompt-error", Static).update(safe_line(one_line(message, 300)))

    def action_complete(self) -> None:
        """Take the suggestion offered (the Input takes it on a move right at the end)."""
        field = self.query_one("#prompt-input", Input)
        field.action_end()
        field.action_cursor_right()

    def action_cancel(self) -> None:
        """Close without a value."""
        self.dismiss(None)
