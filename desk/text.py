"""Making user data safe to draw: no control, escape or bidi character reaches the terminal.

Every value that came from a person, an import or the database goes through `visible()` (or
`one_line()` for a table cell) before it is drawn. Raw control bytes could otherwise move the
cursor, rewrite the clipboard (OSC 52), clear the screen (CSI) or reorder what a reader sees
(bidi overrides, "Trojan Source").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Characters shown as they are although their category would hide them: newline and tab lay
# out text, and ZERO WIDTH JOINER (U+200D, category Cf) glues emoji sequences such as 👩‍💻.
_KEPT = frozenset("\n\t\u200d")
# Cc: C0, DEL and C1 controls; Cf: bidi and other format characters; Cs: lone surrogates.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_CONTROL_PICTURES = 0x2400  # U+2400 SYMBOL FOR NULL; U+2400 + n pictures the C0 control n
_DELETE_PICTURE = "\u2421"  # ␡
_ONE_CELL_MARK = "\ufffd"  # �: an editor's stand-in for a hidden character beyond C0 and DEL
_NEWLINE_MARK = "⏎"
_ELLIPSIS = "…"
# NUL (PostgreSQL refuses it; SQLite readers cut text at it) and lone surrogates (no UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _placeholder(code: int) -> str:
    """The visible stand-in for one hidden code point."""
    if code < 0x20:
        return chr(_CONTROL_PICTURES + code)
    if code == 0x7F:
        return _DELETE_PICTURE
    return f"⟨U+{code:04X}⟩"


def _one_cell(code: int) -> str:
    """The visible stand-in, one character of one cell, for one hidden code point (or a
    line or paragraph separator)."""
    if code < 0x20 or code == 0x7F:
        return _placeholder(code)
    return _ONE_CELL_MARK


def hidden(char: str) -> bool:
    """Whether `visible()` replaces `char`: a control, format or lone surrogate character
    other than newline, tab and ZERO WIDTH JOINER."""
    return unicodedata.category(char) in _HIDDEN_CATEGORIES and char not in _KEPT


class _Placeholders(dict[int, str]):
    """A `str.translate` table over all of Unicode, filled in as characters are first seen.

    Each code point is classified once with the Unicode database, then remembered (mapped to
    itself when it is safe): the table costs nothing at import, holds only the alphabet
    actually drawn, and later lookups are plain dict hits inside `str.translate`.
    `placeholder` gives the stand-in of a hidden code point, and of the `also` characters.
    """

    def __init__(self, placeholder: Callable[[int], str], also: str = "") -> None:
        super().__init__()
        self.placeholder, self.also = placeholder, also

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = self.placeholder(code) if hidden(char) or char in self.also else char
        return self[code]


_TABLE = _Placeholders(_placeholder)
_IN_PLACE_TABLE = _Placeholders(_one_cell, also="\u2028\u2029")


def visible(text: str) -> str:
    """`text` with every control, escape and format character replaced by a visible stand-in.

    - C0 controls (U+0000–U+001F) become their Unicode control pictures: ``\\x1b`` -> ``␛``,
      ``\\x00`` -> ``␀``, ``\\r`` -> ``␍``; DEL (U+007F) becomes ``␡``.
    - C1 controls (U+0080–U+009F), format characters (category Cf: bidi embeddings, overrides
      and isolates, LRM/RLM, zero-width space, BOM, soft hyphen, tag characters such as
      U+E0001) and lone surrogates (Cs) become ``⟨U+XXXX⟩`` with the code point in upper-case
      hex, at least four digits: ``\\x9b`` -> ``⟨U+009B⟩``, U+202E -> ``⟨U+202E⟩``.
    - Kept as they are: newline, tab and ZERO WIDTH JOINER (U+200D), which joins emoji
      sequences and cannot reorder or hide text. Unassigned code points (Cn) are left alone.
      Emoji tag sequences (subdivision flags) lose their tags: tags can smuggle hidden text.

    Everything else, Rich markup like ``[/]`` included, passes through unchanged. The result
    is idempotent (placeholders are printable) and always encodable as UTF-8.
    """
    if text.isprintable():
        return text
    return text.translate(_TABLE)


def visible_in_place(text: str) -> str:
    """`text` with each hidden character (see `visible`) replaced by one visible character
    one cell wide, for editors, where every position of the shown text must be the same
    position in the text itself: C0 controls and DEL get the same pictures as in `visible`
    (``\x1b`` -> ``␛``), every other hidden character, and the line and paragraph
    separators (U+2028, U+2029), become ``�`` (U+FFFD). Newline and tab are kept.
    """
    if text.isprintable():
        return text
    return text.translate(_IN_PLACE_TABLE)


def unstorable(text: str) -> int:
    """The index of the first character of `text` that no database stores, or -1.

    Those are NUL and lone surrogates (U+D800–U+DFFF, which Python makes from undecodable
    bytes: command-line arguments, mail headers). This is the one rule for every stored text
    field (desk.kernel.inputs.storable_text) and for searches and queries.
    """
    found = _UNSTORABLE.search(text)
    return -1 if found is None else found.start()


def unstorable_message(char: str, what: str) -> str:
    """Why `char` (found by `unstorable`) is refused in `what` ("a title"), in one line."""
    if char == "\x00":
        return f"{what} cannot contain a NUL character"
    return f"{what} contains a character that cannot be stored (U+{ord(char):04X})"


def display_width(text: str) -> int:
    """How many terminal columns `text` takes: wide East Asian characters take two,
    combining marks none."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def one_line(text: str, limit: int | None = None) -> str:
    """`visible(text)` fit for one table cell: newlines shown as ``⏎``, tabs as a space.

    A Windows line break (CR LF) counts as one newline. When `limit` (in characters, at least
    1) is given and the result is longer, it is cut to `limit` characters ending in ``…``.
    """
    if limit is not None and limit < 1:
        raise ValueError(f"one_line limit must be at least 1, got {limit}")
    shown = visible(text.replace("\r\n", "\n")).replace("\n", _NEWLINE_MARK).replace("\t", " ")
    if limit is None or len(shown) <= limit:
        return shown
    return shown[: limit - 1] + _ELLIPSIS


def counted(number: int, noun: str) -> str:
    """ "1 task", "12 tasks": a count with its noun, plural (an added s) unless it is one."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
