"""0015_profiles: what the first day sets up: archived clients, agents' signatures and the
workspace's own settings.

Adds client.archived_at (NULL for every client there is: none is archived),
agent.signature (empty text for every agent) and agent.version (1 for every agent: each is
taken as read at version 1 from now on), and creates workspace_setting: one row per
setting the workspace keeps for everyone (the company name, its time zone and working
hours), each a key and its text. Frozen copy of the model as it was at this migration,
independent of desk.models.
"""
from peewee import *


def up(migrator, db):
    class WorkspaceSetting(Model):
        key = CharField(max_length=40, primary_key=True)
        value = TextField()
        version = IntegerField(default=1)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'workspace_setting'

    migrator.migrate(
        migrator.add_column('client', 'archived_at', DateTimeField(null=True)),
        migrator.add_column('agent', 'signature', TextField(default='')),
        migrator.add_column('agent', 'version', IntegerField(default=1)),
    )
    db.create_tables([WorkspaceSetting])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table('workspace_setting'),
        migrator.drop_column('agent', 'version'),
        migrator.drop_column('agent', 'signature'),
        migrator.drop_column('client', 'archived_at'),
    )
