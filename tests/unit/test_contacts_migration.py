"""Migration 0017 moves each client's single contact into a primary decision-maker contact
without loss, and links the queries that contact asked."""

from __future__ import annotations

from datetime import date

from peewee import Table
from playhouse.migrations import Runner

from desk import db as desk_db
from desk.models import Client, Contact, QueryData

OLD = ("kind", "name", "contact_person", "email", "phone", "birthday", "lifecycle_stage",
       "lead_score", "confidential", "notes", "created_at", "updated_at", "version")


def old_client(db, name: str, person: str = "", email: str = "", phone: str = "",
               birthday: date | None = None) -> int:
    """A client as schema 0016 stores it; returns its id."""
    Table("client", OLD).bind(db).insert(
        kind="client", name=name, contact_person=person, email=email, phone=phone,
        birthday=birthday, lifecycle_stage="active", lead_score=0, confidential=False,
        notes="", created_at=date(2025, 1, 1), updated_at=date(2025, 1, 1), version=1).execute()
    return Client.select(Client.id).where(Client.name == name).scalar()


def test_each_clients_contact_becomes_its_primary_decision_maker(fresh_url):
    db = desk_db.connect(fresh_url)
    try:
        Runner(db, str(desk_db.MIGRATIONS_DIR)).up(target="0016_portal")
        with db.atomic():
            full = old_client(db, "Acme", "Ada Lovelace", "Ada@Acme.example", "+44 1",
                              date(1980, 2, 29))
            mail_only = old_client(db, "Bison", email="ops@bison.example")
            old_client(db, "Camel")  # nothing to move: no contact
            for statement in (
                    "INSERT INTO space (id, name, position, version) VALUES (1, 'Support', 0, 1)",
                    "INSERT INTO task_list (id, space_id, name, position, version) "
                    "VALUES (1, 1, 'Inbox', 0, 1)",
                    "INSERT INTO status (id, task_list_id, name, category, position, colour, "
                    "version) VALUES (1, 1, 'To do', 'open', 0, '', 1)"):
                db.execute_sql(statement)
            for task_id, address in ((1, "ada@acme.example"), (2, "eve@acme.example")):
                Table("task").bind(db).insert(
                    id=task_id, task_list_id=1, status_id=1, category="open",
                    kind="query", title="Help", description="", priority=3, position=task_id,
                    client_id=full, created_at=date(2025, 1, 2), updated_at=date(2025, 1, 2),
                    version=1).execute()
                Table("query_data").bind(db).insert(
                    task_id=task_id, requester_name="", requester_email=address,
                    channel="email", waiting_on="us", csat_comment="").execute()

        assert desk_db.migrate(db)[0] == "0017_contacts"

        moved = list(Contact.select(Contact.client, Contact.name, Contact.email, Contact.phone,
                                    Contact.birthday, Contact.role, Contact.is_primary,
                                    Contact.version).order_by(Contact.id).tuples())
        assert moved == [
            (full, "Ada Lovelace", "Ada@Acme.example", "+44 1", date(1980, 2, 29),
             "decision_maker", True, 1),
            (mail_only, "Bison", "ops@bison.example", "", None, "decision_maker", True, 1)]
        ada = Contact.get(Contact.client == full).id
        assert dict(QueryData.select(QueryData.task, QueryData.requester_contact)
                    .tuples()) == {1: ada, 2: None}
        kept = Client.get_by_id(full)  # the organisation keeps its own columns
        assert (kept.contact_person, kept.email, kept.phone) == (
            "Ada Lovelace", "Ada@Acme.example", "+44 1")
    finally:
        db.close()
