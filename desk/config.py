"""Settings from a YAML file, checked against frozen dataclasses.

Every section is a frozen dataclass and every setting a field with a default; adding a section
is adding a dataclass and a field of that type to `Settings`. A small validator walks the type
hints (str, int, float, bool, Literal[...], X | None, list[X], dict[str, X] and nested
dataclasses), so a mistake is reported with the file, the line and the dotted key, e.g.
``config.yaml, line 7: sqlite.synchronous: expected one of normal, full; got 'fast'``.

Values come from PyYAML's safe loader only (no Python tags, as `yaml.safe_load`); `read_yaml`
keeps the node tree too, to learn the line of each key and value.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
import yaml

from desk.errors import DeskError
from desk.text import one_line

CONFIG_ENV = "DESK_CONFIG"
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgres")
_CHECK = "desk.check"  # field metadata key: a callable raising ValueError for a bad value

KeyPath = tuple[str | int, ...]


class ConfigError(DeskError):
    """The config file is missing, unreadable or wrong; the message names file, line and key.

    The message is shown with `one_line`: a key or path from the file cannot smuggle control
    characters or line breaks onto the terminal.
    """

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class SettingProblem(ValueError):
    """A field check's complaint about a place inside the field's value: `path` leads from the
    field to that place (for the line), and the message names the place as people know it."""

    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = tuple(path)


# --- checks beyond the type ------------------------------------------------------------------


def _at_least(minimum: int) -> Callable[[int], None]:
    """A check that a number is `minimum` or more."""

    def check(value: int) -> None:
        if value < minimum:
            raise ValueError(f"expected a whole number of at least {minimum}, got {value}")

    return check


def _not_blank(value: str) -> None:
    """Check that a name is not empty or only spaces."""
    if not value.strip():
        raise ValueError("expected a name, got an empty text")


def _check_timezone(name: str) -> None:
    """Check that `name` is a known IANA time zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (expected an IANA name like Europe/Berlin)"
        ) from None


def _check_database_url(url: str) -> None:
    """Check the scheme of a database URL, never echoing the URL: it may hold a password."""
    scheme, separator, _ = url.partition("://")
    if separator and scheme not in DATABASE_SCHEMES:
        raise ValueError(
            f"unsupported database URL (scheme {scheme!r}); expected sqlite:///path/to/desk.db "
            "or postgresql://user@host:5432/dbname"
        )


# --- the schema --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SqliteSettings:
    """How desk uses a SQLite database file (ignored for PostgreSQL)."""

    synchronous: Literal["normal", "full"] = "full"
    """Durability: "full" = an acknowledged commit survives a power loss; "normal" = faster,
    survives an app crash, but the last commits may be lost on a power loss."""

    busy_timeout_ms: int = field(default=5000, metadata={_CHECK: _at_least(0)})
    """How long to wait for another desk writing to the same file before giving up, in ms."""


@dataclass(frozen=True)
class WorkspaceSettings:
    """Defaults for everyday commands."""

    default_list: str = field(default="Support inbox", metadata={_CHECK: _not_blank})
    """The list `desk add` puts a task on when --list is not given."""

    new_agent_role: Literal["agent", "viewer"] = "agent"
    """The role `desk agents add` gives when --role is not given."""


@dataclass(frozen=True)
class OrderSettings:
    """Where new orders go (`desk order` and the order form)."""

    list: str = field(default="Orders", metadata={_CHECK: _not_blank})
    """The list new orders are created on (a name, or Space/List)."""

    team: str | None = "Fulfilment"
    """The team that fulfils orders: new orders are assigned to it; None = no team."""


def _check_checklist_items(items: list[Any], path: KeyPath = (), place: str = "") -> None:
    """Check nested checklist items: each a text, or a one-key mapping {text: [children]}.
    `path` and `place` lead to the children being checked, for the line and the message."""
    if not items and not place:
        raise ValueError("expected at least one item")
    for index, entry in enumerate(items):
        where = f"{place}.{index + 1}" if place else f"item {index + 1}"
        if isinstance(entry, str) and entry.strip():
            continue
        if isinstance(entry, dict) and len(entry) == 1:
            ((text, children),) = entry.items()
            if isinstance(text, str) and text.strip() and isinstance(children, list | None):
                _check_checklist_items(children or [], (*path, index, text), where)
                continue
        raise SettingProblem((*path, index),
                             f"{where} must be a text or {{text: [children]}}; got {shown(entry)}")


