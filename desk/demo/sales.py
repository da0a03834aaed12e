"""The demo's orders, through the order services: each placed by the client's account manager
at the moment it came in (with its product's checklist and the order interaction), then
described and given to someone in Fulfilment, its checklist ticked as the work went, and moved
on to In progress, Fulfilled and Invoiced with the moments recorded on its order data."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from msgspec import Struct

from desk.demo.content import CURRENCY, ProductSpec
from desk.demo.context import ClientInfo, Demo
from desk.money import money_text
from desk.work import checklists, orders, tasks

ORDERS = "Orders"  # the list orders go on
ACTIVE = ("onboarding", "active", "at_risk")  # the stages of clients who order


class _Order(Struct, frozen=True):
    """An order as drawn, before it is written."""

    created_at: datetime
    status: str
    product: ProductSpec
    buyer: ClientInfo


def place_orders(demo: Demo) -> None:
    """About thirty orders of the active clients, oldest first."""
    rng = demo.rng
    content = demo.content.catalogue
    buyers = [client for client in demo.clients if client.spec.stage in ACTIVE]
    products = {product.name: product for product in content.products}
    statuses = [status for status, count in content.order_statuses.items()
                for _ in range(count)]
    rng.shuffle(statuses)
    drawn = []
    for status in statuses:
        product = products[demo.weighted({name: p.weight for name, p in products.items()})]
        buyer = rng.choice(buyers)
        drawn.append(_Order(demo.days_ago(*content.order_ages[status]), status, product,
                            buyer))
    drawn.sort(key=lambda order: order.created_at)
    for order in drawn:
        _place(demo, order)


def _place(demo: Demo, order: _Order) -> None:
    """One order and its progress: everything about it is drawn first (always in the same
    order, which keeps the seed's workspace what it is), then written."""
    rng, product, buyer = demo.rng, order.product, order.buyer
    content = demo.content.catalogue
    # every product's quantity is drawn, so that the sequence does not depend on the product
    quantities = {p.name: rng.randint(*p.quantity) for p in content.products if p.quantity}
    quantity = quantities.get(product.name, 1)
    unit_price = product.price
    if "vip" in buyer.spec.tags:
        unit_price = (unit_price * content.vip_discount).quantize(Decimal("0.01"))
    total = (unit_price * quantity).quantize(Decimal("0.01"))
    fulfiller = demo.agent(rng.choice(demo.content.workspace.fulfilment_agents))
    manager = buyer.spec.manager or rng.choice(demo.content.workspace.managers)
    creator = demo.agent(manager)
    fulfilled = invoiced = None
    if order.status in ("Fulfilled", "Invoiced"):
        fulfilled = demo.after(order.created_at, 3 * 1440, 12 * 1440)
    if order.status == "Invoiced":
        invoiced = demo.after(fulfilled, 1440, 5 * 1440)
    priority = "high" if rng.random() < 0.2 else "normal"
    due_at = datetime.combine(order.created_at.date() + timedelta(days=rng.randint(10, 21)),
                              time(17))
    placed = orders.create_order(
        creator, buyer.id, product.name, quantity, unit_price=unit_price, list_name=ORDERS,
        team=demo.lists[ORDERS].team, due_at=due_at, title=f"{product.name} for {buyer.spec.name}",
        now=order.created_at)
    task_id = placed.task.row.id
    description = (f"{product.note}\n\n{quantity} × {product.name} at "
                   f"{money_text(unit_price, CURRENCY)} = {money_text(total, CURRENCY)}")
    tasks.update(creator, task_id, placed.task.row.version, now=order.created_at,
                 description=description, priority=priority, assignees=[fulfiller.username],
                 tags=("hardware",) if product.kind == "product" else ())
    ticks = _plan_ticks(demo, task_id, order, fulfilled)
    if order.status != "Received":
        started = ticks[0][1] if ticks else order.created_at
        demo.update_task(fulfiller, task_id, started, status="In progress")
    for item_id, moment in ticks:
        checklists.set_done(fulfiller, item_id, 1, True, now=moment)  # each item is ticked once
    if fulfilled is not None:
        demo.update_task(fulfiller, task_id, fulfilled, status="Fulfilled")
        orders.update_order(fulfiller, task_id, demo.version(task_id), now=fulfilled,
                            fulfilled_at=fulfilled)
    if invoiced is not None:
        demo.update_task(creator, task_id, invoiced, status="Invoiced")
        orders.update_order(creator, task_id, demo.version(task_id), now=invoiced,
                            invoiced_at=invoiced)


def _plan_ticks(demo: Demo, task_id: int, order: _Order,
                fulfilled: datetime | None) -> list[tuple[int, datetime]]:
    """Which items of the order's checklist were ticked, and when: all of them once it is
    fulfilled, some of its leaves (and the items all of whose children are) in progress,
    none when just received. Items are ticked in their order, parents before children."""
    views = checklists.for_task(task_id)
    if not views:
        return []
    flat = list(_preorder(views[0].items, None))
    parents = {parent for _, parent in flat if parent is not None}
    leaves = [item_id for item_id, _ in flat if item_id not in parents]
    if order.status in ("Fulfilled", "Invoiced"):
        done_leaves = len(leaves)
    elif order.status == "In progress":
        done_leaves = demo.rng.randint(1, len(leaves) - 1)
    else:
        done_leaves = 0
    done = set(leaves[:done_leaves])
    for item_id, _ in flat:
        children = [child for child, parent in flat if parent == item_id]
        if children and all(child in done for child in children):
            done.add(item_id)
    moment = order.created_at
    ticks = []
    for item_id, _ in flat:
        if item_id in done:
            moment = demo.after(moment, 30, 1440)
            if fulfilled is not None:
                moment = min(moment, fulfilled)
            ticks.append((item_id, moment))
    return ticks


def _preorder(items: tuple[checklists.ItemView, ...], parent: int | None):
    """(item id, parent id) of a checklist tree, parents before their children."""
    for item in items:
        yield item.id, parent
        yield from _preorder(item.children, item.id)
