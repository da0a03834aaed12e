"""desk products, desk order and desk checklist: the product catalogue, orders placed from it,
and the checklist templates its orders (and any task) receive."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from desk import output
from desk.cli.one_command import OnlyCommand
from desk.cli.options import positive
from desk.cli.session import Session, in_session
from desk.cli.tasks import task_record
from desk.errors import DeskError
from desk.money import money_text
from desk.text import visible
from desk.vocabulary import PRODUCT_KINDS

if TYPE_CHECKING:
    from desk.work.orders import ProductRow

PRODUCT_COLUMNS = ("id", "name", "kind", "unit_price", "active", "checklist_template")
TEMPLATE_COLUMNS = ("id", "name", "list", "items")


def register(commands: OnlyCommand) -> None:
    """Add desk products [list|add|edit], desk order and desk checklist templates|apply."""
    products = commands.add_parser("products", help="list or change the product catalogue")
    products.add_argument("--format", choices=output.FORMATS, default="table")
    products.add_argument("--all", action="store_true", help="include inactive products")
    products.set_defaults(handler=in_session(list_products, at_least="viewer"))
    actions = products.add_subparsers(metavar="ACTION")
    listing = actions.add_parser("list", help="list the catalogue (the default)")
    listing.add_argument("--format", choices=output.FORMATS, default=argparse.SUPPRESS)
    listing.add_argument("--all", action="store_true", default=argparse.SUPPRESS,
                         help="include inactive products")
    listing.set_defaults(handler=in_session(list_products, at_least="viewer"))
    add = actions.add_parser("add", help="add a product or service")
    add.add_argument("name")
    add.add_argument("--price", required=True, help="unit price, e.g. 1200.50")
    add.add_argument("--kind", choices=PRODUCT_KINDS, default="service")
    add.add_argument("--checklist", metavar="TEMPLATE",
                     help="the checklist template its orders get")
    add.set_defaults(handler=in_session(add_product))
    edit = actions.add_parser("edit", help="change a product")
    edit.add_argument("product", metavar="NAME|ID")
    edit.add_argument("--name", help="a new name")
    edit.add_argument("--price", help="a new unit price")
    edit.add_argument("--kind", choices=PRODUCT_KINDS)
    edit.add_argument("--active", choices=("yes", "no"), help="no = it can no longer be ordered")
    edit.add_argument("--checklist", metavar="TEMPLATE|none",
                      help="the checklist template its orders get (none: no checklist)")
    edit.set_defaults(handler=in_session(edit_product))

    order = commands.add_parser("order", help="create an order for a client")
    order.add_argument("client", metavar="CLIENT", help="client id or name")
    order.add_argument("product", metavar="PRODUCT", help="product id or name")
    order.add_argument("--qty", required=True, metavar="N", help="how many")
    order.add_argument("--price", help="unit price (default: the product's)")
    order.add_argument("--due", metavar="WHEN",
                        help="e.g. fri 15:00, tomorrow, in 3 days, dec 24, next week, eod")
    order.add_argument("--format", choices=("table", "json"), default="table")
    order.set_defaults(handler=in_session(place_order))

    checklist = commands.add_parser("checklist", help="list checklist templates or apply one")
    checklist_actions = checklist.add_subparsers(metavar="ACTION", required=True)
    templates = checklist_actions.add_parser("templates", help="list the checklist templates")
    templates.add_argument("--format", choices=output.FORMATS, default="table")
    templates.set_defaults(handler=in_session(list_templates, at_least="viewer"))
    apply = checklist_actions.add_parser("apply", help="give a task a checklist")
    apply.add_argument("task", type=positive, metavar="TASK", help="task number")
    apply.add_argument("template", metavar="TEMPLATE", help="template name")
    apply.set_defaults(handler=in_session(apply_template))


def list_products(session: Session, args: argparse.Namespace) -> int:
    """desk products [list] [--all] [--format F]."""
    from desk.work import orders

    rows = output.records(orders.products(include_inactive=args.all))
    print(output.render(rows, PRODUCT_COLUMNS, args.format, session.settings.tz,
                        flexible=("name", "checklist_template"),
                        width=output.terminal_width(sys.stdout),
                        money=output.Money(("unit_price",), session.settings.money.currency)))
    return 0


def add_product(session: Session, args: argparse.Namespace) -> int:
    """desk products add NAME --price P [--kind K] [--checklist TEMPLATE]."""
    from desk.work import orders

    row = orders.create_product(session.agent, args.name, kind=args.kind,
                                unit_price=args.price, checklist_template=args.checklist)
    print(f"added product {row.id}: {product_text(row, session.settings.money.currency)}")
    return 0


def edit_product(session: Session, args: argparse.Namespace) -> int:
    """desk products edit NAME|ID [--name] [--price] [--kind] [--active] [--checklist]."""
    from desk.work import orders

    current = orders.find_product(args.product)
    row = orders.update_product(session.agent, current.id, current.version,
                                **product_changes(args))
    print(f"product {row.id}: {product_text(row, session.settings.money.currency)}")
    return 0


def product_changes(args: argparse.Namespace) -> dict[str, object]:
    """The product fields `desk products edit` was asked to change (at least one)."""
    changes: dict[str, object] = {
        field: value for field, value in (("name", args.name), ("unit_price", args.price),
                                          ("kind", args.kind)) if value is not None}
    if args.active is not None:
        changes["active"] = args.active == "yes"
    if args.checklist is not None:
        none = args.checklist.strip().lower() == "none"
        changes["checklist_template"] = None if none else args.checklist
    if not changes:
        raise DeskError("name a change: --name, --price, --kind, --active or --checklist")
    return changes


def product_text(row: ProductRow, currency: str) -> str:
    """A product on one line, its price in `currency`: "Website (service, £1,200.50, active,
    checklist: Launch)"."""
    template = visible(row.checklist_template) if row.checklist_template else "none"
    state = "active" if row.active else "inactive"
    price = money_text(row.unit_price, currency)
    return f"{visible(row.name)} ({row.kind}, {price}, {state}, checklist: {template})"


