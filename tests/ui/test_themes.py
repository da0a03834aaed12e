"""The YAML themes: each shipped file loads into a complete Theme, and a broken file gets an
error that names the file, the line and the key."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
import yaml
from textual.color import Color

from desk.app import make_app
from desk.config import Settings
from desk.kernel import agents
from desk.screens.themes import (
    APP_VARIABLES,
    BASE_COLOURS,
    ThemeError,
    app_variable_defaults,
    colour_depth,
    desk_themes,
    load_theme,
    load_themes,
    parse_theme,
)
from desk.work import filters

from .conftest import Notices

SHIPPED = sorted(item.name for item in resources.files("desk.themes").iterdir()
                 if item.name.endswith(".yaml"))
REQUIRED = {"desk-dark", "desk-light", "desk-high-contrast", "desk-16"}


def test_the_required_themes_ship_and_all_load():
    themes, errors = desk_themes()
    assert errors == []
    assert {loaded.theme.name for loaded in themes} >= REQUIRED
    assert len(themes) == len(SHIPPED)


@pytest.mark.parametrize("file_name", SHIPPED)
def test_each_shipped_theme_sets_every_colour_and_app_variable(file_name):
    file = resources.files("desk.themes").joinpath(file_name)
    raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    loaded = load_theme(file)
    theme = loaded.theme
    assert theme.name == file_name.removesuffix(".yaml")
    assert loaded.description
    # The file itself chooses every base colour and every status and priority colour...
    assert set(BASE_COLOURS) - {"boost"} <= set(raw)
    assert set(APP_VARIABLES) <= set(raw["variables"])
    # ...and the Theme carries them, as colours Textual can parse.
    for name in APP_VARIABLES:
        assert theme.variables[name] == raw["variables"][name]
        Color.parse(theme.variables[name])
    for name in BASE_COLOURS:
        if getattr(theme, name) is not None:
            Color.parse(getattr(theme, name))


def test_the_16_colour_theme_uses_only_the_terminals_own_colours():
    theme = load_theme(resources.files("desk.themes").joinpath("desk-16.yaml")).theme
    assert theme.ansi is True
    values = [getattr(theme, name) for name in BASE_COLOURS]
    values += [value for name, value in theme.variables.items()
               if not name.endswith("text-style")]
    for value in values:
        assert value.startswith("ansi_"), value
        assert Color.parse(value).ansi is not None


def test_a_theme_without_app_variables_gets_them_from_its_base_colours():
    theme = parse_theme("name: plain\nprimary: '#336699'\nerror: '#aa0000'\n").theme
    assert set(APP_VARIABLES) <= set(theme.variables)
    assert theme.variables["status-open"] == "#336699"
    assert theme.variables["priority-urgent"] == "#aa0000"


BROKEN = [
    ("name: bad\nprimary: '#12345z'\n", "line 2: primary: expected a colour"),
    ("name: bad\nprimary: '#123456'\nvariables:\n  status-done: bold\n",
     "line 4: variables.status-done: expected a colour"),
    ("name: bad\nprimry: '#123456'\n",
     "line 2: primry: unknown theme key (did you mean 'primary'?)"),
    ("name: bad\nsecondary: '#123456'\n", "primary: missing"),
    ("name: bad\nprimary: '#123456'\ndark: maybe\n", "line 3: dark: expected true or false"),
    ("name: Bad Name\nprimary: '#123456'\n", "line 1: name: expected lowercase letters"),
    ("name: bad\nprimary: '#123456'\nvariables: [1, 2]\n", "line 3: variables: expected a mapping"),
    ("name: bad\nprimary: [unclosed\n", "not valid YAML"),
    ("- just\n- a list\n", "expected a mapping of theme settings"),
    ("name: bad\nprimary: '#123456'\ntext_alpha: 2\n", "line 3: text_alpha: expected a number"),
    ("name: bad\nprimary: !!python/object/apply:os.system ['true']\n", "not valid YAML"),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_a_broken_theme_file_names_the_file_line_and_key(tmp_path: Path, text, expected):
    file = tmp_path / "bad.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ThemeError) as raised:
        load_theme(file)
    message = str(raised.value)
    assert message.startswith(f"{file}, line "), message
    assert expected in message, message


THEME_WITH_COMMENTS = """\
# A theme of my own.
name: mine

