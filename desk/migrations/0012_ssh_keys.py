"""0012_ssh_keys: the SSH keys that let agents in over SSH (identity.mode ssh).

One row per key: its agent, algorithm, base64 blob, SHA256 fingerprint (unique: one key is
one agent's), comment, and when and by whom it was added. A key goes with its agent; the
admin who added it may go without it. Frozen copy of the model as it was at this migration,
independent of desk.models.
"""
from peewee import *


def up(migrator, db):
    class Agent(Model):
        class Meta:
            database = db
            table_name = 'agent'

    class SshKey(Model):
        agent = ForeignKeyField(Agent, on_delete='CASCADE')
        kind = CharField(max_length=64)
        public_key = TextField()
        fingerprint = CharField(unique=True, max_length=60)
        comment = CharField(max_length=200, default='')
        added_at = DateTimeField()
        added_by = ForeignKeyField(Agent, null=True, on_delete='SET NULL', backref='+')
        class Meta:
            database = db
            table_name = 'ssh_key'

    db.create_tables([SshKey])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('ssh_key'))
