"""The portal knows a client's contacts (desk.crm.contacts): any of them signs in, the primary
contact sees the client's orders like its own address, another contact only its requests."""

from __future__ import annotations

from desk.crm import contacts
from desk.models import Outbox

from .conftest import ask_link, sign_in


def test_a_primary_contact_signs_in_and_sees_the_orders(browser, world, admin) -> None:
    contacts.add(admin, world.acme, "Carol", role="billing", email="carol@acme.example",
                 primary=True)
    sign_in(browser, "carol@acme.example")
    page = browser.get("/requests").get_data(True)
    assert "Your orders" in page
    assert "Printer on fire" not in page  # not shared: the others' requests are theirs


def test_another_contact_signs_in_without_the_orders(browser, world, admin) -> None:
    contacts.add(admin, world.acme, "Carol", role="billing", email="carol@acme.example",
                 primary=True)
    contacts.add(admin, world.acme, "Dan", role="user", email="dan@acme.example")
    sign_in(browser, "dan@acme.example")
    page = browser.get("/requests").get_data(True)
    assert "Your orders" not in page and "Bob&#39;s badge" not in page


def test_a_removed_contact_cannot_sign_in(browser, world, admin) -> None:
    dan = contacts.add(admin, world.acme, "Dan", role="user", email="dan@acme.example")
    contacts.remove(admin, dan.id, dan.version)
    ask_link(browser, "dan@acme.example")
    assert Outbox.select().where(Outbox.to_address == "dan@acme.example").count() == 0