primary: '#336699'
# The app's own colours:
variables:
  status-open: red
  priority-high: {high}
luminosity_spread: {spread}
"""


@pytest.mark.parametrize(("high", "spread", "expected"), [
    ("nope", "0.2", "theme.yaml, line 8: variables.priority-high: expected a colour"),
    ("red", "2", "theme.yaml, line 9: luminosity_spread: expected a number from 0 to 1, got 2"),
    ("red", "[0.2]", "theme.yaml, line 9: luminosity_spread: expected a number, got a list"),
])
def test_a_theme_mistake_names_the_line_of_its_key(high, spread, expected):
    with pytest.raises(ThemeError) as raised:
        parse_theme(THEME_WITH_COMMENTS.format(high=high, spread=spread))
    assert str(raised.value).startswith(expected), str(raised.value)


def test_a_mistyped_theme_key_is_named_at_its_line_with_a_suggestion():
    text = THEME_WITH_COMMENTS.format(high="red", spread="0.2").replace("luminosity_spread",
                                                                      "luminosity_sprad")
    with pytest.raises(ThemeError) as raised:
        parse_theme(text)
    assert str(raised.value) == ("theme.yaml, line 9: luminosity_sprad: unknown theme key "
                                 "(did you mean 'luminosity_spread'?)")


def test_loading_a_folder_keeps_the_good_themes_and_reports_the_bad(tmp_path: Path):
    (tmp_path / "good.yaml").write_text("name: good\nprimary: ansi_blue\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("name: bad\nprimary: nope\n", encoding="utf-8")
    (tmp_path / "twin.yml").write_text("name: good\nprimary: red\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a theme", encoding="utf-8")
    themes, errors = load_themes(tmp_path)
    assert [loaded.theme.name for loaded in themes] == ["good"]
    messages = sorted(str(error) for error in errors)
    assert len(messages) == 2
    assert "bad.yaml, line 2: primary:" in messages[0]
    assert "twin.yml, line 1: name: theme 'good' is already defined" in messages[1]


def test_app_variable_defaults_cover_textuals_own_themes():
    from textual.theme import BUILTIN_THEMES

    for theme in BUILTIN_THEMES.values():
        defaults = app_variable_defaults(theme)
        assert set(defaults) == set(APP_VARIABLES)


@pytest.fixture
def app(sqlite_db):
    """The app over a fresh, migrated SQLite file."""
    agent = agents.acting()
    context = filters.Context(agent.username, datetime.now(UTC))
    return make_app(Settings(), sqlite_db, agent, context)


async def test_every_theme_applies_in_the_app_with_its_status_colours(app):
    themes, _ = desk_themes()
    async with app.run_test(size=(80, 24)) as pilot:
        for loaded in themes:
            app.theme = loaded.theme.name
            await pilot.pause()
            variables = app.get_css_variables()
            for name in APP_VARIABLES:
                assert variables[name] == loaded.theme.variables[name]
        # Textual's own themes get desk's variables from get_theme_variable_defaults.
        app.theme = "textual-light"
        await pilot.pause()
        assert set(APP_VARIABLES) <= set(app.get_css_variables())


# --- the selected row ------------------------------------------------------------------------

SELECTED_ROW_COLOURS = (*APP_VARIABLES, "error", "warning", "success", "block-cursor-foreground")
"""The theme colours a list draws on its selected row: statuses, priorities, SLA clocks and
client stages (error, warning, success), and the row's own text."""

