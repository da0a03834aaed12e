"""Intake by contacts: mail or a form from a contact's address goes to that contact's client
and the query records the contact who asked."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from desk import sla
from desk.config import Settings
from desk.crm import clients, contacts
from desk.models import Client, Contact, QueryData, Task
from desk.support.forms import take_form
from desk.support.intake import IntakeOptions, take_mail
from desk.work import workspace

CORPUS = Path(__file__).parents[1] / "data" / "mail"
NOW = datetime(2026, 11, 19, 9, 0)


@pytest.fixture
def desk(db, admin, tmp_path):
    """A support inbox and the client Lovelace Labs (info@lovelace-labs.example); returns
    (admin, options)."""
    workspace.create_space(admin, "Support")
    workspace.create_list(admin, "Support", "Support inbox", (("New", "open"),))
    clients.create(admin, "Lovelace Labs", "client", email="info@lovelace-labs.example")
    options = IntakeOptions(public_domains=frozenset({"gmail.com"}),
                            attachments_root=tmp_path / "files",
                            sla_rules=sla.book(Settings()))
    return admin, options


def test_mail_from_a_contacts_address_goes_to_its_client_before_the_domain(desk):
    admin, options = desk
    babbage = clients.create(admin, "Babbage Engines", "client").row.id
    contacts.add(admin, babbage, "Someone else", role="billing")
    ada = contacts.add(admin, babbage, "Ada L.", role="technical",
                       email="ADA@lovelace-labs.example")
    outcome = take_mail(admin, (CORPUS / "01-new-plain.eml").read_bytes(), "mail", options,
                        now=NOW)
    data = QueryData.get(QueryData.task == outcome.task_id)
    assert (Task.get_by_id(outcome.task_id).client_id, data.requester_contact_id) == (
        babbage, ada.id)


def test_a_new_customer_gets_the_sender_as_its_primary_decision_maker(desk):
    admin, options = desk
    outcome = take_mail(admin, (CORPUS / "02-multipart-alternative.eml").read_bytes(), "mail",
                        options, now=NOW)
    task = Task.get_by_id(outcome.task_id)
    contact = Contact.get(Contact.client == task.client_id)
    assert (task.client.name, contact.name, contact.email, contact.role, contact.is_primary) == (
        "Grace Hopper", "Grace Hopper", "grace.hopper@gmail.com", "decision_maker", True)
    assert QueryData.get(QueryData.task == task.id).requester_contact_id == contact.id


def test_a_form_from_a_contact_records_the_contact(desk):
    admin, options = desk
    labs = Client.get(Client.name == "Lovelace Labs").id
    bob = contacts.add(admin, labs, "Bob", role="user", email="bob@lovelace-labs.example")
    outcome = take_form(admin, {"name": "Bob", "email": "bob@lovelace-labs.example",
                                "problem": "Scanner jams"}, "form", options)
    data = QueryData.get(QueryData.task == outcome.task_id)
    assert (Task.get_by_id(outcome.task_id).client_id, data.requester_contact_id) == (
        labs, bob.id)


def test_a_sender_at_a_contacts_domain_finds_the_client(desk):
    admin, options = desk
    babbage = clients.create(admin, "Babbage Engines", "client").row.id
    contacts.add(admin, babbage, "Charles", role="decision_maker",
                 email="charles@babbage.example")
    outcome = take_form(admin, {"name": "Eve", "email": "eve@babbage.example",
                                "problem": "Gears stuck"}, "form", options)
    data = QueryData.get(QueryData.task == outcome.task_id)
    assert (Task.get_by_id(outcome.task_id).client_id, data.requester_contact_id) == (
        babbage, None)
