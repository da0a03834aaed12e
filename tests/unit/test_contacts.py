"""Tests for desk.crm.contacts: a client's people with roles, one primary, checked, versioned
and audited, hidden on a confidential client."""

from __future__ import annotations

from datetime import date

import pytest

from desk.crm import clients, contacts
from desk.errors import ConflictError, FieldError, InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents
from desk.kernel.confidential import HIDDEN, masks
from desk.models import Activity, Contact, Event


def stored() -> list[tuple]:
    """Every contact as the database holds it: (client, name, email, role, primary, version)."""
    return list(Contact.select(Contact.client, Contact.name, Contact.email, Contact.role,
                               Contact.is_primary, Contact.version)
                .order_by(Contact.id).tuples())


def activity(contact_id: int) -> list[tuple]:
    """(field, old, new, version) of a contact's audit rows, oldest first."""
    return list(Activity.select(Activity.field, Activity.old, Activity.new, Activity.version)
                .where((Activity.entity == "contact") & (Activity.entity_id == contact_id))
                .order_by(Activity.id).tuples())


@pytest.fixture
def acme(admin) -> int:
    """A client with no contacts yet."""
    return clients.create(admin, "Acme Ltd", kind="client").row.id


def test_add_reads_back_every_field_and_the_first_contact_is_primary(admin, acme):
    ada = contacts.add(admin, acme, " Ada Lovelace ", role="Decision maker",
                       email="ada@acme.example", phone="+44 20 7946 0000", title="CEO",
                       birthday="1815-12-10", notes="prefers calls")
    assert (ada.name, ada.role, ada.title, ada.email, ada.phone) == (
        "Ada Lovelace", "decision_maker", "CEO", "ada@acme.example", "+44 20 7946 0000")
    assert (ada.birthday, ada.notes, ada.primary, ada.version) == (
        date(1815, 12, 10), "prefers calls", True, 1)
    assert ada.first_name == "Ada"
    bob = contacts.add(admin, acme, "Bob Byte", role="technical", email="bob@acme.example")
    assert bob.primary is False
    assert [row.name for row in contacts.of_client(acme, admin)] == ["Ada Lovelace", "Bob Byte"]
    assert ("role", None, "decision_maker", 1) in activity(ada.id)
    event = Event.select().order_by(Event.id.desc()).first()
    assert (event.kind, event.entity, event.entity_id) == ("contact.added", "contact", bob.id)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"email": "not an address"}, "email", "not an e-mail address"),
    ({"email": "Ada <ada@acme.example>"}, "email", "not an e-mail address"),
    ({"role": "boss"}, "role", "role must be one of decision_maker, billing"),
    ({"phone": "call me"}, "phone", "is not a phone number"),
    ({"birthday": "31/12/1990"}, "birthday", "must be a date like"),
    ({"name": "  "}, "name", "a contact's name cannot be empty"),
    ({"title": "x" * 201}, "title", "at most 200 characters"),
    ({"colour": "red"}, None, "cannot change colour of a contact"),
])
def test_a_bad_field_is_named_and_nothing_is_written(admin, acme, fields, field, message):
    contacts.add(admin, acme, "Ada", role="user")
    before = (stored(), Activity.select().count())
    args = {"name": "Bob", "role": "user", **fields}
    with pytest.raises(InvalidInput, match=message) as refused:
        contacts.add(admin, acme, **args)
    if field:
        assert isinstance(refused.value, FieldError) and refused.value.field == field
    assert (stored(), Activity.select().count()) == before


def test_one_primary_per_client_and_the_change_is_recorded(admin, acme):
    ada = contacts.add(admin, acme, "Ada", role="decision_maker")
    bob = contacts.add(admin, acme, "Bob", role="billing", primary=True)
    assert [(name, primary) for _, name, _, _, primary, _ in stored()] == [
        ("Ada", False), ("Bob", True)]
    assert activity(ada.id)[-1] == ("primary", "yes", "no", 2)
    ada = contacts.get(ada.id, admin)
    contacts.edit(admin, ada.id, ada.version, primary="yes")
    assert contacts.primary(acme).name == "Ada"
    assert [primary for *_, primary, _ in stored()] == [True, False]
    assert contacts.get(bob.id, admin).version == 2


