"""The product catalogue and orders: tasks of kind order with typed order data.

An order is created in one transaction: its task, its OrderData, the product's checklist, an
Interaction that moves the client's relationship clock, and the history of all of them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from msgspec import Struct
from peewee import JOIN, fn

from desk.clock import stored, utcnow
from desk.crm import interactions
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import known_fields, required_text, storable_text, typed_id
from desk.models import ChecklistTemplate, Client, OrderData, Product, Task, Team, database
from desk.money import CENTS, amount
from desk.text import one_line
from desk.vocabulary import PRODUCT_KINDS
from desk.work import checklists, tasks, workspace
from desk.work.tasks import TaskDetail

if TYPE_CHECKING:
    from desk.config import OrderSettings

EDITABLE = ("name", "kind", "unit_price", "active", "checklist_template")
MAX_PRICE = Decimal("9999999999.99")  # Product.unit_price: 12 digits, 2 of them decimals
MAX_TOTAL = Decimal("999999999999.99")  # OrderData.total: 14 digits, 2 of them decimals
MAX_QUANTITY = 2**31 - 1  # OrderData.quantity is a 32-bit integer
NAME_LIMIT = 200  # the most characters a product's name may have


class ProductRow(Struct, frozen=True):
    """A product or service of the catalogue, with the checklist template its orders get."""

    id: int
    name: str
    kind: str
    unit_price: Decimal
    active: bool
    checklist_template: str | None
    version: int


class OrderInfo(Struct, frozen=True):
    """The order data of a task: what, how many, at what price, and when it was settled."""

    task_id: int
    product_id: int
    product: str
    quantity: int
    unit_price: Decimal
    total: Decimal
    fulfilled_at: datetime | None
    invoiced_at: datetime | None
    discount: Decimal = Decimal("0.00")


class OrderRow(Struct, frozen=True):
    """A new order: its task and its order data."""

    task: TaskDetail
    order: OrderInfo


def create_product(agent: AgentRef, name: str, kind: str = "service",
                   unit_price: Decimal | str | int = Decimal("0"),
                   checklist_template: str | None = None, active: bool = True) -> ProductRow:
    """Add a product or service to the catalogue."""
    require_writer(agent)
    values = _normalise({"name": name, "kind": kind, "unit_price": unit_price, "active": active,
                         "checklist_template": checklist_template})
    with database.atomic():
        _check_name_free(values["name"])
        product = Product.create(**_columns(values))
        audit.record("product", product.id, agent,
                     {field: (None, value) for field, value in values.items()}, 1,
                     "product.created")
    return _row(product.id)


def update_product(agent: AgentRef, product_id: int, version: int,
                   **changes: object) -> ProductRow:
    """Change fields of a product read at `version` (name, kind, unit_price, active,
    checklist_template); fields someone else changed meanwhile conflict, others merge."""
    require_writer(agent)
    known_fields(changes, EDITABLE, "product")
    wanted = _normalise(changes)
    with database.atomic():
        product = versions.load_for_update(Product, product_id, "product")
        current = _row(product_id)
        effective = versions.effective_changes(
            "product", product_id, version, product.version,
            {field: getattr(current, field) for field in EDITABLE}, wanted)
        if not effective:
            return _row(product_id)
        if "name" in effective:
            _check_name_free(effective["name"][1], product_id)
        new = {field: value for field, (_, value) in effective.items()}
        new_version = versions.bump(Product, product_id, product.version, "product",
                                    _columns(new))
        audit.record("product", product_id, agent, effective, new_version, "product.updated")
    return _row(product_id)


def products(include_inactive: bool = False) -> list[ProductRow]:
    """The catalogue by name; only active products unless asked."""
    query = _product_rows()
    if not include_inactive:
        query = query.where(Product.active)
    return [_product_row(row) for row in query.order_by(Product.name)]


def find_product(text: str) -> ProductRow:
    """A product by id, by exact name (case-insensitive), or by a part of its name that only
    one product contains."""
    word = storable_text(str(text).strip(), "a product's name")
    if not word:
        raise InvalidInput("name a product")
    if (product_id := typed_id(word)) is not None:
        return _row(product_id)
    if len(word) > NAME_LIMIT:  # longer than any name: no product has it
        raise NotFound(f"no product matches {one_line(word, 60)!r}")
    exact = Product.select(Product.id).where(fn.LOWER(Product.name) == word.lower()).first()
    if exact is not None:
        return _row(exact.id)
    matches = list(Product.select(Product.id, Product.name)
                   .where(fn.LOWER(Product.name).contains(word.lower()))
                   .order_by(Product.name).limit(5))
    if not matches:
        raise NotFound(f"no product matches {word!r}")
    if len(matches) > 1:
        names = ", ".join(product.name for product in matches)
        raise InvalidInput(f"several products match {word!r} ({names}); type more of the name")
    return _row(matches[0].id)


def create_order(agent: AgentRef, client_id: int, product: str | int, quantity: int, *,
                 unit_price: Decimal | str | int | None = None, list_name: str = "Orders",
                 team: str | None = None, due_at: datetime | None = None,
                 title: str | None = None, now: datetime | None = None) -> OrderRow:
    """Create an order task for a client on the named list, with its order data, its
    product's checklist (or, for a product without one, its list's checklists), and an
    Interaction of kind order; all or nothing.

    The unit price defaults to the product's; the total is quantity × unit price. `now` is
    when it is ordered (default: the current time; a caller recording history passes the
    moment).
    """
    require_writer(agent)
    count = _quantity(quantity)
    price = None if unit_price is None else _price(unit_price)
    with database.atomic():
        chosen = find_product(str(product))
        if not chosen.active:
            raise InvalidInput(f"product {chosen.name!r} is inactive and cannot be ordered")
        client = Client.get_or_none(Client.id == client_id)
        if client is None:
            raise NotFound(f"no client {client_id}")
        price = chosen.unit_price if price is None else price
        total = _total(count, price)
        detail = tasks.create(
            agent, title or f"{count} × {chosen.name} for {client.name}",
            workspace.find_list(list_name).id, kind="order", client_id=client_id,
            due_at=due_at, team_id=_team_id(team),
            list_templates=chosen.checklist_template is None, now=now,
        )
        task_id = detail.row.id
        OrderData.create(task=task_id, product=chosen.id, quantity=count, unit_price=price,
                         total=total)
        changes = {"product": (None, chosen.name), "quantity": (None, count),
                   "unit_price": (None, price), "total": (None, total)}
        audit.record("task", task_id, agent, changes, 1, "order.created",
                     {"client_id": client_id, "product_id": chosen.id, "quantity": count,
                      "unit_price": audit.as_text(price), "total": audit.as_text(total)},
                     at=detail.created_at)
        if chosen.checklist_template:
            checklists.apply_template(agent, task_id, chosen.checklist_template,
                                      now=detail.created_at)
        interactions.log(agent, client_id, "order", detail.row.title, task_id=task_id,
                         now=detail.created_at)
    return OrderRow(tasks.get(task_id), order_data(task_id))


def place_order(agent: AgentRef, where: OrderSettings, client_id: int, product: str | int,
                quantity: int | str, *, unit_price: Decimal | str | int | None = None,
                due_at: datetime | None = None) -> OrderRow:
    """`create_order` as the config's `orders:` settings place it: on their list, assigned
    to the fulfilling team (`desk order` and the order form)."""
    return create_order(agent, client_id, product, quantity, unit_price=unit_price,
                        list_name=where.list, team=where.team, due_at=due_at)


ORDER_MOMENTS = ("fulfilled_at", "invoiced_at")
ORDER_EDITABLE = ("product", "quantity", "unit_price", *ORDER_MOMENTS)


def update_order(agent: AgentRef, task_id: int, version: int, *, now: datetime | None = None,
                 **changes: object) -> OrderInfo:
    """Change the order data of an order task read at `version`: product (id or name),
    quantity, unit_price, and when it was fulfilled and invoiced (fulfilled_at, invoiced_at:
    a datetime, or None). The total follows (less the order's discount); a new product
    without a unit price brings its catalogue price.

    Like `tasks.update`: the task's version goes up, each changed field (and the total) is
    recorded as activity, and a field another agent changed since `version` to another value
    is a ConflictError with nothing written. `now` is when the change is made (default: the
    current time; a caller recording history passes the moment).
    """
    require_writer(agent)
    known_fields(changes, ORDER_EDITABLE, "order")
    wanted: dict[str, object] = {}
    if "quantity" in changes:
        wanted["quantity"] = _quantity(changes["quantity"])
    if "unit_price" in changes:
        wanted["unit_price"] = _price(changes["unit_price"])
    for name in ORDER_MOMENTS:
        if name in changes:
            wanted[name] = _moment(name, changes[name])
    moment = stored(now) or utcnow()
    with database.atomic():
        task = versions.load_for_update(Task, task_id, "task")
        current = order_data(task_id)
        if current is None:
            raise InvalidInput(f"task {task_id} is not an order")
        if "product" in changes:
            chosen = find_product(str(changes["product"]))
            wanted["product"] = chosen.name
            if chosen.id != current.product_id and "unit_price" not in wanted:
                wanted["unit_price"] = chosen.unit_price
        snapshot = {"product": current.product, "quantity": current.quantity,
                    "unit_price": current.unit_price, "fulfilled_at": current.fulfilled_at,
                    "invoiced_at": current.invoiced_at}
        effective = versions.effective_changes("task", task_id, version, task.version,
                                               snapshot, wanted)
        if not effective:
            return current
        new = {**snapshot, **{field: value for field, (_, value) in effective.items()}}
        total = max(_total(int(new["quantity"]), Decimal(new["unit_price"])) - current.discount,
                    Decimal("0.00"))
        if total != current.total:
            effective["total"] = (current.total, total)
        columns: dict[str, object] = {"quantity": new["quantity"],
                                      "unit_price": new["unit_price"], "total": total,
                                      **{name: new[name] for name in ORDER_MOMENTS}}
        if "product" in effective:
            columns["product"] = find_product(str(new["product"])).id
        (OrderData.update({getattr(OrderData, name): value for name, value in columns.items()})
         .where(OrderData.task == task_id).execute())
        new_version = versions.bump(Task, task_id, task.version, "task",
                                    {"updated_at": moment})
        audit.record("task", task_id, agent, effective, new_version, "order.updated",
                     {"list_id": task.task_list_id, "kind": task.kind}, at=moment)
    return order_data(task_id)


def parse_quantity(text: object) -> int:
    """A typed quantity checked as orders check it: a whole number from 1 up (InvalidInput
    naming the field otherwise)."""
    return _quantity(text)


def parse_price(text: object) -> Decimal:
    """A typed unit price checked as orders check it: an amount from 0 up (InvalidInput
    naming the field otherwise)."""
    return _price(text)


def order_data(task_id: int) -> OrderInfo | None:
    """The order data of a task, or None when the task is not an order."""
    row = (OrderData.select(OrderData, Product.name.alias("product_name")).join(Product)
           .where(OrderData.task == task_id).objects().first())
    if row is None:
        return None
    return OrderInfo(
        task_id=task_id, product_id=row.product_id, product=row.product_name,
        quantity=row.quantity, unit_price=_cents(row.unit_price), total=_cents(row.total),
        fulfilled_at=row.fulfilled_at, invoiced_at=row.invoiced_at,
        discount=_cents(row.discount),
    )


def _normalise(changes: dict[str, object]) -> dict[str, object]:
    """Product fields in the form ProductRow has them, validated."""
    wanted = dict(changes)
    if "name" in wanted:
        wanted["name"] = _name(wanted["name"])
    if "kind" in wanted:
        kind = str(wanted["kind"]).strip().lower()
        if kind not in PRODUCT_KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(PRODUCT_KINDS)}, "
                               f"not {wanted['kind']!r}")
        wanted["kind"] = kind
    if "unit_price" in wanted:
        wanted["unit_price"] = _price(wanted["unit_price"])
    if "active" in wanted and not isinstance(wanted["active"], bool):
        raise InvalidInput(f"active must be yes or no, not {wanted['active']!r}")
    if "checklist_template" in wanted:
        template = str(wanted["checklist_template"] or "").strip()
        wanted["checklist_template"] = _template(template).name if template else None
    return wanted


def _moment(name: str, value: object) -> datetime | None:
    """A fulfilled or invoiced time in the stored form (naive UTC), or None."""
    if value is not None and not isinstance(value, datetime):
        raise InvalidInput(f"{name.replace('_', ' ')} must be a date and time, not {value!r}")
    return stored(value)


def _columns(values: dict[str, object]) -> dict[str, object]:
    """The product columns for normalised field values."""
    columns = dict(values)
    if "checklist_template" in columns and columns["checklist_template"] is not None:
        columns["checklist_template"] = _template(columns["checklist_template"]).id
    return columns


def _template(name: str) -> ChecklistTemplate:
    """A checklist template by name (case-insensitive), or NotFound."""
    wanted = storable_text(name.strip(), "a checklist template's name").lower()
    template = (ChecklistTemplate.select()
                .where(fn.LOWER(ChecklistTemplate.name) == wanted).first())
    if template is None:
        raise NotFound(f"no checklist template named {name!r}")
    return template


def _check_name_free(name: str, product_id: int | None = None) -> None:
    """Refuse a name another product has (case-insensitively)."""
    query = Product.select().where(fn.LOWER(Product.name) == name.lower())
    if product_id is not None:
        query = query.where(Product.id != product_id)
    if query.exists():
        raise InvalidInput(f"a product named {name!r} exists already")


def _name(value: object) -> str:
    """A stripped, non-empty product name of at most NAME_LIMIT characters."""
    return required_text(value, what="a product name", limit=NAME_LIMIT,
                         empty="a product needs a name")


def _price(value: object) -> Decimal:
    """A unit price: an amount from 0 up to MAX_PRICE."""
    price = amount(value, "unit price")
    if price < 0:
        raise InvalidInput(f"unit price cannot be negative, not {price}")
    if price > MAX_PRICE:
        raise InvalidInput(f"unit price can be at most {MAX_PRICE}, not {price}")
    return price


def _quantity(value: object) -> int:
    """A whole quantity from 1 up to MAX_QUANTITY."""
    try:
        number = None if isinstance(value, bool) else Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value() \
            or number < 1:
        raise InvalidInput(f"quantity must be a whole number above 0, not {value!r}")
    if number > MAX_QUANTITY:
        raise InvalidInput(f"quantity can be at most {MAX_QUANTITY}, not {value!r}")
    return int(number)


def _total(quantity: int, price: Decimal) -> Decimal:
    """quantity × unit price, refused when too large to store."""
    total = (price * quantity).quantize(CENTS)
    if total > MAX_TOTAL:
        raise InvalidInput(f"the total {total} is more than an order can hold ({MAX_TOTAL})")
    return total


def _team_id(name: str | None) -> int | None:
    """The id of a team named (case-insensitively), None for no team, or NotFound."""
    if name is None:
        return None
    wanted = storable_text(name.strip(), "a team's name").lower()
    team = Team.select(Team.id).where(fn.LOWER(Team.name) == wanted).first()
    if team is None:
        raise NotFound(f"no team named {name!r} to fulfil the order")
    return team.id


def _cents(value: Decimal) -> Decimal:
    """A stored amount with exactly two decimal places (SQLite returns 12.5 for 12.50)."""
    return Decimal(value).quantize(CENTS)


def _product_rows():
    """Products with their checklist template's name."""
    return (Product.select(Product, ChecklistTemplate.name.alias("template_name"))
            .join(ChecklistTemplate, JOIN.LEFT_OUTER,
                  on=Product.checklist_template == ChecklistTemplate.id)
            .objects())


def _product_row(product: Product) -> ProductRow:
    """The plain row of a product selected by `_product_rows`."""
    return ProductRow(product.id, product.name, product.kind, _cents(product.unit_price),
                      product.active, product.template_name, product.version)


def _row(product_id: int) -> ProductRow:
    """One product by id, or NotFound."""
    product = _product_rows().where(Product.id == product_id).first()
    if product is None:
        raise NotFound(f"no product {product_id}")
    return _product_row(product)
