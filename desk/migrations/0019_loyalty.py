"""0019_loyalty: the loyalty programme's points ledger, each client's standing (points and
tier, kept so the clients list reads them in one join and a tier change is noticed at once),
and the discount a reward takes off an order (order_data.discount: the total is quantity ×
unit price less the discount). Frozen copy of the models as they were at this migration,
independent of desk.models.
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

    class LoyaltyEntry(Model):
        client = ForeignKeyField(Client, on_delete='CASCADE')
        task = ForeignKeyField(Task, null=True, on_delete='SET NULL')
        points = IntegerField()
        reason = CharField(max_length=8, constraints=[
            SQL("CHECK (reason IN ('earned', 'redeemed', 'expired', 'adjusted'))")])
        note = CharField(max_length=200, default='')
        at = DateTimeField()
        agent = ForeignKeyField(Agent, null=True, on_delete='SET NULL')
        key = CharField(max_length=80, null=True, unique=True)
        class Meta:
            database = db
            table_name = 'loyalty_entry'
            indexes = ((('client', 'at'), False), (('task',), False))

    class LoyaltyStanding(Model):
        client = ForeignKeyField(Client, primary_key=True, on_delete='CASCADE')
        points = IntegerField(default=0)
        tier = CharField(max_length=100, null=True)
        changed_at = DateTimeField(null=True)
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'loyalty_standing'

    db.create_tables([LoyaltyEntry, LoyaltyStanding])
    migrator.migrate(
        migrator.add_column('order_data', 'discount',
                            DecimalField(max_digits=14, decimal_places=2, default=0)),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column('order_data', 'discount'))
    migrator.migrate(migrator.drop_table('loyalty_standing'))
    migrator.migrate(migrator.drop_table('loyalty_entry'))
