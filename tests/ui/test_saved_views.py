"""Saving the current query as a view and recalling it, over the demo workspace: what the
modals show, what they return, and what the database holds afterwards.

Views a test starts with are saved before the app runs, so no live refresh races the test.
"""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from desk.errors import NotFound
from desk.kernel import agents
from desk.screens.dialogs.pick_view import PickViewScreen
from desk.screens.dialogs.save_view import SaveViewScreen
from desk.work import views

from .conftest import Notices, press, settle, type_text


def text_of(screen, selector: str) -> str:
    """What a Static of `screen` shows, as plain text."""
    return str(screen.query_one(selector, Static).render())


def options(screen) -> list[str]:
    """The lines of the picker's list."""
    option_list = screen.query_one(OptionList)
    return [str(option_list.get_option_at_index(i).prompt)
            for i in range(option_list.option_count)]




async def push(pilot, screen) -> list:
    """Push a modal over a blank screen (the mode screens below, reloading on live refresh,
    stay out of the test) and collect what it dismisses with."""
    results: list = []
    await pilot.app.push_screen(Screen())
    await pilot.app.push_screen(screen, results.append)
    await settle(pilot)
    return results


async def test_saving_stores_the_query_under_the_typed_name(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await push(pilot, SaveViewScreen("tasks", "status:open @me #billing"))
        assert "status:open @me #billing" in text_of(app.screen, ".dialog--query")
        await type_text(pilot, "My billing")
        await press(pilot, "enter")
        assert results == ["My billing"]
        with app.database.connection_context():
            saved = views.get(app.agent, "tasks", "my billing")
        assert (saved.query, saved.owner) == ("status:open @me #billing", app.agent.username)


async def test_an_empty_name_is_refused_in_place(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await push(pilot, SaveViewScreen("tasks", "@me"))
        await press(pilot, "space", "enter")
        assert "a saved view needs a name" in text_of(app.screen, "#save-view-message")
        assert isinstance(app.screen, SaveViewScreen) and results == []
        with app.database.connection_context():
            assert views.for_agent(app.agent, "tasks") == []


async def test_a_name_in_use_asks_before_replacing_it(desk_app):
    app = desk_app()
    with app.database.connection_context():
        views.save(app.agent, "tasks", "Mine", "@me")
    async with app.run_test(size=(80, 24)) as pilot:
        results = await push(pilot, SaveViewScreen("tasks", "@me #billing"))
        await type_text(pilot, "mine")
        await press(pilot, "enter")
        assert "enter again replaces" in text_of(app.screen, "#save-view-message")
        with app.database.connection_context():
            assert views.get(app.agent, "tasks", "Mine").query == "@me"
        await press(pilot, "enter")
        assert results == ["mine"]
        with app.database.connection_context():
            assert views.get(app.agent, "tasks", "Mine").query == "@me #billing"


async def test_escape_saves_nothing(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await push(pilot, SaveViewScreen("clients", "stage:active"))
        await type_text(pilot, "Active")
        await press(pilot, "escape")
        assert results == [None]
        with app.database.connection_context():
            assert views.for_agent(app.agent, "clients") == []


async def test_a_viewer_cannot_save_a_view(desk_app, demo_db):
    with demo_db.connection_context():
        viewer = agents.acting("sam")
    app, notices = desk_app(agent=viewer), Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        results = await push(pilot, SaveViewScreen("tasks", "@me"))
        assert results == [None]
        assert any("You are a viewer, so you cannot save views" in text for text in notices)
        with app.database.connection_context():
            assert views.for_agent(viewer, "tasks") == []


async def test_picking_recalls_a_saved_view(desk_app):
    app = desk_app()
    with app.database.connection_context():
        views.save(app.agent, "tasks", "Billing", "#billing")
        views.save(app.agent, "tasks", "Urgent", "priority:urgent", shared=True)
        views.save(app.agent, "clients", "Leads", "stage:lead")
    async with app.run_test(size=(80, 24)) as pilot:
        results = await push(pilot, PickViewScreen("tasks"))
        shown = options(app.screen)
        assert len(shown) == 2 and "Billing" in shown[0] and "#billing" in shown[0]
        assert "Urgent" in shown[1] and "shared" in shown[1]
        await type_text(pilot, "urg")
        assert len(options(app.screen)) == 1
        await press(pilot, "enter")
        assert [(view.name, view.query) for view in results] == [("Urgent", "priority:urgent")]


async def test_down_moves_the_highlight_while_typing_filters(desk_app):
    app = desk_app()
    with app.database.connection_context():
        views.save(app.agent, "tasks", "Alpha", "@me")
        views.save(app.agent, "tasks", "Beta", "#billing")
    async with app.run_test(size=(80, 24)) as pilot:
        results = await push(pilot, PickViewScreen("tasks"))
        assert app.screen.query_one(Input).has_focus
        await press(pilot, "down", "enter")
        assert [view.name for view in results] == ["Beta"]


async def test_deleting_asks_first_then_removes_the_view(desk_app):
    app = desk_app()
    with app.database.connection_context():
        views.save(app.agent, "tasks", "Old", "@me")
    async with app.run_test(size=(80, 24)) as pilot:
        await push(pilot, PickViewScreen("tasks"))
        await press(pilot, "ctrl+d")
        assert "ctrl+d again deletes" in text_of(app.screen, "#pick-view-message")
        with app.database.connection_context():
            assert views.get(app.agent, "tasks", "Old")
        await press(pilot, "ctrl+d")
        assert options(app.screen) == []
        assert "Deleted 'Old'" in text_of(app.screen, "#pick-view-message")
        with app.database.connection_context(), pytest.raises(NotFound):
            views.get(app.agent, "tasks", "Old")


async def test_hostile_view_names_show_literally(desk_app):
    app = desk_app()
    hostile = "[@click=app.quit]x[/] \x1b[2J"
    with app.database.connection_context():
        views.save(app.agent, "tasks", hostile, '"[/]"')
    async with app.run_test(size=(80, 24)) as pilot:
        await push(pilot, PickViewScreen("tasks"))
        shown = options(app.screen)
        assert "[@click=app.quit]x[/] ␛[2J" in shown[0] and '"[/]"' in shown[0]
        await press(pilot, "ctrl+d")
        assert "[@click=app.quit]x[/]" in text_of(app.screen, "#pick-view-message")
        assert app.is_running
