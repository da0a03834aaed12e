"""Reading what a person typed into a name or title, with one kind of message for mistakes."""

from __future__ import annotations

from desk.errors import InvalidInput


def required_text(value: object, *, what: str, limit: int, empty: str | None = None) -> str:
    """The text stripped of surrounding space; refused when empty (with `empty`, or
    "<what> cannot be empty") or longer than `limit` characters."""
    text = without_nul(str(value or "").strip(), what)
    if not text:
        raise InvalidInput(empty or f"{what} cannot be empty")
    if len(text) > limit:
        raise InvalidInput(f"{what} can have at most {limit} characters")
    return text


def free_text(value: object, what: str) -> str:
    """Free text such as a description or notes, kept exactly as typed (None for none);
    refused when it is not text or holds a NUL character."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text, not {value!r}")
    return without_nul(value, what)


def without_nul(text: str, what: str) -> str:
    """The text unchanged, or InvalidInput when it holds a NUL character (PostgreSQL cannot
    store one, and on SQLite it would cut the text short for most readers)."""
    if "\x00" in text:
        raise InvalidInput(f"{what} cannot contain a NUL character")
    return text


def known_fields(changes: dict, editable: tuple[str, ...], entity: str) -> None:
    """Refuse a change to a field that cannot be changed on this kind of record."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))} of a {entity}")
