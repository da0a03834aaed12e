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
percentage such as `red 50%`. The files are read with `yaml.safe_load` only. A mistake
raises `ThemeError`, and its message names the file, the line and the key.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from typing import Any

import yaml
from textual.color import Color, ColorParseError
from textual.theme import Theme

from desk.config import read_yaml, shown
from desk.text import one_line

STATUS_VARIABLES = ("status-open", "status-active", "status-done", "status-closed")
PRIORITY_VARIABLES = ("priority-urgent", "priority-high", "priority-normal", "priority-low",
                      "priority-none")
APP_VARIABLES = STATUS_VARIABLES + PRIORITY_VARIABLES
"""desk's own theme variables: every theme has them; the stylesheet uses $status-open etc."""

BASE_COLOURS = ("primary", "secondary", "accent", "warning", "error", "success", "foreground",
                "background", "surface", "panel", "boost")
_FLAGS = ("dark", "ansi")
_FRACTIONS = ("luminosity_spread", "text_alpha")
_TEXTS = ("name", "description")
KEYS = _TEXTS + _FLAGS + BASE_COLOURS + _FRACTIONS + ("variables",)

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


@dataclass(frozen=True)
class DeskTheme:
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
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or "syntax error"
        raise ThemeError(source, line, "", f"not valid YAML: {problem}") from None
    return _Reader(source, root).theme(data)


class _Reader:
    """Checks one parsed theme file, and knows the line of each key for the error messages."""

    def __init__(self, source: str, root: yaml.Node | None) -> None:
        self.source = source
        self.root = root

    def fail(self, key: str, problem: str, *path: str) -> ThemeError:
        """An error about `key`, with the line of `path` (the key itself by default)."""
        return ThemeError(self.source, self._line(path or (key,)), key, problem)

    def theme(self, data: object) -> DeskTheme:
        """The DeskTheme described by `data`."""
        if not isinstance(data, dict):
            raise ThemeError(self.source, 1, "",
                             "expected a mapping of theme settings (key: value)")
        for key in data:
            if key not in KEYS:
                raise self.fail(str(key), _unknown(str(key), KEYS, "theme"))
        name = self.text(data, "name", required=True)
        if not _NAME.match(name):
            raise self.fail("name", f"expected lowercase letters, digits and hyphens, got {name!r}")
        colours = {key: self.colour(data, key) for key in BASE_COLOURS if key in data}
        if "primary" not in colours:
            raise ThemeError(self.source, 1, "primary",
                             "missing: every theme needs a primary colour")
        options: dict[str, Any] = {key: self.flag(data, key) for key in _FLAGS if key in data}
        options.update({key: self.fraction(data, key) for key in _FRACTIONS if key in data})
        variables = self.variables(data.get("variables"))
        theme = Theme(name=name, **colours, **options)
        theme.variables = {**app_variable_defaults(theme), **variables}
        return DeskTheme(theme, self.text(data, "description") if "description" in data else "")

    def text(self, data: dict, key: str, *, required: bool = False) -> str:
        """A non-empty text value."""
        if key not in data:
            if required:
                raise ThemeError(self.source, 1, key, "missing")
            return ""
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected text, got {shown(value)}")
        return value.strip()

    def flag(self, data: dict, key: str) -> bool:
        """true or false."""
        value = data[key]
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {shown(value)}")
        return value

    def fraction(self, data: dict, key: str) -> float:
        """A number from 0 to 1."""
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise self.fail(key, f"expected a number from 0 to 1, got {shown(value)}")
        return float(value)

    def colour(self, data: dict, key: str) -> str:
        """A colour Textual can parse."""
        value = data[key]
        problem = _colour_problem(value)
        if problem:
            raise self.fail(key, problem)
        return value.strip()

    def variables(self, value: object) -> dict[str, str]:
        """The `variables` mapping. desk's own variables must be colours."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail("variables", f"expected a mapping (name: value), got {shown(value)}")
        checked = {}
        for name, raw in value.items():
            key = f"variables.{name}"
            if not isinstance(name, str) or not _VARIABLE.match(name):
                raise self.fail(key, "expected a name of lowercase letters, digits and hyphens",
                                "variables", str(name))
            problem = _colour_problem(raw)
            if problem and (name in APP_VARIABLES or not _is_text_style(raw)):
                if name not in APP_VARIABLES:
                    problem += " or a text style (bold, italic, reverse, none...)"
                raise self.fail(key, problem, "variables", name)
            checked[name] = raw.strip()
        return checked

    def _line(self, path: tuple[str, ...]) -> int:
        """The 1-based line of the key at `path`, or of the nearest parent that exists."""
        node, line = self.root, 1
        for part in path:
            if not isinstance(node, yaml.MappingNode):
                break
            for key_node, value_node in reversed(node.value):
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
                    line, node = key_node.start_mark.line + 1, value_node
                    break
            else:
                break
        return line


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


def _unknown(key: str, known: tuple[str, ...], where: str) -> str:
    """The message for a key a theme cannot have, with the likeliest intended one."""
    guesses = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean {guesses[0]!r}?" if guesses else f"expected one of {', '.join(known)}"
    return f"unknown {where} key ({hint})"
