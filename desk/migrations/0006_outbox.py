"""0006_outbox: what the outbox sender needs: when a message may be tried again, which
message a sender is sending right now, and the message ids a reply names in References.

Adds outbox.next_attempt_at and outbox.sending_since (naive UTC, nullable) and
outbox.reference_ids (message ids separated by spaces, '' for none), and an index on
outbox.message_id, which intake looks answers up by.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('outbox', 'next_attempt_at', DateTimeField(null=True)),
        migrator.add_column('outbox', 'sending_since', DateTimeField(null=True)),
        migrator.add_column('outbox', 'reference_ids', TextField(default='')),
        migrator.add_index('outbox', ('message_id',), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('outbox', 'outbox_message_id'),
        migrator.drop_column('outbox', 'reference_ids'),
        migrator.drop_column('outbox', 'sending_since'),
        migrator.drop_column('outbox', 'next_attempt_at'),
    )
