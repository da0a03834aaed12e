"""The one validator of desk's YAML files: the config, its automation rules and the themes.

A schema is a `Section`: a frozen msgspec Struct that refuses unknown keys. Its fields are
typed with str, int, float, bool, date, Literal[...], X | None, list[X], dict[str, X], other
Sections, and Any (free YAML data that a check reads). `Annotated[int, Meta(ge=0)]` states a
bound that msgspec checks; `Annotated[str, Check(function)]` adds a check of desk's own.

`convert` reads YAML data into a schema. An empty YAML value is an empty section, list or
mapping; msgspec converts and validates the rest; the checks run last, innermost first. When
msgspec refuses the data, the first mistake is found by asking msgspec about each part in
the order of the file, and the error says so in desk's words: the dotted key, what was
expected and what was written, a "did you mean" for a mistyped key.

The hand-written readers of the automation rules (whose when/if/do take many shapes) raise
the same `Invalid` and share `refuse_unknown`, `suggestion`, `shown` and `dotted`.
"""

from __future__ import annotations

import difflib
import functools
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Struct

from desk.config.yaml_lines import KeyPath

_NATIVE = (date, datetime)  # YAML makes these itself: msgspec must not read them from text

_SCALARS: dict[Any, str] = {
    str: "text",
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    date: "a date written 2026-12-25 (not in quotes)",
}