def place_order(session: Session, args: argparse.Namespace) -> int:
    """desk order CLIENT PRODUCT --qty N."""
    from desk import dates
    from desk.clock import to_utc
    from desk.crm import clients
    from desk.work import orders

    client = clients.find(args.client, session.agent)
    due = to_utc(dates.parse_due(args.due, session.context.now)) if args.due else None
    created = orders.place_order(session.agent, session.settings.orders, client.id,
                                 args.product, args.qty, unit_price=args.price, due_at=due)
    row, info = created.task.row, created.order
    currency = session.settings.money.currency
    record = {**task_record(row), "team": created.task.team, "product": info.product,
              "quantity": info.quantity, "unit_price": info.unit_price, "total": info.total}
    if args.format == "json":
        print(output.render([record], (), "json", session.settings.tz,
                            money=output.Money(("unit_price", "total"), currency)))
        return 0
    print(f"added order {row.id}: {visible(row.title)}")
    zone = session.settings.tz
    print(output.fields([
        ("client", row.client), ("product", info.product), ("quantity", info.quantity),
        ("unit price", money_text(info.unit_price, currency)),
        ("total", money_text(info.total, currency)), ("list", row.list),
        ("team", created.task.team), ("due", output.cell(row.due_at, zone)),
        ("checklist", f"{row.checklist_total} items"),
    ]))
    return 0


def list_templates(session: Session, args: argparse.Namespace) -> int:
    """desk checklist templates [--format F]."""
    from desk.work import checklists

    rows = [{"id": view.id, "name": view.name, "list": view.list_name, "items": view.item_count}
            for view in checklists.templates()]
    print(output.render(rows, TEMPLATE_COLUMNS, args.format, session.settings.tz,
                        flexible=("name", "list"), width=output.terminal_width(sys.stdout)))
    return 0


def apply_template(session: Session, args: argparse.Namespace) -> int:
    """desk checklist apply TASK TEMPLATE."""
    from desk.work import checklists, tasks

    checklist_id = checklists.apply_template(session.agent, args.task, args.template)
    added = next(view for view in checklists.for_task(args.task) if view.id == checklist_id)
    row = tasks.get(args.task).row
    print(f"added checklist {visible(added.name)} ({added.progress[1]} items) to task "
          f"{row.id}: {visible(row.title)}")
    return 0
