"""What an importer reads from a file, before desk decides what to do with it.

Every importer turns its format into these plain records, each with the place it came from
(`Place`: file, row or line, column), so the preview, the problems and the writing step are
the same for every source. A record's `digest` says whether it changed since the last import.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import msgspec
from msgspec import Struct, field


class Place(Struct, frozen=True):
    """Where something is in a source file: its name, row (or line) and column."""

    file: str
    row: int = 0
    column: str = ""

    def __str__(self) -> str:
        parts = [self.file]
        if self.row:
            parts.append(str(self.row))
        if self.column:
            parts.append(self.column)
        return ":".join(parts)


class Problem(Struct, frozen=True):
    """Something in a source file that desk could not take as it is, and where; `refused`
    when the record it is about was left out."""

    place: Place
    message: str
    refused: bool = False

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


class CommentRecord(Struct, frozen=True):
    """A comment of a task in the source: kept as an internal note, with author and time."""

    body: str
    author: str = ""
    at: datetime | None = None


class Recurrence(Struct, frozen=True):
    """How a task recurs in the source: an RFC 5545 rule, its start and end, and the dates
    taken out of it (EXDATE)."""

    rule: str
    starts_at: datetime | None = None
    until: datetime | None = None
    count: int | None = None
    excluded: tuple[datetime, ...] = ()


class TaskRecord(Struct, dict=True):
    """One task of another tool, in desk's terms.

    `status` is the source's status name and `category` desk's category for it (given by the
    source or guessed from the name); `people` are names or e-mail addresses to match with
    agents; `parent` and `depends` name other records by their source ids; `occurrence_of`
    names the recurring template a task is an instance of. Times are aware, or naive UTC.
    """

    source_id: str
    place: Place
    title: str
    space: str
    list: str
    status: str | None = None
    category: str | None = None
    parent: str | None = None
    description: str = ""
    priority: str = "none"
    tags: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    start_at: datetime | None = None
    due_at: datetime | None = None
    snoozed_until: datetime | None = None
    closed_at: datetime | None = None
    created_at: datetime | None = None
    estimate_minutes: int | None = None
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Custom field values by field name: (desk field kind, value as text)."""
    checklists: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...] = ()
    comments: tuple[CommentRecord, ...] = ()
    recurrence: Recurrence | None = None
    occurrence_of: str | None = None
    depends: tuple[str, ...] = ()

    def digest(self) -> str:
        """A fingerprint of everything imported from the record (not where it was), worked
        out once (an import asks for it to compare with the last import, and again to store
        it). A record is not changed once its digest was asked for."""
        known = self.__dict__.get(DIGEST)  # dict=True: a place for it beside the fields
        if known is None:
            known = self.__dict__[DIGEST] = fingerprint(self)
        return known


class ClientRecord(Struct):
    """One contact of an address book, as a desk client or customer.

    `source_id` is the key duplicates are merged by: the first e-mail address (lower case),
    else the name. Further addresses and phone numbers go into the notes.
    """

    source_id: str
    place: Place
    name: str
    kind: str = ""
    """client or customer when the file says so; else the import's choice."""
    contact_person: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    company: str = ""
    title: str = ""
    birthday: date | None = None
    notes: str = ""
    tags: tuple[str, ...] = ()

    def digest(self) -> str:
        """A fingerprint of everything imported from the record (not where it was)."""
        return fingerprint(self)


DIGEST = "_digest"
"""Where a TaskRecord keeps its digest once worked out."""
UNPRINTED = "place"
"""The field of a record its fingerprint leaves out."""
DIGEST_FORM = "2:"
"""What starts a digest `fingerprint` writes. One without it (64 hex digits) was written by
an earlier desk, from the json module's JSON (`first_fingerprint`)."""
_RECORD_JSON = msgspec.json.Encoder(enc_hook=repr)
"""What `fingerprint` writes records with: ten times faster than the json module, and it
writes nested records, times and tuples itself (anything else by its repr)."""
_FIRST_JSON = json.JSONEncoder(default=repr, ensure_ascii=False)
"""What the first form of digest wrote records with (nested records by their repr)."""


def fingerprint(record: TaskRecord | ClientRecord) -> str:
    """DIGEST_FORM and 62 hex digits (what a source key holds is 64 characters) of the
    SHA-256 of a record's fields but its place, as JSON."""
    values = _printed(record)
    # no record holds a lone surrogate: the JSON reader refuses one (desk.transfer.jsonstream)
    return DIGEST_FORM + hashlib.sha256(_RECORD_JSON.encode(values)).hexdigest()[:62]


def _printed(record: TaskRecord | ClientRecord) -> list[object]:
    """The values of a record's fields, in their order, but its place."""
    return [getattr(record, name) for name in record.__struct_fields__ if name != UNPRINTED]


def first_fingerprint(record: TaskRecord | ClientRecord) -> str:
    """The digest an earlier desk kept for a record: the SHA-256 of its attributes as the
    json module writes them (nested records by their repr)."""
    text = _FIRST_JSON.encode(_printed(record))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def unchanged(record: TaskRecord | ClientRecord, digest: str) -> bool:
    """Whether a record is the one an import kept `digest` of: the same record, read the
    same, whichever desk kept it."""
    if digest.startswith(DIGEST_FORM):
        return digest == record.digest()
    return digest == first_fingerprint(record)
