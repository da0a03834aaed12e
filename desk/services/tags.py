"""Tag names shared by tasks and clients: one way to read them and to link them."""

from __future__ import annotations

from collections.abc import Iterable

from peewee import Model

from desk.errors import InvalidInput
from desk.models import Tag


def names(value: object) -> tuple[str, ...]:
    """Tag names from a list or from text like "#vip, billing": stripped of a leading #,
    without duplicates, sorted. A tag is one word."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    found = set()
    for tag in value or ():
        name = str(tag).strip().lstrip("#").strip()
        if not name or any(ch.isspace() for ch in name):
            raise InvalidInput(f"a tag is one word, not {tag!r}")
        found.add(name)
    return tuple(sorted(found))


def relink(link: type[Model], owner: str, owner_id: int, tag_names: Iterable[str]) -> None:
    """Replace the tags linked to one row through `link` (TaskTag or ClientTag), creating
    tags that do not exist yet."""
    owner_field = getattr(link, owner)
    link.delete().where(owner_field == owner_id).execute()
    for name in tag_names:
        tag = Tag.get_or_none(Tag.name == name) or Tag.create(name=name)
        link.create(**{owner: owner_id, "tag": tag})
