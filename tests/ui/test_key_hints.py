"""Hints follow the keys: what the screens and dialogs say about keys is read from the live
key map, so the config's `keymap:` changes the hint with the key; the list grammar's ids
(`nav.down`...) work on every list, picker and the help table; an old id is named with the
one that replaced it."""

from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList, Static

from desk.crm import clients
from desk.kernel import agents
from desk.mail import outbox
from desk.screens.dialogs.help import HelpScreen
from desk.screens.dialogs.outbox_message import OutboxMessageScreen
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.screens.client_screen import ClientItems, ClientScreen
from desk.work import tasks, workspace

from .conftest import Notices, settle

SIZE = (120, 30)


def text_of(screen, selector: str) -> str:
    """What the Static at `selector` shows."""
    return str(screen.query_one(selector, Static).render())


async def open_screen(pilot, path: str):
    """Open a screen from the palette's list and wait for its rows."""
    pilot.app.open_screen(path)
    await settle(pilot)
    return pilot.app.screen


async def test_with_the_default_keys_the_hints_read_as_they_always_did(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        products = await open_screen(pilot, "desk.screens.screens.products:ProductsScreen")
        assert text_of(products, ".dialog-hint") == (
            "n adds · enter edits a field · a retires or restores · escape back")
        await pilot.press("escape")
        templates = await open_screen(pilot, "desk.screens.screens.templates:TemplatesScreen")
        assert text_of(templates, ".dialog-hint") == (
            "n new · enter edits the items · r rename · l the list it applies to · "
            "delete removes")
        app.push_screen(WriteTextScreen("Reply"))
        await settle(pilot)
        assert text_of(app.screen, "#write-hint") == (
            "ctrl+j saves · ctrl+e your editor · escape discards")


async def test_a_rebound_key_is_the_key_the_hint_names_and_the_one_that_works(desk_app):
    keymap = {"products.new": "f5", "nav.back": "f9", "write.save": "f6"}
    app, notices = desk_app(keymap=keymap), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        products = await open_screen(pilot, "desk.screens.screens.products:ProductsScreen")
        assert text_of(products, ".dialog-hint") == (
            "f5 adds · enter edits a field · a retires or restores · f9 back")
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen), "f5 adds a product now"
        await pilot.press("escape")  # a form keeps its own cancel key
        await settle(pilot)
        app.push_screen(WriteTextScreen("Reply"))
        await settle(pilot)
        assert text_of(app.screen, "#write-hint") == (
            "f6 saves · ctrl+e your editor · escape discards")
        await pilot.press("escape")
        await pilot.press("f9")  # back from the catalogue
        await settle(pilot)
        assert app.screen is not products
    assert notices == []


async def test_after_rebinding_nav_down_the_message_hint_says_the_new_key(desk_app):
    app = desk_app(keymap={"nav.down": "n, down", "nav.back": "f9"})
    with app.database.connection_context():
        internal = workspace.find_list("Internal").id
        task_id = tasks.create(app.agent, "Newsletter", internal).row.id
        outbox.queue(app.agent, "ada@lovelace-labs.example", "Toner", "It ships today.",
                     task_id=task_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_screen(pilot, "desk.screens.screens.outbox:OutboxScreen")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OutboxMessageScreen)
        assert text_of(app.screen, ".dialog-hint") == "n/k scroll · f9 closes"


async def test_the_inbox_status_line_names_the_order_and_filter_keys(desk_app):
    app = desk_app(keymap={"inbox.order": "O", "nav.filter": "f"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = text_of(app.screen, "#inbox-status")
        assert " (O)" in status and "none (f)" in status and "(o)" not in status


async def test_a_gesture_rebinding_moves_the_client_screens_list_without_a_report(desk_app):
    app, notices = desk_app(keymap={"nav.down": "ctrl+n, down"}), Notices()
    with app.database.connection_context():
        atlas = clients.find("Atlas Freight Brokers", agents.acting()).id
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        app.open_client(atlas)
        await settle(pilot)
        assert isinstance(app.screen, ClientScreen)
        items = app.screen.query_one(ClientItems)
        start = items.highlighted
        await pilot.press("ctrl+n")
        moved = items.highlighted  # the next item (past a section's heading, if any)
        assert moved > start
        await pilot.press("j")  # j was one of nav.down's keys; the keymap replaced them
        assert items.highlighted == moved
    assert notices == [], "nav.down is known on the client screen's list"


async def test_an_old_id_is_named_with_the_new_one_and_is_not_applied(desk_app):
    app, notices = desk_app(keymap={"client.down": "ctrl+n"}), Notices()
    with app.database.connection_context():
        atlas = clients.find("Atlas Freight Brokers", agents.acting()).id
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await settle(pilot)
        app.open_client(atlas)
        await settle(pilot)
        items = app.screen.query_one(ClientItems)
        start = items.highlighted
        await pilot.press("ctrl+n")
        assert items.highlighted == start
        await pilot.press("j")
        assert items.highlighted > start
    assert len(notices) == 1, notices
    assert "binding id 'client.down' is now 'nav.down'" in notices[0]


async def test_pickers_and_the_help_table_move_with_the_grammars_keys(desk_app):
    app = desk_app(keymap={"nav.down": "ctrl+n, j, down"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(PickScreen("Priority", [("urgent", 1), ("high", 2), ("normal", 3)]))
        await settle(pilot)
        await pilot.press("ctrl+n")
        assert app.screen.query_one(OptionList).highlighted == 1
        assert app.screen.query_one(Input).value == ""
        await pilot.press("escape")
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        await pilot.press("j", "ctrl+n")
        assert table.cursor_row == 2
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g")
        assert table.cursor_row == 0


async def test_the_tag_prompt_completes_with_the_key_it_names(desk_app):
    app = desk_app(keymap={"prompt.complete": "ctrl+l"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        assert text_of(app.screen, "#prompt-hint") == (
            "tags to add; -tag removes one; ctrl+l completes a word")
        tag = app.screen.suggestions[0]
        await pilot.press(*tag[:2])
        await settle(pilot)
        await pilot.press("ctrl+l")
        assert app.screen.query_one(Input).value == tag
