"""0016_portal: the client portal's sign-in links, sessions, rate-limit counts and the
portal's settings per client (shared, enabled).

Links and sessions are stored by the SHA-256 of their token, never the token itself. An
index of tasks by client and kind lets a contact's request and order lists read only that
client's queries and orders (measured at a million tasks, 8,865 of them one client's: the
two lists from about 50 ms to under 2 ms). Frozen copy of the models as they were at this
migration, independent of desk.models.
"""
from peewee import *


def up(migrator, db):
    class Client(Model):
        class Meta:
            database = db
            table_name = 'client'

    class PortalLink(Model):
        token_hash = CharField(max_length=64, unique=True)
        address = CharField(max_length=254)
        client = ForeignKeyField(Client, on_delete='CASCADE')
        created_at = DateTimeField()
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'portal_link'
            indexes = ((('client',), False),)

    class PortalSession(Model):
        token_hash = CharField(max_length=64, unique=True)
        address = CharField(max_length=254)
        client = ForeignKeyField(Client, on_delete='CASCADE')
        created_at = DateTimeField()
        expires_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'portal_session'
            indexes = ((('client',), False),)

    class PortalAttempt(Model):
        kind = CharField(max_length=8, constraints=[SQL("CHECK (kind IN ('address', 'ip'))")])
        key = CharField(max_length=254)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'portal_attempt'
            indexes = ((('kind', 'key', 'at'), False),)

    class PortalClient(Model):
        client = ForeignKeyField(Client, unique=True, on_delete='CASCADE')
        shared = BooleanField(default=False)
        enabled = BooleanField(default=True)
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'portal_client'

    db.create_tables([PortalLink, PortalSession, PortalAttempt, PortalClient])
    db.execute_sql("CREATE INDEX task_client_id_kind ON task (client_id, kind)")


def down(migrator, db):
    db.execute_sql("DROP INDEX task_client_id_kind")
    for table in ('portal_client', 'portal_attempt', 'portal_session', 'portal_link'):
        migrator.migrate(migrator.drop_table(table))
