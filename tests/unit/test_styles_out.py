"""Styles sent as what changed (desk.screens.styles_out): the same cells in fewer bytes.

The cells are read back by a real terminal emulator (pyte) from the original and from the
rewritten output, so the rewriting is checked against what a terminal makes of it, not
against this module's own idea of SGR."""

from __future__ import annotations

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st

from desk.screens.styles_out import minimise_styles

ROW = ("\x1b[4;1H\x1b[38;5;188;48;5;16m  \x1b[0m\x1b[38;5;74;48;5;16mTo do\x1b[0m"
       "\x1b[38;5;188;48;5;16m   \x1b[0m\x1b[1;38;5;203;48;5;16m‼\x1b[0m"
       "\x1b[38;5;188;48;5;16m Check timesheets \x1b[0m\x1b[4;119H\r\n")


def cells(data: str, columns: int = 40, lines: int = 12) -> list[list[tuple]]:
    """Every cell a terminal shows after `data`: its character and its whole style."""
    screen = pyte.Screen(columns, lines)
    pyte.Stream(screen).feed(data)
    return [[(cell.data, cell.fg, cell.bg, cell.bold, cell.italics, cell.underscore,
              cell.strikethrough, cell.reverse, cell.blink)
             for cell in (screen.buffer[y][x] for x in range(columns))]
            for y in range(lines)]


def test_a_row_as_textual_writes_it_keeps_its_cells_in_fewer_bytes():
    out = minimise_styles(ROW)
    assert cells(out, 120, 8) == cells(ROW, 120, 8)
    assert len(out) < 0.75 * len(ROW)
    # the colour change alone, no background again, no reset between runs of one row
    assert "\x1b[38;5;74m" in out and out.count("48;5;16") == 1
    assert out.endswith("\x1b[0m")  # and the terminal left reset, as Textual leaves it


def test_a_run_that_drops_an_attribute_turns_it_off_or_starts_from_a_reset():
    data = "\x1b[1;2;31mA\x1b[0m\x1b[2;31mB\x1b[0m"
    assert minimise_styles(data) == "\x1b[1;2;31mA\x1b[22;2mB\x1b[0m"  # 22 ends both: dim again
    data = "\x1b[1;3;4;7;9;31mA\x1b[0m\x1b[31mB\x1b[0m"
    assert minimise_styles(data) == "\x1b[1;3;4;7;9;31mA\x1b[0;31mB\x1b[0m"  # shorter so
    assert cells(minimise_styles(data)) == cells(data)


def test_text_with_no_style_after_a_styled_run_is_reset():
    assert minimise_styles("\x1b[31mA\x1b[0mB") == "\x1b[31mA\x1b[0mB"


def test_an_erase_paints_with_the_style_due_before_it():
    data = "\x1b[44mA\x1b[0m\x1b[K"
    assert minimise_styles(data) == "\x1b[44mA\x1b[0m\x1b[K"
    assert minimise_styles("\x1b[44m\x1b[K\x1b[0m") == "\x1b[44m\x1b[K\x1b[0m"


def test_a_parameter_it_does_not_know_leaves_the_rest_as_it_is():
    data = "\x1b[31mA\x1b[0m\x1b[31mB\x1b[22;31mC\x1b[0m\x1b[31mD\x1b[0m"
    out = minimise_styles(data)
    assert out.endswith("\x1b[22;31mC\x1b[0m\x1b[31mD\x1b[0m")
    assert cells(out) == cells(data)


def test_writes_without_styles_pass_untouched():
    for data in ("", "\x1b[?25l", "\x1b[1;2H", "plain", "\x1b]8;id=1;https://x\x1b\\a\x1b]8;;\x1b\\"):
        assert minimise_styles(data) == data


COLOURS = st.one_of(st.none(), st.sampled_from(["31", "97", "38;5;74", "38;5;188",
                                                "38;2;10;20;30", "38;2;200;0;0"]))
BACKGROUNDS = st.one_of(st.none(), st.sampled_from(["44", "48;5;16", "48;2;1;2;3"]))
ATTRIBUTES = st.lists(st.sampled_from(["1", "3", "4", "5", "7", "9"]), unique=True,
                      max_size=3)
TEXT = st.text(alphabet="ab ‼…█", min_size=1, max_size=6)


@st.composite
def pieces(draw) -> str:
    """One piece of a frame: a styled run (with or without its reset), text, a cursor move,
    a new line or an erase."""
    kind = draw(st.sampled_from(["run", "run", "run", "open", "text", "move", "line", "erase"]))
    if kind in ("run", "open"):
        codes = [*draw(ATTRIBUTES)]
        codes += [part for part in (draw(COLOURS), draw(BACKGROUNDS)) if part]
        run = f"\x1b[{';'.join(codes) or '0'}m{draw(TEXT)}"  # Textual writes no bare ESC[m
        return run + ("\x1b[0m" if kind == "run" else "")
    if kind == "text":
        return draw(TEXT)
    if kind == "move":
        return f"\x1b[{draw(st.integers(1, 12))};{draw(st.integers(1, 40))}H"
    return "\r\n" if kind == "line" else "\x1b[K"


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces(), max_size=40))
def test_any_frame_shows_the_same_cells_and_is_never_longer(frame):
    data = "".join(frame)
    out = minimise_styles(data)
    assert cells(out) == cells(data)
    assert len(out) <= len(data)
