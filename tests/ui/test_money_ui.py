"""Money on screen in the workspace's currency (money.currency): an order's unit price and
total on the task screen and the retainers of the clients list, with the currency set to
euros over the demo (whose own texts are in pounds)."""

from __future__ import annotations

from desk.config.money import MoneySettings
from desk.models import Task
from desk.work import orders

from .conftest import shown
from .test_clients import line_of, open_clients
from .test_task_screen import SIZE, field_text, open_task

EUROS = MoneySettings(currency="EUR")


async def test_the_task_screen_shows_an_order_in_the_workspace_currency(desk_app):
    app = desk_app(money=EUROS)
    with app.database.connection_context():
        order_id = Task.select(Task.id).where(Task.kind == "order").order_by(Task.id).first().id
        data = orders.order_data(order_id)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, order_id)
        assert field_text(screen, "Unit price").split()[2:] == [f"€{data.unit_price:,.2f}"]
        assert field_text(screen, "Total").split()[1:] == [f"€{data.total:,.2f}"]


async def test_the_clients_list_shows_retainers_in_the_workspace_currency(desk_app):
    app = desk_app(money=EUROS)
    async with app.run_test(size=(100, 24)) as pilot:
        widget = await open_clients(pilot)
        assert line_of(shown(widget), "Bluefin Logistics").split()[-1] == "€2,400.00/mo"
