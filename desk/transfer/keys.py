"""The source-id map: which desk row each record of another tool became (desk.models
SourceKey), read a chunk of records at a time and written with the rows themselves."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

import msgspec
from msgspec import Struct

from desk.clock import utcnow
from desk.db import insert_tuples
from desk.dialect import bound
from desk.models import SourceKey, database

SHORT = 40
"""Characters of a field value a key keeps as they are; a longer value is kept as a hash."""
PER_QUERY = 900
"""Source ids looked up per query (below SQLite's smallest limit of parameters)."""
_FIELDS_JSON = msgspec.json.Encoder(order="sorted")
"""What `fingerprints` writes with: ten times faster than the json module's encoder, and read
back (`lookup`) as the same values."""


class Key(Struct, frozen=True):
    """A record imported before: the row it became, its digest then, the version the
    import left the row at, and the fingerprint of each field imported."""

    entity_id: int
    digest: str
    version: int
    fields: dict[str, str]

    def changed(self, values: Mapping[str, object]) -> dict[str, object]:
        """Those of `values` (field -> value) that differ from what was imported before."""
        return {name: value for name, value in values.items()
                if self.fields.get(name) != fingerprint(value)}


def lookup(source: str, source_ids: Iterable[str]) -> dict[str, Key]:
    """The keys of those `source_ids` that were imported before, by source id."""
    wanted = list(dict.fromkeys(source_ids))
    found: dict[str, Key] = {}
    mark = database.param
    for start in range(0, len(wanted), PER_QUERY):
        batch = wanted[start:start + PER_QUERY]
        # written directly: peewee takes longer to build an IN of 900 ids than to run it
        cursor = database.execute_sql(
            "SELECT source_id, entity_id, digest, version, fields FROM source_key "
            f"WHERE source = {mark} AND source_id IN ({', '.join([mark] * len(batch))})",
            [source, *batch])
        found.update({source_id: Key(entity_id, digest, version, json.loads(fields))
                      for source_id, entity_id, digest, version, fields in cursor})
    return found


def remember(source: str, entity: str, rows: list[tuple[str, int, str, int, str]]) -> None:
    """Store keys for new rows: (source id, row id, digest, version, `fingerprints` of the
    field values) each."""
    now = bound(utcnow())
    insert_tuples(SourceKey, ("source", "source_id", "entity", "entity_id", "digest", "version",
                              "fields", "imported_at"),
                  [(source, source_id, entity, entity_id, digest, version, fields, now)
                   for source_id, entity_id, digest, version, fields in rows])


def refresh(source: str, source_id: str, digest: str, version: int,
            fields: Mapping[str, object]) -> None:
    """After an update: the record's new digest and field values, and the version the import
    left its row at."""
    (SourceKey.update(digest=digest, version=version, fields=fingerprints(fields),
                      imported_at=utcnow())
     .where((SourceKey.source == source) & (SourceKey.source_id == source_id)).execute())


def fingerprint(value: object) -> str | None:
    """One field's value as a key keeps it: short text as it is, longer text as its MD5
    (enough to notice a change; nothing secret depends on it)."""
    if value is None:
        return None
    text = value if type(value) is str else str(value)
    if len(text) <= SHORT:
        return text
    return "md5:" + hashlib.md5(text.encode("utf-8", "surrogatepass"),
                                usedforsecurity=False).hexdigest()


def fingerprints(fields: Mapping[str, object]) -> str:
    """The fingerprints of field values, as the JSON a key stores."""
    return _FIELDS_JSON.encode({  # short text, most values, kept without a call
        name: value if value is None or (type(value) is str and len(value) <= SHORT)
        else fingerprint(value) for name, value in fields.items()}).decode()
