"""Themes from YAML files, turned into Textual `Theme` objects.

A theme file (see themes/desk-dark.yaml) is a mapping with these keys:

- `name`: required. Lowercase letters, digits and hyphens, because Textual puts it in a CSS
  class name.
- `description`: optional, shown in the command palette.
- `dark`: optional, true by default.
- `ansi`: optional, false by default. True makes Textual emit the terminal's own 16 colours
  for `ansi_*` values rather than converting them to RGB.
- The base colours: `primary` (required), then `secondary`, `accent`, `warning`, `error`,
  `success`, `foreground`, `background`, `surface`, `panel` and `boost`.
- `luminosity_spread` and `text_alpha`: optional numbers from 0 to 1.
- `variables`: optional CSS variables, name -> value. This includes desk's own status and
  priority colours (`APP_VARIABLES`). Any of those a file leaves out is derived from its base
  colours, so every theme has them all.

A colour is anything Textual's `Color.parse` accepts: `#1e88e5`, `rgb(30,136,229)`, `red`,
`ansi_red`, `ansi_bright_black`, `ansi_default`. Any colour may be followed by an alpha
percentage such as `red 50%`. The files are read with `yaml.safe_load` only and checked by
desk.config's validator against `ThemeFile`. A mistake raises `ThemeError`, and its message
names the file, the line and the key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from importlib.abc import Traversable
from typing import Annotated

import yaml
from msgspec import Meta, Struct, field
from textual.color import Color, ColorParseError
from textual.theme import Theme

from desk.config import (
    Check,
    Invalid,
    MissingKey,
    Section,
    SettingProblem,
    UnknownKey,
    convert,
    dotted,
    line_of,
    read_yaml,
    shown,
    yaml_problem,
)
from desk.text import one_line

STATUS_VARIABLES = ("status-open", "status-active", "status-done", "status-closed")
PRIORITY_VARIABLES = ("priority-urgent", "priority-high", "priority-normal", "priority-low",
                      "priority-none")
APP_VARIABLES = STATUS_VARIABLES + PRIORITY_VARIABLES
"""desk's own theme variables: every theme has them; the stylesheet uses $status-open etc."""

BASE_COLOURS = ("primary", "secondary", "accent", "warning", "error", "success", "foreground",
                "background", "surface", "panel", "boost")

SIXTEEN_COLOUR_THEME = "desk-16"
"""The theme a terminal of 16 colours gets, whatever else was chosen."""

_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_VARIABLE = re.compile(r"[a-z][a-z0-9-]*\Z")
_TEXT_STYLES = {"none", "bold", "dim", "italic", "underline", "reverse", "strike", "not"}


class ThemeError(Exception):
    """A theme file that cannot be used. The message names the file, the line and the key."""

    def __init__(self, source: str, line: int, key: str, problem: str) -> None:
        self.source = source
        self.line = line
        self.key = key
        self.problem = problem
        where = f"{source}, line {line}"
        super().__init__(one_line(f"{where}: {key}: {problem}" if key else f"{where}: {problem}"))


class DeskTheme(Struct, frozen=True):
    """A loaded theme plus the text the palette shows for it."""

    theme: Theme
    description: str


def app_variable_defaults(theme: Theme) -> dict[str, str]:
    """Status and priority colours derived from `theme`'s base colours.

    The app uses this for any theme that does not set them itself, Textual's built-in themes
    included. On a native ANSI theme it sticks to the 16 terminal colours.
    """
    ansi = theme.ansi
    muted = "ansi_bright_black" if ansi else "#808080"
    warning = theme.warning or ("ansi_yellow" if ansi else "#ffa62b")
    error = theme.error or ("ansi_red" if ansi else "#ba3c5b")
    success = theme.success or ("ansi_green" if ansi else "#4ebf71")
    return {
        "status-open": theme.primary,
        "status-active": theme.accent or warning,
        "status-done": success,
        "status-closed": muted,
        "priority-urgent": error,
        "priority-high": warning,
        "priority-normal": theme.primary,
        "priority-low": muted,
        "priority-none": muted,
    }


def colour_depth(environ: Mapping[str, str]) -> int:
    """How many colours the terminal described by `environ` shows, read as Rich (and so
    Textual) reads it: COLORTERM=truecolor or 24bit says 16 million, a TERM ending in
    256color 256, a TERM ending in direct 16 million; anything else (screen, tmux, vt100,
    linux, xterm) gets 16, and Textual squeezes every colour into those."""
    if environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return 1 << 24
    term = environ.get("TERM", "").strip().lower()
    if term.endswith("direct"):
        return 1 << 24
    return 256 if term.endswith("256color") else 16


def for_terminal(name: str, themes: Mapping[str, Theme],
                 environ: Mapping[str, str]) -> tuple[str, str]:
    """The theme to start with instead of `name` on the terminal `environ` describes, and a
    notice saying why ("" when `name` stays): a theme of RGB colours squeezed into 16 drew
    the selected row's status white on white, so a 16-colour terminal gets desk-16."""
    theme = themes.get(name)
    if (theme is None or theme.ansi or SIXTEEN_COLOUR_THEME not in themes
            or colour_depth(environ) > 16):
        return name, ""
    term = environ.get("TERM", "") or "not set"
    return SIXTEEN_COLOUR_THEME, (f"This terminal shows 16 colours (TERM={term}), so desk "
                                  f"uses {SIXTEEN_COLOUR_THEME} instead of {name}; set "
                                  "COLORTERM=truecolor if it shows more.")


def desk_themes() -> tuple[list[DeskTheme], list[ThemeError]]:
    """The themes shipped in desk.themes, plus any files that failed to load."""
    return load_themes(resources.files("desk.themes"))


