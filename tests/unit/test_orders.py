"""Tests for the product catalogue and orders."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest

from desk.config import OrderSettings
from desk.errors import (
    ConflictError,
    InvalidInput,
    NotFound,
    OpenChecklistItems,
    PermissionDenied,
)
from desk.kernel import agents
from desk.models import (
    Activity,
    Checklist,
    ChecklistItem,
    Client,
    Event,
    Interaction,
    OrderData,
    Product,
    Task,
    Team,
)
from desk.support import triage
from desk.work import checklists, orders, tasks, workspace
from desk.work.checklists import ItemView


@pytest.fixture
def client_id(admin) -> int:
    """A client never contacted, and the list Sales/Orders."""
    workspace.create_space(admin, "Sales")
    workspace.create_list(admin, "Sales", "Orders")
    return Client.create(name="Acme GmbH", kind="client").id


@pytest.fixture
def website(admin) -> orders.ProductRow:
    """A service with a nested checklist template."""
    checklists.create_template(admin, "Website launch",
                               ["Kick-off", {"Content": ["Texts", "Images"]}])
    return orders.create_product(admin, "Website", unit_price="1200.50",
                                 checklist_template="website launch")


def counts() -> dict[str, int]:
    """How many rows the tables an order writes have."""
    return {model.__name__: model.select().count()
            for model in (Task, OrderData, Checklist, Interaction, Activity, Event)}


def shape(items: tuple[ItemView, ...]) -> list:
    """An item tree as nested [text, children] lists."""
    return [[item.text, shape(item.children)] for item in items]


def test_create_product_stores_the_catalogue_entry(admin, website):
    row = orders.find_product(str(website.id))

    assert row == orders.ProductRow(website.id, "Website", "service", Decimal("1200.50"), True,
                                    "Website launch", 1)
    assert str(row.unit_price) == "1200.50"
    created = dict(Activity.select(Activity.field, Activity.new)
                   .where((Activity.entity == "product") & (Activity.entity_id == website.id))
                   .tuples())
    assert created == {"name": "Website", "kind": "service", "unit_price": "1200.50",
                       "active": "yes", "checklist_template": "Website launch"}


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"name": " "}, InvalidInput, "needs a name"),
        ({"kind": "gadget"}, InvalidInput, "kind must be one of product, service"),
        ({"unit_price": "cheap"}, InvalidInput, "unit price needs an amount like 1200.50"),
        ({"unit_price": "-1"}, InvalidInput, "unit price cannot be negative"),
        ({"unit_price": "10000000000"}, InvalidInput, "unit price can be at most"),
        ({"checklist_template": "Nope"}, NotFound, "no checklist template named 'Nope'"),
        ({"name": "WEBSITE"}, InvalidInput, "a product named 'WEBSITE' exists already"),
    ],
)
def test_bad_products_are_refused(admin, website, arguments, error, message):
    with pytest.raises(error, match=message):
        orders.create_product(admin, **{"name": "Logo", **arguments})
    assert Product.select().count() == 1


def test_products_lists_active_ones_by_name(admin, website):
    orders.create_product(admin, "Hosting", unit_price=20)
    orders.create_product(admin, "Ads", kind="product", active=False)

    assert [p.name for p in orders.products()] == ["Hosting", "Website"]
    assert [p.name for p in orders.products(include_inactive=True)] == ["Ads", "Hosting",
                                                                        "Website"]


def test_find_product_by_name_or_part(admin, website):
    orders.create_product(admin, "Website care")
    orders.create_product(admin, "Hosting 50% off")

    assert orders.find_product("website").name == "Website"  # exact beats containing
    assert orders.find_product("CARE").name == "Website care"
    assert orders.find_product("50%").name == "Hosting 50% off"
    with pytest.raises(InvalidInput, match=r"several products match 'web' \(Website, Website"):
        orders.find_product("web")
    with pytest.raises(NotFound, match="no product matches 'logo'"):
        orders.find_product("logo")
    with pytest.raises(NotFound, match="no product 999"):
        orders.find_product("999")


def test_update_product_bumps_version_and_records_history(admin, website):
    row = orders.update_product(admin, website.id, 1, unit_price="1300", active=False,
                                checklist_template=None)

    assert (row.unit_price, row.active, row.checklist_template, row.version) == (
        Decimal("1300.00"), False, None, 2)
    changed = set(Activity.select(Activity.field, Activity.old, Activity.new)
                  .where((Activity.entity == "product") & (Activity.version == 2)).tuples())
    assert changed == {("unit_price", "1200.50", "1300.00"), ("active", "yes", "no"),
                       ("checklist_template", "Website launch", None)}


def test_update_product_conflicts_on_the_same_field(admin, website):
    vic = agents.add(admin, "vic")
    orders.update_product(vic, website.id, 1, unit_price="1250")

    with pytest.raises(ConflictError) as caught:
        orders.update_product(admin, website.id, 1, unit_price="1300")

    assert caught.value.conflicts == {"unit_price": (Decimal("1250.00"), Decimal("1300.00"))}
    assert orders.find_product("Website").unit_price == Decimal("1250.00")

    merged = orders.update_product(admin, website.id, 1, name="Website build")  # other field
    assert (merged.name, merged.unit_price, merged.version) == ("Website build",
                                                                Decimal("1250.00"), 3)


def test_update_product_refuses_unknown_fields_and_taken_names(admin, website):
    orders.create_product(admin, "Hosting")

    with pytest.raises(InvalidInput, match="cannot change colour of a product"):
        orders.update_product(admin, website.id, 1, colour="red")
    with pytest.raises(InvalidInput, match="a product named 'hosting' exists already"):
        orders.update_product(admin, website.id, 1, name="hosting")
    assert orders.find_product(str(website.id)).name == "Website"


def test_create_order_writes_the_whole_order(admin, client_id, website):
    Team.create(name="Fulfilment")
    due = datetime(2026, 12, 1, 9, 0)

    order = orders.create_order(admin, client_id, "website", 3, team="fulfilment", due_at=due)

    row = order.task.row
    assert (row.kind, row.list, row.client_id, row.title) == (
        "order", "Orders", client_id, "3 × Website for Acme GmbH")
    assert (order.task.team, row.due_at) == ("Fulfilment", due)
    info = orders.order_data(row.id)
    assert info == order.order
    assert (info.task_id, info.product_id, info.product, info.quantity) == (
        row.id, website.id, "Website", 3)
    assert (str(info.unit_price), str(info.total)) == ("1200.50", "3601.50")

    (checklist,) = checklists.for_task(row.id)
    assert checklist.name == "Website launch"
    assert shape(checklist.items) == [["Kick-off", []],
                                      ["Content", [["Texts", []], ["Images", []]]]]
    assert (row.checklist_done, row.checklist_total) == (0, 4)

    interaction = Interaction.get()
    assert (interaction.client_id, interaction.kind, interaction.task_id, interaction.summary) == (
        client_id, "order", row.id, "3 × Website for Acme GmbH")
    assert Client.get_by_id(client_id).last_contact_at == interaction.occurred_at

    history = dict(Activity.select(Activity.field, Activity.new)
                   .where((Activity.entity == "task") & (Activity.entity_id == row.id)
                          & (Activity.field != "checklist")).tuples())
    fulfilment = Team.get(Team.name == "Fulfilment")
    assert history == {"title": "3 × Website for Acme GmbH", "product": "Website",
                       "quantity": "3", "unit_price": "1200.50", "total": "3601.50",
                       "kind": "order", "status": "To do", "priority": "normal",
                       "due_at": "2026-12-01 09:00:00", "client_id": str(client_id),
                       "team_id": str(fulfilment.id)}
    (created,) = Event.select().where(Event.kind == "order.created")
    assert json.loads(created.data)["total"] == "3601.50"
    assert Event.select().where(Event.kind == "checklist.applied").count() == 1


def test_create_order_with_own_price_list_and_title(admin, client_id, website):
    workspace.create_list(admin, "Sales", "Rush")

    order = orders.create_order(admin, client_id, website.id, "2", unit_price="0.1",
                                list_name="sales/rush", title="Rush job")

    assert (order.task.row.list, order.task.row.title) == ("Rush", "Rush job")
    assert (str(order.order.unit_price), str(order.order.total)) == ("0.10", "0.20")
    stored = OrderData.get_by_id(order.task.row.id)
    assert Decimal(str(stored.total)) == Decimal("0.2")


def test_order_without_template_has_no_checklist(admin, client_id):
    orders.create_product(admin, "Hosting", unit_price="19.99")

    order = orders.create_order(admin, client_id, "Hosting", 7)

    assert str(order.order.total) == "139.93"
    assert checklists.for_task(order.task.row.id) == []


def test_order_data_of_a_plain_task_is_none(admin, client_id, website):
    order = orders.create_order(admin, client_id, "Website", 1)

    assert orders.order_data(order.task.row.id + 100) is None


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"quantity": 0}, InvalidInput, "quantity must be a whole number above 0, not 0"),
        ({"quantity": "1.5"}, InvalidInput, "quantity must be a whole number above 0"),
        ({"quantity": True}, InvalidInput, "quantity must be a whole number above 0"),
        ({"product": "Logo"}, NotFound, "no product matches 'Logo'"),
        ({"product": "Ads"}, InvalidInput, "product 'Ads' is inactive and cannot be ordered"),
        ({"unit_price": "12.345"}, InvalidInput, "unit price needs an amount like 1200.50"),
        ({"client_id": 999}, NotFound, "no client 999"),
        ({"list_name": "Nowhere"}, NotFound, "no list named 'Nowhere'"),
        ({"team": "Nobody"}, NotFound, "no team named 'Nobody'"),
        ({"quantity": 10**9, "unit_price": "9999999999"}, InvalidInput, "more than an order"),
    ],
)
def test_bad_orders_write_nothing(admin, client_id, website, arguments, error, message):
    orders.create_product(admin, "Ads", active=False)
    before = counts()
    call = {"client_id": client_id, "product": "Website", "quantity": 2, **arguments}

    with pytest.raises(error, match=message):
        orders.create_order(admin, call.pop("client_id"), call.pop("product"),
                            call.pop("quantity"), **call)

    assert counts() == before
    assert Client.get_by_id(client_id).last_contact_at is None


def test_viewers_cannot_change_the_catalogue_or_order(admin, client_id, website):
    vera = agents.add(admin, "vera", role="viewer")
    before = counts()

    with pytest.raises(PermissionDenied):
        orders.create_product(vera, "Logo")
    with pytest.raises(PermissionDenied):
        orders.update_product(vera, website.id, 1, unit_price="1")
    with pytest.raises(PermissionDenied):
        orders.create_order(vera, client_id, "Website", 1)

    assert counts() == before
    assert orders.find_product("Website") == website


def test_place_order_follows_the_order_settings(admin, client_id, website):
    Team.create(name="Shipping")
    workspace.create_list(admin, "Sales", "Rush")

    placed = orders.place_order(admin, OrderSettings(list="Sales/Rush", team="shipping"),
                                client_id, "Website", "2")

    assert (placed.task.row.list, placed.task.team, placed.order.quantity) == (
        "Rush", "Shipping", 2)
    with pytest.raises(NotFound, match="no team named 'Fulfilment' to fulfil the order"):
        orders.place_order(admin, OrderSettings(), client_id, "Website", 1)


def test_an_order_gets_its_products_checklist_not_its_lists(admin, client_id, website):
    checklists.create_template(admin, "Order intake", ["Confirm payment"], list_name="Orders")
    orders.create_product(admin, "Hosting")

    with_template = orders.create_order(admin, client_id, "Website", 1).task.row.id
    without = orders.create_order(admin, client_id, "Hosting", 1).task.row.id

    assert [c.name for c in checklists.for_task(with_template)] == ["Website launch"]
    assert [c.name for c in checklists.for_task(without)] == ["Order intake"]


# --- closing an order with open checklist items --------------------------------------------


@pytest.fixture
def order(admin, client_id, website) -> tasks.TaskRow:
    """An order of Website (4 checklist items) with one item ticked: 3 open."""
    row = orders.create_order(admin, client_id, "Website", 1).task.row
    first = ChecklistItem.select().order_by(ChecklistItem.id).first()
    checklists.set_done(admin, first.id, first.version, True)
    return tasks.get(row.id).row


def task_activity(task_id: int) -> list[tuple[str, str | None, str | None]]:
    """The (field, old, new) activity of a task, oldest first."""
    return list(Activity.select(Activity.field, Activity.old, Activity.new)
                .where((Activity.entity == "task") & (Activity.entity_id == task_id))
                .order_by(Activity.id).tuples())


def test_closing_an_order_with_open_items_is_refused_without_confirmation(admin, order):
    before = (task_activity(order.id), Event.select().count())

    with pytest.raises(OpenChecklistItems) as refused:
        tasks.update(admin, order.id, order.version, status="Done")

    assert str(refused.value) == (f"order {order.id} has 3 open checklist items; "
                                  "confirm to close it anyway")
    assert (refused.value.open_items, refused.value.task_id) == (3, order.id)
    assert isinstance(refused.value, InvalidInput)
    stored = Task.get_by_id(order.id)
    assert (stored.status.name, stored.closed_at, stored.version) == ("To do", None, 1)
    assert (task_activity(order.id), Event.select().count()) == before


def test_a_confirmed_override_closes_the_order_and_is_recorded(admin, order):
    closed = tasks.update(admin, order.id, order.version, override_open_items=True,
                          status="Done")

    assert (closed.row.status, closed.row.version) == ("Done", 2)
    assert closed.closed_at is not None
    version_two = set(Activity.select(Activity.field, Activity.old, Activity.new)
                      .where((Activity.entity == "task") & (Activity.entity_id == order.id)
                             & (Activity.version == 2)).tuples())
    assert version_two == {("status", "To do", "Done"),
                           ("checklist_override", None, "closed with 3 open items")}
    (event,) = Event.select().where(Event.kind == "task.status_changed")
    assert json.loads(event.data)["fields"]["checklist_override"] == [
        None, "closed with 3 open items"]


def test_no_confirmation_is_asked_when_nothing_is_open_or_already_done(admin, client_id,
                                                                        order):
    moved = tasks.update(admin, order.id, order.version, status="In progress")
    assert moved.row.status == "In progress"  # not done: no question
    done = tasks.update(admin, order.id, moved.row.version, override_open_items=True,
                        status="Done")
    closed = tasks.update(admin, order.id, done.row.version, status="Closed")
    assert closed.row.status == "Closed"  # already done: asked once, when it was closed

    orders.create_product(admin, "Hosting")
    plain = orders.create_order(admin, client_id, "Hosting", 1).task.row  # no checklist
    assert tasks.update(admin, plain.id, plain.version, status="Done").row.status == "Done"
    assert not Activity.select().where((Activity.entity_id == plain.id)
                                       & (Activity.field == "checklist_override")).exists()


def test_all_items_ticked_closes_without_confirmation(admin, order):
    for item in ChecklistItem.select().where(~ChecklistItem.done):
        checklists.set_done(admin, item.id, item.version, True)

    row = tasks.get(order.id).row
    assert tasks.update(admin, order.id, row.version, status="Done").row.status == "Done"


def test_a_plain_task_with_open_items_closes_without_confirmation(admin, order):
    task = tasks.create(admin, "Not an order", workspace.find_list("Orders").id)
    checklists.apply_template(admin, task.row.id, "Website launch")

    assert tasks.update(admin, task.row.id, 1, status="Done").row.status == "Done"


def test_triage_reports_the_order_as_failed_and_leaves_it_open(admin, order):
    task = tasks.create(admin, "Plain work", workspace.find_list("Orders").id)

    summary = triage.apply(admin, triage.Target(ids=frozenset({order.id, task.row.id})),
                           status="Done")

    assert summary.changed == (task.row.id,)
    assert summary.failed == ((order.id, f"order {order.id} has 3 open checklist items; "
                                         "confirm to close it anyway"),)
    assert Task.get_by_id(order.id).status.name == "To do"
    assert not Activity.select().where(Activity.field == "checklist_override").exists()
