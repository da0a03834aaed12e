"""Tests for desk.text: user data never reaches the terminal as raw control characters."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.text import one_line, visible

ALLOWED_CONTROLS = {"\n", "\t", "\u200d"}
SAFE_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cf", "Cs")))


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]52;c;ZWNobyBoaQ==\x07", "␛]52;c;ZWNobyBoaQ==␇"),
        ("\x9b2J", "⟨U+009B⟩2J"),
        ("\x1b[2J", "␛[2J"),
        ("\x00", "␀"),
        ("a\rb", "a␍b"),
        ("\x7f", "␡"),
        ("\x85", "⟨U+0085⟩"),
        ("abc\u202edef", "abc⟨U+202E⟩def"),
        ("\u2066x\u2069", "⟨U+2066⟩x⟨U+2069⟩"),
        ("\u200e\u200f\u061c", "⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩"),
        ("zero\u200bwidth", "zero⟨U+200B⟩width"),
        ("\ufeffbom", "⟨U+FEFF⟩bom"),
        ("soft\u00adhyphen", "soft⟨U+00AD⟩hyphen"),
        ("\U000e0001tag\U000e0041", "⟨U+E0001⟩tag⟨U+E0041⟩"),
        ("lone \ud800 surrogate", "lone ⟨U+D800⟩ surrogate"),
    ],
)
def test_hidden_characters_get_visible_placeholders(raw: str, shown: str) -> None:
    assert visible(raw) == shown


@pytest.mark.parametrize(
    "text",
    [
        "[/] x",
        "[bold red]not markup to us[/]",
        "👩\u200d💻 and 👨\u200d👩\u200d👧\u200d👦",
        "❤\ufe0f 👍🏽",
        "東京都の顧客サポート 한국어 中文",
        "Zeile 1\n\tZeile 2",
        "no\u00a0break space",
        "",
    ],
)
def test_ordinary_text_passes_unchanged(text: str) -> None:
    assert visible(text) == text


@given(st.text(alphabet=st.characters()))
def test_no_control_or_format_character_survives(text: str) -> None:
    shown = visible(text)
    for char in shown:
        if unicodedata.category(char) in {"Cc", "Cf", "Cs"}:
            assert char in ALLOWED_CONTROLS
    shown.encode("utf-8")  # no lone surrogate left


@given(st.text(alphabet=st.characters()))
def test_visible_is_idempotent(text: str) -> None:
    assert visible(visible(text)) == visible(text)


@given(st.lists(SAFE_TEXT | st.sampled_from(sorted(ALLOWED_CONTROLS))).map("".join))
def test_printable_text_passes_unchanged(text: str) -> None:
    assert visible(text) == text


def test_one_line_shows_newlines_and_tabs() -> None:
    assert one_line("first\nsecond\tthird") == "first⏎second third"


def test_one_line_counts_crlf_as_one_newline() -> None:
    assert one_line("a\r\nb\rc") == "a⏎b␍c"


def test_one_line_escapes_controls() -> None:
    assert one_line("\x1b[31mred") == "␛[31mred"


def test_one_line_truncates_over_limit() -> None:
    assert one_line("abcdef", limit=4) == "abc…"
    assert one_line("abcd", limit=4) == "abcd"
    assert one_line("abcdef", limit=1) == "…"


def test_one_line_rejects_a_limit_below_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        one_line("abc", limit=0)


@given(st.text(alphabet=st.characters()), st.integers(min_value=1, max_value=50))
def test_one_line_fits_the_limit(text: str, limit: int) -> None:
    shown = one_line(text, limit)
    assert len(shown) <= limit
    assert "\n" not in shown
    assert "\t" not in shown
