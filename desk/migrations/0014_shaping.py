"""0014_shaping: what an admin needs to shape a workspace without losing anything.

Spaces and lists can be archived (space.archived_at, task_list.archived_at: null while in
use), a status has a colour (status.colour: "#rrggbb", or '' for the category's own), and
spaces, lists, statuses and custom fields carry a version (1 for every row there is), so an
edit names the version it read and a stale one is refused instead of overwriting.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('space', 'archived_at', DateTimeField(null=True)),
        migrator.add_column('space', 'version', IntegerField(default=1)),
        migrator.add_column('task_list', 'archived_at', DateTimeField(null=True)),
        migrator.add_column('task_list', 'version', IntegerField(default=1)),
        migrator.add_column('status', 'colour', CharField(max_length=7, default='')),
        migrator.add_column('status', 'version', IntegerField(default=1)),
        migrator.add_column('custom_field', 'version', IntegerField(default=1)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('custom_field', 'version'),
        migrator.drop_column('status', 'version'),
        migrator.drop_column('status', 'colour'),
        migrator.drop_column('task_list', 'version'),
        migrator.drop_column('task_list', 'archived_at'),
        migrator.drop_column('space', 'version'),
        migrator.drop_column('space', 'archived_at'),
    )
