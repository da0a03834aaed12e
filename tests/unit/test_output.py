"""Tables for the terminal: columns give way widest first, and a cell of any length is cut
to its column in one pass. A progress bar ends full when its work is done, and writes
nothing where the stream is not a terminal."""

from __future__ import annotations

import io

from desk import output
from desk.text import display_width

COLUMNS = ["at", "actor", "field", "old", "new"]


def test_flexible_columns_give_way_widest_first() -> None:
    cells = [["2026-12-01 14:00", "alice", "title", "a" * 30, "b" * 50]]
    text = output.table(cells, COLUMNS, flexible=("old", "new"), width=80)
    header, row = text.splitlines()
    assert max(display_width(line) for line in (header, row)) <= 80
    old, new = row.split()[4:6]
    # the wider column was cut first, until both were equally wide
    assert old.endswith("…") and new.endswith("…") and abs(len(old) - len(new)) <= 1


def test_a_megabyte_cell_is_cut_to_the_terminal() -> None:
    huge = "é" * 1_000_000
    text = output.table([["2026-12-01 14:00", "alice", "description", huge, huge + "x"]],
                        COLUMNS, flexible=("old", "new"), width=120)
    assert all(display_width(line) <= 120 for line in text.splitlines())
    assert text.splitlines()[1].count("…") == 2


def test_wide_characters_are_cut_by_columns_not_characters() -> None:
    text = output.table([["漢" * 40]], ["title"], flexible=("title",), width=20)
    row = text.splitlines()[1]
    assert display_width(row) <= 20 and row.endswith("…")


def test_nothing_is_cut_without_a_width() -> None:
    long = "word " * 200
    assert long.strip() in output.table([[long]], ["title"], flexible=("title",))


class _Terminal(io.StringIO):
    """A text stream that says it is a terminal, as a progress bar needs."""

    def isatty(self) -> bool:
        return True


def test_a_progress_bar_finished_complete_is_full_though_the_last_step_fell_short():
    stream = _Terminal()
    bar = output.ProgressBar(stream, width=10)
    bar.update("export.csv", 999, 1000)  # a file's last row starts on its next-to-last line
    assert stream.getvalue().endswith("[######### ] 100%")
    bar.finish(complete=True)
    assert stream.getvalue().endswith("[##########] 100%\n")


def test_a_progress_bar_on_no_terminal_writes_nothing():
    stream = io.StringIO()
    bar = output.ProgressBar(stream)
    bar.update("export.csv", 5, 10)
    bar.finish(complete=True)
    assert stream.getvalue() == ""
