"""Custom fields of a list and their values on tasks, each kind checked and stored canonically.

A value is stored as canonical text: a number without needless zeros ("12.5"), money with two
decimal places ("1200.50"), an ISO date ("2026-11-18"), "yes"/"no" for a checkbox, a dropdown
option as the field spells it, or the text itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from msgspec import Struct
from peewee import fn

from desk.clock import utcnow
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import required_text, storable_text
from desk.kernel.positions import next_position
from desk.models import CustomField, CustomValue, Task, TaskList, database
from desk.money import amount, finite_decimal
from desk.vocabulary import FIELD_KINDS

CHECKBOX = {"yes": "yes", "true": "yes", "no": "no", "false": "no"}


class FieldRow(Struct, frozen=True):
    """A custom field of a list: its kind and, for a dropdown, its options in order."""

    id: int
    list_id: int
    name: str
    kind: str
    options: tuple[str, ...]
    version: int = 1


def define(agent: AgentRef, list_id: int, name: str, kind: str,
           options: Iterable[str] = ()) -> FieldRow:
    """Add a field to a list, after its other fields; a dropdown needs its options."""
    require_writer(agent)
    name = checked_name(name)
    kind = str(kind).strip().lower()
    if kind not in FIELD_KINDS:
        raise InvalidInput(f"field {name!r}: kind must be one of {', '.join(FIELD_KINDS)}, "
                           f"not {kind!r}")
    choices = checked_options(name, kind, options)
    with database.atomic():
        if not TaskList.select().where(TaskList.id == list_id).exists():
            raise NotFound(f"no list {list_id}")
        fields = CustomField.select().where(CustomField.task_list == list_id)
        if fields.where(fn.LOWER(CustomField.name) == name.lower()).exists():
            raise InvalidInput(f"the list has a field named {name!r} already")
        position = next_position(CustomField.position, CustomField.task_list == list_id,
                                 f"list {list_id}")
        field = CustomField.create(task_list=list_id, name=name, kind=kind,
                                   options=json.dumps(choices), position=position)
        audit.record("list", list_id, agent, {f"custom:{name}": (None, kind)}, None,
                     "custom_field.defined", {"field_id": field.id, "options": choices})
    return field_row(field)


def fields_for_list(list_id: int) -> list[FieldRow]:
    """The list's fields in order."""
    return [field_row(field) for field in CustomField.select()
            .where(CustomField.task_list == list_id)
            .order_by(CustomField.position, CustomField.id)]


def set_value(agent: AgentRef, task_id: int, version: int, field_name: str,
              value_text: object) -> str | None:
    """Set (or, with None or "", clear) a field of a task read at `version`; returns the
    stored canonical text.

    Like `tasks.update`: a change bumps the task's version and is recorded as the activity
    field "custom:NAME"; if someone else changed the same field since `version` to another
    value, ConflictError and nothing is written, while changes of other fields merge.
    """
    require_writer(agent)
    wanted = storable_text(str(field_name).strip(), "a field name").lower()
    with database.atomic():
        task = versions.load_for_update(Task, task_id, "task")
        field = (CustomField.select()
                 .where((CustomField.task_list == task.task_list_id)
                        & (fn.LOWER(CustomField.name) == wanted))
                 .first())
        if field is None:
            raise NotFound(f"the list of task {task_id} has no field named {field_name!r}")
        new = canonical(field_row(field), value_text)
        stored = CustomValue.get_or_none((CustomValue.task == task_id)
                                         & (CustomValue.field == field.id))
        key = f"custom:{field.name}"
        effective = versions.effective_changes("task", task_id, version, task.version,
                                               {key: stored.value if stored else None},
                                               {key: new})
        if not effective:
            return new
        _store(task_id, field.id, stored, new)
        new_version = versions.bump(Task, task_id, task.version, "task",
                                    {"updated_at": utcnow()})
        audit.record("task", task_id, agent, effective, new_version, "task.updated",
                     {"list_id": task.task_list_id, "kind": task.kind})
    return new


def values_for_task(task_id: int) -> dict[str, str]:
    """The task's field values by field name, in the fields' order."""
    query = (CustomValue.select(CustomField.name, CustomValue.value).join(CustomField)
             .where(CustomValue.task == task_id)
             .order_by(CustomField.position, CustomField.id).tuples())
    return dict(query)


