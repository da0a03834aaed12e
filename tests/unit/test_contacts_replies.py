"""Replies and templates address the contacts: a reply goes to the requester contact (else
the requester, else the client's primary contact) with copies to the contacts chosen, the
Cc header reaches the SMTP server, and {contact.name} / {contact.first_name} are filled."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from smtp_server import smtp_server

from desk import sla
from desk.automation import canned
from desk.automation.subjects import client_subjects
from desk.config import CannedResponse, Settings, SmtpSettings
from desk.crm import clients, contacts
from desk.errors import InvalidInput
from desk.mail import delivery, outbox
from desk.models import Outbox, QueryData
from desk.work import comments, tasks, workspace
from desk.work.reply_recipients import recipients

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
GREETING = [CannedResponse("hi", "Dear {contact.first_name} ({contact.name})")]


@pytest.fixture
def acme(admin) -> tuple[int, int]:
    """The client Acme (ops@acme.example) with Ada (primary) and Bob, and a query asked by
    no one yet; returns (client id, query id)."""
    workspace.create_space(admin, "Support")
    list_id = workspace.create_list(admin, "Support", "Support inbox").id
    client = clients.create(admin, "Acme", "client", email="ops@acme.example").row.id
    contacts.add(admin, client, "Ada Lovelace", role="decision_maker", email="ada@acme.example")
    contacts.add(admin, client, "Bob Byte", role="technical", email="bob@acme.example")
    task = tasks.create(admin, "Printer", list_id, kind="query", client_id=client,
                        sla_rules=sla.book(Settings())).row.id
    return client, task


def asked_by(task_id: int, name: str, address: str, contact_id: int | None) -> None:
    """Record who asked the query."""
    QueryData.update(requester_name=name, requester_email=address,
                     requester_contact=contact_id).where(QueryData.task == task_id).execute()


def test_without_a_requester_the_reply_goes_to_the_primary_contact(admin, acme):
    _, task = acme
    assert recipients(task, admin).to == "ada@acme.example"
    assert canned.filled(GREETING, admin, task, NOW) == [("hi", "Dear Ada (Ada Lovelace)")]
    row = comments.reply(admin, task, "We are on it.")
    assert row.mailed_to == "ada@acme.example"


def test_the_requester_contact_is_addressed_and_others_are_offered_as_copies(admin, acme):
    client, task = acme
    bob = contacts.find(client, "Bob", admin)
    asked_by(task, "Robert", "bob@acme.example", bob.id)
    found = recipients(task, admin)
    assert found.to == "bob@acme.example"
    assert found.others == (("Ada Lovelace <ada@acme.example> (decision maker)",
                             "ada@acme.example"),)
    assert canned.filled(GREETING, admin, task, NOW) == [("hi", "Dear Bob (Bob Byte)")]
    row = comments.reply(admin, task, "Fixed.", cc=("ada@acme.example",))
    assert row.mailed_to == "bob@acme.example"
    mail = Outbox.get()
    assert (mail.to_address, mail.cc) == ("bob@acme.example", "ada@acme.example")


def test_a_copy_reaches_the_server_with_its_cc_header(admin, acme):
    _, task = acme
    comments.reply(admin, task, "Fixed.", cc=("bob@acme.example",))
    with smtp_server() as server:
        settings = Settings(timezone="Europe/Berlin", smtp=SmtpSettings(
            host="127.0.0.1", port=server.port, security="none",
            from_address="support@desk.example", timeout_seconds=10))
        assert len(delivery.deliver(settings, NOW).sent) == 1
    [received] = server.received
    assert sorted(received.rcpt_tos) == ["ada@acme.example", "bob@acme.example"]
    assert (received.message["To"], received.message["Cc"]) == (
        "ada@acme.example", "bob@acme.example")


def test_a_bad_copy_address_is_refused_and_nothing_is_queued(admin, acme):
    _, task = acme
    with pytest.raises(InvalidInput, match="cannot queue the e-mail"):
        outbox.queue(admin, "ada@acme.example", "Hi", "x", task_id=task,
                     cc=("bob@acme.example\nBcc: eve@evil.example",))
    assert Outbox.select().count() == 0


def test_client_templates_address_the_primary_contact(admin, acme):
    client, _ = acme
    values = client_subjects({client: None}, admin)[client].values
    assert (values["contact.name"], values["contact.first_name"]) == ("Ada Lovelace", "Ada")
