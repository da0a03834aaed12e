"""A one-line input for stored text: the value is exactly the text, what is drawn is visible.

Textual's Input draws its value as it is, so a title holding ``\\x1b]52;c;…`` reached the
terminal from the rename prompt (and Rich silently dropped BEL, BS, VT, FF and CR from it, so
the cursor landed off by one per such character). `SafeInput` keeps `value` exactly as typed,
pasted or loaded, and draws each hidden character as one visible character of one cell
(`desk.text.visible_in_place`: ``␛`` for ESC, ``�`` for a bidi or other format character),
with a newline as ``⏎`` and a tab as ``␉``, in the ``safe-input--hidden`` style. Since every
character of the value is one character on screen, the cursor, selection and mouse clicks
land where the person sees them. Completions are offered only when they are plain text.

Input computes cursor cells from its value in three private members (`_value`,
`_position_to_cell`, `_cell_offset_to_index`); they are overridden here, and nowhere else, so
that they measure the text as drawn. tests/ui/test_safe_editors.py fails if Input stops
using them.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len, get_character_cell_size
from rich.style import Style
from rich.text import Text
from textual.suggester import Suggester
from textual.widgets import Input

from desk.screens.safe import mark_hidden
from desk.text import one_line, visible_in_place

_LINE_MARKS = str.maketrans({"\n": "⏎", "\t": "␉"})


def shown_line(text: str) -> str:
    """`text` as a one-line input draws it: every character one visible character."""
    return visible_in_place(text).translate(_LINE_MARKS)


class PlainSuggestions(Suggester):
    """Another suggester's completions, offered only when they are plain one-line text (a
    completion is drawn as it is, so a stored name with an escape is not offered)."""

    def __init__(self, suggester: Suggester) -> None:
        super().__init__(use_cache=False, case_sensitive=suggester.case_sensitive)
        self.suggester = suggester

    async def get_suggestion(self, value: str) -> str | None:
        """The wrapped suggester's completion of `value`, if it is plain text."""
        suggestion = await self.suggester.get_suggestion(value)
        if suggestion is None or one_line(suggestion) != suggestion:
            return None
        return suggestion


class SafeInput(Input):
    """An Input whose value may be any stored text; hidden characters are drawn visibly.

    Takes Input's arguments; a `suggester` is wrapped in `PlainSuggestions`. It opens with
    the cursor at the end of its value and nothing selected (Textual selects it all on
    focus, so the first key typed into an edit prompt replaced the value).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"safe-input--hidden"}
    DEFAULT_CSS = """
    SafeInput > .safe-input--hidden { color: $text-warning; text-style: bold; }
    """

    def __init__(self, value: str | None = None, placeholder: str = "", *,
                 suggester: Suggester | None = None, **options) -> None:
        options.setdefault("select_on_focus", False)
        super().__init__(value, placeholder,
                         suggester=PlainSuggestions(suggester) if suggester else None,
                         **options)

    def on_focus(self) -> None:
        """Show the end of a value longer than the field when the cursor is there (Input
        only scrolls to the cursor once the value has been edited)."""
        if self.cursor_position == len(self.value):
            self.call_after_refresh(lambda: self.scroll_to(x=self.max_scroll_x, animate=False))

    def validate_placeholder(self, placeholder: str) -> str:
        """A placeholder is drawn as it is: make it one visible line."""
        return one_line(placeholder)

    @property
    def _value(self) -> Text:
        """The value as drawn: hidden characters replaced one for one, and styled."""
        shown = shown_line(self.value)
        text = Text(shown, no_wrap=True, overflow="ignore", end="")
        if shown != self.value:
            style = self.get_component_rich_style("safe-input--hidden", default=Style())
            mark_hidden(text, self.value, style)
        return text

    def _position_to_cell(self, position: int) -> int:
        """The cell of the value's character at `position`, as drawn."""
        return cell_len(shown_line(self.value[:position]))

    def _cell_offset_to_index(self, offset: int) -> int:
        """The position in the value of the character drawn at cell `offset` (a click)."""
        scroll_x, _ = self.scroll_offset
        target = offset + scroll_x
        cell = 0
        for index, char in enumerate(shown_line(self.value)):
            width = get_character_cell_size(char)
            if cell <= target < cell + width:
                return index
            cell += width
        return max(0, min(target, len(self.value)))