class Section(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A schema of YAML settings: a mapping with these keys only, read by `convert`."""


class Check(Struct, frozen=True):
    """A check beyond the type, given with Annotated: `Annotated[str, Check(function)]`.

    `function` gets a value that is set (not None) and raises ValueError saying what is wrong
    with it, or SettingProblem about a place inside it."""

    function: Callable[[Any], None]


class SettingProblem(ValueError):
    """A check's complaint about a place inside the value it checks: `path` leads from the
    value to that place (for the line), and the message names the place as people know it."""

    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = tuple(path)


class Invalid(Exception):
    """A value that does not fit its schema. `path` leads to it in the file (for the line);
    `at_key` points the line at its key; `key` is the dotted key the text names ("" for
    none) and `message` what is wrong."""

    def __init__(self, path: KeyPath, message: str, *, at_key: bool = False,
                 key: str | None = None) -> None:
        super().__init__(message)
        self.path = tuple(path)
        self.message = message
        self.at_key = at_key
        self.key = dotted(self.path) if key is None else key

    @property
    def text(self) -> str:
        """The mistake as a person reads it: sqlite.synchronous: expected one of normal, full."""
        return f"{self.key}: {self.message}" if self.key else self.message


class UnknownKey(Invalid):
    """A key the schema does not have; the message names it dotted from where reading began
    (the first `named_from` parts of the path are left out) and suggests the likeliest key.
    `name` is the key itself and `hint` the suggestion ("did you mean 'x'?")."""

    def __init__(self, path: KeyPath, known: Iterable[str], *, named_from: int = 0) -> None:
        self.name = str(path[-1])
        place = path[named_from:-1]
        self.hint = suggestion(self.name, known, place)
        super().__init__(path, f"unknown key '{dotted((*place, self.name))}' ({self.hint})",
                         at_key=True, key="")


class MissingKey(Invalid):
    """A required key that is not there: `name` is the key, `path` the mapping without it."""

    def __init__(self, path: KeyPath, name: str) -> None:
        self.name = name
        super().__init__(path, f"missing the key '{name}'")


def dotted(path: KeyPath) -> str:
    """`path` written as people write it: sqlite.synchronous, do[0].create_task.due."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
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


def suggestion(word: str, known: Iterable[str], place: KeyPath = ()) -> str:
    """What to say about an unknown `word`: the likeliest of `known` (dotted under `place`),
    else the whole choice."""
    choices = [str(choice) for choice in known]
    guesses = difflib.get_close_matches(word, choices, n=1)
    if guesses:
        return f"did you mean '{dotted((*place, guesses[0]))}'?"
    return f"expected one of {', '.join(choices)}"


def refuse_unknown(mapping: Mapping[Any, Any], known: Iterable[str], path: KeyPath) -> None:
    """Raise UnknownKey for the first key of `mapping` (found at `path`) not in `known`; the
    key is named on its own."""
    allowed = tuple(known)
    for key in mapping:
        if key not in allowed:
            raise UnknownKey((*path, key), allowed, named_from=len(path))


def convert(data: object, schema: Any, path: KeyPath = ()) -> Any:
    """`data` (as YAML gives it) read into the type `schema`, checks included. `path` is where
    the data sits in its file: the paths of errors start with it, and an unknown key is named
    from there. Raises Invalid for the first mistake."""
    data = _filled(schema, data)
    try:
        value = msgspec.convert(data, schema, builtin_types=_NATIVE)
    except msgspec.ValidationError:
        raise _mistake(schema, data, path, len(path)) from None
    _run_checks(value, schema, path)
    return value


# --- types -------------------------------------------------------------------------------------


def _parts(hint: Any) -> tuple[Any, tuple[object, ...], bool]:
    """The type under `hint` with its Annotated extras and whether it may be None:
    Annotated[int, Meta(ge=0)] | None -> (int, (Meta(ge=0),), True)."""
    extras: tuple[object, ...] = ()
    optional = False
    while True:
        if typing.get_origin(hint) is Annotated:
            extras += hint.__metadata__
            hint = hint.__origin__
        elif typing.get_origin(hint) in (typing.Union, types.UnionType):
            present = [option for option in typing.get_args(hint) if option is not types.NoneType]
            if len(present) != 1:
                raise TypeError(f"settings support only `X | None` unions, not {hint}")
            optional, hint = True, present[0]
        else:
            return hint, extras, optional


def _is_section(hint: Any) -> bool:
    """Whether `hint` is a schema of keys (a Section; desk's other Structs are values)."""
    return isinstance(hint, type) and issubclass(hint, Section)


@functools.cache
def _fields(section: type) -> dict[str, msgspec.structs.FieldInfo]:
    """The fields of a Struct class by the key written in YAML (its annotations are read
    once: reading them is most of the cost of checking a file)."""
    return {info.encode_name: info for info in msgspec.structs.fields(section)}


def _fits(value: object, hint: Any) -> bool:
    """Whether msgspec takes `value` as a `hint`."""
    try:
        msgspec.convert(value, hint, builtin_types=_NATIVE)
    except msgspec.ValidationError:
        return False
    return True


def _filled(hint: Any, value: object) -> object:
    """`value` with each empty YAML value where a section, list or mapping belongs made an
    empty one (an empty section has its defaults); what does not fit is left for msgspec."""
    base, _, optional = _parts(hint)
    origin = typing.get_origin(base)
    if value is None:
        if optional:
            return None
        return {} if _is_section(base) or origin is dict else [] if origin is list else None
    if _is_section(base) and isinstance(value, dict):
        fields = _fields(base)
        return {key: _filled(fields[key].type, item) if key in fields else item
                for key, item in value.items()}
    if origin is list and isinstance(value, list):
        return [_filled(typing.get_args(base)[0], item) for item in value]
    if origin is dict and isinstance(value, dict):
        item_hint = typing.get_args(base)[1]
        return {key: _filled(item_hint, item) for key, item in value.items()}
    return value


# --- what is wrong, and where ------------------------------------------------------------------


def _mistake(hint: Any, value: object, path: KeyPath, named_from: int) -> Invalid:
    """The first mistake in `value` (at `path`), which msgspec refused as a `hint`."""
    base, extras, _ = _parts(hint)
    origin = typing.get_origin(base)
    if _is_section(base) and isinstance(value, dict):
        fields = _fields(base)
        for key, item in value.items():
            if key not in fields:
                return UnknownKey((*path, key), fields, named_from=named_from)
            if not _fits(item, fields[key].type):
                return _mistake(fields[key].type, item, (*path, key), named_from)
        for key, info in fields.items():
            if key not in value and info.required:
                return MissingKey(path, key)
    elif origin is list and isinstance(value, list):
        item_hint = typing.get_args(base)[0]
        for index, item in enumerate(value):
            if not _fits(item, item_hint):
                return _mistake(item_hint, item, (*path, index), named_from)
    elif origin is dict and isinstance(value, dict):
        item_hint = typing.get_args(base)[1]
        for key, item in value.items():
            if not isinstance(key, str):
                return Invalid(path, f"expected text keys, got {shown(key)}")
            if not _fits(item, item_hint):
                return _mistake(item_hint, item, (*path, key), named_from)
    return Invalid(path, _expected(base, extras, value))


def _expected(base: Any, extras: tuple[object, ...], value: object) -> str:
    """What a value of type `base` looks like, and what `value` is instead."""
    if typing.get_origin(base) is Literal:
        choices = ", ".join(str(choice) for choice in typing.get_args(base))
        return f"expected one of {choices}; got {shown(value)}"
    if _is_section(base):
        wanted = "a mapping of settings (key: value)"
    elif typing.get_origin(base) is list:
        wanted = "a list"
    elif typing.get_origin(base) is dict:
        wanted = "a mapping (key: value)"
    else:
        wanted = _SCALARS.get(base, "a value")
    bounds = [extra for extra in extras if isinstance(extra, msgspec.Meta)]
    if bounds and _fits(value, base):  # the right type, out of bounds
        wanted += "".join(_bounds(meta) for meta in bounds)
    return f"expected {wanted}, got {shown(value)}"


def _bounds(meta: msgspec.Meta) -> str:
    """The bounds of `meta` in words: " of at least 0", " from 0 to 1", " above 0"."""
    if meta.ge is not None and meta.le is not None:
        return f" from {meta.ge} to {meta.le}"
    words = [f" of at least {meta.ge}" if meta.ge is not None else "",
             f" above {meta.gt}" if meta.gt is not None else "",
             f" of at most {meta.le}" if meta.le is not None else "",
             f" below {meta.lt}" if meta.lt is not None else ""]
    return "".join(words)


# --- checks ------------------------------------------------------------------------------------


def _run_checks(value: object, hint: Any, path: KeyPath) -> None:
    """Run the Checks of `hint` on `value` (at `path`), after those of the fields, items and
    entries inside it."""
    base, extras, _ = _parts(hint)
    origin = typing.get_origin(base)
    if isinstance(value, Section):
        for info in _fields(type(value)).values():
            _run_checks(getattr(value, info.name), info.type, (*path, info.encode_name))
    elif origin is list and isinstance(value, list):
        for index, item in enumerate(value):
            _run_checks(item, typing.get_args(base)[0], (*path, index))
    elif origin is dict and isinstance(value, dict):
        for key, item in value.items():
            _run_checks(item, typing.get_args(base)[1], (*path, key))
    if value is None:
        return
    for check in (extra for extra in extras if isinstance(extra, Check)):
        try:
            check.function(value)
        except SettingProblem as problem:
            raise Invalid((*path, *problem.path), str(problem), key=dotted(path)) from None
        except ValueError as error:
            raise Invalid(path, str(error)) from None


def read_named(raw: list, read: Callable[[int, object], Any], kind: str
               ) -> Iterator[tuple[int, object, Any]]:
    """(index, entry, what `read(index, entry)` makes of it, or its first Invalid) for each
    entry of a list of named things (rules, sequences); a name used before, in any case, is
    a mistake: "another KIND has this name"."""
    names: set[str] = set()
    for index, entry in enumerate(raw):
        try:
            found = read(index, entry)
            if found.name.casefold() in names:
                raise Invalid(("name",), f"another {kind} has this name")
        except Invalid as mistake:
            yield index, entry, mistake
            continue
        names.add(found.name.casefold())
        yield index, entry, found


def entry_name(entry: object, index: int, section: str) -> str:
    """How an entry of a list of named things is called in messages: its name, or its place
    in `section` ("automations[2]") when it has none."""
    name = entry.get("name") if isinstance(entry, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else f"{section}[{index}]"
