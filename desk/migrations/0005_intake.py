"""0005_intake: the e-mail desk has taken in (each once) and the files that came with it.

Frozen copies of the new models as they were at this migration, independent of desk.models.
"""
from peewee import *


def up(migrator, db):
    class Table(Model):
        class Meta:
            database = db

    class Task(Table):
        class Meta:
            table_name = 'task'

    class Comment(Table):
        class Meta:
            table_name = 'comment'

    class MailMessage(Table):
        key = CharField(max_length=500, unique=True)
        source = CharField(max_length=500, default='')
        sender = CharField(max_length=254, default='')
        subject = CharField(max_length=500, default='')
        task = ForeignKeyField(Task, null=True, on_delete='SET NULL')
        outcome = CharField(max_length=9, constraints=[SQL(
            "CHECK (outcome IN ('new', 'comment', 'automatic', 'failed'))")])
        error = TextField(default='')
        raw_path = CharField(max_length=1000, default='')
        received_at = DateTimeField()
        class Meta:
            table_name = 'mail_message'
            indexes = ((('task',), False), (('outcome', 'id'), False))

    class Attachment(Table):
        task = ForeignKeyField(Task, on_delete='CASCADE')
        comment = ForeignKeyField(Comment, null=True, on_delete='SET NULL')
        mail = ForeignKeyField(MailMessage, null=True, on_delete='SET NULL')
        filename = CharField(max_length=255)
        original_name = CharField(max_length=1000, default='')
        content_type = CharField(max_length=255, default='application/octet-stream')
        size = IntegerField()
        path = CharField(max_length=1000)
        created_at = DateTimeField()
        class Meta:
            table_name = 'attachment'
            indexes = ((('task', 'id'), False),)

    db.create_tables([MailMessage, Attachment])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('attachment'))
    migrator.migrate(migrator.drop_table('mail_message'))
