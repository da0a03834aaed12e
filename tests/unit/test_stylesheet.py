"""The app's stylesheet parses each piece of CSS once while the theme's variables stay the same."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.css import stylesheet as textual_stylesheet
from textual.css.errors import UnresolvedVariableError

from desk.screens.stylesheet import ReusingStylesheet


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The CSS texts Textual parsed, in order."""
    texts: list[str] = []
    parse = textual_stylesheet.parse

    def counting(scope, css, *args, **kwargs):
        texts.append(css)
        return parse(scope, css, *args, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    return texts


def label_colour(sheet: ReusingStylesheet) -> Color:
    """The colour the sheet's Label rule gives."""
    (rule,) = [rule for rule in sheet.rules if "Label" in rule.selector_names]
    return rule.styles.color


def test_a_refresh_parses_only_the_new_css(parsed):
    sheet = ReusingStylesheet(variables={"accent": "#ff0000"})
    sheet.add_source("Label { color: $accent; }", read_from=("label.tcss", ""))
    sheet.reparse()
    sheet.add_source("Button { color: blue; }", read_from=("button.tcss", ""))
    sheet.set_variables({"accent": "#ff0000"})
    sheet.reparse()
    sheet.reparse()

    assert parsed == ["Label { color: $accent; }", "Button { color: blue; }"]
    assert label_colour(sheet) == Color.parse("#ff0000")


def test_new_variables_parse_everything_again(parsed):
    sheet = ReusingStylesheet(variables={"accent": "#ff0000"})
    sheet.add_source("Label { color: $accent; }", read_from=("label.tcss", ""))
    sheet.reparse()
    sheet.set_variables({"accent": "#00ff00"})
    sheet.reparse()

    assert len(parsed) == 2
    assert label_colour(sheet) == Color.parse("#00ff00")


def test_bad_css_keeps_the_rules_in_force():
    sheet = ReusingStylesheet(variables={})
    sheet.add_source("Label { color: red; }", read_from=("label.tcss", ""))
    sheet.reparse()
    sheet.add_source("Button { color: $missing; }", read_from=("button.tcss", ""))

    with pytest.raises(UnresolvedVariableError):
        sheet.reparse()
    assert [rule.selector_names for rule in sheet.rules] == [{"Label"}]
