"""Reading what a person typed into a name or title, with one kind of message for mistakes.

One rule holds for every text field desk stores: `storable_text` refuses the characters no
database keeps (NUL, which PostgreSQL refuses and SQLite readers cut text at, and lone
surrogates, which cannot be encoded as UTF-8), naming the field. Everything else is stored
exactly as typed or received; it is made visible when drawn (desk.text.visible).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from desk.errors import FieldError, InvalidInput
from desk.text import unstorable, unstorable_message

MAX_ID = 2**63 - 1
"""The largest id a database row can have (a signed 64-bit integer)."""


def required_text(value: object, *, what: str, limit: int, empty: str | None = None) -> str:
    """The text stripped of surrounding space; refused when empty (with `empty`, or
    "<what> cannot be empty") or longer than `limit` characters."""
    text = storable_text(str(value or "").strip(), what)
    if not text:
        raise InvalidInput(empty or f"{what} cannot be empty")
    if len(text) > limit:
        raise InvalidInput(f"{what} can have at most {limit} characters")
    return text


def free_text(value: object, what: str) -> str:
    """Free text such as a description or notes, kept exactly as typed (None for none);
    refused when it is not text or is not storable (`storable_text`)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text, not {value!r}")
    return storable_text(value, what)


def storable_text(text: str, what: str) -> str:
    """The text unchanged, or InvalidInput naming the field (`what`) and the first character
    no database stores: "a title cannot contain a NUL character" (PostgreSQL refuses NUL,
    and on SQLite it cuts the text short for most readers), or "a title contains a character
    that cannot be stored (U+D800)" for a lone surrogate (not encodable as UTF-8; Python
    makes them from undecodable bytes, e.g. in command-line arguments or mail headers)."""
    at = unstorable(text)
    if at < 0:
        return text
    raise InvalidInput(unstorable_message(text[at], what))


def typed_id(text: str) -> int | None:
    """The row id `text` names, or None: ASCII digits only (``"²"`` counts as a digit to
    `str.isdigit` but is no number) and small enough for a database id."""
    if text.isascii() and text.isdigit() and int(text) <= MAX_ID:
        return int(text)
    return None


def known_fields(changes: dict, editable: tuple[str, ...], entity: str) -> None:
    """Refuse a change to a field that cannot be changed on this kind of record."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))} of a {entity}")


def checked_field(checks: Mapping[str, Callable[[object], object]], field: str,
                  value: object) -> object:
    """`value` checked by `checks[field]`; its InvalidInput becomes a FieldError naming the
    field, so a form shows it under the field and the CLI names the option."""
    try:
        return checks[field](value)
    except InvalidInput as error:
        raise FieldError(field, str(error)) from None
