"""Recategorising a status from the palette asks first when that would close orders with open
checklist items, naming how many: no (highlighted) changes nothing, yes closes them with the
override in their history."""

from __future__ import annotations

from desk.models import Activity, Status, Task
from desk.work import workspace
from desk.work.shaping import statuses as status_edits

from .conftest import Notices, press, settle
from .test_shaping import SMALL, answer, cursor_to, open_sidebar, palette


async def test_closing_orders_with_open_items_by_a_status_asks_first(desk_app):
    app = desk_app()
    with app.database.connection_context():
        orders = workspace.find_list("Orders").id
        blocked = status_edits.open_orders(orders, "In progress", category="done")
        held = Task.select().join(Status).where(Status.name == "In progress",
                                                Task.task_list == orders).count()
        overrides = Activity.select().where(Activity.field == "checklist_override").count()
    assert blocked > 0
    notices = Notices()
    async with app.run_test(size=SMALL, message_hook=notices) as pilot:
        sidebar = await open_sidebar(pilot)
        await cursor_to(pilot, sidebar, "Orders")
        question = f"{blocked} orders have open checklist items. Close them anyway?"
        await palette(pilot, "Status category")
        await answer(pilot, "In progress")
        await press(pilot, "d")  # the category picker: "d" is done
        assert app.screen.pick_title == question
        await press(pilot, "enter")  # the highlighted answer is no
        await settle(pilot)
        with app.database.connection_context():
            assert Status.get(Status.task_list == orders, Status.name == "In progress"
                              ).category == "active"

        await palette(pilot, "Status category")
        await answer(pilot, "In progress")
        await press(pilot, "d")  # the category picker: "d" is done
        assert app.screen.pick_title == question
        await press(pilot, "y")
        await settle(pilot)
        assert notices[-1] == f"The status “In progress” is now done; {held} tasks followed."
        with app.database.connection_context():
            assert Status.get(Status.task_list == orders, Status.name == "In progress"
                              ).category == "done"
            assert Activity.select().where(Activity.field == "checklist_override").count() \
                == overrides + blocked
