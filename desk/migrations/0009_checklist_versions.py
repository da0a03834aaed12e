"""0009_checklist_versions: checklist items and checklist templates carry a version, so an
edit names the version it read and a stale one is refused instead of overwriting.

Adds checklist_item.version and checklist_template.version (integer, not null, 1 for every
row there is: each row is taken as read at version 1 from now on).
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('checklist_item', 'version', IntegerField(default=1)),
        migrator.add_column('checklist_template', 'version', IntegerField(default=1)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('checklist_template', 'version'),
        migrator.drop_column('checklist_item', 'version'),
    )
