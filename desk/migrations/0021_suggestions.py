"""0021_suggestions: what agents did with a suggested next best action (acted with the task
it became, snoozed until a day, dismissed with a reason), one row per client, rule and
subject. Frozen copy of the model as it was at this migration, independent of desk.models.
"""
from peewee import *


def up(migrator, db):
    class Client(Model):
        class Meta:
            database = db
            table_name = 'client'

    class Task(Model):
        class Meta:
            database = db
            table_name = 'task'

    class Agent(Model):
        class Meta:
            database = db
            table_name = 'agent'

    class SuggestionState(Model):
        client = ForeignKeyField(Client, on_delete='CASCADE')
        rule = CharField(max_length=40)
        subject = CharField(max_length=200)
        fingerprint = CharField(max_length=64)
        outcome = CharField(max_length=9, constraints=[
            SQL("CHECK (outcome IN ('acted', 'snoozed', 'dismissed'))")])
        task = ForeignKeyField(Task, null=True, on_delete='SET NULL')
        snoozed_until = DateField(null=True)
        reason = TextField(default='')
        agent = ForeignKeyField(Agent, null=True, on_delete='SET NULL')
        at = DateTimeField()
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'suggestion_state'
            indexes = ((('client', 'rule', 'subject'), True),)

    db.create_tables([SuggestionState])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('suggestion_state'))
