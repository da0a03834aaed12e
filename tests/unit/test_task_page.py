"""The task screen's services: the whole page in one call, client search, conflicts in words,
and order data changed with versions, conflicts and history."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from desk.errors import ConflictError, InvalidInput, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Client, Event
from desk.pages import task as task_page
from desk.work import checklists, comments, custom_fields, orders, tasks, workspace

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def orders_list(admin) -> workspace.ListRef:
    """Sales/Orders with its default statuses."""
    workspace.create_space(admin, "Sales")
    return workspace.create_list(admin, "Sales", "Orders")


@pytest.fixture
def order(admin, orders_list) -> orders.OrderRow:
    """An order of 2 × Website (100.00) for Acme GmbH; a second product, Hosting (30.00)."""
    client = Client.create(name="Acme GmbH", kind="client")
    orders.create_product(admin, "Website", unit_price="100")
    orders.create_product(admin, "Hosting", unit_price="30")
    return orders.create_order(admin, client.id, "Website", 2)


@pytest.fixture
def maria(admin) -> agents.AgentRef:
    """A second agent."""
    return agents.add(admin, "maria")


def test_load_gathers_everything_the_screen_shows(admin, order, maria):
    task_id = order.task.row.id
    list_id = order.task.row.list_id
    custom_fields.define(admin, list_id, "Budget", "money")
    custom_fields.set_value(admin, task_id, 1, "Budget", "12.5")
    checklist = checklists.add_checklist(admin, task_id, "Launch")
    checklists.add_item(admin, checklist, "Go live")
    comments.note(admin, task_id, "Check the DNS")
    tasks.create(admin, "Buy domain", list_id, parent_id=task_id)

    page = task_page.load(task_id)

    assert page.task_id == task_id and page.version == 2
    assert [name for name, _ in page.task_list.statuses] == ["To do", "In progress", "Done",
                                                             "Closed"]
    assert [field.name for field in page.fields] == ["Budget"]
    assert page.values == {"Budget": "12.50"}
    assert (page.order.product, page.order.total) == ("Website", Decimal("200.00"))
    assert [product.name for product in page.products] == ["Hosting", "Website"]
    assert [view.name for view in page.checklists] == ["Launch"]
    assert [comment.body for comment in page.comments] == ["Check the DNS"]
    assert [row.title for row in page.detail.subtasks] == ["Buy domain"]
    assert page.history[0]["field"] == "note"
    assert {admin.username, "maria"} <= set(page.agents)


def test_load_names_clients_in_the_history(admin, order):
    task_id = order.task.row.id
    other = Client.create(name="Bright Ltd", kind="customer")
    tasks.update(admin, task_id, 1, client_id=other.id)

    change = task_page.load(task_id).history[0]

    assert (change["field"], change["old"], change["new"]) == ("client", "Acme GmbH",
                                                               "Bright Ltd")


def test_client_choices_put_names_starting_with_the_text_first(db):
    for name in ("Zebra Bakery", "Bakery Blum", "Acme"):
        Client.create(name=name, kind="customer")

    assert task_page.client_choices("bak") == [
        ("(no client)", None),
        ("Bakery Blum · customer", Client.get(Client.name == "Bakery Blum").id),
        ("Zebra Bakery · customer", Client.get(Client.name == "Zebra Bakery").id),
    ]
    assert len(task_page.client_choices("", limit=2)) == 3


def test_conflict_rows_show_both_values_and_who_changed_the_field(admin, orders_list, maria):
    task_id = tasks.create(admin, "Plan", orders_list.id).row.id
    tasks.update(maria, task_id, 1, due_at=datetime(2026, 12, 1, 13, 0))
    with pytest.raises(ConflictError) as caught:
        tasks.update(admin, task_id, 1, due_at=datetime(2026, 12, 2, 9, 0))

    (row,) = task_page.conflict_rows(caught.value.conflicts, task_id, 1, BERLIN, "GBP")

    assert (row.field, row.label) == ("due_at", "Due")
    assert (row.theirs, row.yours) == ("2026-12-01 14:00", "2026-12-02 10:00")
    assert row.changed_by.startswith("maria at ")


def test_value_text_in_words():
    assert task_page.value_text("tags", ("a", "b"), BERLIN) == "a, b"
    assert task_page.value_text("client_id", 3, BERLIN, {3: "Acme"}) == "Acme"
    assert task_page.value_text("estimate_minutes", 90, BERLIN) == "1h30min"
    assert task_page.value_text("title", None, BERLIN) == "(empty)"
    assert task_page.field_label("custom:Budget") == "Budget (custom field)"


def test_update_order_recomputes_the_total_and_records_history(admin, order):
    task_id = order.task.row.id

    info = orders.update_order(admin, task_id, 1, quantity="3")

    assert (info.quantity, info.total) == (3, Decimal("300.00"))
    assert tasks.get(task_id).row.version == 2
    changes = {a.field: (a.old, a.new) for a in Activity.select()
               .where((Activity.entity == "task") & (Activity.entity_id == task_id)
                      & (Activity.version == 2))}
    assert changes == {"quantity": ("2", "3"), "total": ("200.00", "300.00")}
    assert Event.select().where(Event.kind == "order.updated").count() == 1


def test_update_order_to_another_product_brings_its_price(admin, order):
    info = orders.update_order(admin, order.task.row.id, 1, product="hosting")

    assert (info.product, info.unit_price, info.total) == ("Hosting", Decimal("30.00"),
                                                           Decimal("60.00"))


def test_update_order_conflicts_on_a_field_changed_meanwhile(admin, order, maria):
    task_id = order.task.row.id
    orders.update_order(maria, task_id, 1, quantity=5)

    with pytest.raises(ConflictError) as caught:
        orders.update_order(admin, task_id, 1, quantity=4)
    assert caught.value.conflicts == {"quantity": (5, 4)}
    assert caught.value.current_version == 2

    merged = orders.update_order(admin, task_id, 1, unit_price="90")  # another field merges
    assert (merged.quantity, merged.unit_price, merged.total) == (5, Decimal("90.00"),
                                                                  Decimal("450.00"))


def test_update_order_refuses_bad_input_viewers_and_plain_tasks(admin, order, orders_list):
    task_id = order.task.row.id
    with pytest.raises(InvalidInput, match="quantity must be a whole number above 0"):
        orders.update_order(admin, task_id, 1, quantity=0)
    with pytest.raises(InvalidInput, match="cannot change total"):
        orders.update_order(admin, task_id, 1, total=1)
    plain = tasks.create(admin, "Not an order", orders_list.id).row.id
    with pytest.raises(InvalidInput, match="is not an order"):
        orders.update_order(admin, plain, 1, quantity=1)
    viewer = agents.add(admin, "sam", role="viewer")
    with pytest.raises(PermissionDenied):
        orders.update_order(viewer, task_id, 1, quantity=1)
    assert orders.order_data(task_id).quantity == 2