ChecklistItems = list[Any]  # texts and {text: [children]} mappings, checked as a whole


@dataclass(frozen=True)
class ChecklistTemplateSettings:
    """A checklist template seeded into the database (once: people may then edit it)."""

    items: ChecklistItems = field(metadata={_CHECK: _check_checklist_items})
    """The items (required): texts, or {text: [children]} for nested ones."""

    list: str | None = None
    """A list whose new tasks get this checklist automatically; None = by hand or by
    product only."""


# The automation rules desk ships: its default `automations:`, as config.example.yaml shows
# them (tests/unit/test_config.py checks that the two agree).
SHIPPED_AUTOMATIONS = """
- name: invoice a fulfilled order
  when: {status_changed: {to: Fulfilled}}
  if: {list: Orders, kind: order}
  do:
    - create_task:
        title: "Invoice {task.title}"
        list: Billing
        due: +2d
        assign: {round_robin: Billing}
        tags: [invoice]
    - note: "Fulfilled: Billing has a task to invoice it."
- name: survey a resolved query
  when: {status_changed: {to: Resolved}}
  if: {kind: query}
  do:
    - email:
        to: requester
        subject: "How did we do? [#{task.id}] {task.title}"
        body: |
          Hello {requester.name},

          your query "{task.title}" is resolved. How did we do? Please reply to this e-mail
          with a score from 1 (poor) to 5 (excellent), and tell us what we could do better.

          Thank you,
          {agent.name}
- name: follow up a sent proposal
  when: {status_changed: {to: Done}}
  if: {list: Accounts, field: {title: {contains: proposal}}}
  do:
    - create_task:
        title: "Follow up with {client.contact}"
        description: "{task.title}: done on {today}. Ask how it landed."
        list: Accounts
        due: +3 business days
        assign: account_manager
- name: birthday greetings
  when: {birthday: {in_days: 7}}
  do:
    - create_task:
        title: "Send birthday greetings to {client.contact}"
        list: Accounts
        due: birthday
        assign: account_manager
"""


def _shipped_automations() -> list[Any]:
    """A fresh copy of the shipped rules, as YAML data."""
    return yaml.safe_load(SHIPPED_AUTOMATIONS)


def _check_automations(rules: list[Any]) -> None:
    """Check the automation rules. Their grammar lives with the automations, in
    desk.services.rules, which imports nothing of the database, so loading it here is safe."""
    from desk.services.rules import parse  # imported late: it builds on this module

    parse(rules)


@dataclass(frozen=True)
class Settings:
    """Everything a person can set in config.yaml."""

    database: str | None = field(default=None, metadata={_CHECK: _check_database_url})
    """sqlite:///path/to/desk.db or postgresql://user@host:5432/dbname; None = the default
    SQLite file in the user data folder. DESK_DATABASE and --db override it (see desk.db)."""

    timezone: str | None = field(default=None, metadata={_CHECK: _check_timezone})
    """IANA name like Europe/Berlin for showing and reading times; None = the system zone."""

    sqlite: SqliteSettings = field(default_factory=SqliteSettings)
    """SQLite durability and locking."""

    workspace: WorkspaceSettings = field(default_factory=WorkspaceSettings)
    """Defaults for everyday commands."""

    orders: OrderSettings = field(default_factory=OrderSettings)
    """Where new orders go and who fulfils them."""

    checklist_templates: dict[str, ChecklistTemplateSettings] = field(default_factory=dict)
    """Template name -> template, created in the database when missing."""

    theme: str = field(default="desk-dark", metadata={_CHECK: _not_blank})
    """The name of the TUI theme."""

    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, overriding the TUI's built-in keys."""

    automations: list[Any] = field(default_factory=_shipped_automations,
                                   metadata={_CHECK: _check_automations})
    """The automation rules (when, if, do), checked by desk.services.rules; the default is
    the shipped rules, and [] turns them off."""

    @property
    def tz(self) -> tzinfo:
        """The zone people see times in: `timezone`, or the system's local zone when None."""
        return ZoneInfo(self.timezone) if self.timezone else _system_zone()


