"""Tag names shared by tasks and clients: one way to read them and to link them."""

from __future__ import annotations

from collections.abc import Iterable

from peewee import Model

from desk.db import named_ids
from desk.errors import InvalidInput
from desk.kernel.inputs import storable_text
from desk.models import Tag

MAX_LENGTH = 100  # characters of a tag name (the column is varchar(100) on PostgreSQL)


def names(value: object) -> tuple[str, ...]:
    """Tag names from a list or from text like "#vip, billing": stripped of a leading #,
    without duplicates, sorted. A tag is one word of at most MAX_LENGTH characters."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    found = set()
    for tag in value or ():
        name = storable_text(str(tag).strip().lstrip("#").strip(), "a tag")
        if not name or any(ch.isspace() for ch in name):
            raise InvalidInput(f"a tag is one word, not {tag!r}")
        if len(name) > MAX_LENGTH:
            raise InvalidInput(f"a tag can have at most {MAX_LENGTH} characters; "
                               f"{name[:20]!r}... has {len(name)}")
        found.add(name)
    return tuple(sorted(found))


def changes(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Tags to add and to remove from text like `vip +billing -spam` (how `t` reads what is
    typed, on a list and on a task or client alike)."""
    words = str(text).replace(",", " ").split()
    add = names([word.lstrip("+") for word in words if not word.startswith("-")])
    remove = names([word[1:] for word in words if word.startswith("-")])
    if not add and not remove:
        raise InvalidInput("name a tag to add, or -tag to remove")
    return add, remove


def edited(current: Iterable[str], text: str) -> tuple[str, ...]:
    """`current` tags with the changes typed in `text` (see `changes`): sorted names."""
    add, remove = changes(text)
    return names((set(current) - set(remove)) | set(add))


def relink(link: type[Model], owner: str, owner_id: int, tag_names: Iterable[str]) -> None:
    """Replace the tags linked to one row through `link` (TaskTag or ClientTag), creating
    tags that do not exist yet (safely while others create the same tags)."""
    owner_field = getattr(link, owner)
    link.delete().where(owner_field == owner_id).execute()
    ids, _ = named_ids(Tag, tag_names)
    if ids:
        link.insert_many([{owner: owner_id, "tag": tag_id} for tag_id in ids.values()]).execute()


def unknown(tag_names: Iterable[str]) -> tuple[str, ...]:
    """The names among `tag_names` that no tag has yet (linking them would create them),
    sorted: what a person is asked about before a new tag is made."""
    wanted = set(tag_names)
    if not wanted:
        return ()
    known = {name for (name,) in Tag.select(Tag.name).where(Tag.name.in_(sorted(wanted)))
             .tuples()}
    return tuple(sorted(wanted - known))
