"""The new-query form (inbox `+`, palette "New query"): a query by phone lands on the intake
list with its requester, client, product, priority and channel; mistakes are named in place
and nothing is created; viewers are refused."""

from __future__ import annotations

from textual.widgets import Static

from desk.kernel import agents
from desk.models import Activity, QueryData, Task
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.query_form import QueryFormScreen
from desk.screens.screens.task_screen import TaskScreen

from .conftest import Notices, press, settle, type_text

SIZE = (100, 40)


def queries(app) -> int:
    """How many queries the database holds."""
    with app.database.connection_context():
        return Task.select().where(Task.kind == "query").count()


async def open_form(pilot) -> QueryFormScreen:
    """Press + on the inbox and wait for the form."""
    await settle(pilot)
    await press(pilot, "plus")
    assert isinstance(pilot.app.screen, QueryFormScreen)
    return pilot.app.screen


async def pick(pilot, line: str, answer: str) -> None:
    """Focus a choice line of the form, press enter and choose `answer` by typing it."""
    pilot.app.screen.query_one(f"#query-{line}").focus()
    await press(pilot, "enter")
    assert isinstance(pilot.app.screen, PickScreen)
    await type_text(pilot, answer)
    await press(pilot, "enter")


async def test_a_phone_query_is_created_with_everything_typed_and_opens(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        before = queries(app)
        await open_form(pilot)
        await type_text(pilot, "Jo Walker")
        await press(pilot, "tab")
        await type_text(pilot, "jo@example.net")
        await pick(pilot, "client", "Oakridge")
        await pick(pilot, "priority", "high")
        app.screen.query_one("#query-problem").focus()
        await type_text(pilot, "The card reader stopped working")
        await press(pilot, "ctrl+j")

        assert isinstance(app.screen, TaskScreen)
        assert queries(app) == before + 1
        with app.database.connection_context():
            task = Task.select().where(Task.kind == "query").order_by(Task.id.desc()).get()
            data = QueryData.get_by_id(task.id)
            assert (task.title, task.priority, task.client.name, task.task_list.name) == (
                "The card reader stopped working", 2, "Oakridge Florist", "Support inbox")
            assert (data.requester_name, data.requester_email, data.channel) == (
                "Jo Walker", "jo@example.net", "phone")
            assert data.resolution_due is not None  # it is on the SLA clock


async def test_the_subject_is_the_title_and_the_history_names_the_agent_at_80x24(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await type_text(pilot, "Jo Walker")
        subject = form.query_one("#query-subject")
        assert subject.region.bottom <= form.query_one("#query-problem").region.y
        assert form.query_one("#query-error").region.bottom < 24  # the whole form fits
        assert form.query_one(".dialog-hint").region.bottom < 24
        subject.focus()
        await type_text(pilot, "Card reader offline")
        form.query_one("#query-problem").focus()
        await type_text(pilot, "Since this morning the card reader shows nothing.")
        await press(pilot, "ctrl+j")

        assert isinstance(app.screen, TaskScreen)
        with app.database.connection_context():
            task = Task.select().where(Task.kind == "query").order_by(Task.id.desc()).get()
            actors = {actor for (actor,) in Activity.select(Activity.actor).where(
                (Activity.entity == "task") & (Activity.entity_id == task.id)).tuples()}
        assert task.title == "Card reader offline"
        assert actors == {app.agent.username}  # the agent who took the call, not "intake"


async def test_mistakes_are_named_in_place_and_nothing_is_created(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        before = queries(app)
        form = await open_form(pilot)
        await press(pilot, "ctrl+j")
        error = str(form.query_one("#query-error", Static).render())
        assert error.startswith("problem: ")
        await press(pilot, "tab")
        await type_text(pilot, "not an address")
        form.query_one("#query-problem").focus()
        await type_text(pilot, "Help")
        await press(pilot, "ctrl+j")
        assert app.screen is form
        assert str(form.query_one("#query-error", Static).render()) == (
            "email: 'not an address' is not an e-mail address")
        await press(pilot, "escape")
        assert not isinstance(app.screen, QueryFormScreen) and queries(app) == before


async def test_the_palette_opens_it_and_a_viewer_is_refused(desk_app, demo_db):
    with demo_db.connection_context():
        viewer = agents.add(agents.acting(), "vera", role="viewer", name="Vera Viewer")
    app, notices = desk_app(agent=viewer), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        await press(pilot, "plus")
        assert not isinstance(app.screen, QueryFormScreen)
        assert any("viewer" in notice for notice in notices)
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await type_text(pilot, "New query")
        await press(pilot, "enter")
        assert isinstance(app.screen, QueryFormScreen)
