"""The loyalty programme in the app, over the demo workspace: the tier and points column of
the clients list, and the client screen's Loyalty line whose enter redeems a reward on an
open order or shows the points history."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import OptionList, Static

from desk.models import LoyaltyStanding, OrderData
from desk.screens.dialogs.pick import PickScreen
from desk.screens.screens.task_screen import TaskScreen

from .conftest import Notices, press, settle, shown, type_text
from .test_client_screen import client_id, go_to, item_text, open_client
from .test_clients import line_of, open_clients
from .test_task_screen import field_text


async def test_a_wide_clients_list_shows_tier_and_points(desk_app):
    app = desk_app()
    async with app.run_test(size=(200, 40)) as pilot:
        widget = await open_clients(pilot)
        heading = str(app.screen.query_one("#clients-heading", Static).render())
        lines = shown(widget)
        assert heading.split()[-1] == "Loyalty"
        assert line_of(lines, "Ingrid Solberg").split()[-2:] == ["Bronze", "3,850"]
        assert line_of(lines, "Felix Baumann").split()[-1] == "350"  # points, no tier yet
        column = heading.index("Loyalty")
        assert line_of(lines, "Ingrid Solberg")[column:].strip() == "Bronze 3,850"


async def test_the_loyalty_line_redeems_a_reward_on_an_open_order(desk_app, demo_db):
    ingrid = client_id(demo_db, "Ingrid Solberg")
    app = desk_app()
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        screen = await open_client(pilot, ingrid)
        item = ("loyalty", ingrid)
        assert item_text(screen, item) == "  Bronze · 3,850 points · Silver in 3 more purchases"
        await go_to(pilot, screen, item)
        await press(pilot, "enter")
        assert isinstance(app.screen, PickScreen)
        labels = [str(option.prompt) for option in
                  app.screen.query_one("#pick-options", OptionList).options]
        assert labels[0].startswith("Redeem 5% off (500 pts) on #16 ")
        assert labels[-1] == "See the points history (3 entries)"
        await press(pilot, "enter")
        await settle(pilot)
        assert "5% off on #16: £65.00 off, total £1,235.00; 3,350 points left." in notices
        assert item_text(screen, item).startswith("  Bronze · 3,350 points")
        # the order's fields show the discount line above its new total
        await go_to(pilot, screen, ("task", 16))
        await press(pilot, "enter")
        assert isinstance(app.screen, TaskScreen)
        assert field_text(app.screen, "Discount").split()[1:] == ["-£65.00", "(loyalty",
                                                                  "reward)"]
        assert field_text(app.screen, "Total").split() == ["Total", "£1,235.00"]
        with demo_db.connection_context():
            order = OrderData.get_by_id(16)
            assert (Decimal(order.discount), Decimal(order.total)) == (Decimal(65),
                                                                      Decimal(1235))
            assert LoyaltyStanding.get_by_id(ingrid).points == 3350


async def test_the_points_history_lists_the_ledger_newest_first(desk_app, demo_db):
    ingrid = client_id(demo_db, "Ingrid Solberg")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, ingrid)
        await go_to(pilot, screen, ("loyalty", ingrid))
        await press(pilot, "enter")
        await type_text(pilot, "history")
        await press(pilot, "enter")
        assert isinstance(app.screen, PickScreen)
        labels = [str(option.prompt).split() for option in
                  app.screen.query_one("#pick-options", OptionList).options]
        assert [label[1:3] for label in labels] == [["-500", "redeemed"], ["+3,870", "earned"],
                                                   ["+480", "earned"]]
