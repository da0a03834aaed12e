"""0017_contacts: a client's people, each with a role, one of them primary; and the contact
who asked each query.

Creates contact (client, name, e-mail, phone, title, birthday, notes, role, is_primary,
version, created/updated) with a partial unique index that keeps one primary contact per
client and an index on the lower-case e-mail address that intake matches senders by.

Moves each client's single contact without loss: a client with a contact person, e-mail,
phone or birthday gets a primary decision-maker contact holding them (named after the
contact person, or after the client when it had none). The client keeps its own columns:
its e-mail address and phone are the organisation's own from now on.

Adds query_data.requester_contact_id (NULL, or the contact who asked) and fills it for the
queries whose requester address is a moved contact's address of the same client, and
outbox.cc: the further recipients of an e-mail (a reply's CC), empty for every one there
is. Frozen
copy of the model as it was at this migration, independent of desk.models.
"""
import datetime

from peewee import *


def up(migrator, db):
    class Client(Model):
        class Meta:
            database = db
            table_name = 'client'

    class Contact(Model):
        client = ForeignKeyField(Client, on_delete='CASCADE')
        name = CharField(max_length=200)
        email = CharField(max_length=254, default='')
        phone = CharField(max_length=50, default='')
        title = CharField(max_length=200, default='')
        birthday = DateField(null=True)
        notes = TextField(default='')
        role = CharField(max_length=16, default='user', constraints=[SQL(
            "CHECK (role IN ('decision_maker', 'billing', 'technical', 'user'))")])
        is_primary = BooleanField(default=False)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'contact'
            indexes = ((('client', 'name', 'id'), False),)

    db.create_tables([Contact])
    db.execute_sql("CREATE UNIQUE INDEX contact_one_primary ON contact (client_id) "
                   "WHERE is_primary")
    db.execute_sql("CREATE INDEX contact_email_lower ON contact (LOWER(email))")
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    db.execute_sql(
        "INSERT INTO contact (client_id, name, email, phone, title, birthday, notes, role, "
        "is_primary, created_at, updated_at, version) "
        "SELECT id, CASE WHEN TRIM(contact_person) <> '' THEN contact_person ELSE name END, "
        "email, phone, '', birthday, '', 'decision_maker', %s, %s, %s, 1 FROM client "
        "WHERE contact_person <> '' OR email <> '' OR phone <> '' OR birthday IS NOT NULL "
        "ORDER BY id" % ((db.param,) * 3), (True, now, now))
    migrator.migrate(migrator.add_column(
        'query_data', 'requester_contact_id',
        ForeignKeyField(Contact, null=True, on_delete='SET NULL', field=Contact.id)))
    migrator.migrate(migrator.add_column('outbox', 'cc', TextField(default='')))
    db.execute_sql(
        "UPDATE query_data SET requester_contact_id = (SELECT MIN(contact.id) FROM contact "
        "JOIN task ON task.client_id = contact.client_id WHERE task.id = query_data.task_id "
        "AND contact.email <> '' AND LOWER(contact.email) = LOWER(query_data.requester_email)) "
        "WHERE requester_email <> ''")


def down(migrator, db):
    migrator.migrate(migrator.drop_column('outbox', 'cc'))
    migrator.migrate(migrator.drop_column('query_data', 'requester_contact_id'))
    migrator.migrate(migrator.drop_table('contact'))