def canonical(field: FieldRow, value: object) -> str | None:
    """The canonical text of a value for a field, None for an empty value, or InvalidInput
    naming the field and the value."""
    text = storable_text("" if value is None else str(value).strip(), _what(field))
    if not text:
        return None
    return PARSERS[field.kind](field, text)


def _number(field: FieldRow, text: str) -> str:
    """A number without exponent or needless zeros."""
    number = finite_decimal(text)
    if number is None:
        raise InvalidInput(f"{_what(field)} needs a number like 12.5, not {text!r}")
    return f"{(number.normalize() if number else Decimal(0)):f}"


def _money(field: FieldRow, text: str) -> str:
    """An amount with two decimal places."""
    return f"{amount(text, _what(field))}"


def _date(field: FieldRow, text: str) -> str:
    """An ISO date."""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidInput(f"{_what(field)} needs a date like 2026-11-18, not {text!r}") from None


def _checkbox(field: FieldRow, text: str) -> str:
    """Yes or no, stored as "yes" or "no"."""
    answer = CHECKBOX.get(text.lower())
    if answer is None:
        raise InvalidInput(f"{_what(field)} needs yes or no, not {text!r}")
    return answer


def _dropdown(field: FieldRow, text: str) -> str:
    """One of the field's options, as the field spells it."""
    for option in field.options:
        if option.lower() == text.lower():
            return option
    raise InvalidInput(f"{_what(field)} needs one of {', '.join(field.options)}, not {text!r}")


def _text(field: FieldRow, text: str) -> str:
    """Any text of at most TEXT_LIMIT characters."""
    if len(text) > TEXT_LIMIT:
        raise InvalidInput(f"{_what(field)} can have at most {TEXT_LIMIT} characters")
    return text


TEXT_LIMIT = 500
"""The most characters a text field's value may have: values are indexed, and PostgreSQL
indexes at most some 2,700 bytes of one."""

PARSERS: dict[str, Callable[[FieldRow, str], str]] = {
    "number": _number, "money": _money, "date": _date, "checkbox": _checkbox,
    "dropdown": _dropdown, "text": _text,
}


def _what(field: FieldRow) -> str:
    """How errors name a field: "field 'Budget' (money)"."""
    return f"field {field.name!r} ({field.kind})"


def _store(task_id: int, field_id: int, stored: CustomValue | None, value: str | None) -> None:
    """Write, replace or (for None) delete a task's value of a field."""
    if value is None:
        CustomValue.delete().where(CustomValue.id == stored.id).execute()
    elif stored is None:
        CustomValue.create(task=task_id, field=field_id, value=value)
    else:
        CustomValue.update(value=value).where(CustomValue.id == stored.id).execute()


def checked_name(name: str) -> str:
    """A stripped, non-empty field name of at most 100 characters."""
    return required_text(name, what="a field name", limit=100,
                         empty="a custom field needs a name")


def checked_options(name: str, kind: str, options: Iterable[str]) -> list[str]:
    """The stripped, distinct options of a dropdown; other kinds have none."""
    if isinstance(options, str):
        raise InvalidInput(f"field {name!r}: the options must be a list, not {options!r}")
    choices: list[str] = []
    for option in options or ():
        text = storable_text(str(option).strip(), f"field {name!r}: an option")
        if not text:
            raise InvalidInput(f"field {name!r}: an option cannot be empty")
        if text.lower() in (choice.lower() for choice in choices):
            raise InvalidInput(f"field {name!r}: option {text!r} is given twice")
        choices.append(text)
    if kind == "dropdown" and not choices:
        raise InvalidInput(f"field {name!r} (dropdown) needs at least one option")
    if kind != "dropdown" and choices:
        raise InvalidInput(f"field {name!r} ({kind}) has no options; only a dropdown does")
    return choices


def field_row(field: CustomField) -> FieldRow:
    """The plain row of a stored field."""
    return FieldRow(field.id, field.task_list_id, field.name, field.kind,
                    tuple(json.loads(field.options)), field.version)
