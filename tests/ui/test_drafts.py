"""Drafts in the app: what is typed into a reply, note, description or client notes is in the
database a moment later without saving; an app that stops without saving (a dropped
connection) leaves it there, the next start says so, the editor opens on it again, and
saving or discarding the text deletes it."""

from __future__ import annotations

import threading
from datetime import timedelta

from textual.widgets import OptionList, Static, TextArea

from desk.crm import clients
from desk.kernel import agents, drafts
from desk.models import Client, Draft
from desk.screens.actions.drafts import DraftKeeper
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.screens.client_screen import ClientScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.screens.screens.templates import TemplatesScreen, outline_text
from desk.work import checklists, comments, tasks

from .conftest import DEMO_NOW, Notices, press, settle, type_text, wait_until

SIZE = (80, 24)
TASK = 53
"""A query of the demo workspace: "Receipt printer prints blank receipts"."""


def kept(app) -> list[tuple[str, int, str]]:
    """(kind, task or client, text) of every draft in the database."""
    with app.database.connection_context():
        return list(Draft.select(Draft.kind, Draft.entity_id, Draft.text)
                    .order_by(Draft.id).tuples())


def hint(app) -> str:
    """The line under the open editor."""
    return str(app.screen.query_one("#write-hint", Static).render())


def editor_text(app) -> str:
    """What the open editor holds."""
    assert isinstance(app.screen, WriteTextScreen)
    return app.screen.query_one(TextArea).text


async def open_task(pilot, task_id: int = TASK) -> TaskScreen:
    """Open the task screen and wait until it shows the task."""
    pilot.app.open_task(task_id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, TaskScreen)
    return pilot.app.screen


