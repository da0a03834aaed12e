"""safe() and safe_line(): stored text becomes plain Content, never markup or raw bytes."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Static

from desk.screens.safe import safe, safe_line
from desk.text import one_line, visible

from .conftest import press

HOSTILE = [
    "[/] x",
    "[/",
    "[@click=app.quit]x[/]",
    "[TODO] Q3",
    '[link="file:///x"]y[/]',
    "a\\[b]",
    "x\\",
    "\x1b]52;c;AAAA\x07",
    "\x1b[2J\x1b]0;title\x07\x9b\x9d",
    "\u202eevil\u2066",
    "\x00 nul \x7f",
    "👩‍💻 日本語 שלום",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_is_plain_visible_text(text):
    content = safe(text)
    assert isinstance(content, Content)
    assert content.plain == visible(text)
    assert not content.spans
    assert "\x1b" not in content.plain and "\u202e" not in content.plain


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_line_is_one_visible_line(text):
    content = safe_line(text)
    assert content.plain == one_line(text)
    assert "\n" not in content.plain and not content.spans


def test_safe_line_fits_a_width_in_cells():
    assert safe_line("abcdef", 4).plain == "abc…"
    assert safe_line("abc", 4).plain == "abc"
    assert safe_line("日本語です", 5).cell_length <= 5
    assert safe_line("anything", 0).plain == ""
    assert safe_line(None).plain == "" and safe(None).plain == ""


def test_placeholders():
    assert safe("\x1b]52;c;AAAA\x07").plain == "␛]52;c;AAAA␇"
    assert safe("\u202e").plain == "⟨U+202E⟩"
    assert safe("a\nb").plain == "a\nb"
    assert safe_line("a\nb").plain == "a⏎b"


class ShowApp(App):
    """Statics showing every hostile text through safe()."""

    def compose(self) -> ComposeResult:
        """One Static per text."""
        for text in HOSTILE:
            yield Static(safe(text))


async def test_widgets_render_it_literally_without_actions():
    app = ShowApp()
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        for widget, text in zip(app.query(Static), HOSTILE, strict=True):
            strips = widget.render_lines(widget.region.reset_offset)
            shown = "\n".join(strip.text.rstrip() for strip in strips).rstrip()
            assert shown == visible(text).rstrip().expandtabs()
            for strip in strips:
                assert "\x1b" not in strip.text
                for segment in strip:
                    meta = segment.style.meta if segment.style else {}
                    assert "@click" not in meta
                    assert not (segment.style and segment.style.link)
        await press(pilot, "enter")
        assert app.is_running
