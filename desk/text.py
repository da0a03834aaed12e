"""Making user data safe to draw: no control, escape or bidi character reaches the terminal.

Every value that came from a person, an import or the database goes through `visible()` (or
`one_line()` for a table cell) before it is drawn. Raw control bytes could otherwise move the
cursor, rewrite the clipboard (OSC 52), clear the screen (CSI) or reorder what a reader sees
(bidi overrides, "Trojan Source").
"""

from __future__ import annotations

import unicodedata

# Characters shown as they are although their category would hide them: newline and tab lay
# out text, and ZERO WIDTH JOINER (U+200D, category Cf) glues emoji sequences such as 👩‍💻.
_KEPT = frozenset("\n\t\u200d")
# Cc: C0, DEL and C1 controls; Cf: bidi and other format characters; Cs: lone surrogates.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_CONTROL_PICTURES = 0x2400  # U+2400 SYMBOL FOR NULL; U+2400 + n pictures the C0 control n
_DELETE_PICTURE = "\u2421"  # ␡
_NEWLINE_MARK = "⏎"
_ELLIPSIS = "…"


def _placeholder(code: int) -> str:
    """The visible stand-in for one hidden code point."""
    if code < 0x20:
        return chr(_CONTROL_PICTURES + code)
    if code == 0x7F:
        return _DELETE_PICTURE
    return f"⟨U+{code:04X}⟩"


class _Placeholders(dict[int, str]):
    """A `str.translate` table over all of Unicode, filled in as characters are first seen.

    Each code point is classified once with the Unicode database, then remembered (mapped to
    itself when it is safe): the table costs nothing at import, holds only the alphabet
    actually drawn, and later lookups are plain dict hits inside `str.translate`.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        hidden = unicodedata.category(char) in _HIDDEN_CATEGORIES and char not in _KEPT
        self[code] = _placeholder(code) if hidden else char
        return self[code]


_TABLE = _Placeholders()


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
