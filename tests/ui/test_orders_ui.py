"""Orders from the keyboard: the order form (tasks list, client screen, palette), closing an
order with open checklist items, the catalogue and checklist template screens, and copying a
template onto a task. Checked in the database and on screen, over the demo workspace."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input, Static

from desk.models import Activity, Checklist, ChecklistItem, Client, OrderData, Task
from desk.screens.dialogs.order_form import OrderFormScreen
from desk.screens.dialogs.pick import PickScreen
from desk.screens.screens.products import ProductsScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.screens.screens.templates import TemplatesScreen, outline_items, outline_text
from desk.work import checklists, orders, tasks

from .conftest import press, settle, type_text

SIZE = (100, 30)


def newest_order(app) -> tuple[Task, OrderData, int]:
    """The newest order task, its order data and its number of checklist items."""
    with app.database.connection_context():
        task = Task.select().where(Task.kind == "order").order_by(Task.id.desc()).get()
        data = OrderData.get(OrderData.task == task.id)
        items = (ChecklistItem.select().join(Checklist).where(Checklist.task == task.id).count())
        return task, data, items


def client_id(app, name: str) -> int:
    """A demo client's id by name."""
    with app.database.connection_context():
        return Client.get(Client.name == name).id


async def choose_product(pilot, name: str) -> None:
    """Enter on the product line, type part of the name, pick it."""
    pilot.app.screen.query_one("#order-product").focus()
    await press(pilot, "enter")
    await type_text(pilot, name)
    await press(pilot, "enter")


async def test_an_order_from_the_tasks_list_opens_with_its_product_checklist(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "2")
        await press(pilot, "plus")
        form = app.screen
        assert isinstance(form, OrderFormScreen)
        await press(pilot, "enter")  # the client line has the focus
        await type_text(pilot, "aurora")
        await press(pilot, "enter")
        await choose_product(pilot, "laptop")
        await press(pilot, "backspace", "2")
        assert "2 × £1,290.00 = £2,580.00" in str(form.query_one("#order-total", Static).render())
        await press(pilot, "ctrl+j")
        task, data, items = newest_order(app)
        assert isinstance(app.screen, TaskScreen) and app.screen.task_id == task.id
        assert task.client_id == client_id(app, "Aurora Yoga Studio")
        assert (data.quantity, data.unit_price, data.total) == (2, Decimal("1290.00"),
                                                                 Decimal("2580.00"))
        with app.database.connection_context():
            laptop = next(t for t in checklists.templates() if t.name == "Laptop setup")
        assert items == laptop.item_count > 0  # the product's checklist, nested items too


async def test_the_client_screen_orders_for_its_client(desk_app):
    app = desk_app()
    bluefin = client_id(app, "Bluefin Logistics")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_client(bluefin)
        await settle(pilot)
        await press(pilot, "plus")
        assert "Bluefin Logistics" in str(app.screen.query_one("#order-client").render())
        await choose_product(pilot, "seo")
        await press(pilot, "tab")  # from the quantity to the price
        await type_text(pilot, "500")
        await press(pilot, "ctrl+j")
        task, data, _items = newest_order(app)
        assert task.client_id == bluefin and data.unit_price == Decimal("500.00")


async def test_bad_values_are_named_in_place_and_nothing_is_ordered(desk_app):
    app = desk_app()
    before = newest_order(app)[0].id
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.new_order((client_id(app, "Bluefin Logistics"), "Bluefin Logistics"))
        await settle(pilot)
        await choose_product(pilot, "seo")
        await press(pilot, "backspace", "0")
        error = app.screen.query_one("#order-error", Static)
        assert "quantity" in str(error.render()).lower()
        await press(pilot, "ctrl+j")
        assert isinstance(app.screen, OrderFormScreen)
        await press(pilot, "backspace", "1", "tab", "tab")
        await type_text(pilot, "next blursday")
        await press(pilot, "ctrl+j")
        assert isinstance(app.screen, OrderFormScreen)
        assert "blursday" in str(error.render())
        assert newest_order(app)[0].id == before
        # a due date it can read is shown back as it is typed (the clock: Fri 20 Nov)
        app.screen.query_one("#order-due", Input).value = "dec 24 15:00"
        await settle(pilot)
        total = str(app.screen.query_one("#order-total", Static).render())
        assert "Due      Thu 24 Dec 15:00" in total and not str(error.render())