@functools.cache
def _system_zone() -> tzinfo:
    """The system's local zone, with its daylight-saving rules where they can be found.

    $TZ when it names an IANA zone, else /etc/localtime read as a zone file; failing both (a
    POSIX TZ rule, or no zone file as on Windows), the current fixed UTC offset.
    """
    name = os.environ.get("TZ", "").removeprefix(":")
    try:
        if name:
            return ZoneInfo(name)
        with open("/etc/localtime", "rb") as zone_file:
            return ZoneInfo.from_file(zone_file, key="localtime")
    except (OSError, ValueError, ZoneInfoNotFoundError):
        return datetime.now().astimezone().tzinfo


# --- loading -----------------------------------------------------------------------------------


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
        line, problem = _yaml_problem(error, text)
        raise ConfigError(f"{source}, line {line}: not valid YAML: {problem}") from None
    try:
        return _build(Settings, data, ())
    except _Invalid as invalid:
        line = _line(root, invalid)
        raise ConfigError(f"{source}, line {line}: {invalid.text}") from None


def read_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """The data in YAML `text` exactly as `yaml.safe_load` gives it, and the node tree it was
    built from (for the line of each key). Raises yaml.YAMLError.

    One pass with libyaml's safe loader when PyYAML has it (ten times faster: the themes are
    read at every start); text it refuses is read again by the Python loader, so that the
    error, its wording and its line are the same on every machine."""
    if yaml.__with_libyaml__:
        try:
            return _read_yaml_with(yaml.CSafeLoader, text)
        except yaml.YAMLError:
            pass  # read again below
    return _read_yaml_with(yaml.SafeLoader, text)


def _read_yaml_with(loader_class: type, text: str) -> tuple[Any, yaml.Node | None]:
    """`read_yaml` with one safe loader class."""
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        return (None if root is None else loader.construct_document(root)), root
    finally:
        loader.dispose()


