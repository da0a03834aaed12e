"""0018_time: time entries against tasks, the running timer, and the retainer's hours.

time_entry holds the minutes an agent spent on a task on a (local) day; a row without
minutes is that agent's running timer, and the partial unique index time_entry_running
keeps one per agent. The client gets retainer_hours (hours included per retainer cycle) and
retainer_overage_rate (the hourly rate beyond them), both empty for a client without one.
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

    class TimeEntry(Model):
        task = ForeignKeyField(Task, on_delete='CASCADE')
        agent = ForeignKeyField(Agent, null=True, on_delete='SET NULL')
        started_at = DateTimeField(null=True)
        minutes = IntegerField(null=True, constraints=[Check('minutes IS NULL OR minutes >= 0')])
        billable = BooleanField(default=True)
        note = TextField(default='')
        day = DateField()
        created_at = DateTimeField()
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'time_entry'
            indexes = ((('task', 'day'), False), (('day', 'task'), False),
                       (('agent', 'day'), False))

    db.create_tables([TimeEntry])
    db.execute_sql("CREATE UNIQUE INDEX time_entry_running ON time_entry (agent_id) "
                   "WHERE minutes IS NULL")
    migrator.migrate(
        migrator.add_column('client', 'retainer_hours',
                            DecimalField(max_digits=8, decimal_places=2, null=True)),
        migrator.add_column('client', 'retainer_overage_rate',
                            DecimalField(max_digits=12, decimal_places=2, null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('client', 'retainer_overage_rate'),
        migrator.drop_column('client', 'retainer_hours'),
    )
    db.execute_sql("DROP INDEX time_entry_running")
    migrator.migrate(migrator.drop_table('time_entry'))
