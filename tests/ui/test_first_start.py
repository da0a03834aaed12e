"""The first start: the admin of a workspace without spaces is asked for a display name, an
e-mail and signature, the company, time zone and working hours, and a starter template, each
checked in place; the desk is set up and the app takes the saved zone and hours; escape at
any step writes nothing; an agent who is not admin, or a workspace that has spaces, is never
asked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Static

from desk.app import DeskApp, make_app
from desk.config import Settings
from desk.kernel import agents
from desk.models import Activity, Agent, Space, TaskList, WorkspaceSetting
from desk.screens.actions.first_start import SKIPPED
from desk.screens.dialogs.fields_form import FieldsForm
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
        assert isinstance(app.screen, FieldsForm)
        await press(pilot, "ctrl+j")  # e-mail and signature skipped
        assert isinstance(app.screen, FieldsForm)
        await press(pilot, "ctrl+j")  # company, zone and hours skipped
        assert isinstance(app.screen, PickScreen)
        await press(pilot, "down", "enter")  # the agency template
        await wait_until(pilot, lambda: any("set up (agency)" in text for text in notices),
                         "the set-up")
        assert isinstance(app.screen, InboxScreen)
        assert app.settings == Settings()  # nothing saved over the config
    assert Agent.get().name == "Ada Lovelace"
    assert [(row.space.name, row.name) for row in TaskList.select().order_by(TaskList.id)] == [
        ("Support", "Support inbox"), ("Sales", "Orders"), ("Sales", "Billing"),
        ("Clients", "Accounts")]
    assert WorkspaceSetting.select().count() == 0
    assert not any("made you" in text for text in notices), "a new name is not a new role"


def error_under(app, field: str) -> str:
    """The mistake shown under a field of the form in front ("" when none is shown)."""
    error = app.screen.query_one(f"#form-{field}-error", Static)
    return str(error.render()) if error.display else ""


async def test_every_step_is_checked_in_place_and_the_app_takes_the_hours(build):
    app, notices = build(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen), "the welcome")
        await press(pilot, "enter")
        await type_text(pilot, "ada at example")
        await press(pilot, "ctrl+j")
        assert error_under(app, "email") == ("email 'ada at example' is not an e-mail address "
                                             "like ada@example.com")
        await press(pilot, "ctrl+u")
        await type_text(pilot, "ada@example.com")
        await press(pilot, "tab")
        await type_text(pilot, "Ada\nAnalytical Engines")
        await press(pilot, "ctrl+j")
        assert app.screen.query_one("#form-company").has_focus
        await type_text(pilot, "Acme & Co [b]")
        await press(pilot, "tab")
        await type_text(pilot, "Asia/Tokio")
        await press(pilot, "tab")
        await type_text(pilot, "Sun-Thu 08:00-16:00")
        await press(pilot, "ctrl+j")
        assert error_under(app, "timezone").startswith("time zone 'Asia/Tokio' is unknown")
        app.screen.query_one("#form-timezone").focus()
        await press(pilot, "ctrl+u")
        await type_text(pilot, "Asia/Tokyo")
        await press(pilot, "ctrl+j")
        assert isinstance(app.screen, PickScreen)
        await press(pilot, "enter")  # the support template
        await wait_until(pilot, lambda: any("set up (support)" in text for text in notices),
                         "the set-up")
        assert app.settings.tz == ZoneInfo("Asia/Tokyo") == app.now().tzinfo
        assert app.sla_rules.calendar.weekdays == frozenset({6, 0, 1, 2, 3})
    me = Agent.get()
    assert (me.email, me.signature) == ("ada@example.com", "Ada\nAnalytical Engines")
    assert {row.key: row.value for row in WorkspaceSetting.select()} == {
        "company": "Acme & Co [b]", "timezone": "Asia/Tokyo",
        "hours": "mon,tue,wed,thu,sun 08:00-16:00"}


@pytest.mark.parametrize("at", range(4))
async def test_escape_skips_the_set_up_and_writes_nothing(build, at):
    app, notices = build(), Notices()
    before = Activity.select().count()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen), "the welcome")
        if at >= 1:
            await press(pilot, "enter")
            await type_text(pilot, "ada@example.com")
        for _ in range(at - 1):
            await press(pilot, "ctrl+j")
        if at >= 1:
            assert isinstance(app.screen, (FieldsForm, PickScreen)[at == 3])
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
    assert SKIPPED in notices
    assert Space.select().count() == 0 and Activity.select().count() == before
    assert Agent.get().email == "" and WorkspaceSetting.select().count() == 0


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
