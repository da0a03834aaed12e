"""A list line finished in one pass (desk.screens.widgets.finished_lines): the same cells as
Textual's three passes (apply the list's style, cut or pad to the width, join neighbours)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from desk.screens.widgets.finished_lines import finished

STYLES = (None, Style.null(), Style(bold=True), Style(color="red"), Style(bgcolor="blue"),
          Style(color="red", italic=True))
BASES = (Style(), Style(bgcolor="#102030"), Style(color="green", bgcolor="black"))


def three_passes(segments: list[Segment], base: Style, width: int) -> Strip:
    """What the list did before: Textual's Strip methods, one after another."""
    return Strip(segments).apply_style(base).adjust_cell_length(width, base).simplify()


def shown(strip: Strip) -> list[Segment]:
    """The runs a terminal gets: empty segments draw nothing and are left out."""
    return list(Segment.simplify(segment for segment in strip if segment.text))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.text("ab c漢字é✓…\u0301", max_size=6), st.sampled_from(STYLES)),
                max_size=8),
       st.sampled_from(BASES), st.integers(1, 30))
def test_a_line_has_the_cells_of_the_three_passes(pieces, base, width):
    segments = [Segment(text, style) for text, style in pieces]
    line = finished(segments, base, width)
    assert line.cell_length == width
    assert sum(segment.cell_length for segment in line) == width
    assert shown(line) == shown(three_passes(segments, base, width))


def test_a_row_of_columns_becomes_one_run_a_style_padded_in_the_list_style():
    base = Style(color="white", bgcolor="black")
    row = [Segment("  "), Segment("To do", Style(color="blue")), Segment(" "),
           Segment("Check ", Style()), Segment("timesheets")]
    runs = list(finished(row, base, 30))
    assert [run.text for run in runs] == ["  ", "To do", " Check timesheets" + " " * 6]
    assert [run.style for run in runs] == [base, base + Style(color="blue"), base]


def test_a_wide_character_cut_in_half_becomes_a_space():
    line = finished([Segment("ab漢字")], Style(), 5)
    assert "".join(segment.text for segment in line) == "ab漢 "
