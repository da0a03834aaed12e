"""A text area for stored text: `text` is exactly the text, what is drawn is visible.

Textual's TextArea draws its document as it is (an e-mail body's OSC 52 reached the
terminal from the description editor) and splits lines on every character Python calls a
line break (``\\r``, ``\\x0b``, ``\\x0c``, ``\\x1c``-``\\x1e``, ``\\x85``, U+2028, U+2029),
joining them back with one newline: text saved unchanged was not the text loaded.

`SafeTextArea` keeps its document in an alphabet of its own (`Alphabet`): every character
that would be hidden, or split a line, is held as a private-use character of one cell that
stands for it, so the document has the same characters, lines and cells as the text drawn,
and TextArea's cursor, wrapping, selection and undo work on it unchanged. `text`, the
selection and ranges read back the exact stored text; everything written (typing, pastes,
`insert`, undo) goes through `edit`, which translates it. Hidden characters are drawn as in
`desk.text.visible_in_place` (``␛`` for ESC, ``�`` for a bidi character) in the
``safe-text-area--hidden`` style. Only public TextArea members are overridden.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult, Location

from desk.screens.safe import mark_hidden
from desk.text import hidden, visible_in_place

_LINE_BREAKS = frozenset("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
"""Characters str.splitlines (and so TextArea) breaks lines at, besides the newline."""
_PRIVATE_USE = (range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))
"""Supplementary private use areas A and B: where an Alphabet takes its stand-ins."""


def _private(code: int) -> bool:
    return any(code in area for area in _PRIVATE_USE)


class Alphabet:
    """A one-to-one map between stored text and a SafeTextArea's document.

    A character that is hidden (`desk.text.hidden`), breaks a line other than the newline,
    or is itself private use gets a private-use character of its own the first time it is
    seen; every other character stands for itself. The map belongs to one text area, so two
    characters never share a stand-in, and any text translates back exactly.
    """

    def __init__(self) -> None:
        self.to_document = _Translation(self)
        self.to_text: dict[int, int] = {}
        self._free = (code for area in _PRIVATE_USE for code in area)

    def document(self, text: str) -> str:
        """`text` in the document's alphabet (same length and newlines)."""
        return text.translate(self.to_document)

    def text(self, document: str) -> str:
        """The stored text a document (or part of one) stands for."""
        return document.translate(self.to_text) if self.to_text else document

    def stand_in(self, code: int) -> int:
        """A private-use character for `code` that stands for no other character."""
        stand_in = next(self._free, None)
        if stand_in is None:  # some 131,000 distinct odd characters in one text
            raise ValueError("the text has more distinct control and private-use "
                             "characters than an editor can show")
        self.to_text[stand_in] = code
        return stand_in


class _Translation(dict[int, int]):
    """The text-to-document table of an Alphabet, filled in as characters are first seen."""

    def __init__(self, alphabet: Alphabet) -> None:
        super().__init__()
        self.alphabet = alphabet

    def __missing__(self, code: int) -> int:
        char = chr(code)
        odd = char in _LINE_BREAKS or _private(code) or hidden(char)
        self[code] = self.alphabet.stand_in(code) if odd else code
        return self[code]


class SafeTextArea(TextArea):
    """A TextArea whose text may be any stored text; hidden characters are drawn visibly.

    Takes TextArea's arguments except `language` (the document is not source code).
    `document` holds the text in the area's `Alphabet`; read `text`, `selected_text` and
    `get_text_range`, which give the stored text.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"safe-text-area--hidden"}
    DEFAULT_CSS = """
    SafeTextArea > .safe-text-area--hidden { color: $text-warning; text-style: bold; }
    """

    def __init__(self, text: str = "", **options) -> None:
        self.alphabet = Alphabet()
        super().__init__(self.alphabet.document(text), **options)

    @property
    def text(self) -> str:
        """The whole text, exactly as typed, pasted or loaded."""
        return self.alphabet.text(self.document.text)

    @text.setter
    def text(self, value: str) -> None:
        self.load_text(value)

    def load_text(self, text: str) -> None:
        """Replace the text (and clear the undo history)."""
        super().load_text(self.alphabet.document(text))

    def get_text_range(self, start: Location, end: Location) -> str:
        """The stored text between two document locations."""
        return self.alphabet.text(super().get_text_range(start, end))

    def edit(self, edit: Edit) -> EditResult:
        """Perform an edit whose text is stored text (typing, a paste, `insert`)."""
        edit.text = self.alphabet.document(edit.text)
        return super().edit(edit)

    def get_line(self, line_index: int) -> Text:
        """A document line as drawn: stand-ins shown as the visible form of their
        characters, in the ``safe-text-area--hidden`` style."""
        stored = self.alphabet.text(self.document.get_line(line_index))
        drawn = visible_in_place(stored)
        text = Text(drawn, end="", no_wrap=True)
        if drawn != stored:
            style = self.get_component_rich_style("safe-text-area--hidden", default=Style())
            mark_hidden(text, stored, style)
        return text
