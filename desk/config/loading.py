"""Finding, reading and checking the config file.

desk reads the file named by --config, else by $DESK_CONFIG, else the one in the user config
folder if there is one; without any, every setting has its default. A mistake is a
ConfigError that names the file, the line and the dotted key, e.g.
``config.yaml, line 7: sqlite.synchronous: expected one of normal, full; got 'fast'``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs
import yaml

from desk.config.schema import Settings
from desk.config.validate import Invalid, convert
from desk.config.yaml_lines import line_of, read_yaml, yaml_problem
from desk.errors import DeskError
from desk.text import one_line

CONFIG_ENV = "DESK_CONFIG"


class ConfigError(DeskError):
    """The config file is missing, unreadable or wrong; the message names file, line and key.

    The message is shown with `one_line`: a key or path from the file cannot smuggle control
    characters or line breaks onto the terminal.
    """

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


def default_config_path() -> Path:
    """Where desk looks for its config when none is named: the user config folder."""
    return platformdirs.user_config_path("desk") / "config.yaml"


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings: `path` (--config), else $DESK_CONFIG, else the default file if any.

    With none of them, or an empty file, every setting has its default. A file named by
    `path` or $DESK_CONFIG must exist. Raises ConfigError.
    """
    found = read_config(path, environ)
    return Settings() if found is None else parse_settings(*found)


def read_config(path: Path | None = None,
                environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """The text and file name of the config file `load_settings` reads, or None when it
    uses the defaults. Raises ConfigError for a file that is missing or unreadable."""
    chosen = _config_file(path, os.environ if environ is None else environ)
    if chosen is None:
        return None
    try:
        text = chosen.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise ConfigError(f"{chosen}: cannot read the config file: {reason}") from None
    return text, str(chosen)


def _config_file(path: Path | None, environ: Mapping[str, str]) -> Path | None:
    """The config file to read, or None for the defaults."""
    if path is not None:
        return _existing(path.expanduser(), "")
    if environ.get(CONFIG_ENV):
        return _existing(Path(environ[CONFIG_ENV]).expanduser(), f" (named by {CONFIG_ENV})")
    default = default_config_path()
    return default if default.is_file() else None


def _existing(path: Path, origin: str) -> Path:
    """`path` itself, or a ConfigError when there is no such file."""
    if not path.exists():
        raise ConfigError(f"{path}: no such config file{origin}")
    return path


def parse_settings(text: str, source: str = "config.yaml") -> Settings:
    """Settings from YAML `text`; `source` names the file in error messages."""
    try:
        data, root = read_yaml(text)
    except yaml.YAMLError as error:
        line, problem = yaml_problem(error, text)
        raise ConfigError(f"{source}, line {line}: not valid YAML: {problem}") from None
    try:
        return convert(data, Settings)
    except Invalid as invalid:
        line = line_of(root, invalid.path, at_key=invalid.at_key)
        raise ConfigError(f"{source}, line {line}: {invalid.text}") from None
