"""0022_sequences: clients' enrolments in sequences (multi-step automations with delays) and
the steps each has run.

At most one enrolment per client and sequence is running or paused (a partial unique index,
which SQLite and PostgreSQL both keep), and a step runs once per enrolment (a unique index).
Frozen copy of the models as they were at this migration, independent of desk.models.
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

    class Outbox(Model):
        class Meta:
            database = db
            table_name = 'outbox'

    class SequenceEnrolment(Model):
        client = ForeignKeyField(Client, on_delete='CASCADE')
        sequence = CharField(max_length=100)
        stage = CharField(max_length=12)
        started_at = DateTimeField()
        started_by = CharField(max_length=200)
        next_step = SmallIntegerField(default=0)
        next_due_at = DateTimeField(null=True)
        state = CharField(max_length=8, default='running', constraints=[SQL(
            "CHECK (state IN ('running', 'paused', 'stopped', 'finished'))")])
        reason = TextField(default='')
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'sequence_enrolment'
            indexes = ((('state', 'next_due_at'), False), (('client', 'id'), False))

    SequenceEnrolment.add_index(
        SequenceEnrolment.index(SequenceEnrolment.client, SequenceEnrolment.sequence,
                                unique=True, name='sequence_enrolment_live')
        .where(SequenceEnrolment.state.in_(['running', 'paused'])))

    class SequenceStep(Model):
        enrolment = ForeignKeyField(SequenceEnrolment, on_delete='CASCADE')
        step = SmallIntegerField()
        kind = CharField(max_length=5, constraints=[SQL("CHECK (kind IN ('email', 'task'))")])
        done_at = DateTimeField()
        outbox = ForeignKeyField(Outbox, null=True, on_delete='SET NULL')
        task = ForeignKeyField(Task, null=True, on_delete='SET NULL')
        summary = TextField(default='')
        class Meta:
            database = db
            table_name = 'sequence_step'
            indexes = ((('enrolment', 'step'), True),)

    db.create_tables([SequenceEnrolment, SequenceStep])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table('sequence_step'),
        migrator.drop_table('sequence_enrolment'),
    )
