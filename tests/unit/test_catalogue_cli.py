"""`desk products`, `desk order` and `desk checklist`, run as a person would."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from desk.kernel import agents
from desk.models import Activity, Checklist, ChecklistTemplate, Client, OrderData, Product, Task
from desk.work import checklists, orders, workspace

CONFIG = """\
timezone: Europe/Berlin
orders:
  list: Orders
  team: Fulfilment
checklist_templates:
  Intake:
    list: Support inbox
    items: [Read the request, {Reply: [Greet, Answer]}]
"""


@pytest.fixture
def desk(migrated_url, run_desk, monkeypatch, tmp_path):
    """Run `desk ARGS...` against the test database with a config that seeds the template
    "Intake" on Support inbox; returns (status, stdout, stderr). The workspace has the lists
    Support inbox and Orders, the team Fulfilment, the template "Website launch", the
    products Website (with it) and Ads (inactive), and three clients."""
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG)
    monkeypatch.setenv("DESK_CONFIG", str(config))

    run_desk("init")
    admin = agents.acting()
    workspace.create_space(admin, "Support")
    workspace.create_list(admin, "Support", "Support inbox")
    workspace.create_list(admin, "Support", "Orders")
    agents.add(admin, "jonas", teams=("Fulfilment",))
    checklists.create_template(admin, "Website launch", ["Kick-off", {"Content": ["Texts"]}])
    orders.create_product(admin, "Website", unit_price="1200.50",
                          checklist_template="Website launch")
    orders.create_product(admin, "Ads", active=False)
    for name in ("Acme GmbH", "Acme Labs", "Bluefin Logistics"):
        Client.create(name=name, kind="client")
    return run_desk


def failed(result: tuple[int, str, str], message: str) -> bool:
    """Whether a run failed, printing nothing but one error line holding `message` (after
    the note of the templates seeded on the first run)."""
    status, out, err = result
    last = err.splitlines()[-1]
    return (status == 1 and out == "" and last.startswith("desk: ") and message in last
            and "Traceback" not in err)


# --- desk products -------------------------------------------------------------------------


def test_products_lists_the_active_catalogue_and_all_with_all(desk):
    status, out, _ = desk("products")
    header, *lines = out.splitlines()
    assert status == 0 and header.split() == ["ID", "NAME", "KIND", "UNIT_PRICE", "ACTIVE",
                                              "CHECKLIST_TEMPLATE"]
    assert [line.split()[1:] for line in lines] == [
        ["Website", "service", "£1,200.50", "yes", "Website", "launch"]]

    _, out, _ = desk("products", "list", "--all", "--format", "json")
    listed = json.loads(out)
    assert [(p["name"], p["active"], p["unit_price"], p["currency"]) for p in listed] == [
        ("Ads", False, "0.00", "GBP"), ("Website", True, "1200.50", "GBP")]
    _, out, _ = desk("products", "--all", "--format", "csv")
    assert out.splitlines() == [
        "id,name,kind,unit_price,active,checklist_template,currency",
        "2,Ads,service,0.00,no,,GBP", "1,Website,service,1200.50,yes,Website launch,GBP"]


def test_products_add_stores_the_product_with_its_checklist(desk):
    status, out, _ = desk("products", "add", "Laptop", "--price", "1290", "--kind", "product",
                          "--checklist", "website LAUNCH")
    assert status == 0
    assert out == ("added product 3: Laptop (product, £1,290.00, active, checklist: "
                   "Website launch)\n")
    laptop = orders.find_product("Laptop")
    assert (laptop.kind, laptop.unit_price, laptop.checklist_template) == (
        "product", Decimal("1290.00"), "Website launch")


@pytest.mark.parametrize(("args", "message"), [
    (("--price", "cheap"), "unit price needs an amount like 1200.50, not 'cheap'"),
    (("--price", "-5"), "unit price cannot be negative"),
    (("--price", "10", "--checklist", "Nope"), "no checklist template named 'Nope'"),
    (("--price", "10", "--checklist", "none"), "no checklist template named 'none'"),
    (("--price", "10"), "a product named 'laptop' exists already"),
])
def test_products_add_refuses_bad_values_and_adds_nothing(desk, args, message):
    orders.create_product(agents.acting(), "Laptop")
    assert failed(desk("products", "add", "laptop", *args), message)
    assert Product.select().count() == 3


def test_products_edit_changes_every_field_with_history(desk):
    status, out, _ = desk("products", "edit", "website", "--name", "Website build",
                          "--price", "1300", "--kind", "product", "--active", "no",
                          "--checklist", "none")
    assert status == 0
    assert out == "product 1: Website build (product, £1,300.00, inactive, checklist: none)\n"
    changed = set(Activity.select(Activity.field, Activity.old, Activity.new)
                  .where((Activity.entity == "product") & (Activity.version == 2)).tuples())
    assert changed == {("name", "Website", "Website build"),
                       ("unit_price", "1200.50", "1300.00"), ("kind", "service", "product"),
                       ("active", "yes", "no"), ("checklist_template", "Website launch", None)}

    status, out, _ = desk("products", "edit", "1", "--active", "yes", "--checklist",
                          "Website launch")
    assert status == 0 and out.endswith("(product, £1,300.00, active, checklist: Website launch)\n")
    assert Product.get_by_id(1).version == 3


@pytest.mark.parametrize(("args", "message"), [
    (("Website", "--price", "12.345"), "unit price needs an amount like 1200.50"),
    (("Website", "--checklist", "Nope"), "no checklist template named 'Nope'"),
    (("Website", "--name", "ads"), "a product named 'ads' exists already"),
    (("Website",), "name a change: --name, --price, --kind, --active or --checklist"),
    (("Logo", "--price", "1"), "no product matches 'Logo'"),
    (("99", "--price", "1"), "no product 99"),
])
def test_products_edit_refuses_bad_values_and_changes_nothing(desk, args, message):
    assert failed(desk("products", "edit", *args), message)
    assert orders.find_product("Website").version == 1


# --- desk order ----------------------------------------------------------------------------


def test_order_by_client_name_puts_it_on_orders_for_the_fulfilling_team(desk):
    status, out, _ = desk("order", "bluefin", "website", "--qty", "3", "--due",
                          "2026-12-01 14:00")

    assert status == 0
    assert out.splitlines() == [
        "added order 1: 3 × Website for Bluefin Logistics",
        "client      Bluefin Logistics",
        "product     Website",
        "quantity    3",
        "unit price  £1,200.50",
        "total       £3,601.50",
        "list        Orders",
        "team        Fulfilment",
        "due         2026-12-01 14:00",
        "checklist   3 items",
    ]
    task = Task.get_by_id(1)
    assert (task.kind, task.task_list.name, task.team.name, task.client.name) == (
        "order", "Orders", "Fulfilment", "Bluefin Logistics")
    assert task.due_at.isoformat() == "2026-12-01T13:00:00"  # stored in UTC
    data = OrderData.get_by_id(1)
    assert (data.product.name, data.quantity, Decimal(str(data.total))) == (
        "Website", 3, Decimal("3601.50"))
    assert [c.name for c in Checklist.select().where(Checklist.task == 1)] == ["Website launch"]


def test_order_by_client_id_with_own_price_as_json(desk):
    client_id = Client.get(Client.name == "Acme Labs").id

    status, out, _ = desk("order", str(client_id), "1", "--qty", "2", "--price", "999",
                          "--format", "json")

    assert status == 0
    (order,) = json.loads(out)
    assert (order["client"], order["product"], order["quantity"], order["unit_price"],
            order["total"], order["currency"], order["team"], order["checklist"]) == (
        "Acme Labs", "Website", 2, "999.00", "1998.00", "GBP", "Fulfilment", "0/3")


@pytest.mark.parametrize(("args", "message"), [
    (("acme", "Website", "--qty", "1"),
     "several clients match 'acme': Acme GmbH, Acme Labs; use the id"),
    (("Nobody", "Website", "--qty", "1"), "no client named 'Nobody'"),
    (("Bluefin", "Ads", "--qty", "1"), "product 'Ads' is inactive and cannot be ordered"),
    (("Bluefin", "Logo", "--qty", "1"), "no product matches 'Logo'"),
    (("Bluefin", "Website", "--qty", "0"), "quantity must be a whole number above 0"),
    (("Bluefin", "Website", "--qty", "1", "--price", "x"), "unit price needs an amount"),
    (("Bluefin", "Website", "--qty", "1", "--due", "someday"), "cannot read 'someday'"),
])
def test_bad_orders_are_one_line_and_create_nothing(desk, args, message):
    assert failed(desk("order", *args), message)
    assert Task.select().count() == 0 and OrderData.select().count() == 0


def test_an_order_needs_the_fulfilling_team_to_exist(desk, tmp_path):
    config = tmp_path / "other.yaml"
    config.write_text("orders:\n  team: Shipping\n")

    assert failed(desk("--config", str(config), "order", "Bluefin", "Website", "--qty", "1"),
                  "no team named 'Shipping' to fulfil the order")
    config.write_text("orders:\n  team: null\n")
    status, out, _ = desk("--config", str(config), "order", "Bluefin", "Website", "--qty", "1")
    assert status == 0 and "team        -" in out.splitlines()


# --- desk checklist ------------------------------------------------------------------------


def test_the_config_seeds_its_templates_once_when_desk_opens(desk):
    # The fixture's "migrate" opened no session; this is the first command that does.
    status, _, err = desk("checklist", "templates")
    assert status == 0 and "added checklist templates from the config: Intake" in err
    _, _, err = desk("checklist", "templates")
    assert "Intake" not in err
    intake = ChecklistTemplate.get(ChecklistTemplate.name == "Intake")
    assert intake.task_list.name == "Support inbox"


def test_checklist_templates_lists_name_list_and_item_count(desk):
    _, out, _ = desk("checklist", "templates")
    assert out.splitlines() == ["ID  NAME            LIST           ITEMS",
                                "2   Intake          Support inbox  4",
                                "1   Website launch                 3"]
    _, out, _ = desk("checklist", "templates", "--format", "json")
    assert json.loads(out)[0] == {"id": 2, "name": "Intake", "list": "Support inbox",
                                  "items": 4}


def test_a_task_added_on_a_list_gets_its_template(desk):
    desk("add", "Printer jam")  # on Support inbox, whose template the config seeds

    assert [c.name for c in Checklist.select().where(Checklist.task == 1)] == ["Intake"]


def test_checklist_apply_gives_a_task_the_template_by_hand(desk):
    desk("add", "Website for Acme", "--list", "Orders")

    status, out, _ = desk("checklist", "apply", "1", "website launch")

    assert status == 0
    assert out == "added checklist Website launch (3 items) to task 1: Website for Acme\n"
    assert [c.name for c in Checklist.select().where(Checklist.task == 1)] == [
        "Website launch"]


@pytest.mark.parametrize(("args", "message"), [
    (("1", "Nope"), "no checklist template named 'Nope'"),
    (("99", "Website launch"), "no task 99"),
])
def test_checklist_apply_errors_are_one_line(desk, args, message):
    desk("add", "Website for Acme", "--list", "Orders")
    assert failed(desk("checklist", "apply", *args), message)
    assert Checklist.select().count() == 0


@pytest.mark.parametrize(("text", "message"), [
    ("  Intake:\n    items:\n      - Read\n      - {Reply: [Greet, 3]}\n",
     "line 5: checklist_templates.Intake.items: item 2.2 must be a text or "
     "{text: [children]}; got 3"),
    ("  Intake:\n    list: Orders\n", "line 3: checklist_templates.Intake: missing the key "
                                        "'items'"),
    ("  Intake:\n    items: []\n", "line 3: checklist_templates.Intake.items: expected at "
                                     "least one item"),
    ("  Intake:\n    items: Read\n", "line 3: checklist_templates.Intake.items: expected a "
                                       "list, got 'Read'"),
])
def test_a_bad_template_in_the_config_names_its_key_and_line(desk, tmp_path, text, message):
    config = tmp_path / "bad.yaml"
    config.write_text("checklist_templates:\n" + text)

    assert failed(desk("--config", str(config), "products"), message)
    assert ChecklistTemplate.select().count() == 1
