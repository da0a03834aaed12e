"""0011_drafts: the text agents are writing and have not saved yet, kept as they type.

One row per agent, kind of editor (reply, note, description, client_notes, template) and
task, client or checklist template (entity_id), unique on the three; deleted with its
agent. Frozen copy of the model as it was at this migration, independent of desk.models.
"""
from peewee import *


def up(migrator, db):
    class Agent(Model):
        class Meta:
            database = db
            table_name = 'agent'

    class Draft(Model):
        agent = ForeignKeyField(Agent, on_delete='CASCADE')
        kind = CharField(max_length=16, constraints=[SQL(
            "CHECK (kind IN ('reply', 'note', 'description', 'client_notes', 'template'))")])
        entity_id = IntegerField()
        text = TextField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'draft'
            indexes = ((('agent', 'kind', 'entity_id'), True),)

    db.create_tables([Draft])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('draft'))
