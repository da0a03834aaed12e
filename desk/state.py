"""What desk remembers between runs, such as the theme picked in the command palette.

The settings file belongs to the user, and desk only ever reads it. What desk chooses to
remember goes into its own small YAML file in the user state folder
(``platformdirs.user_state_path("desk") / "state.yaml"``). The file is read with
`yaml.safe_load` and written with `yaml.safe_dump`. It is replaced in one step, so a crash
never leaves half a file behind. Bad content never stops desk: `load` returns no values and
one line that says why the file was ignored.

This module has no Textual import, so the CLI and scripts can use it too.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import platformdirs
import yaml

from desk.text import one_line

STATE_FILE = "state.yaml"

Values = dict[str, str | int | float | bool | None]


def state_path() -> Path:
    """Where the state file lives, worked out on each call so that $XDG_STATE_HOME counts."""
    return platformdirs.user_state_path("desk") / STATE_FILE


def load(path: Path | None = None) -> tuple[Values, str | None]:
    """Return the remembered values, plus a one-line problem when the file had to be ignored.

    A missing file is not a problem: it gives no values and no message. Anything but a
    mapping of text keys to plain values is ignored, and the message names the file.
    """
    path = path or state_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        return {}, _problem(path, f"cannot be read ({reason})")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return {}, _problem(path, f"is not valid YAML{where}")
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, _problem(path, "does not hold a mapping (key: value)")
    values: Values = {}
    for key, value in data.items():
        if isinstance(key, str) and _plain(value):
            values[key] = value
    return values, None


def remember(changes: Mapping[str, str | int | float | bool | None],
             path: Path | None = None) -> Path:
    """Merge `changes` into the state file and write it back in one step. Returns the path.

    Values that cannot be read back are dropped first. Raises OSError when the folder or
    the file cannot be written; callers turn that into a notice.
    """
    path = path or state_path()
    values, _ = load(path)
    values.update({key: value for key, value in changes.items() if _plain(value)})
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(values, sort_keys=True, allow_unicode=True)
    handle, temporary = tempfile.mkstemp(prefix=".state-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _plain(value: object) -> bool:
    """Whether `value` is a scalar that safe_dump writes and safe_load gives back unchanged."""
    return value is None or isinstance(value, str | int | float | bool)


def _problem(path: Path, what: str) -> str:
    """The one-line notice for an ignored state file."""
    return one_line(f"{path} {what}; desk ignored it and starts with its defaults")
