"""Tests for desk.pages.client (the client screen's data) and client_notes (the
requirements template)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from desk import sla
from desk.config import Settings
from desk.crm import clients, interactions
from desk.crm import notes as client_notes
from desk.errors import NotFound
from desk.kernel import agents
from desk.models import Client
from desk.pages import client as client_page
from desk.work import orders, tasks, workspace

SLA_RULES = sla.book(Settings())  # the shipped SLA rules
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def acme(admin) -> int:
    """A client with an order, an open and a closed query, an open task, a task of another
    client and a call logged ten days before NOW."""
    workspace.create_space(admin, "Sales")
    workspace.create_list(admin, "Sales", "Orders")
    workspace.create_list(admin, "Sales", "Work")
    work = workspace.find_list("Work").id
    acme = clients.create(admin, "Acme GmbH", kind="client", contact_cadence_days=7).row.id
    other = clients.create(admin, "Other Ltd").row.id
    orders.create_product(admin, "Website", unit_price="1200.50")
    orders.create_order(admin, acme, "Website", 2)
    tasks.create(admin, "Printer jams", work, kind="query", client_id=acme, sla_rules=SLA_RULES)
    closed = tasks.create(admin, "Old question", work, kind="query", client_id=acme,
                          sla_rules=SLA_RULES)
    tasks.update(admin, closed.row.id, closed.row.version, status="Done")
    tasks.create(admin, "Quarterly review", work, client_id=acme)
    tasks.create(admin, "Not theirs", work, client_id=other)
    interactions.log(admin, acme, "call", "Talked about the review",
                     occurred_at=datetime(2026, 11, 10, 9, 0, tzinfo=UTC))
    return acme


def test_load_gathers_the_clients_sections(admin, acme):
    page = client_page.load(acme, admin, NOW)

    assert page.detail.row.name == "Acme GmbH" and page.full
    [order] = page.orders.rows
    assert (order.product, order.quantity, order.total) == ("Website", 2, Decimal("2401.00"))
    assert order.task.kind == "order" and page.orders.total == 1
    assert [row.title for row in page.queries.rows] == ["Printer jams"]
    assert [row.title for row in page.tasks.rows] == ["Quarterly review"]
    assert ("call", "Talked about the review") in [
        (row.kind, row.summary) for row in page.interactions]
    assert {row.kind for row in page.interactions} == {"call", "order"}


def test_the_clock_is_taken_at_the_callers_now(admin, acme):
    """Ten days since the last contact: overdue against a 7-day cadence on the 20th, not
    yet on the 12th."""
    Client.update(last_contact_at=datetime(2026, 11, 10, 9, 0)).where(Client.id == acme).execute()

    page = client_page.load(acme, admin, NOW)

    assert page.clock.days_since_contact == 10 and page.clock.contact_overdue
    assert not client_page.load(acme, admin, datetime(2026, 11, 12, tzinfo=UTC)).clock \
        .contact_overdue


def test_a_confidential_client_is_not_full_for_other_agents(admin, acme):
    clients.update(admin, acme, clients.get(acme, admin).row.version, confidential=True,
                   email="ceo@acme.example", notes="secret plans")
    bob = agents.add(admin, "bob")

    page = client_page.load(acme, bob, NOW)

    assert not page.full and page.detail.notes == "" and page.detail.row.email == ""
    assert client_page.load(acme, admin, NOW).full


def test_load_refuses_an_unknown_client(admin):
    with pytest.raises(NotFound):
        client_page.load(999, admin, NOW)


def test_sections_are_capped_and_counted(admin, acme, monkeypatch):
    monkeypatch.setattr(client_page, "SECTION_LIMIT", 2)
    work = workspace.find_list("Work").id
    for number in range(3):
        tasks.create(admin, f"Task {number}", work, client_id=acme)

    page = client_page.load(acme, admin, NOW)

    assert [row.title for row in page.tasks.rows] == ["Task 2", "Task 1"]
    assert page.tasks.total == 4


def test_clients_named_matches_part_of_the_name_and_leaves_one_out(admin, acme):
    clients.create(admin, "Acme Holdings")

    found = [row.name for row in client_page.clients_named("ACME")]
    assert found == ["Acme GmbH", "Acme Holdings"]
    assert [row.name for row in client_page.clients_named("acme", exclude=acme)] == [
        "Acme Holdings"]


def test_starting_notes_fill_the_shipped_template():
    text = client_notes.starting_notes("Acme GmbH", "Ada Lovelace")

    assert text.startswith("# Acme GmbH: requirements")
    assert "**Decision maker:** Ada Lovelace" in text
    assert "$client" in client_notes.template_text() and "$" not in text


def test_conflict_rows_name_the_field_both_values_and_who_saved(admin, acme):
    version = clients.get(acme, admin).row.version
    bob = agents.add(admin, "bob")
    clients.update(bob, acme, version, email="theirs@acme.example")

    [row] = client_page.conflict_rows({"email": ("theirs@acme.example", "mine@acme.example")},
                                      acme, version, UTC, {"email": "Email"}, "GBP")

    assert (row.field, row.label, row.theirs, row.yours) == (
        "email", "Email", "theirs@acme.example", "mine@acme.example")
    assert row.changed_by.startswith("bob at ")


def test_the_newest_nps_answer_shows_masked_as_the_viewer_may_see_it(admin, acme):
    from desk.models import NpsSurvey

    assert client_page.load(acme, admin, NOW).nps is None
    for score, day, comment in ((9, 2, "Great"), (4, 9, "Ask Eve Secretname, she knows"),
                                (10, 5, "")):
        at = datetime(2026, 11, day, 12, 0)
        NpsSurvey.create(client=acme, address="ceo@acme.example", sent_at=at, score=score,
                         comment=comment, answered_at=at, channel="email")
    NpsSurvey.create(client=acme, address="ceo@acme.example", sent_at=datetime(2026, 11, 19))
    nps = client_page.load(acme, admin, NOW).nps
    assert (nps.score, nps.group, nps.comment, nps.channel) == (
        4, "detractor", "Ask Eve Secretname, she knows", "email")
    agents.add(admin, "maria")
    clients.update(admin, acme, clients.get(acme, admin).row.version, confidential=True,
                   contact_person="Eve Secretname", account_manager="maria")
    hidden = client_page.load(acme, agents.add(admin, "bob"), NOW).nps
    assert hidden.score == 4 and "Secretname" not in hidden.comment
