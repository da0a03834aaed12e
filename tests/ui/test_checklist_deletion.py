"""Deleting a whole checklist from the task screen: delete on a checklist's heading, after a
yes/no question, at the items shown (issue 16)."""

from __future__ import annotations

from textual.widgets import OptionList

from desk.screens.dialogs.pick import PickScreen
from desk.screens.widgets.checklist_panel import ChecklistPanel
from desk.work import checklists

from .conftest import press
from .test_task_screen import SIZE, focus, lines, new_task, open_task, statics_text, text


async def test_delete_on_a_checklists_heading_deletes_the_whole_checklist(desk_app):
    app = desk_app()
    task_id = new_task(app)
    with app.database.connection_context():
        kept = checklists.add_checklist(app.agent, task_id, "Kept")
        gone = checklists.add_checklist(app.agent, task_id, "Venue")
        parent = checklists.add_item(app.agent, gone, "Call hotels")
        checklists.add_item(app.agent, gone, "Ask for a quote", parent_id=parent)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(pilot, task_id)
        panel = await focus(pilot, ChecklistPanel)
        await press(pilot, "j")  # the heading of "Venue"
        assert panel.current.item is None and panel.current.name == "Venue"
        await press(pilot, "delete")
        assert isinstance(app.screen, PickScreen)
        assert "Delete “Venue” and its 2 items" in statics_text(app.screen) + text(
            app.screen.query_one(OptionList))
        await press(pilot, "down", "enter")  # "Keep it"
        assert lines(panel)[1] == "☰ Venue  0/2 ░░░░░░░░░░"

        with app.database.connection_context():  # someone adds an item meanwhile
            checklists.add_item(app.agent, gone, "Book the room")
        await press(pilot, "delete", "enter")
        assert any("Someone changed this checklist" in str(notice.message)
                   for notice in app._notifications)
        with app.database.connection_context():
            assert [view.name for view in checklists.for_task(task_id)] == ["Kept", "Venue"]
        assert lines(panel)[1] == "☰ Venue  0/3 ░░░░░░░░░░"  # shown as stored

        await press(pilot, "delete", "enter")
        with app.database.connection_context():
            assert [view.id for view in checklists.for_task(task_id)] == [kept]
        assert lines(panel) == ["☰ Kept  0/0 ░░░░░░░░░░"]
