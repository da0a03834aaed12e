"""The first start: the admin of a workspace without spaces is asked for a display name and
a starter template, and the desk is set up; escape writes nothing; an agent who is not admin,
or a workspace that has spaces, is never asked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from desk.app import DeskApp, make_app
from desk.config import Settings
from desk.kernel import agents
from desk.models import Activity, Agent, Space, TaskList
from desk.screens.actions.first_start import SKIPPED
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.screens.inbox import InboxScreen
from desk.work import filters, workspace

from .conftest import Notices, press, settle, type_text, wait_until

SIZE = (80, 24)


@pytest.fixture
def build(sqlite_db) -> Callable[..., DeskApp]:
    """The app as `desk` opens it (first_start) over a new workspace, as `username`."""
    admin = agents.acting()

    def app_for(username: str | None = None) -> DeskApp:
        agent = agents.acting(username) if username else admin
        context = filters.Context(agent.username, datetime.now(UTC))
        return make_app(Settings(), sqlite_db, agent, context, watch_interval=None,
                        tick_interval=None, first_start=True)

    return app_for


async def test_the_admin_names_themself_and_picks_a_template(build):
    app, notices = build(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen), "the welcome")
        await press(pilot, "ctrl+u")
        await type_text(pilot, "Ada Lovelace")
        await press(pilot, "enter")
        assert isinstance(app.screen, PickScreen)
        await press(pilot, "down", "enter")  # the agency template
        await wait_until(pilot, lambda: any("set up (agency)" in text for text in notices),
                         "the set-up")
        assert isinstance(app.screen, InboxScreen)
    assert Agent.get().name == "Ada Lovelace"
    assert [(row.space.name, row.name) for row in TaskList.select().order_by(TaskList.id)] == [
        ("Support", "Support inbox"), ("Sales", "Orders"), ("Sales", "Billing"),
        ("Clients", "Accounts")]
    assert not any("made you" in text for text in notices), "a new name is not a new role"


@pytest.mark.parametrize("at", ["name", "template"])
async def test_escape_skips_the_set_up_and_writes_nothing(build, at):
    app, notices = build(), Notices()
    before = Activity.select().count()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen), "the welcome")
        if at == "template":
            await press(pilot, "enter")
            assert isinstance(app.screen, PickScreen)
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
    assert SKIPPED in notices
    assert Space.select().count() == 0 and Activity.select().count() == before


async def test_nobody_is_asked_on_a_desk_with_spaces_or_who_is_not_admin(build):
    admin = agents.acting()
    agents.add(admin, "bob")
    for app in (build("bob"), None):
        if app is None:
            workspace.create_space(admin, "Support")
            app = build()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await settle(pilot)
            assert isinstance(app.screen, InboxScreen)
