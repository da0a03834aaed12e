"""An interaction of the client screen's log read in full: its line is cut to the screen's
width, enter shows all of it wrapped, and enter there opens its task (issue 16)."""

from __future__ import annotations

from textual.widgets import Static

from desk.crm import interactions
from desk.models import Task
from desk.screens.dialogs.interaction_view import InteractionScreen
from desk.screens.screens.client_screen import ClientScreen
from desk.screens.screens.task_screen import TaskScreen

from .conftest import press
from .test_client_screen import client_id, go_to, item_text, open_client

LONG = ("Called about the new office: they move on 1 March, need twelve desks wired, the "
        "printer moved, and want a quote for the meeting room screen by Friday. [b]x[/b]")


async def test_a_cut_interaction_line_opens_in_full_and_then_its_task(desk_app, demo_db):
    atlas = client_id(demo_db, "Atlas Freight Brokers")
    app = desk_app()
    with demo_db.connection_context():
        task_id = Task.select(Task.id).where(Task.client == atlas).first().id
        logged = interactions.log(app.agent, atlas, "call", LONG, task_id=task_id).id
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, atlas)
        assert LONG not in item_text(screen, ("log", logged))  # the line is cut
        await go_to(pilot, screen, ("log", logged))
        await press(pilot, "enter")
        view = app.screen
        assert isinstance(view, InteractionScreen)
        shown = str(view.query_one("#interaction-text", Static).render())
        assert " ".join(shown.split()).endswith(" ".join(LONG.split()))  # all of it, as text
        assert f"#{task_id}" in shown
        await press(pilot, "escape")
        assert isinstance(app.screen, ClientScreen)

        await press(pilot, "enter", "enter")
        assert isinstance(app.screen, TaskScreen) and app.screen.task_id == task_id
