"""Tasks moved by recategorising or removing a status move as a status change of their own:
each fires "status changed" (so automations run), and an order with open checklist items is
not closed that way unless the admin says so (--force), as when one order changes status."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from desk import sla
from desk.automation import processor
from desk.config import Settings
from desk.crm import clients
from desk.models import Activity, Event, QueryData, Task, TaskList
from desk.work import checklists, orders, starters, tasks, workspace
from desk.work.shaping import statuses as status_edits

NOW = datetime(2026, 11, 18, 10, 30, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture
def shop(admin) -> dict[str, int]:
    """The agency template; two orders in progress, the first with an open checklist item;
    returns the ids of the Orders list and of both orders."""
    starters.set_up(admin, "agency")
    client = clients.create(admin, "Acme", "client").row.id
    orders.create_product(admin, "Setup", unit_price="100.00")
    made = [orders.create_order(admin, client, "Setup", 1, title=title).task.row.id
            for title in ("Laptops", "Phones")]
    for order in made:
        tasks.update(admin, order, tasks.get(order).row.version, status="In progress")
    checklists.add_item(admin, checklists.add_checklist(admin, made[0], "Steps"), "Ship")
    return {"list": workspace.find_list("Orders").id, "open": made[0], "ticked": made[1]}


def where(task_id: int) -> tuple[str, str, bool]:
    """A task's status, category and whether it is closed."""
    row = Task.get_by_id(task_id)
    return row.status.name, row.category, row.closed_at is not None


def test_closing_an_order_with_open_items_by_recategorising_needs_force(admin, shop):
    before = Activity.select().count()
    with pytest.raises(status_edits.OpenOrders) as refused:
        status_edits.set_category(admin, shop["list"], "In progress", "done")
    assert str(refused.value) == ("1 order has open checklist items; moving it to a done "
                                  "status needs --force")
    assert where(shop["open"]) == ("In progress", "active", False)
    assert Activity.select().count() == before  # nothing written, the status neither
    assert status_edits.open_orders(shop["list"], "In progress", category="done") == 1
    assert status_edits.open_orders(shop["list"], "In progress", category="open") == 0

    assert status_edits.set_category(admin, shop["list"], "In progress", "done",
                                     force=True) == 2
    assert where(shop["open"]) == ("In progress", "done", True)
    override = Activity.get((Activity.entity_id == shop["open"])
                            & (Activity.field == "checklist_override"))
    assert override.new == "closed with 1 open item"
    assert not Activity.select().where((Activity.entity_id == shop["ticked"])
                                       & (Activity.field == "checklist_override")).exists()


def test_each_moved_task_fires_status_changed_and_the_automations_run(admin, shop):
    orders_list = shop["list"]
    assert status_edits.open_orders(orders_list, "In progress", to="Fulfilled") == 1
    with pytest.raises(status_edits.OpenOrders):
        status_edits.remove(admin, orders_list, "In progress", "Fulfilled")
    assert status_edits.remove(admin, orders_list, "In progress", "Fulfilled", force=True) == 2
    events = [(event.entity_id, event.data) for event in
              Event.select().where(Event.kind == "task.status_changed").order_by(Event.id)]
    moved = sorted((shop["open"], shop["ticked"]))
    assert [entity for entity, _ in events[-2:]] == moved
    assert all('"from": "In progress"' in data and '"to": "Fulfilled"' in data
               for _, data in events[-2:])
    assert where(shop["ticked"]) == ("Fulfilled", "done", True)

    assert processor.run_automations(Settings(), NOW, admin).errors == []
    billing = TaskList.get(TaskList.name == "Billing").id
    invoices = sorted(title for (title,) in Task.select(Task.title)
                      .where(Task.task_list == billing).tuples())
    assert invoices == ["Invoice Laptops", "Invoice Phones"]


def test_a_query_closed_or_reopened_by_its_status_keeps_its_resolution_time(admin, shop):
    inbox = workspace.find_list("Support inbox").id
    query = tasks.create(admin, "Printer jam", inbox, kind="query",
                         sla_rules=sla.book(Settings())).row.id
    tasks.update(admin, query, tasks.get(query).row.version, status="Waiting on customer")

    def resolved() -> bool:
        """Whether the query has a resolution time."""
        return QueryData.get(QueryData.task == query).resolved_at is not None

    assert not resolved()
    status_edits.set_category(admin, inbox, "Waiting on customer", "done")
    assert where(query) == ("Waiting on customer", "done", True) and resolved()
    status_edits.set_category(admin, inbox, "Waiting on customer", "active")
    assert where(query) == ("Waiting on customer", "active", False) and not resolved()
    assert Activity.select().where((Activity.entity_id == query)
                                   & (Activity.field == "resolved_at")).count() == 2
