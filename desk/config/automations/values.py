"""The values inside automation rules: texts, words, tags, assignees, templates and due forms,
each read from YAML data or refused with an Invalid that names its place in the rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from desk.business_hours import Calendar
from desk.config.automations.due import due_moment
from desk.config.automations.placeholders import check_placeholders, placeholders_for
from desk.config.automations.schema import Assignee, Trigger
from desk.config.validate import Invalid, refuse_unknown, shown
from desk.config.yaml_lines import KeyPath
from desk.errors import InvalidInput

_PROBE = datetime(2026, 1, 1, tzinfo=UTC)  # a moment to try due forms against
_PROBE_CALENDAR = Calendar(UTC, frozenset(range(5)), time(9), None)  # ...and a calendar


def text(value: object, path: KeyPath, *, limit: int = 500) -> str:
    """A non-blank text of at most `limit` characters."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid(path, f"expected a text, got {shown(value)}")
    if len(value) > limit or "\x00" in value:
        raise Invalid(path, f"expected at most {limit} characters without NUL")
    return value.strip()


def one_key(value: object, path: KeyPath, what: str, example: str) -> tuple[str, object]:
    """A mapping with exactly one key (or a bare word, meaning no options) as (key, options)."""
    if isinstance(value, str):
        return value, None
    if isinstance(value, dict) and len(value) == 1:
        ((key, options),) = value.items()
        return str(key), options
    raise Invalid(path, f"expected one {what}, e.g. {example}; got {shown(value)}")


def options(kind: str, value: object, allowed: tuple[str, ...], path: KeyPath) -> dict:
    """A mapping of options (none: empty), with only `allowed` keys."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Invalid(path, f"expected the options of {kind} as a mapping, got {shown(value)}")
    refuse_unknown(value, allowed, path)
    return value


def words(value: object, path: KeyPath, choices: tuple[str, ...] = ()) -> tuple[str, ...]:
    """One value or a list of values, as case-folded texts; each one of `choices` if given."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise Invalid(path, "expected a value or a list of values, got an empty list")
    found = []
    for item in items:
        if isinstance(item, bool) or item is None or isinstance(item, dict | list):
            raise Invalid(path, f"expected a name or a number, got {shown(item)}")
        word = str(item).strip().casefold()
        if choices and word not in choices:
            raise Invalid(path, f"expected one of {', '.join(choices)}; got {shown(item)}")
        found.append(word)
    return tuple(found)


def tags(value: object, path: KeyPath) -> tuple[str, ...]:
    """Tag names: one word each, without a leading #."""
    names = []
    for word in value if isinstance(value, list) else [value]:
        name = text(word, path, limit=100).lstrip("#")
        if not name or any(ch.isspace() for ch in name):
            raise Invalid(path, f"a tag is one word, not {shown(word)}")
        names.append(name)
    return tuple(names)


def assignee(value: object, path: KeyPath) -> Assignee:
    """A user name, account_manager, or {round_robin: TEAM}."""
    if isinstance(value, dict):
        refuse_unknown(value, ("round_robin",), path)
        return Assignee("round_robin", text(value.get("round_robin"), (*path, "round_robin")))
    name = text(value, path, limit=64)
    return Assignee("account_manager") if name == "account_manager" else Assignee("agent", name)


def template(value: object, path: KeyPath, subject: str, *, blank: bool = False) -> str:
    """A text with {placeholders}, each one the subject offers ({{ and }} are braces)."""
    if blank and value in (None, ""):
        return ""
    text(value, path, limit=20_000)
    written = str(value)  # as written: a body keeps its last line break
    try:
        check_placeholders(written, placeholders_for(subject))
    except ValueError as error:
        raise Invalid(path, str(error)) from None
    return written


def due(value: object, path: KeyPath, trigger: Trigger) -> str:
    """A due form: +2d, +3 business days, tomorrow, fri, 2026-12-01 (the forms of `desk add
    --due`), or `birthday` in a birthday rule."""
    form = text(value.isoformat() if isinstance(value, date) else value, path, limit=100)
    birthday = trigger.kind == "birthday"
    try:
        due_moment(form, _PROBE, _PROBE_CALENDAR, _PROBE.date() if birthday else None)
    except InvalidInput:
        raise Invalid(path, f"cannot read {form!r} as a due date; try +2d, +3 business days, "
                            f"tomorrow, fri or 2026-12-01{' or birthday' if birthday else ''}"
                      ) from None
    return form
