"""A retainer client's time statement (desk.work.time.statement): the hours of each task this
cycle against those included, to the billing contact, else the primary, else the client's
own address; sending queues it in the outbox, audited; a viewer cannot send it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desk.crm import clients, contacts
from desk.errors import InvalidInput, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Outbox
from desk.work import tasks, workspace
from desk.work.time import entries, statement

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture
def acme(admin) -> int:
    """A monthly retainer of 10 hours at 90 an hour, 11.5 billable hours on two tasks this
    cycle, plus time that does not count (last cycle, not billable)."""
    workspace.create_space(admin, "Work")
    list_id = workspace.create_list(admin, "Work", "Retainers").id
    client = clients.create(admin, "Acme", kind="client", email="office@acme.example",
                            contact_person="Ada Lovelace", retainer_cycle="monthly",
                            retainer_hours="10", retainer_overage_rate="90").row.id
    site = tasks.create(admin, "Website updates", list_id, client_id=client).row.id
    mail = tasks.create(admin, "Mail server", list_id, client_id=client).row.id
    entries.log(admin, site, 420, NOW, day=date(2026, 11, 3))
    entries.log(admin, mail, 270, NOW, day=date(2026, 11, 18))
    entries.log(admin, mail, 600, NOW, day=date(2026, 10, 30))  # the cycle before
    entries.log(admin, site, 60, NOW, day=date(2026, 11, 4), billable=False)
    return client


def test_the_statement_lists_each_task_and_the_overage(admin, acme):
    found = statement.statement(acme, TODAY, admin, "EUR")
    assert found.subject == "Time report for Acme, 2026-11-01 to 2026-11-30"
    assert found.body.splitlines()[:10] == [
        "Hello Ada,", "",
        "here is the time we spent for Acme from 2026-11-01 to 2026-11-30:", "",
        "     7.00 h  Website updates", "     4.50 h  Mail server", "",
        "    11.50 h  billable hours used", "    10.00 h  included in the retainer",
        "     1.50 h  over the retainer (€135.00 at €90.00 an hour)"]
    assert (found.to, found.to_name) == ("office@acme.example", "Ada Lovelace")


def test_it_goes_to_the_billing_contact_else_the_primary(admin, acme):
    contacts.add(admin, acme, "Grace Hopper", role="decision_maker", email="grace@acme.example",
                 primary=True)
    assert statement.recipient(acme, admin) == ("Grace Hopper", "grace@acme.example")
    contacts.add(admin, acme, "Bill Payer", role="billing", email="bills@acme.example")
    found = statement.statement(acme, TODAY, admin, "EUR")
    assert (found.to, found.body.splitlines()[0]) == ("bills@acme.example", "Hello Bill,")


def test_sending_queues_it_in_the_outbox_and_records_it(admin, acme):
    history = Activity.select().where((Activity.entity == "client")
                                      & (Activity.entity_id == acme))
    before = history.count()
    sent = statement.send(admin, acme, TODAY, "EUR")
    message = Outbox.get(Outbox.client == acme)
    assert (message.to_address, message.subject) == (sent.to, sent.subject)
    assert "11.50 h  billable hours used" in message.body and message.status == "queued"
    assert [(row.field, row.new) for row in history.order_by(Activity.id)][before:] == [
        ("email", f"{sent.to}: {sent.subject}")]


def test_a_client_without_a_retainer_or_an_address_is_refused_and_nothing_queued(admin, acme):
    plain = clients.create(admin, "Plain", kind="customer").row.id
    with pytest.raises(InvalidInput, match="no retainer"):
        statement.send(admin, plain, TODAY, "EUR")
    clients_row = clients.get(acme, admin).row
    clients.update(admin, acme, clients_row.version, email="")
    with pytest.raises(InvalidInput, match="nobody to e-mail"):
        statement.send(admin, acme, TODAY, "EUR")
    assert Outbox.select().count() == 0


def test_a_viewer_reads_it_but_cannot_send_it(admin, acme):
    viewer = agents.add(admin, "vera", role="viewer")
    assert statement.statement(acme, TODAY, viewer, "EUR").to == "office@acme.example"
    with pytest.raises(PermissionDenied):
        statement.send(viewer, acme, TODAY, "EUR")
    assert Outbox.select().count() == 0
