"""Tests for desk.crm.clients: validation, versions, stages, finding and confidentiality."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from desk import sla
from desk.config import Settings
from desk.crm import clients
from desk.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents, search
from desk.models import Activity, Client, Event
from desk.work import tasks, workspace

SLA_RULES = sla.book(Settings())  # the shipped SLA rules


def client_activity(client_id: int) -> list[tuple[str, str | None, str | None]]:
    """(field, old, new) of every activity row of a client, oldest first."""
    query = (Activity.select(Activity.field, Activity.old, Activity.new)
             .where((Activity.entity == "client") & (Activity.entity_id == client_id))
             .order_by(Activity.id))
    return list(query.tuples())


def last_event() -> Event:
    """The newest event row."""
    return Event.select().order_by(Event.id.desc()).first()


def test_create_with_every_field_reads_back(admin):
    bob = agents.add(admin, "bob", role="agent")
    referrer = clients.create(admin, "Referrer GmbH")
    detail = clients.create(
        admin, "Acme Ltd", kind="client", contact_person="Ada Lovelace",
        email="ada@acme.example", phone="+44 20 7946 0000", acquisition_date=date(2024, 3, 1),
        lifecycle_stage="at-risk", lead_score="85", account_manager="bob",
        retainer_amount="1500.5", retainer_cycle="Quarterly", birthday="1815-12-10",
        referred_by_id=referrer.row.id, contact_cadence_days=14, confidential=True,
        notes="# Requirements\n\n- weekly report\n", tags=["#vip", "billing", "vip"],
    )
    row = detail.row
    assert (row.kind, row.name, row.contact_person, row.email, row.phone) == (
        "client", "Acme Ltd", "Ada Lovelace", "ada@acme.example", "+44 20 7946 0000")
    assert (row.stage, row.lead_score, row.account_manager) == ("at_risk", 85, "bob")
    assert (row.retainer_amount, row.retainer_cycle) == (Decimal("1500.50"), "quarterly")
    assert (row.acquisition_date, row.birthday) == (date(2024, 3, 1), date(1815, 12, 10))
    assert (row.referred_by, row.referred_by_id) == ("Referrer GmbH", referrer.row.id)
    assert (row.contact_cadence_days, row.confidential, row.tags) == (14, True, ("billing", "vip"))
    assert (row.version, row.open_queries, row.last_contact_at) == (1, 0, None)
    assert detail.notes == "# Requirements\n\n- weekly report\n"
    stored = Client.get_by_id(row.id)
    assert stored.account_manager_id == bob.id
    assert stored.retainer_amount == Decimal("1500.50")
    assert last_event().kind == "client.created"


VALIDATION_ERRORS = [
    ({"name": "  "}, "a client needs a name"),
    ({"kind": "vendor"}, "kind must be one of client, customer, not 'vendor'"),
    ({"email": "x@"}, "email 'x@' is not an e-mail address"),
    ({"phone": "call me"}, "phone 'call me' is not a phone number"),
    ({"acquisition_date": "last spring"},
     "acquisition date must be a date like 2026-12-01, not 'last spring'"),
    ({"lifecycle_stage": "dormant"},
     "lifecycle stage must be one of lead, prospect, onboarding, active, at_risk, churned, "
     "not 'dormant'"),
    ({"lead_score": "abc"}, "lead score must be a whole number from 0 to 100, not 'abc'"),
    ({"lead_score": 101}, "lead score must be a whole number from 0 to 100, not 101"),
    ({"account_manager": "zed"}, "account manager 'zed' is not an agent of this desk"),
    ({"retainer_amount": "-5"},
     "retainer amount must be an amount from 0 to 9999999999.99 with at most 2 decimals, "
     "not '-5'"),
    ({"retainer_amount": "1.234"},
     "retainer amount must be an amount from 0 to 9999999999.99 with at most 2 decimals, "
     "not '1.234'"),
    ({"retainer_cycle": "weekly"},
     "retainer cycle must be one of monthly, quarterly, yearly, not 'weekly'"),
    ({"birthday": "31.12.1980"}, "birthday must be a date like 2026-12-01, not '31.12.1980'"),
    ({"referred_by_id": 999}, "referred by: there is no client 999"),
    ({"referred_by_id": "someone"}, "referred by must be a client id, not 'someone'"),
    ({"contact_cadence_days": 0}, "contact cadence must be a whole number of days above 0, not 0"),
    ({"confidential": "maybe"}, "confidential must be yes or no, not 'maybe'"),
    ({"tags": ["two words"]}, "a tag is one word, not 'two words'"),
    ({"colour": "red"}, "cannot change colour of a client"),
    ({"contact_person": "Jane\x00Doe"}, "contact person cannot contain a NUL character"),
    ({"notes": "# Plan\n\x00"}, "notes cannot contain a NUL character"),
    ({"tags": ["x" * 101]}, "a tag can have at most 100 characters; 'xxxxxxxxxxxxxxxxxxxx'... "
                            "has 101"),
]


@pytest.mark.parametrize(("fields", "message"), VALIDATION_ERRORS)
def test_create_refuses_bad_values_and_writes_nothing(admin, fields, message):
    fields = {"name": "Acme", **fields}
    with pytest.raises(InvalidInput) as caught:
        clients.create(admin, **fields)
    assert str(caught.value) == message
    assert Client.select().count() == 0
    assert Activity.select().where(Activity.entity == "client").count() == 0


@pytest.mark.parametrize(("fields", "message"), VALIDATION_ERRORS[1:])
def test_update_refuses_bad_values_and_writes_nothing(admin, fields, message):
    client = clients.create(admin, "Acme").row
    with pytest.raises(InvalidInput) as caught:
        clients.update(admin, client.id, client.version, **fields)
    assert str(caught.value) == message
    assert clients.get(client.id, admin).row == client


def test_a_client_cannot_be_referred_by_itself(admin):
    client = clients.create(admin, "Acme").row
    with pytest.raises(InvalidInput, match="cannot be referred by itself"):
        clients.update(admin, client.id, client.version, referred_by_id=client.id)
    assert Client.get_by_id(client.id).referred_by_id is None


def test_updates_of_different_fields_from_one_version_merge(admin):
    bob = agents.add(admin, "bob", role="agent")
    client = clients.create(admin, "Acme", email="old@acme.example").row
    clients.update(admin, client.id, client.version, email="new@acme.example")
    merged = clients.update(bob, client.id, client.version, phone="030 1234").row
    assert (merged.email, merged.phone, merged.version) == ("new@acme.example", "030 1234", 3)
    stored = Client.get_by_id(client.id)
    assert (stored.email, stored.phone) == ("new@acme.example", "030 1234")


def test_updates_of_one_field_from_one_version_conflict_and_write_nothing(admin):
    bob = agents.add(admin, "bob", role="agent")
    client = clients.create(admin, "Acme", lead_score=10).row
    clients.update(admin, client.id, client.version, lead_score=40)
    activity_before = client_activity(client.id)
    with pytest.raises(ConflictError) as caught:
        clients.update(bob, client.id, client.version, lead_score=70, phone="030 1234")
    assert caught.value.conflicts == {"lead_score": (40, 70)}
    stored = Client.get_by_id(client.id)
    assert (stored.lead_score, stored.phone, stored.version) == (40, "", 2)
    assert client_activity(client.id) == activity_before


def test_an_update_to_the_stored_value_changes_nothing(admin):
    client = clients.create(admin, "Acme", lifecycle_stage="active").row
    same = clients.update(admin, client.id, client.version, lifecycle_stage="Active").row
    assert same.version == client.version


def test_stage_change_is_its_own_event(admin):
    client = clients.create(admin, "Acme", lifecycle_stage="prospect").row
    clients.update(admin, client.id, 1, lifecycle_stage="at-risk")
    event = last_event()
    assert (event.kind, event.entity, event.entity_id) == (
        "client.stage_changed", "client", client.id)
    data = json.loads(event.data)
    assert (data["from"], data["to"]) == ("prospect", "at_risk")
    clients.update(admin, client.id, 2, lead_score=5)
    assert last_event().kind == "client.updated"


def test_every_change_has_an_activity_row(admin):
    client = clients.create(admin, "Acme", email="a@acme.example", tags=["vip"]).row
    clients.update(admin, client.id, 1, name="Acme Ltd", tags=["vip", "gold"],
                   retainer_amount="99")
    assert client_activity(client.id) == [
        ("name", None, "Acme"), ("kind", None, "customer"), ("email", None, "a@acme.example"),
        ("tags", None, "vip"), ("name", "Acme", "Acme Ltd"), ("tags", "vip", "gold, vip"),
        ("retainer_amount", None, "99.00"),
    ]


def test_find_by_id_exact_name_or_unique_part(admin):
    clients.create(admin, "Acme Ltd")
    acme_corp = clients.create(admin, "Acme Corp").row
    acme = clients.create(admin, "Acme").row
    globex = clients.create(admin, "Globex").row
    assert clients.find(str(acme_corp.id)).id == acme_corp.id
    assert clients.find(" ACME ").id == acme.id
    assert clients.find("lob").id == globex.id
    with pytest.raises(InvalidInput) as caught:
        clients.find("me")
    assert str(caught.value) == (
        "several clients match 'me': Acme, Acme Corp, Acme Ltd; use the id")
    with pytest.raises(NotFound):
        clients.find("Initech")
    with pytest.raises(NotFound):
        clients.find("999")


def test_confidential_client_is_blank_to_other_agents(admin):
    bob = agents.add(admin, "bob", role="agent")
    carol = agents.add(admin, "carol", role="agent")
    client = clients.create(admin, "Secret Co", contact_person="Deep Throat",
                            email="dt@secret.example", phone="555 0100", notes="top secret",
                            account_manager="bob", confidential=True).row
    for viewer in (admin, bob):
        detail = clients.get(client.id, viewer)
        assert (detail.row.contact_person, detail.row.email, detail.row.phone, detail.notes) == (
            "Deep Throat", "dt@secret.example", "555 0100", "top secret")
    hidden = clients.get(client.id, carol)
    assert (hidden.row.name, hidden.row.kind) == ("Secret Co", "customer")
    assert (hidden.row.contact_person, hidden.row.email, hidden.row.phone, hidden.notes) == (
        "", "", "", "")
    assert clients.rows_for([client.id], carol)[0].email == ""
    assert clients.rows_for([client.id])[0].email == ""
    assert clients.find("secret", carol).phone == ""
    with pytest.raises(PermissionDenied):
        clients.update(carol, client.id, client.version, lead_score=5)
    assert clients.update(bob, client.id, client.version, lead_score=5).row.lead_score == 5


def test_viewers_cannot_write(admin):
    vera = agents.add(admin, "vera", role="viewer")
    client = clients.create(admin, "Acme").row
    with pytest.raises(PermissionDenied):
        clients.create(vera, "Globex")
    with pytest.raises(PermissionDenied):
        clients.update(vera, client.id, client.version, name="Globex")
    assert [c.name for c in Client.select()] == ["Acme"]


def test_rows_for_keeps_order_and_counts_open_queries(admin):
    workspace.create_space(admin, "Support")
    task_list = workspace.create_list(admin, "Support", "Queries")
    acme = clients.create(admin, "Acme").row
    globex = clients.create(admin, "Globex").row
    for title in ("Login broken", "Invoice wrong"):
        tasks.create(admin, title, task_list.id, kind="query", client_id=acme.id,
                     sla_rules=SLA_RULES)
    tasks.create(admin, "Answered", task_list.id, kind="query", client_id=acme.id, status="Done",
                 sla_rules=SLA_RULES)
    tasks.create(admin, "Plain task", task_list.id, client_id=acme.id)
    tasks.create(admin, "Their query", task_list.id, kind="query", client_id=globex.id,
                 sla_rules=SLA_RULES)
    rows = clients.rows_for([globex.id, 999, acme.id])
    assert [(row.name, row.open_queries) for row in rows] == [("Globex", 1), ("Acme", 2)]


def test_search_finds_a_client_by_contact_person(admin):
    client = clients.create(admin, "Acme", contact_person="Zebedee Quill").row
    assert [(hit.kind, hit.id) for hit in search.find("zebedee")] == [("client", client.id)]
    clients.update(admin, client.id, client.version, contact_person="Marta Lind")
    assert search.find("zebedee") == []
    assert [hit.id for hit in search.find("lind")] == [client.id]


def test_clock_of_a_client_with_a_cadence_never_contacted_is_overdue(admin):
    client = clients.create(admin, "Acme", contact_cadence_days=7).row
    clock = clients.get(client.id, admin).clock
    assert (clock.cadence_days, clock.days_since_contact, clock.contact_overdue) == (7, None, True)
    assert clients.get(clients.create(admin, "Globex").row.id, admin).clock.contact_overdue is False


def test_making_a_client_confidential_removes_its_contact_from_search(admin):
    client = clients.create(admin, "Secret Corp", kind="client", contact_person="Jane Hidden",
                            email="jane@hidden.example").row
    assert [hit.id for hit in search.find("hidden")] == [client.id]

    secret = clients.update(admin, client.id, client.version, confidential=True).row
    assert search.find("hidden") == []
    assert [hit.id for hit in search.find("secret")] == [client.id]  # the name stays

    clients.update(admin, client.id, secret.version, confidential=False)
    assert [hit.id for hit in search.find("hidden")] == [client.id]