async def test_the_palette_offers_a_new_order(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await type_text(pilot, "new order")
        await press(pilot, "enter")
        assert isinstance(app.screen, OrderFormScreen)


async def test_closing_an_order_with_open_items_asks_and_the_override_is_recorded(desk_app):
    app = desk_app()
    with app.database.connection_context():
        placed = orders.create_order(app.agent, client_id(app, "Bluefin Logistics"),
                                     "Laptop setup", 1)
        task_id = placed.task.row.id
        open_items = checklists.open_items(task_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_task(task_id)
        await settle(pilot)
        for answer in ("Keep it open", "Close it anyway"):
            await press(pilot, "s")
            await type_text(pilot, "fulfilled")
            await press(pilot, "enter")
            assert isinstance(app.screen, PickScreen)
            assert f"{open_items} open checklist items" in str(app.screen.query_one(".dialog-title")
                                                   .render())
            await press(pilot, *answer.split()[0].lower(), "enter")
            with app.database.connection_context():
                status = tasks.get(task_id).row.status
            assert status == ("Received" if answer == "Keep it open" else "Fulfilled")
        with app.database.connection_context():
            overrides = Activity.select().where((Activity.entity == "task")
                                                & (Activity.entity_id == task_id)
                                                & (Activity.field == "checklist_override"))
            assert overrides.count() == 1


async def test_the_catalogue_screen_adds_reprices_and_retires(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_screen("desk.screens.screens.products:ProductsScreen")
        await settle(pilot)
        assert isinstance(app.screen, ProductsScreen)
        await press(pilot, "n")
        await type_text(pilot, "Backup check")
        await press(pilot, "enter")
        await press(pilot, "s")  # the kind: "service" is the only one starting with s
        await type_text(pilot, "75")
        await press(pilot, "enter")
        with app.database.connection_context():
            added = orders.find_product("Backup check")
        assert (added.kind, added.unit_price, added.active) == ("service", Decimal("75.00"), True)
        listed = app.screen.query_one("#products-list")
        listed.cursor = listed.index_of(lambda product: product.id == added.id)
        await press(pilot, "enter")
        await type_text(pilot, "unit")
        await press(pilot, "enter")
        await press(pilot, "ctrl+a", "ctrl+k")
        await type_text(pilot, "80")
        await press(pilot, "enter")
        await press(pilot, "a")
        with app.database.connection_context():
            changed = orders.find_product("Backup check")
        assert (changed.unit_price, changed.active) == (Decimal("80.00"), False)


def test_an_outline_nests_by_indent():
    text = ("Confirm the order\nPrepare\n  Install updates\n  - Install software\n"
            "    Licences\nHand over")
    items = outline_items(text)
    assert items == ["Confirm the order",
                     {"Prepare": ["Install updates", {"Install software": ["Licences"]}]},
                     "Hand over"]


def test_an_outline_indented_too_far_names_the_line():
    try:
        outline_items("Prepare\n      Too deep")
    except Exception as error:
        assert "line 2" in str(error)
    else:
        raise AssertionError("an indent of six spaces under a top item was accepted")


async def test_the_templates_screen_writes_edits_and_deletes(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_screen("desk.screens.screens.templates:TemplatesScreen")
        await settle(pilot)
        assert isinstance(app.screen, TemplatesScreen)
        await press(pilot, "n")
        await type_text(pilot, "Site visit")
        await press(pilot, "enter")
        app.screen.query_one("TextArea").text = "Book the visit\nOn site\n  Check the rack"
        await press(pilot, "ctrl+j")
        with app.database.connection_context():
            made = next(t for t in checklists.templates() if t.name == "Site visit")
        assert outline_text(made.items) == "Book the visit\nOn site\n  Check the rack"
        listed = app.screen.query_one("#templates-list")
        listed.cursor = listed.index_of(lambda template: template.id == made.id)
        await press(pilot, "delete")
        await type_text(pilot, "delete")
        await press(pilot, "enter")
        with app.database.connection_context():
            assert all(t.name != "Site visit" for t in checklists.templates())
