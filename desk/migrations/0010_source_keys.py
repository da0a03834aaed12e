"""0010_source_keys: what imports remember, so that importing a file again creates nothing new.

One row per record of another tool (its source and id there) with the desk row it became,
a digest of what was imported (whole and per field), and the row's version after the
import. Frozen copy of the
model as it was at this migration, independent of desk.models.
"""
from peewee import *


def up(migrator, db):
    class SourceKey(Model):
        source = CharField(max_length=20)
        source_id = CharField(max_length=500)
        entity = CharField(max_length=8, constraints=[SQL(
            "CHECK (entity IN ('task', 'client', 'comment'))")])
        entity_id = IntegerField()
        digest = CharField(max_length=64, default='')
        version = IntegerField(default=1)
        fields = TextField(default='{}')
        imported_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'source_key'
            indexes = ((('source', 'source_id'), True), (('entity', 'entity_id'), False))

    db.create_tables([SourceKey])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('source_key'))
