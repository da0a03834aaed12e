"""What every model stands on: the deferred database, the base class, CHECK constraints over
the vocabulary, and the workspace's own key/value facts."""

from __future__ import annotations

from peewee import (
    CharField,
    Check,
    DatabaseProxy,
    DateTimeField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()
"""The database every model is bound to; `desk.db.connect` initialises it."""


def one_of(column: str, values) -> Check:
    """A CHECK constraint that keeps `column` within `values`."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return Check(f"{column} IN ({quoted})")


class BaseModel(Model):
    """Every desk table: bound to the deferred database, snake_case table names."""

    class Meta:
        database = database
        legacy_table_names = False


class Meta(BaseModel):
    """Key/value facts about the workspace itself (e.g. that it was built as a demo)."""

    key = CharField(primary_key=True, max_length=64)
    value = TextField()


class WorkspaceSetting(BaseModel):
    """A setting the workspace keeps for everyone (desk.kernel.workspace_settings): the
    company name, its time zone and working hours; one row per key, edited at a version."""

    key = CharField(primary_key=True, max_length=40)
    value = TextField()
    version = IntegerField(default=1)
    updated_at = DateTimeField()
