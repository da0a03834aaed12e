"""vCard files (versions 2.1, 3.0 and 4.0), read with the `vobject` library a card at a time.

The file is split into cards by their BEGIN:VCARD and END:VCARD lines, so a large file is
never held whole, each card is placed at its first line, and a card the library cannot read
is one problem while the others still import. Read: FN (or N), every EMAIL and TEL, ORG,
TITLE, BDAY, NOTE and CATEGORIES.
"""

from __future__ import annotations

from collections.abc import Iterator

import vobject

from desk.transfer import values
from desk.transfer.reading import Source, clean
from desk.transfer.records import ClientRecord, Place, Problem


def records(source: Source, problems: list[Problem]) -> Iterator[ClientRecord]:
    """The cards of a vCard file as client records."""
    for line, text in _cards(source):
        place = Place(source.name, line)
        try:
            card = vobject.readOne(text)
        except Exception as error:  # vobject raises its own ParseError, ValueError...
            problems.append(Problem(place, f"not a readable vCard: "
                                           f"{' '.join(str(error).split())[:100]}; skipped",
                                    refused=True))
            continue
        record = _record(card, place, problems)
        if record is not None:
            yield record


def _cards(source: Source) -> Iterator[tuple[int, str]]:
    """(first line, text) of each card of the file."""
    with source.open() as stream:
        card: list[str] = []
        first = 0
        for number, line in enumerate(stream, start=1):
            word = line.strip().upper()
            if word == "BEGIN:VCARD":
                card, first = [], number
            card.append(line)
            if word == "END:VCARD" and first:
                yield first, "".join(card)
                card, first = [], 0


def _record(card, place: Place, problems: list[Problem]) -> ClientRecord | None:
    """One card as a record."""
    person = _text(card, "fn")
    if not person and hasattr(card, "n"):
        name = card.n.value
        person = " ".join(part for part in (name.given, name.additional, name.family)
                          if isinstance(part, str) and part.strip())
    emails = tuple(clean(str(item.value)).strip() for item in card.contents.get("email", ())
                   if str(item.value).strip())
    phones = tuple(clean(str(item.value)).strip() for item in card.contents.get("tel", ())
                   if str(item.value).strip())
    company = ""
    if hasattr(card, "org"):
        org = card.org.value
        company = clean(" ".join(org) if isinstance(org, list) else str(org)).strip()
    name = company or person or (emails[0] if emails else "")
    if not name:
        problems.append(Problem(place, "a card without a name or e-mail address; skipped",
                                refused=True))
        return None
    birthday = None
    if hasattr(card, "bday"):
        try:
            birthday = values.day(str(card.bday.value))
        except ValueError as error:
            problems.append(Problem(Place(place.file, place.row, "BDAY"),
                                    f"{error}; left empty"))
    tags: tuple[str, ...] = ()
    if hasattr(card, "categories"):
        listed = card.categories.value
        tags = tuple(clean(str(tag)).strip() for tag in
                     (listed if isinstance(listed, list) else [listed]) if str(tag).strip())
    kind = _text(card, "x_desk_kind").lower()
    return ClientRecord(source_id=emails[0].lower() if emails else name.lower(), place=place,
                        name=name, kind=kind if kind in ("client", "customer") else "",
                        contact_person=person, emails=emails, phones=phones,
                        company=company, title=_text(card, "title"), birthday=birthday,
                        notes=_text(card, "note"), tags=tags)


def _text(card, name: str) -> str:
    """A card's text property, "" without one."""
    item = getattr(card, name, None)
    return clean(str(item.value)).strip() if item is not None else ""
