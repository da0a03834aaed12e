"""Tests for desk.crm.interactions: logging touches and the relationship clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from desk.clock import utcnow
from desk.crm import clients, interactions
from desk.errors import InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Client, Event, Interaction


@pytest.fixture
def acme(admin) -> clients.ClientRow:
    """A client that was never contacted."""
    return clients.create(admin, "Acme", kind="client", email="ops@acme.example").row


def stored_clock(client_id: int) -> datetime | None:
    """The last contact time the database holds for a client."""
    return Client.get_by_id(client_id).last_contact_at


def test_logging_moves_the_last_contact(admin, acme):
    when = utcnow() - timedelta(hours=2)
    row = interactions.log(admin, acme.id, "Call", "renewal talk", occurred_at=when)
    assert (row.kind, row.summary, row.agent, row.occurred_at) == (
        "call", "renewal talk", admin.username, when)
    assert stored_clock(acme.id) == when
    assert Client.get_by_id(acme.id).version == acme.version + 1
    change = (Activity.select().where((Activity.entity == "client")
                                      & (Activity.field == "last_contact_at")).get())
    assert (change.old, change.new, change.version) == (None, when.isoformat(sep=" "), 2)
    event = Event.select().where(Event.kind == "interaction.logged").get()
    assert json.loads(event.data)["client_id"] == acme.id


def test_an_older_interaction_does_not_rewind_the_clock(admin, acme):
    recent = utcnow() - timedelta(days=1)
    interactions.log(admin, acme.id, "meeting", occurred_at=recent)
    interactions.log(admin, acme.id, "call", "old call, logged late",
                     occurred_at=recent - timedelta(days=30))
    assert stored_clock(acme.id) == recent
    assert Client.get_by_id(acme.id).version == acme.version + 1
    assert [row.kind for row in interactions.for_client(acme.id)] == ["meeting", "call"]


def test_an_edit_from_before_the_interaction_still_merges(admin, acme):
    bob = agents.add(admin, "bob", role="agent")
    when = utcnow() - timedelta(minutes=5)
    interactions.log(admin, acme.id, "email", occurred_at=when)
    edited = clients.update(bob, acme.id, acme.version, email="new@acme.example").row
    assert (edited.email, edited.last_contact_at, edited.version) == (
        "new@acme.example", when, acme.version + 2)


def test_an_aware_time_is_stored_as_utc(admin, acme):
    berlin_noon = datetime(2025, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    row = interactions.log(admin, acme.id, "call", occurred_at=berlin_noon)
    assert row.occurred_at == datetime(2025, 6, 1, 10, 0)
    assert stored_clock(acme.id) == datetime(2025, 6, 1, 10, 0)


@pytest.mark.parametrize(
    ("kind", "when", "message"),
    [
        ("fax", None, "interaction kind must be one of call, email, meeting, reply, note, order, "
                      "not 'fax'"),
        ("call", datetime(2999, 1, 1, tzinfo=UTC),
         "occurred at 2999-01-01 00:00 UTC is in the future"),
    ],
)
def test_bad_interactions_are_refused_and_write_nothing(admin, acme, kind, when, message):
    with pytest.raises(InvalidInput) as caught:
        interactions.log(admin, acme.id, kind, occurred_at=when)
    assert str(caught.value) == message
    assert Interaction.select().count() == 0
    assert stored_clock(acme.id) is None


def test_unknown_client_or_task_and_viewers_are_refused(admin, acme):
    vera = agents.add(admin, "vera", role="viewer")
    with pytest.raises(NotFound, match="no client 999"):
        interactions.log(admin, 999, "call")
    with pytest.raises(NotFound, match="no task 5"):
        interactions.log(admin, acme.id, "call", task_id=5)
    with pytest.raises(PermissionDenied):
        interactions.log(vera, acme.id, "call")
    assert Interaction.select().count() == 0
    assert stored_clock(acme.id) is None


def test_for_client_is_newest_first_and_limited(admin, acme):
    start = utcnow() - timedelta(days=10)
    for day in range(4):
        interactions.log(admin, acme.id, "note", f"day {day}", occurred_at=start + timedelta(day))
    assert [row.summary for row in interactions.for_client(acme.id, limit=3)] == [
        "day 3", "day 2", "day 1"]


def test_clock_overdue_after_the_cadence():
    now = datetime(2026, 11, 18, 12, 0)
    assert interactions.clock(now - timedelta(days=7), 7, now).contact_overdue is False
    late = interactions.clock(now - timedelta(days=7, seconds=1), 7, now)
    assert (late.days_since_contact, late.contact_overdue) == (7, True)
    assert interactions.clock(None, 7, now).contact_overdue is True
    assert interactions.clock(None, None, now).contact_overdue is False
    assert interactions.clock(now - timedelta(days=400), None, now).contact_overdue is False


def test_client_detail_shows_the_clock(admin):
    client = clients.create(admin, "Acme", contact_cadence_days=7).row
    interactions.log(admin, client.id, "call", occurred_at=utcnow() - timedelta(days=10))
    clock = clients.get(client.id, admin).clock
    assert (clock.days_since_contact, clock.cadence_days, clock.contact_overdue) == (10, 7, True)
    interactions.log(admin, client.id, "call")
    clock = clients.get(client.id, admin).clock
    assert (clock.days_since_contact, clock.contact_overdue) == (0, False)
