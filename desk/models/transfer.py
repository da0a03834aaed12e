"""What imports remember: which desk row each record of another tool became."""

from __future__ import annotations

from peewee import CharField, DateTimeField, IntegerField, TextField

from desk.clock import utcnow
from desk.models.base import BaseModel, one_of
from desk.vocabulary import IMPORT_ENTITIES


class SourceKey(BaseModel):
    """A record of another tool (its source and id there) and the desk row it became.

    Importing the same file again finds its rows here: an unchanged record (same `digest`)
    is skipped, a changed one updates the row, naming the `version` the last import wrote,
    so a field changed in desk since then is a conflict and not silently overwritten.
    `fields` fingerprints each imported field (JSON): an update sends only the fields the
    file changed, so a field changed in desk alone is kept.
    """

    source = CharField(max_length=20)
    source_id = CharField(max_length=500)
    entity = CharField(max_length=8, constraints=[one_of("entity", IMPORT_ENTITIES)])
    entity_id = IntegerField()
    digest = CharField(max_length=64, default="")
    version = IntegerField(default=1)
    fields = TextField(default="{}")
    imported_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "source_key"
        indexes = ((("source", "source_id"), True), (("entity", "entity_id"), False))