CURSORS = ("block-cursor-background", "block-cursor-blurred-background")
"""The selection's background with the list focused, and with the focus elsewhere."""

LEAST_CONTRAST = 3.0
"""WCAG's floor for large or bold text and for the parts of an interface that must be told
apart (1.4.11); the selected row is bold, and every colour keeps it against the selection."""


def relative_luminance(colour: Color) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)


def contrast(one: Color, other: Color) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_ratio_is_wcags():
    assert contrast(Color.parse("#000000"), Color.parse("#ffffff")) == pytest.approx(21)
    assert contrast(Color.parse("#777777"), Color.parse("#ffffff")) == pytest.approx(4.48, 0.01)


@pytest.mark.parametrize("loaded", desk_themes()[0], ids=lambda loaded: loaded.theme.name)
def test_every_colour_on_the_selected_row_is_readable(loaded):
    theme = loaded.theme
    variables = {**theme.to_color_system().generate(), **theme.variables}
    if theme.ansi:
        # The terminal's palette decides the colours, so no ratio can be computed: the row is
        # drawn in reverse video over the terminal's own colours, which keeps each cell's
        # pair of colours as readable as it is unselected.
        for part in ("", "blurred-"):
            assert variables[f"block-cursor-{part}background"] == "ansi_default"
            assert "reverse" in variables[f"block-cursor-{part}text-style"].split()
        return
    surface = Color.parse(variables["surface"])
    too_faint = [f"{name} on {cursor}: {ratio:.2f}"
                 for cursor in CURSORS for name in SELECTED_ROW_COLOURS
                 if (ratio := contrast(surface + Color.parse(variables[name]),
                                       surface + Color.parse(variables[cursor])))
                 < LEAST_CONTRAST]
    assert too_faint == []


# --- the theme a terminal starts with ------------------------------------------------------------


@pytest.mark.parametrize(("environ", "depth"), [
    ({"TERM": "screen"}, 16), ({"TERM": "vt100"}, 16), ({"TERM": "linux"}, 16),
    ({"TERM": "xterm"}, 16), ({}, 16), ({"TERM": "tmux-256color"}, 256),
    ({"TERM": "xterm-256color"}, 256), ({"TERM": "xterm-direct"}, 1 << 24),
    ({"TERM": "screen", "COLORTERM": "truecolor"}, 1 << 24),
    ({"TERM": "linux", "COLORTERM": "24bit"}, 1 << 24),
    ({"TERM": "screen-256color", "COLORTERM": "yes"}, 256),
])
def test_the_colours_a_terminal_shows_are_read_from_term_and_colorterm(environ, depth):
    assert colour_depth(environ) == depth


@pytest.mark.parametrize(("term", "colorterm", "configured", "started"), [
    ("screen", None, "desk-dark", "desk-16"),
    ("vt100", None, "desk-light", "desk-16"),
    ("linux", None, "desk-high-contrast", "desk-16"),
    ("screen", "truecolor", "desk-dark", "desk-dark"),
    ("screen-256color", None, "desk-light", "desk-light"),
])
async def test_a_terminal_of_16_colours_starts_in_the_16_colour_theme(
        sqlite_db, monkeypatch, term, colorterm, configured, started):
    monkeypatch.setenv("TERM", term)
    if colorterm is None:
        monkeypatch.delenv("COLORTERM", raising=False)
    else:
        monkeypatch.setenv("COLORTERM", colorterm)
    agent = agents.acting()
    app = make_app(Settings(theme=configured), sqlite_db, agent,
                   filters.Context(agent.username, datetime.now(UTC)))
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        await pilot.pause()
        assert app.theme == started
    switched = [notice for notice in notices if "16 colours" in notice]
    if started == configured:
        assert switched == []
    else:
        assert switched == [f"This terminal shows 16 colours (TERM={term}), so desk uses "
                            f"desk-16 instead of {configured}; set COLORTERM=truecolor if "
                            "it shows more."]
