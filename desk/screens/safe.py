"""The one door through which stored text reaches the screen.

Text that came from a person, an import or the database is never markup and never raw
terminal bytes. `safe()` wraps it as Textual `Content`, which is never parsed as markup, after
`desk.text.visible()` has replaced control, escape and bidi characters with visible
placeholders. A title such as ``[/] [@click=app.quit]x[/]`` or ``\\x1b]52;c;...`` is shown
exactly as stored: it cannot crash a widget, run an action or reach the terminal.

Widgets get `Content`, never a `str` built from data: a `str` is parsed as markup by `Static`,
`Label`, `Button`, `notify` and friends.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.content import Content

from desk.text import one_line, visible


def safe(text: str | None) -> Content:
    """Stored `text` as plain `Content`: never markup, control characters shown visibly.

    Newlines and tabs are kept, so multi-line text (a description, a comment) stays
    multi-line. `None` gives empty content.
    """
    if not text:
        return Content("")
    return Content(visible(str(text)))


def safe_line(text: str | None, width: int | None = None) -> Content:
    """Stored `text` as one line of plain `Content`, for a list cell or a title.

    Newlines show as ``⏎`` and tabs as a space (`desk.text.one_line`). With `width` (in
    terminal cells, so wide characters count twice) longer text is cut to fit and ends in
    ``…``; a width below 1 gives empty content.
    """
    if not text or (width is not None and width < 1):
        return Content("")
    content = Content(one_line(str(text)))
    if width is not None and content.cell_length > width:
        content = content.truncate(width, ellipsis=True)
    return content


def mark_hidden(drawn: Text, stored: str, style: Style) -> None:
    """Style the characters of `drawn` that stand in for hidden characters of `stored` (an
    editor's line, drawn one character for one with desk.text.visible_in_place)."""
    start = None
    for index, (shown, char) in enumerate(zip(drawn.plain, stored, strict=True)):
        if shown != char and start is None:
            start = index
        elif shown == char and start is not None:
            drawn.stylize(style, start, index)
            start = None
    if start is not None:
        drawn.stylize(style, start, len(stored))
