"""Writing exported clients: CSV in a contacts layout (Company, Name, E-mail, Phone,
Birthday, Notes, Labels, Kind), JSON (one client per line inside an array) and vCard 3.0.
`desk import contacts` reads the CSV and vCard back, `desk import desk` the JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

import vobject

from desk.output import spreadsheet_safe

CSV_HEADER = ["Company", "Name", "E-mail", "Phone", "Birthday", "Notes", "Labels", "Kind",
              "Stage"]


def write(fmt: str, pages: Iterable[list[dict]]) -> Iterator[str]:
    """The clients of `pages` in `fmt` (csv, json or vcard), as chunks of text."""
    return {"csv": _csv, "json": _json, "vcard": _vcard}[fmt](pages)


def _csv(pages: Iterable[list[dict]]) -> Iterator[str]:
    """The contacts layout, a page at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for page in pages:
        for client in page:
            writer.writerow([spreadsheet_safe(str(value)) for value in (
                client["name"], client["contact_person"], client["email"], client["phone"],
                client["birthday"].isoformat() if client["birthday"] else "", client["notes"],
                " ::: ".join(client["tags"]), client["kind"], client["stage"])])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _json(pages: Iterable[list[dict]]) -> Iterator[str]:
    """A JSON array with one client object per line."""
    first = True
    yield "["
    for page in pages:
        lines = [json.dumps({**client, "tags": list(client["tags"]),
                             "birthday": client["birthday"].isoformat()
                             if client["birthday"] else None}, ensure_ascii=False)
                 for client in page]
        if lines:
            yield ("\n" if first else ",\n") + ",\n".join(lines)
            first = False
    yield "\n]\n"


def _vcard(pages: Iterable[list[dict]]) -> Iterator[str]:
    """One vCard 3.0 per client."""
    for page in pages:
        yield "".join(_card(client).serialize() for client in page)


def _card(client: dict):
    """One client as a vCard: the contact person (or the client) as FN, the client as ORG."""
    card = vobject.vCard()
    person = client["contact_person"] or client["name"]
    card.add("fn").value = person
    card.add("n").value = vobject.vcard.Name(given=person)
    card.add("org").value = [client["name"]]
    if client["email"]:
        card.add("email").value = client["email"]
    if client["phone"]:
        card.add("tel").value = client["phone"]
    if client["birthday"]:
        card.add("bday").value = client["birthday"].isoformat()
    if client["notes"]:
        card.add("note").value = client["notes"]
    if client["tags"]:
        card.add("categories").value = list(client["tags"])
    card.add("x-desk-kind").value = client["kind"]
    return card
