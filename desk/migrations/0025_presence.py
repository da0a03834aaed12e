"""0025_presence: who has a task open right now, one row per running app and task (viewing
it, or writing a reply), renewed by the app's heartbeat. Frozen copy of the model as it was
at this migration, independent of desk.models.
"""
from peewee import *


def up(migrator, db):
    class Agent(Model):
        class Meta:
            database = db
            table_name = 'agent'

    class Task(Model):
        class Meta:
            database = db
            table_name = 'task'

    class Presence(Model):
        agent = ForeignKeyField(Agent, on_delete='CASCADE')
        task = ForeignKeyField(Task, on_delete='CASCADE')
        state = CharField(max_length=8, constraints=[
            SQL("CHECK (state IN ('viewing', 'replying'))")])
        instance = CharField(max_length=32)
        heartbeat_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'presence'
            indexes = ((('instance', 'task'), True), (('task',), False), (('agent',), False))

    db.create_tables([Presence])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('presence'))
