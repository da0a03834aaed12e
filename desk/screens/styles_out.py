"""Fewer bytes in every frame: each change of style sent as what changed, not in full.

Textual writes every run of text with its whole style before it and a reset after it
(``ESC[38;5;188;48;5;16m title ESC[0m``), so a list row of seven coloured runs carries seven
whole styles and seven resets, and a key that scrolls the inbox at 120x40 sends 9 KB, more
than half of it styles. `minimise_styles` rewrites one write to the terminal so that before
each run of text the terminal gets only the parameters that differ from the style in effect
(``ESC[38;5;74m``; ``ESC[22m`` when bold ends), and no reset that the next style undoes
anyway: the same cells, in fewer bytes, which matters most over SSH.

It follows SGR for the parameters Textual writes: the attributes 1-9, 21 and 51-53, the 16,
256 and true colours, and the default colours 39 and 49; it meets any other parameter by
sending the rest of the write as it is. Cursor moves, links (OSC) and control characters
carry no style and pass untouched; a sequence that paints with the background (erasing,
inserting or scrolling lines and characters) gets the style due before it, as text does. A
write starts from the style a Textual write leaves (reset) and ends in the style the
original would have left.
"""

from __future__ import annotations

import re
from functools import lru_cache

Style = tuple[frozenset[int], tuple[int, ...] | None, tuple[int, ...] | None]
"""The attributes set, the foreground and the background (None: the terminal's default)."""

RESET: Style = (frozenset(), None, None)
ATTRIBUTES = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 21, 51, 52, 53})
"""The attribute parameters Textual (Rich) writes; each one stays until a reset."""
OFF = {1: 22, 2: 22, 3: 23, 4: 24, 21: 24, 5: 25, 6: 25, 7: 27, 8: 28, 9: 29, 51: 54, 52: 54,
       53: 55}
"""The parameter that turns each attribute off."""
EXTENDED = {5: 3, 2: 5}
"""38/48;5;n and 38/48;2;r;g;b: how many parameters each colour form takes."""

_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_NOT_TEXT = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.?|[\x00-\x1f\x7f]", re.DOTALL)
"""Escape sequences and control characters: what is not text in a piece of output."""
_PAINTING = re.compile(r"\x1b\[[0-?]*[ -/]*[@JKLMPSTX]")
"""A sequence that paints cells with the current background (erasing, inserting, scrolling)."""


def minimise_styles(data: str) -> str:
    """`data` with every style change sent as the difference from the style in effect."""
    if "m" not in data or "\x1b[" not in data:
        return data
    parts = _SGR.split(data)  # text and other sequences, then SGR parameters, in turn
    pieces, parameters = parts[0::2], parts[1::2]
    out: list[str] = []
    sent = wanted = RESET
    for number, piece in enumerate(pieces):
        if number:
            following = _apply(wanted, parameters[number - 1])
            if following is None:  # a parameter this module does not know: keep the rest
                out.append(_change(sent, wanted))
                out.extend(f"\x1b[{sgr}m{rest}"
                           for sgr, rest in zip(parameters[number - 1:], pieces[number:],
                                                strict=True))
                return "".join(out)
            wanted = following
        if piece:
            if wanted != sent and _paints(piece):
                out.append(_change(sent, wanted))
                sent = wanted
            out.append(piece)
    out.append(_change(sent, wanted))
    return "".join(out)


def _paints(piece: str) -> bool:
    """Whether `piece` (output with no SGR in it) puts anything in a cell."""
    return (piece.isprintable() or bool(_NOT_TEXT.sub("", piece))
            or _PAINTING.search(piece) is not None)


@lru_cache(maxsize=1024)
def _apply(style: Style, parameters: str) -> Style | None:
    """`style` after the SGR `parameters`; None for a parameter not understood."""
    attributes, foreground, background = set(style[0]), style[1], style[2]
    codes = [int(part) if part else 0 for part in parameters.split(";")]
    index = 0
    while index < len(codes):
        code = codes[index]
        if code == 0:
            attributes, foreground, background = set(), None, None
        elif code in ATTRIBUTES:
            attributes.add(code)
        elif 30 <= code <= 37 or 90 <= code <= 97:
            foreground = (code,)
        elif 40 <= code <= 47 or 100 <= code <= 107:
            background = (code,)
        elif code in (39, 49):
            foreground, background = (None, background) if code == 39 else (foreground, None)
        elif code in (38, 48) and index + 1 < len(codes) and codes[index + 1] in EXTENDED:
            size = EXTENDED[codes[index + 1]]
            colour = tuple(codes[index:index + size])
            if len(colour) < size:
                return None
            foreground, background = ((colour, background) if code == 38
                                      else (foreground, colour))
            index += size
            continue
        else:
            return None
        index += 1
    return frozenset(attributes), foreground, background


@lru_cache(maxsize=1024)
def _change(sent: Style, wanted: Style) -> str:
    """The shorter of two sequences that take the terminal from `sent` to `wanted`: what
    goes turned off and what comes turned on, or a reset and the whole of `wanted`."""
    if wanted == sent:
        return ""
    if wanted == RESET:
        return "\x1b[0m"
    attributes, foreground, background = wanted
    offs = {OFF[attribute] for attribute in sent[0] - attributes}
    # an off code may end a kept attribute too (22 ends bold and dim): set those again
    again = {attribute for attribute in attributes & sent[0] if OFF[attribute] in offs}
    codes = [*sorted(offs), *sorted(attributes - sent[0] | again)]
    if foreground != sent[1]:
        codes += foreground or (39,)
    if background != sent[2]:
        codes += background or (49,)
    whole = [0, *sorted(attributes), *(foreground or ()), *(background or ())]
    return f"\x1b[{';'.join(map(str, min(codes, whole, key=_length)))}m"


def _length(codes: list[int]) -> int:
    """How many characters `codes` take as SGR parameters."""
    return len(";".join(map(str, codes)))
