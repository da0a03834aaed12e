"""SafeInput and SafeTextArea: the value is exactly the stored text, what is drawn is visible,
and the cursor lands where the person sees it."""

from __future__ import annotations

import pytest
from hostile_text import CORPUS
from textual.app import App, ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input

from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.widgets.safe_input import SafeInput
from desk.screens.widgets.safe_text_area import SafeTextArea
from desk.text import hidden

SHORT = {name: text for name, text in CORPUS.items() if len(text) < 400}
"""The corpus without its huge strings (the editors get those in the end-to-end test)."""


class Editors(App):
    """One SafeInput over one SafeTextArea, and the result of any modal pushed."""

    def __init__(self, value: str = "", text: str = "", **input_options) -> None:
        super().__init__()
        self.value, self.text, self.input_options = value, text, input_options
        self.results: list = []

    def compose(self) -> ComposeResult:
        yield SafeInput(self.value, id="line", **self.input_options)
        yield SafeTextArea(self.text, id="area", soft_wrap=False)


def drawn(widget, lines: int = 1) -> list[str]:
    """The text of the widget's first `lines` rows as drawn."""
    return [widget.render_line(y).text for y in range(lines)]


def is_safe(row: str) -> bool:
    """A drawn row holds no character that would act on the terminal or hide text."""
    return not any(hidden(char) for char in row) and "\u2028" not in row


def test_the_text_area_keeps_every_text_exactly():
    area = SafeTextArea()
    for name, text in CORPUS.items():
        area.load_text(text)
        assert area.text == text, name
    assert SafeTextArea("a\r\nb\x0cc\u2028d").text == "a\r\nb\x0cc\u2028d"


async def test_hostile_text_is_drawn_visibly_in_both_editors():
    app = Editors()
    async with app.run_test(size=(120, 12)) as pilot:
        line, area = app.query_one(SafeInput), app.query_one(SafeTextArea)
        for name, text in SHORT.items():
            line.value = text
            area.load_text(text)
            await pilot.pause()
            assert line.value == text and area.text == text, name
            rows = drawn(line) + drawn(area, min(area.document.line_count, 8))
            assert all(is_safe(row) for row in rows), (name, rows)
        line.value = "\x1b]52;c;QQ==\x07 \u202eevil"
        assert drawn(line)[0].startswith("␛]52;c;QQ==␇ �evil")


async def test_line_breaks_other_than_newline_stay_on_their_line_and_survive_saving():
    text = "one\r\ntwo\x0bthree\x1cfour\u2028five\x85six"
    app = Editors(text=text)
    async with app.run_test(size=(60, 8)) as pilot:
        area = app.query_one(SafeTextArea)
        await pilot.pause()
        assert area.document.line_count == 2
        assert drawn(area, 2)[1].rstrip() == "two␋three␜four�five�six"
        assert drawn(area)[0].rstrip() == "one␍"


async def test_the_cursor_lands_after_the_drawn_stand_ins():
    app = Editors("a\x1bb\x07c", "a\x1bb\u202ec")
    async with app.run_test(size=(60, 8)) as pilot:
        line, area = app.query_one(SafeInput), app.query_one(SafeTextArea)
        line.focus()
        await pilot.press("end", "left")
        assert line.cursor_position == 4
        assert line.cursor_screen_offset.x == line.content_region.x + 4
        area.focus()
        await pilot.press("end", "left", "left")
        assert area.cursor_location == (0, 3)
        assert area.cursor_screen_offset.x == area.content_region.x + 3
        await pilot.press("x")
        assert area.text == "a\x1bbx\u202ec"


async def test_a_click_on_a_stand_in_puts_the_cursor_on_its_character():
    # Input measures cells in private members that SafeInput overrides (_value,
    # _position_to_cell, _cell_offset_to_index): this fails when Input stops using them.
    assert all(hasattr(Input, name)
               for name in ("_value", "_position_to_cell", "_cell_offset_to_index"))
    app = Editors("\x1b\x1b\x1bxyz")
    async with app.run_test(size=(60, 8)) as pilot:
        line = app.query_one(SafeInput)
        await pilot.click(line, offset=(line.content_region.x - line.region.x + 3, 1))
        assert line.cursor_position == 3


async def test_typing_pasting_and_undo_keep_the_exact_text():
    app = Editors(text="start ")
    async with app.run_test(size=(60, 8)) as pilot:
        area = app.query_one(SafeTextArea)
        area.focus()
        await pilot.press("end")
        area.insert("\x1b[2J\U000f0000\u2028")
        await pilot.press("!")
        assert area.text == "start \x1b[2J\U000f0000\u2028!"
        assert area.selected_text == ""
        area.select_all()
        assert area.selected_text == area.text
        while area.history.undo_stack:
            area.undo()
        assert area.text == "start "


async def test_completions_with_hidden_characters_are_not_offered():
    suggester = SuggestFromList(["\x1b]52;c;QQ==\x07x", "plain"], case_sensitive=True)
    app = Editors(suggester=suggester)
    async with app.run_test(size=(60, 8)) as pilot:
        line = app.query_one(SafeInput)
        line.focus()
        await pilot.press("p")
        await pilot.pause()
        assert drawn(line)[0].startswith("plain")
        line.value = "\x1b"
        await pilot.pause()
        assert drawn(line)[0].rstrip() == "␛"


@pytest.mark.parametrize("name", ["osc52-bel", "mixed-newlines", "line-separators",
                                  "private-use", "bidi-override", "ten-thousand-lines"])
async def test_saving_an_unchanged_text_saves_the_identical_string(name):
    text = CORPUS[name]
    app = Editors()
    async with app.run_test(size=(80, 20)) as pilot:
        app.push_screen(WriteTextScreen("Description", text), app.results.append)
        await pilot.pause()
        await pilot.press("ctrl+j")
        assert app.results == [text]
