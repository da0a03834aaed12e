"""A contacts import records each client it creates in one history row, on SQLite and
PostgreSQL: the row holds the fields the client was created with, its history shows them
field by field as a client created by hand shows them, and the "client.created" event is the
same; a merge into that client later records its changes field by field."""

from __future__ import annotations

import json
from datetime import UTC

from desk.config import Settings
from desk.crm import clients
from desk.kernel import audit
from desk.models import Activity, Client, Event
from desk.transfer.run import run_import
from desk.transfer.task_import import TaskOptions

CSV = ("Name,E-mail 1 - Value,Phone 1 - Value,Company,Notes\n"
       "Ann Lee,ann@acme.example,+49 30 1234,Acme Ltd,Met at the fair\n"
       "Bo Byte,bo@byte.example,,,\n")


def imported(admin, path):
    """Import the contacts file for real."""
    options = TaskOptions(UTC, Settings().business_calendar())
    return run_import("contacts", [path], admin, dry_run=False, options=options)


def test_each_client_an_import_creates_has_one_history_row_shown_field_by_field(admin,
                                                                                tmp_path):
    path = tmp_path / "google.csv"
    path.write_text(CSV, encoding="utf-8")
    assert imported(admin, path).created == 2
    acme = Client.get(Client.name == "Acme Ltd")
    rows = list(Activity.select().where((Activity.entity == "client")
                                        & (Activity.entity_id == acme.id)))
    assert [(row.field, row.old, row.version) for row in rows] == [
        (audit.CREATED_WITH, None, 1)]
    assert Activity.select().where(Activity.entity == "client").count() == 2
    by_hand = clients.create(admin, "Acme Ltd", "customer", contact_person="Ann Lee",
                             email="ann@acme.example", phone="+49 30 1234",
                             notes="Met at the fair").row.id
    shown = [(entry["field"], entry["old"], entry["new"])
             for entry in audit.history("client", acme.id)]
    assert shown == [(entry["field"], entry["old"], entry["new"])
                     for entry in audit.history("client", by_hand)]
    assert ("email", None, "ann@acme.example") in shown
    event = Event.get((Event.kind == "client.created") & (Event.entity_id == acme.id))
    assert json.loads(event.data)["fields"]["email"] == [None, "ann@acme.example"]

    path.write_text("Name,E-mail 1 - Value,Company,Notes\n"
                    "Ann Lee,ann@acme.example,Acme Ltd,Called back\n", encoding="utf-8")
    assert imported(admin, path).updated == 1
    newest = audit.history("client", acme.id)[0]
    assert (newest["field"], newest["new"]) == ("notes", "Met at the fair\nCalled back")
