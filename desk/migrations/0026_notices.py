"""0026_notices: what each agent should look at ("For me") and the tasks they follow.

`notice`: one row per thing that happened for an agent (mentioned in a note, assigned a
task, a reply, a requester's message or a note on a task they follow), with the comment it
came from and when they read it; the partial index holds only the unread ones, so an
agent's unread count is a short range of it. `follow`: one row per agent and task followed.
Frozen copy of the models as they were at this migration, independent of desk.models.
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

    class Comment(Model):
        class Meta:
            database = db
            table_name = 'comment'

    class Notice(Model):
        agent = ForeignKeyField(Agent, on_delete='CASCADE')
        task = ForeignKeyField(Task, on_delete='CASCADE')
        kind = CharField(max_length=8, constraints=[
            SQL("CHECK (kind IN ('mention', 'assigned', 'reply', 'message', 'note'))")])
        comment = ForeignKeyField(Comment, null=True, on_delete='CASCADE')
        by = CharField(max_length=200, default='')
        at = DateTimeField()
        read_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'notice'
            indexes = ((('agent', 'at'), False), (('task',), False), (('comment',), False))

    class Follow(Model):
        agent = ForeignKeyField(Agent, on_delete='CASCADE')
        task = ForeignKeyField(Task, on_delete='CASCADE')
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'follow'
            indexes = ((('task', 'agent'), True), (('agent',), False))

    db.create_tables([Notice, Follow])
    db.execute_sql("CREATE INDEX notice_unread ON notice (agent_id, at) WHERE read_at IS NULL")


def down(migrator, db):
    migrator.migrate(migrator.drop_table('follow'), migrator.drop_table('notice'))
