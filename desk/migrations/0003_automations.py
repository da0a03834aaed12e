"""0003_automations: the outbox, the once-only firings of time triggers, the round-robin turns.

Frozen copies of the new models as they were at this migration, independent of desk.models.
Events recorded before automations existed are marked processed, so that the first run of
the rules acts on new changes only, not on the workspace's whole history.
"""
from datetime import UTC, datetime

from peewee import *


def up(migrator, db):
    class Table(Model):
        class Meta:
            database = db

    class Agent(Table):
        class Meta:
            table_name = 'agent'

    class Team(Table):
        class Meta:
            table_name = 'team'

    class Client(Table):
        class Meta:
            table_name = 'client'

    class Task(Table):
        class Meta:
            table_name = 'task'

    class Event(Table):
        processed_at = DateTimeField(null=True)
        class Meta:
            table_name = 'event'

    class Outbox(Table):
        task = ForeignKeyField(Task, null=True, on_delete='SET NULL')
        client = ForeignKeyField(Client, null=True, on_delete='SET NULL')
        to_address = CharField(max_length=254)
        subject = CharField(max_length=500)
        body = TextField()
        message_id = CharField(max_length=500, null=True)
        in_reply_to = CharField(max_length=500, null=True)
        status = CharField(max_length=8, default='queued', constraints=[SQL("CHECK (status IN ('queued', 'sent', 'failed'))")])
        attempts = IntegerField(default=0)
        last_error = TextField(default='')
        created_at = DateTimeField()
        sent_at = DateTimeField(null=True)
        class Meta:
            table_name = 'outbox'
            indexes = ((('status', 'id'), False), (('task',), False))

    class RuleFiring(Table):
        rule = CharField(max_length=100)
        entity = CharField(max_length=20)
        entity_id = IntegerField()
        key = CharField(max_length=100)
        fired_at = DateTimeField()
        class Meta:
            table_name = 'rule_firing'
            indexes = ((('rule', 'entity', 'entity_id', 'key'), True),)

    class RoundRobin(Table):
        team = ForeignKeyField(Team, unique=True, on_delete='CASCADE')
        agent = ForeignKeyField(Agent, null=True, on_delete='SET NULL')
        class Meta:
            table_name = 'round_robin'

    db.create_tables([Outbox, RuleFiring, RoundRobin])
    now = datetime.now(UTC).replace(tzinfo=None)
    Event.update(processed_at=now).where(Event.processed_at.is_null()).execute()


def down(migrator, db):
    migrator.migrate(migrator.drop_table('round_robin'))
    migrator.migrate(migrator.drop_table('rule_firing'))
    migrator.migrate(migrator.drop_table('outbox'))
