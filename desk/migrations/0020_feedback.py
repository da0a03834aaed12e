"""0020_feedback: NPS surveys with their answers, and the one-click links of survey e-mails.

nps_survey holds one row per survey sent to a client (the address, when, the outbox e-mail)
and its answer once it comes (score 0 to 10, the free text, when, by e-mail or portal); the
newest sent_at of a client is what the cadence counts from.
feedback_link holds the single-use token of a survey e-mail's links (an NPS survey or a
query's CSAT), stored as the SHA-256 of the token. Frozen copy of the models as they were at
this migration, independent of desk.models.
"""
from peewee import *


def up(migrator, db):
    class Client(Model):
        class Meta:
            database = db
            table_name = 'client'

    class Outbox(Model):
        class Meta:
            database = db
            table_name = 'outbox'

    class Task(Model):
        class Meta:
            database = db
            table_name = 'task'

    class NpsSurvey(Model):
        client = ForeignKeyField(Client, on_delete='CASCADE')
        address = CharField(max_length=254)
        sent_at = DateTimeField()
        outbox = ForeignKeyField(Outbox, null=True, on_delete='SET NULL')
        score = SmallIntegerField(null=True)
        comment = TextField(default='')
        answered_at = DateTimeField(null=True)
        channel = CharField(max_length=8, null=True, constraints=[
            SQL("CHECK (channel IS NULL OR channel IN ('email', 'portal'))")])
        class Meta:
            database = db
            table_name = 'nps_survey'
            indexes = ((('client', 'sent_at'), False), (('answered_at',), False))
            constraints = [SQL('CHECK (score IS NULL OR score BETWEEN 0 AND 10)')]

    class FeedbackLink(Model):
        token_hash = CharField(max_length=64, unique=True)
        kind = CharField(max_length=4, constraints=[SQL("CHECK (kind IN ('nps', 'csat'))")])
        survey = ForeignKeyField(NpsSurvey, null=True, on_delete='CASCADE')
        task = ForeignKeyField(Task, null=True, on_delete='CASCADE')
        address = CharField(max_length=254)
        created_at = DateTimeField()
        used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'feedback_link'

    db.create_tables([NpsSurvey, FeedbackLink])


def down(migrator, db):
    for table in ('feedback_link', 'nps_survey'):
        migrator.migrate(migrator.drop_table(table))