def _yaml_problem(error: yaml.YAMLError, text: str) -> tuple[int, str]:
    """The 1-based line and a one-line description of a YAML syntax error."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        parts = [part for part in (error.context, error.problem) if part]
        return error.problem_mark.line + 1, ", ".join(parts) or "syntax error"
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        return line, f"unacceptable character #x{error.character:04x}: {error.reason}"
    return 1, str(error).splitlines()[0]


# --- the validator -----------------------------------------------------------------------------


class _Invalid(Exception):
    """A value that does not fit the schema, at `path`; `at_key` points the line at the key."""

    def __init__(self, path: KeyPath, message: str, *, at_key: bool = False,
                 text: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.at_key = at_key
        self.text = text or (message if at_key or not path else f"{_dotted(path)}: {message}")


def _dotted(path: KeyPath) -> str:
    """`path` written as people write it: sqlite.synchronous, some.list[2]."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def shown(value: object) -> str:
    """A value as a person wrote it in YAML, for error messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value) if isinstance(value, str) else str(value)


def _convert(hint: Any, value: object, path: KeyPath) -> Any:
    """`value` checked against the type `hint`; raises _Invalid."""
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, path)
    if hint is Any:  # free-form YAML data, checked by the field's check
        return value
    origin = typing.get_origin(hint)
    if origin is Literal:
        return _choice(typing.get_args(hint), value, path)
    if origin in (typing.Union, types.UnionType):
        return _optional(typing.get_args(hint), value, path)
    if origin is list:
        return _list(typing.get_args(hint)[0], value, path)
    if origin is dict:
        return _mapping(typing.get_args(hint)[1], value, path)
    return _scalar(hint, value, path)


def _build(cls: Any, value: object, path: KeyPath) -> Any:
    """An instance of the dataclass `cls` from a mapping; an empty section gives the defaults."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise _Invalid(path, f"expected a mapping of settings (key: value), got {shown(value)}")
    fields = {item.name: item for item in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    values = {}
    for key, raw in value.items():
        if key not in fields:
            raise _Invalid((*path, str(key)), _unknown(str(key), list(fields), path), at_key=True)
        values[key] = _convert(hints[key], raw, (*path, key))
        _run_check(fields[key], values[key], (*path, key))
    required = [name for name, item in fields.items() if name not in values
                and item.default is dataclasses.MISSING
                and item.default_factory is dataclasses.MISSING]
    if required:
        raise _Invalid(path, f"missing the key '{required[0]}'")
    return cls(**values)


def _unknown(key: str, known: list[str], path: KeyPath) -> str:
    """The message for a key the schema does not have, with the likeliest intended key."""
    guesses = difflib.get_close_matches(key, known, n=1)
    if guesses:
        hint = f"did you mean '{_dotted((*path, guesses[0]))}'?"
    else:
        hint = f"expected one of {', '.join(known)}"
    return f"unknown key '{_dotted((*path, key))}' ({hint})"


def _run_check(setting: dataclasses.Field[Any], value: object, path: KeyPath) -> None:
    """Apply the field's extra check, if it has one, to a value that is set."""
    check = setting.metadata.get(_CHECK)
    if check is None or value is None:
        return
    try:
        check(value)
    except SettingProblem as problem:
        raise _Invalid((*path, *problem.path), str(problem),
                       text=f"{_dotted(path)}: {problem}") from None
    except ValueError as error:
        raise _Invalid(path, str(error)) from None


def _choice(choices: tuple[object, ...], value: object, path: KeyPath) -> object:
    """One of the Literal `choices` (same type too: YAML true is not 1)."""
    for choice in choices:
        if type(value) is type(choice) and value == choice:
            return value
    listed = ", ".join(str(choice) for choice in choices)
    raise _Invalid(path, f"expected one of {listed}; got {shown(value)}")


def _optional(options: tuple[Any, ...], value: object, path: KeyPath) -> object:
    """A value for `X | None`: an empty YAML value is None."""
    present = [option for option in options if option is not types.NoneType]
    if len(present) != 1:
        raise TypeError(f"settings support only `X | None` unions, not {options}")
    return None if value is None else _convert(present[0], value, path)


def _list(item: Any, value: object, path: KeyPath) -> list[Any]:
    """A list of `item`; an empty value is the empty list."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Invalid(path, f"expected a list, got {shown(value)}")
    return [_convert(item, entry, (*path, index)) for index, entry in enumerate(value)]


def _mapping(item: Any, value: object, path: KeyPath) -> dict[str, Any]:
    """A mapping from text to `item`; an empty value is the empty mapping."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Invalid(path, f"expected a mapping (key: value), got {shown(value)}")
    for key in value:
        if not isinstance(key, str):
            raise _Invalid(path, f"expected text keys, got {shown(key)}")
    return {key: _convert(item, entry, (*path, key)) for key, entry in value.items()}


def _is_number(value: object) -> bool:
    """Whether `value` is an int or float from YAML (true and false are not numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


_SCALARS: dict[type, tuple[str, Callable[[object], bool]]] = {
    str: ("text", lambda value: isinstance(value, str)),
    bool: ("true or false", lambda value: isinstance(value, bool)),
    int: ("a whole number", lambda value: _is_number(value) and isinstance(value, int)),
    float: ("a number", _is_number),
}


def _scalar(hint: Any, value: object, path: KeyPath) -> object:
    """A str, bool, int or float; a whole number is accepted where a float is expected."""
    if hint not in _SCALARS:
        raise TypeError(f"unsupported setting type {hint!r}")
    expected, fits = _SCALARS[hint]
    if not fits(value):
        raise _Invalid(path, f"expected {expected}, got {shown(value)}")
    return hint(value)


# --- where in the file -------------------------------------------------------------------------


def _line(root: yaml.Node | None, invalid: _Invalid) -> int:
    """The 1-based line of the key or value `invalid` is about, or of its nearest parent."""
    return line_of(root, invalid.path, at_key=invalid.at_key)


def line_of(root: yaml.Node | None, path: KeyPath, *, at_key: bool = False) -> int:
    """The 1-based line of the value (or, with `at_key`, the key) at `path` under the node
    `root`, or of its nearest parent on the way there; 1 without a node."""
    if root is None:
        return 1
    node, key_node = root, None
    for part in path:
        child = _child(node, part)
        if child is None:
            break
        key_node, node = child
    target = key_node if at_key and key_node is not None else node
    return target.start_mark.line + 1


def node_at(root: yaml.Node | None, path: KeyPath) -> yaml.Node | None:
    """The value node at `path` under the node `root`, or None when nothing is there."""
    node = root
    for part in path:
        child = None if node is None else _child(node, part)
        if child is None:
            return None
        _, node = child
    return node


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key, value) nodes for `part` under `node`; the last duplicate key wins, as in YAML."""
    if isinstance(node, yaml.MappingNode):
        for key, value in reversed(node.value):
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part], node.value[part]
    return None