def test_edits_merge_other_fields_and_conflict_on_the_same_field(admin, acme):
    ada = contacts.add(admin, acme, "Ada", role="user", email="ada@acme.example")
    contacts.edit(admin, ada.id, ada.version, title="CTO")
    merged = contacts.edit(admin, ada.id, ada.version, phone="555 123")
    assert (merged.title, merged.phone, merged.version) == ("CTO", "555 123", 3)
    with pytest.raises(ConflictError):
        contacts.edit(admin, ada.id, ada.version, title="CFO")
    assert contacts.get(ada.id, admin).title == "CTO"
    assert ("title", "", "CTO", 2) in activity(ada.id)


def test_remove_at_a_stale_version_is_refused_and_at_the_current_one_deletes(admin, acme):
    ada = contacts.add(admin, acme, "Ada", role="user")
    contacts.edit(admin, ada.id, ada.version, title="CTO")
    with pytest.raises(ConflictError):
        contacts.remove(admin, ada.id, ada.version)
    assert len(stored()) == 1
    contacts.remove(admin, ada.id, ada.version + 1)
    assert stored() == []
    assert activity(ada.id)[-1][:3] == ("name", "Ada", None)
    with pytest.raises(NotFound):
        contacts.get(ada.id, admin)


def test_viewers_cannot_write(admin, acme):
    vera = agents.add(admin, "vera", role="viewer")
    ada = contacts.add(admin, acme, "Ada", role="user")
    with pytest.raises(PermissionDenied):
        contacts.add(vera, acme, "Bob", role="user")
    with pytest.raises(PermissionDenied):
        contacts.edit(vera, ada.id, ada.version, title="x")
    with pytest.raises(PermissionDenied):
        contacts.remove(vera, ada.id, ada.version)
    assert len(stored()) == 1


def test_a_confidential_clients_people_are_hidden_and_locked_to_other_agents(admin):
    bob = agents.add(admin, "bob", role="agent")
    secret = clients.create(admin, "Secret Co", confidential=True).row.id
    ada = contacts.add(admin, secret, "Ada Hidden", role="billing", title="CFO",
                       email="ada@secret.example")
    seen = contacts.of_client(secret, bob)[0]
    assert (seen.name, seen.email, seen.role, seen.title) == (HIDDEN, HIDDEN, "billing", "CFO")
    assert contacts.of_client(secret, admin)[0].name == "Ada Hidden"
    with pytest.raises(PermissionDenied):
        contacts.edit(bob, ada.id, ada.version, title="x")


def test_find_by_id_name_address_or_unique_part(admin, acme):
    ada = contacts.add(admin, acme, "Ada Lovelace", role="user", email="ada@acme.example")
    contacts.add(admin, acme, "Adam Smith", role="user")
    assert contacts.find(acme, str(ada.id), admin).id == ada.id
    assert contacts.find(acme, "ADA@acme.example", admin).id == ada.id
    assert contacts.find(acme, "lovelace", admin).id == ada.id
    with pytest.raises(InvalidInput, match="several contacts match"):
        contacts.find(acme, "ada", admin)
    with pytest.raises(NotFound, match="has no contact"):
        contacts.find(acme, "Zed", admin)


def test_by_address_prefers_a_client_to_a_customer(admin, acme):
    shop = clients.create(admin, "Shop", kind="customer").row.id
    contacts.add(admin, shop, "Ada at the shop", role="user", email="ada@acme.example")
    at_acme = contacts.add(admin, acme, "Ada", role="user", email="Ada@Acme.example")
    assert contacts.by_address(" ADA@acme.EXAMPLE ").id == at_acme.id
    assert contacts.by_address("nobody@acme.example") is None


def test_a_confidential_clients_contacts_are_masked_in_text(admin):
    bob = agents.add(admin, "bob", role="agent")
    secret = clients.create(admin, "Secret Co", confidential=True).row.id
    contacts.add(admin, secret, "Carla Covert", role="billing", email="carla@secret.example")
    mask = masks(bob, [secret])[secret]
    assert mask.text("call Carla Covert at carla@secret.example") == f"call {HIDDEN} at {HIDDEN}"
    assert masks(admin, [secret]) == {}
