"""A comment's body in the task screen: drawn visibly, and in part when it is very long."""

from __future__ import annotations

from desk.screens.widgets.comment_list import BODY_LINES, body_lines


def test_a_short_body_is_drawn_whole_and_visibly():
    lines = body_lines("one \x1b]52;c;QQ==\x07\ntwo " + "x" * 30, 20)
    assert [line.plain.rstrip() for line in lines] == ["one ␛]52;c;QQ==␇", "two",
                                                       "x" * 20, "x" * 10]


def test_a_long_body_is_drawn_in_part_and_says_so():
    for body in ("\n".join(f"line {n}" for n in range(10_000)), "x" * 1_000_000):
        lines = body_lines(body, 76)
        assert len(lines) == BODY_LINES + 1
        assert lines[-1].plain == "… the comment goes on: desk show prints it whole"
    assert len(body_lines("\n".join(["x"] * BODY_LINES), 76)) == BODY_LINES