async def test_a_reply_survives_an_app_that_stops_without_saving(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_task(pilot)
        await press(pilot, "r")
        await type_text(pilot, "Dear Ana,\nthe printer is fixed")
        await wait_until(pilot, lambda: kept(app), "the draft to be kept")
        assert kept(app) == [("reply", TASK, "Dear Ana,\nthe printer is fixed")]
        with app.database.connection_context():
            replies = [c.body for c in comments.for_task(TASK) if c.kind == "reply"]
        assert "Dear Ana,\nthe printer is fixed" not in replies  # nothing was sent
    # The app stopped with the editor open, as when the connection drops.

    again, notices = desk_app(), Notices()
    async with again.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        told = [notice for notice in notices if "unsaved draft" in notice]
        assert told == ["You have 1 unsaved draft (reply on #53 Receipt printer prints blank "
                        "receipts): ctrl+p then Drafts… lists them."]
        await open_task(pilot)
        await press(pilot, "r")
        assert editor_text(again) == "Dear Ana,\nthe printer is fixed"
        assert hint(again).startswith("Restored your draft from 10:00.")
        await type_text(pilot, " today.")
        await press(pilot, "ctrl+j")
        with again.database.connection_context():
            last = comments.for_task(TASK)[-1]
        assert (last.kind, last.body) == ("reply", "Dear Ana,\nthe printer is fixed today.")
        assert kept(again) == []  # saving cleared the draft


async def test_the_start_says_nothing_without_drafts(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        assert not [notice for notice in notices if "draft" in notice]


async def test_a_restored_draft_needs_two_escapes_and_then_is_gone(desk_app):
    app = desk_app()
    with app.database.connection_context():
        drafts.save(app.agent, "note", TASK, "call them friday")
    async with app.run_test(size=SIZE) as pilot:
        await open_task(pilot)
        await press(pilot, "n")
        assert editor_text(app) == "call them friday"
        await press(pilot, "escape")
        assert isinstance(app.screen, WriteTextScreen)  # a draft is not thrown away at once
        assert "again discards" in hint(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, TaskScreen)
        assert kept(app) == []


async def test_a_description_draft_is_kept_offered_back_and_cleared_when_saved(desk_app):
    app = desk_app()
    with app.database.connection_context():
        stored = tasks.get(TASK).description
    async with app.run_test(size=SIZE) as pilot:
        await open_task(pilot)
        await press(pilot, "D")
        area = app.screen.query_one(TextArea)
        area.move_cursor(area.document.end)
        await type_text(pilot, "\nSteps tried: new paper roll.")
        await wait_until(pilot, lambda: kept(app), "the draft to be kept")
        assert kept(app) == [("description", TASK, stored + "\nSteps tried: new paper roll.")]
        await press(pilot, "ctrl+j")
        with app.database.connection_context():
            assert tasks.get(TASK).description == stored + "\nSteps tried: new paper roll."
        await wait_until(pilot, lambda: not kept(app), "the draft to be deleted")


async def test_typing_back_to_the_stored_text_leaves_no_draft(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_task(pilot)
        await press(pilot, "n")
        await type_text(pilot, "x")
        await wait_until(pilot, lambda: kept(app), "the draft to be kept")
        await press(pilot, "backspace")
        await wait_until(pilot, lambda: not kept(app), "the draft to go")
        assert isinstance(app.screen, WriteTextScreen)


async def test_text_no_database_stores_is_not_kept_and_the_editor_says_why(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_task(pilot)
        await press(pilot, "r")
        await type_text(pilot, "before\x00after")
        await wait_until(pilot, lambda: "not kept" in hint(app), "the editor to say why")
        assert hint(app) == ("Your draft is not kept: a draft reply cannot contain a NUL "
                             "character")
        assert kept(app) == []
        assert editor_text(app) == "before\x00after"


async def test_a_reply_begun_in_the_inbox_continues_on_the_task_screen(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        inbox = app.screen
        row = inbox.triage_list().row_at(0)
        await press(pilot, "r")
        await type_text(pilot, "We are on it")
        await wait_until(pilot, lambda: kept(app), "the draft to be kept")
        assert kept(app) == [("reply", row.id, "We are on it")]
        await press(pilot, "escape")  # the confirmation: the draft stays until a second one
        assert kept(app) == [("reply", row.id, "We are on it")]
        app.pop_screen()
        await settle(pilot)
        await open_task(pilot, row.id)
        await press(pilot, "r")
        assert editor_text(app) == "We are on it"
        await press(pilot, "ctrl+j")
        await wait_until(pilot, lambda: not kept(app), "the draft to be deleted")


async def test_the_inbox_reply_saved_clears_its_draft(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        row = app.screen.triage_list().row_at(0)
        await press(pilot, "r")
        await type_text(pilot, "We are on it")
        await wait_until(pilot, lambda: kept(app), "the draft to be kept")
        await press(pilot, "ctrl+j")
        await wait_until(pilot, lambda: not kept(app), "the draft to be deleted")
        with app.database.connection_context():
            assert comments.for_task(row.id)[-1].body == "We are on it"


async def test_the_palette_lists_drafts_and_opens_one_in_its_editor(desk_app):
    app = desk_app()
    with app.database.connection_context():
        bluefin = Client.get(Client.name == "Bluefin Logistics").id
        drafts.save(app.agent, "client_notes", bluefin, "# Requirements\nnew dock hours",
                    now=DEMO_NOW)
        drafts.save(app.agent, "reply", TASK, "other", now=DEMO_NOW - timedelta(days=1))
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        assert "You have 2 unsaved drafts (client notes on Bluefin Logistics and 1 more): " \
               "ctrl+p then Drafts… lists them." in notices
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Drafts")
        await press(pilot, "enter")
        offered = app.screen.query_one(OptionList)
        options = [str(offered.get_option_at_index(i).prompt)
                   for i in range(offered.option_count)]
        assert options == ["10:00 · client notes on Bluefin Logisti… · # Requirements n…",
                           "2026-11-19 10:00 · reply on #53 Receipt printer pr… · other"]
        await press(pilot, "enter")
        assert isinstance(app.screen, WriteTextScreen)
        assert isinstance(app.screen_stack[-2], ClientScreen)
        assert editor_text(app) == "# Requirements\nnew dock hours"
        await press(pilot, "ctrl+j")
        with app.database.connection_context():
            assert clients.get(bluefin, app.agent).notes == "# Requirements\nnew dock hours"
        await wait_until(pilot, lambda: kept(app) == [("reply", TASK, "other")],
                         "the notes draft to be deleted")


async def test_another_agents_draft_is_not_offered(desk_app, demo_db):
    with demo_db.connection_context():
        admin = agents.acting()
        bea = agents.add(admin, "bea", role="agent")
        drafts.save(bea, "reply", TASK, "hers")
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        assert not [notice for notice in notices if "draft" in notice]
        await open_task(pilot)
        await press(pilot, "r")
        assert editor_text(app) == ""


async def test_an_editor_closed_before_its_draft_is_read_is_left_alone(desk_app, monkeypatch):
    app = desk_app()
    with app.database.connection_context():
        drafts.save(app.agent, "note", TASK, "call them friday")
    gate = threading.Event()
    load = DraftKeeper.load

    def slow_load(keeper):
        gate.wait(10)
        return load(keeper)

    monkeypatch.setattr(DraftKeeper, "load", slow_load)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot)
        await pilot.press("n")  # the draft is being read...
        await pilot.press("escape")  # ...when the editor closes, as nothing was typed
        gate.set()
        await settle(pilot)
        assert app.is_running and app.screen is screen
        assert kept(app) == []  # closing unchanged gave the draft up


async def test_a_hostile_title_and_text_show_literally_in_the_notice_and_the_list(desk_app):
    app = desk_app()
    hostile = "\x1b]52;c;AAAA\x07 [@click=app.quit]x[/]"
    with app.database.connection_context():
        task = tasks.create(app.agent, hostile, tasks.get(TASK).row.list_id).row.id
        drafts.save(app.agent, "note", task, hostile, now=DEMO_NOW)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        told = next(notice for notice in notices if "unsaved draft" in notice)
        assert f"note on #{task} ␛]52;c;AAAA␇ [@click=app.quit]x[/]" in told
        assert "\x1b" not in told and notices.markup[notices.index(told)] is False
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Drafts")
        await press(pilot, "enter")
        offered = app.screen.query_one(OptionList).get_option_at_index(0).prompt
        assert offered.plain == (f"10:00 · internal note on #{task} ␛]52;c;AA… · "
                                 "␛]52;c;AAAA␇ [@c…")
        assert app.is_running


async def test_typing_without_a_pause_is_still_kept_every_few_seconds(desk_app, monkeypatch):
    monkeypatch.setattr("desk.screens.dialogs.write_text.KEEP_WITHIN", 1.5)
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_task(pilot)
        await press(pilot, "n")
        typed = ""
        for _ in range(20):  # a key every 0.3 s, never the one-second pause
            await type_text(pilot, "x")
            typed += "x"
            await pilot.pause(0.3)
            if kept(app):
                break
        assert kept(app) and len(typed) < 20, "nothing was kept while the typing went on"
        assert typed.startswith(kept(app)[0][2])


async def test_a_templates_items_are_kept_offered_from_the_palette_and_cleared_when_saved(
        desk_app):
    app = desk_app()
    with app.database.connection_context():
        made = checklists.create_template(app.agent, "Site visit", ["Book the visit"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_screen("desk.screens.screens.templates:TemplatesScreen")
        await settle(pilot)
        listed = app.screen.query_one("#templates-list")
        listed.cursor = listed.index_of(lambda template: template.id == made)
        await press(pilot, "enter")
        area = app.screen.query_one(TextArea)
        area.move_cursor(area.document.end)
        await type_text(pilot, "\nOn site")
        await wait_until(pilot, lambda: kept(app), "the draft to be kept")
        assert kept(app) == [("template", made, "Book the visit\nOn site")]
    # The app stopped with the editor open; the next one offers the draft in the palette.

    again = desk_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Drafts")
        await press(pilot, "enter")
        offered = again.screen.query_one(OptionList).get_option_at_index(0).prompt.plain
        assert offered == "10:00 · checklist items on Site visit · Book the visit On s…"
        await press(pilot, "enter")
        assert editor_text(again) == "Book the visit\nOn site"
        assert isinstance(again.screen_stack[-2], TemplatesScreen)
        await type_text(pilot, "\n      badly indented")
        await press(pilot, "ctrl+j")  # refused: the editor reopens on what was typed
        assert editor_text(again) == "Book the visit\nOn site\n      badly indented"
        assert not hint(again).startswith("Restored")
        await press(pilot, "ctrl+u")
        area = again.screen.query_one(TextArea)
        area.text = "Book the visit\nOn site\n  Check the rack"
        await press(pilot, "ctrl+j")
        await wait_until(pilot, lambda: not kept(again), "the draft to be deleted")
        with again.database.connection_context():
            saved = next(t for t in checklists.templates() if t.id == made)
        assert outline_text(saved.items) == "Book the visit\nOn site\n  Check the rack"
