"""Contacts exports read as client records: CSV from Google, Outlook, LinkedIn and
Thunderbird (any of their header layouts; comma, semicolon or tab), and vCard files.

A CSV file's columns are recognised by name: the person's name (Name / Display Name, or
first, middle and last name), e-mail addresses (every column of an address: "E-mail 1 -
Value", "E-mail Address", "Primary Email", "Email Address"...), phone numbers (every phone,
mobile and fax column), company (Company, Organization...), job title, birthday (or
Thunderbird's birth year, month and day), notes, and Google's labels as tags. A file is
taken as vCard when it starts with BEGIN:VCARD (desk.transfer.vcard).

The client is named after the company when there is one, else after the person, who is its
contact person either way. Records are keyed by their first e-mail address, so duplicates
by e-mail merge (desk.transfer.client_import).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, tzinfo
from pathlib import Path

from desk.transfer import values, vcard
from desk.transfer.reading import Row, blank, csv_rows, open_source, pick
from desk.transfer.records import ClientRecord, Place, Problem

NAME = ("name", "display name", "full name", "formatted name")
FIRST, MIDDLE, LAST = (("first name", "given name"), ("middle name", "additional name"),
                       ("last name", "family name", "surname"))
COMPANY = ("company", "organization", "organization 1 - name", "organization name",
           "organisation", "business")
TITLE = ("job title", "position", "organization 1 - title", "organization title", "role")
NOTES = ("notes", "note", "comments")
LABELS = ("group membership", "labels", "categories")


def records(paths: list[Path], zone: tzinfo, problems: list[Problem],
            notes: list[Problem]) -> Iterator[ClientRecord]:
    """The contacts of CSV and vCard files, a row or card at a time."""
    for path in paths:
        source = open_source(path, notes)
        with source.open() as stream:
            start = stream.read(200).lstrip("\ufeff \r\n\t").upper()
        if start.startswith("BEGIN:VCARD"):
            yield from vcard.records(source, problems)
            continue
        for row in csv_rows(source, problems, _is_header):
            record = _record(row, problems)
            if record is not None:
                yield record


def _is_header(names: list[str]) -> bool:
    """A contacts header names a person or an address."""
    lowered = [name.lower() for name in names]
    return any(name in NAME or name in FIRST or name in LAST for name in lowered) or any(
        ("e-mail" in name or "email" in name) and "@" not in name for name in lowered)


def _record(row: Row, problems: list[Problem]) -> ClientRecord | None:
    """One contact row as a record, or None (with a problem) when it names nobody."""
    cells = row.cells
    person = pick(cells, *NAME) or " ".join(
        part for part in (pick(cells, *FIRST), pick(cells, *MIDDLE), pick(cells, *LAST))
        if part)
    emails = _all(cells, _is_email_column)
    company = pick(cells, *COMPANY)
    name = company or person or (emails[0] if emails else "")
    if not name:
        problems.append(Problem(Place(row.source, row.line), "no name, company or e-mail "
                                                            "address; row skipped",
                                refused=True))
        return None
    return ClientRecord(
        source_id=emails[0].lower() if emails else name.lower(), place=Place(row.source,
                                                                            row.line),
        name=name, kind=_kind(pick(cells, "kind")), contact_person=person, emails=emails,
        phones=_all(cells, _is_phone_column), company=company, title=pick(cells, *TITLE),
        birthday=_birthday(row, problems), notes=pick(cells, *NOTES),
        tags=_labels(pick(cells, *LABELS)))


def _all(cells: dict[str, str], wanted) -> tuple[str, ...]:
    """The distinct values of every column `wanted(name)` accepts, in column order (a cell
    may hold several, separated by " ::: " as Google writes them)."""
    found: list[str] = []
    for name, value in cells.items():
        if wanted(name) and not blank(value):
            for item in value.split(":::"):
                item = item.strip()
                if item and item.lower() not in (seen.lower() for seen in found):
                    found.append(item)
    return tuple(found)


def _is_email_column(name: str) -> bool:
    """Whether a column holds an e-mail address (not its type or label)."""
    return ("mail" in name and not any(word in name for word in ("type", "label", "display"))
            and "screen" not in name)


def _is_phone_column(name: str) -> bool:
    """Whether a column holds a phone number (not its type or label)."""
    return (any(word in name for word in ("phone", "mobile", "fax", "pager"))
            and not any(word in name for word in ("type", "label")))


def _birthday(row: Row, problems: list[Problem]) -> date | None:
    """The birthday column, or Thunderbird's birth year, month and day."""
    cells = row.cells
    text = pick(cells, "birthday", "birth date", "date of birth")
    if not text and pick(cells, "birth month") and pick(cells, "birth day"):
        text = f"{pick(cells, 'birth year') or 1900}-{pick(cells, 'birth month')}-" \
               f"{pick(cells, 'birth day')}"
    try:
        return values.day(text)
    except ValueError as error:
        problems.append(Problem(row.column("birthday"), f"{error}; left empty"))
        return None


def _kind(text: str) -> str:
    """client or customer from a Kind column (desk's own exports), else ""."""
    return text.lower() if text.lower() in ("client", "customer") else ""


def _labels(text: str) -> tuple[str, ...]:
    """Google's labels ("* myContacts ::: Clients") as tags, without its system labels."""
    found = []
    for label in text.split(":::"):
        label = label.strip().lstrip("*").strip()
        if label and label.lower() not in ("mycontacts", "starred"):
            found.append(label)
    return tuple(found)