def load_themes(folder: Traversable) -> tuple[list[DeskTheme], list[ThemeError]]:
    """Every *.yaml / *.yml theme in `folder`, sorted by file name, plus one error per bad file.

    Two files that use the same theme name also count as an error.
    """
    themes: list[DeskTheme] = []
    errors: list[ThemeError] = []
    seen: dict[str, str] = {}
    files = sorted((item for item in folder.iterdir()
                    if item.is_file() and item.name.endswith((".yaml", ".yml"))),
                   key=lambda item: item.name)
    for file in files:
        try:
            loaded = load_theme(file)
        except ThemeError as error:
            errors.append(error)
            continue
        name = loaded.theme.name
        if name in seen:
            errors.append(ThemeError(str(file), 1, "name",
                                     f"theme {name!r} is already defined in {seen[name]}"))
            continue
        seen[name] = str(file)
        themes.append(loaded)
    return themes, errors


def load_theme(file: Traversable) -> DeskTheme:
    """One theme file. Raises ThemeError."""
    source = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise ThemeError(source, 1, "", f"cannot read the theme file: {reason}") from None
    return parse_theme(text, source)


def parse_theme(text: str, source: str = "theme.yaml") -> DeskTheme:
    """A theme from YAML `text`. `source` names the file in error messages. Raises ThemeError."""
    try:
        data, root = read_yaml(text)
    except yaml.YAMLError as error:
        line, problem = yaml_problem(error, text)
        raise ThemeError(source, line, "", f"not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ThemeError(source, 1, "", "expected a mapping of theme settings (key: value)")
    try:
        return _theme(convert(data, ThemeFile))
    except UnknownKey as unknown:
        raise ThemeError(source, line_of(root, unknown.path, at_key=True), unknown.name,
                         f"unknown theme key ({unknown.hint})") from None
    except MissingKey as missing:
        raise ThemeError(source, line_of(root, missing.path), missing.name, "missing") from None
    except Invalid as invalid:
        raise ThemeError(source, line_of(root, invalid.path, at_key=True),
                         dotted(invalid.path), invalid.message) from None


def _check_colour(value: str) -> None:
    """Check a colour, optionally with an alpha percentage."""
    problem = _colour_problem(value)
    if problem:
        raise ValueError(problem)


def _check_name(name: str) -> None:
    """Check a theme name: Textual puts it in a CSS class name."""
    if not _NAME.match(name.strip()):
        raise ValueError(f"expected lowercase letters, digits and hyphens, got {name!r}")


def _check_variables(variables: dict[str, str]) -> None:
    """Check the `variables` mapping: names of lowercase letters, digits and hyphens; desk's
    own variables must be colours, the others colours or text styles."""
    for name, value in variables.items():
        if not _VARIABLE.match(name):
            raise SettingProblem((name,), "expected a name of lowercase letters, digits and "
                                          "hyphens")
        if name not in APP_VARIABLES and _is_text_style(value):
            continue  # looked at first: a colour refused costs Textual a "did you mean"
        problem = _colour_problem(value)
        if problem:
            if name not in APP_VARIABLES:
                problem += " or a text style (bold, italic, reverse, none...)"
            raise SettingProblem((name,), problem)


Colour = Annotated[str, Check(_check_colour)]
Fraction = Annotated[float, Meta(ge=0, le=1)]


class ThemeFile(Section):
    """What a theme file may hold (see the module's docstring)."""

    name: Annotated[str, Check(_check_name)]
    primary: Colour
    description: str = ""
    dark: bool = True
    ansi: bool = False
    secondary: Colour | None = None
    accent: Colour | None = None
    warning: Colour | None = None
    error: Colour | None = None
    success: Colour | None = None
    foreground: Colour | None = None
    background: Colour | None = None
    surface: Colour | None = None
    panel: Colour | None = None
    boost: Colour | None = None
    luminosity_spread: Fraction | None = None
    text_alpha: Fraction | None = None
    variables: Annotated[dict[str, str], Check(_check_variables)] = field(default_factory=dict)


def _theme(file: ThemeFile) -> DeskTheme:
    """The DeskTheme a checked theme file describes."""
    colours = {key: getattr(file, key).strip() for key in BASE_COLOURS
               if getattr(file, key) is not None}
    fractions = {key: getattr(file, key) for key in ("luminosity_spread", "text_alpha")
                 if getattr(file, key) is not None}
    theme = Theme(name=file.name.strip(), dark=file.dark, ansi=file.ansi, **colours, **fractions)
    variables = {name: value.strip() for name, value in file.variables.items()}
    theme.variables = {**app_variable_defaults(theme), **variables}
    return DeskTheme(theme, file.description.strip())


def _colour_problem(value: object) -> str | None:
    """None when `value` is a colour (optionally with an alpha percentage), else what is wrong."""
    expected = "expected a colour like #1e88e5, rgb(30,136,229), red, ansi_red or red 50%"
    if not isinstance(value, str):
        return f"{expected}, got {shown(value)}"
    words = value.split()
    if len(words) == 2 and re.fullmatch(r"\d{1,3}(\.\d+)?%", words[1]):
        words = words[:1]
    if len(words) != 1:
        return f"{expected}, got {value!r}"
    try:
        Color.parse(words[0])
    except ColorParseError:
        return f"{expected}, got {value!r}"
    return None


def _is_text_style(value: object) -> bool:
    """Whether `value` is a text style such as "bold" or "bold italic"."""
    return isinstance(value, str) and bool(value.split()) and set(value.split()) <= _TEXT_STYLES
