"""0008_identity: agents can be disabled, and every change records how its author was known.

Adds agent.disabled (false for every agent there is) and activity.via (how the identity mode
established the agent, e.g. "os uid 1000"; NULL for the changes made before, and for changes
no agent made). The new column of activity is nullable, so adding it rewrites no row.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('agent', 'disabled', BooleanField(default=False)),
        migrator.add_column('activity', 'via', TextField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('activity', 'via'),
        migrator.drop_column('agent', 'disabled'),
    )
