"""One grammar (issue 16): `x` marks and moves down and `M` marks a range on every list that
marks, `y` copies the task's number and link, ctrl+e writes long text in $VISUAL/$EDITOR,
`?` shows desk's own keys grouped, and pickers and the help move with the list keys."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.command import CommandInput, CommandList
from textual.widgets import DataTable, Input, OptionList, Static, TextArea

from desk.config.portal import PortalSettings
from desk.config.schema import EditorSettings
from desk.kernel import agents
from desk.screens.dialogs.command_palette import DeskPalette
from desk.screens.dialogs.help import HelpScreen
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.pick_view import PickViewScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.screens.board import BoardScreen
from desk.screens.screens.client_screen import ClientItems
from desk.screens.screens.clients import ClientsScreen
from desk.screens.screens.inbox import InboxScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.screens.screens.tasks import TasksScreen
from desk.screens.widgets.checklist_panel import ChecklistPanel
from desk.screens.widgets.sidebar import Sidebar
from desk.screens.widgets.task_fields import FieldsPanel
from desk.screens.widgets.virtual_list import VirtualList
from desk.work import listing, views, workspace
from desk.work import tasks as tasks_service

from .conftest import Notices, press, settle

SIZE = (80, 24)


def first_task(app) -> tasks_service.TaskRow:
    """The first task of the support inbox list."""
    with app.database.connection_context():
        inbox = workspace.find_list("Support inbox").id
        return listing.task_page(f"list:{inbox}", app.query_context(), limit=1).rows[0]


def stored_description(app, task_id: int) -> str:
    """The task's description as stored now."""
    with app.database.connection_context():
        return tasks_service.get(task_id).description


async def the_list(pilot, mode_key: str, screen_type, selector: str) -> VirtualList:
    """Switch to a mode (its key) and return its list once its rows are in."""
    await press(pilot, mode_key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, screen_type)
    return pilot.app.screen.query_one(selector, VirtualList)


# --- x marks and moves down; M marks a range -------------------------------------------------


async def test_x_marks_and_advances_and_m_marks_the_range_in_the_inbox(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        inbox = await the_list(pilot, "1", InboxScreen, "#inbox-list")
        rows = [inbox.row_at(index).id for index in range(6)]
        await press(pilot, "x", "x")
        assert inbox.cursor == 2 and set(inbox.marks.ids) == set(rows[:2])
        status = str(app.screen.query_one("#inbox-status", Static).render())
        assert "2 marked" in status
        await press(pilot, "j", "j", "M")  # from row 1 (x marked it last) to row 4
        assert set(inbox.marks.ids) == set(rows[:5])
        assert "5 marked" in str(app.screen.query_one("#inbox-status", Static).render())


async def test_the_tasks_and_clients_headers_say_how_many_are_marked(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        tasks = await the_list(pilot, "2", TasksScreen, "#tasks-list")
        await press(pilot, "x", "x", "x")
        assert tasks.marks.count == 3 and tasks.cursor == 3
        assert app.screen.sub_title == "Tasks · 3 marked"
        clients = await the_list(pilot, "3", ClientsScreen, "#clients-list")
        await press(pilot, "x", "j", "M")
        assert clients.marks.count == 3
        assert app.screen.sub_title == "Clients · 3 marked"
        await press(pilot, "X", "X")
        assert app.screen.sub_title == "Clients"


# --- y copies the task's number and link -------------------------------------------------------


async def test_y_copies_the_number_and_portal_link_of_a_clients_task(desk_app):
    app, notices = desk_app(portal=PortalSettings(enabled=True,
                                                  public_url="https://portal.example/")), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        inbox = await the_list(pilot, "1", InboxScreen, "#inbox-list")
        index = next(i for i in range(inbox.row_count) if inbox.row_at(i).client_id)
        inbox.move_cursor(index)
        row = inbox.row_at(index)
        await press(pilot, "y")
        assert app.clipboard == f"#{row.id} https://portal.example/requests/{row.id}"
        assert notices[-1] == f"Copied: {app.clipboard}" and notices.markup[-1] is False


async def test_y_copies_the_number_and_title_without_a_portal_on_every_task_screen(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        tasks = await the_list(pilot, "2", TasksScreen, "#tasks-list")
        row = tasks.row_at(0).task
        await press(pilot, "y")
        assert app.clipboard == f"#{row.id} {row.title}"
        assert notices[-1] == f"Copied: #{row.id} {row.title}"
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        await press(pilot, "j", "y")  # on the task screen, whatever pane has the focus
        assert app.clipboard == f"#{row.id} {row.title}"
        await press(pilot, "escape", "b")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        column = app.screen.columns[0].cards
        card = column.row_at(column.cursor)
        await press(pilot, "y")
        assert app.clipboard == f"#{card.id} {card.title}"


async def test_y_copies_a_hostile_title_as_visible_text(desk_app, demo_db):
    with demo_db.connection_context():
        inbox = workspace.find_list("Support inbox").id
        task_id = tasks_service.create(agents.acting(), "evil \x1b]52;c;aGk=\x07 [b]x[/b]",
                                       inbox).row.id
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_task(task_id)
        await settle(pilot)
        await press(pilot, "y")
        assert app.clipboard == f"#{task_id} evil ␛]52;c;aGk=␇ [b]x[/b]"


# --- ctrl+e writes in $VISUAL/$EDITOR -----------------------------------------------------------

EDITOR_SCRIPT = """#!/bin/sh
stat -c %a "$1" > "$(dirname "$0")/mode"
echo "$1" > "$(dirname "$0")/path"
printf '%s\\n' "$(cat "$1") (edited)" > "$1"
"""


@pytest.fixture
def editor(tmp_path, monkeypatch) -> Path:
    """$EDITOR is a script that appends " (edited)" to the file and notes its mode and path;
    $VISUAL is unset. The folder it writes its notes in is returned."""
    folder = tmp_path / "editor"
    folder.mkdir()
    script = folder / "edit.sh"
    script.write_text(EDITOR_SCRIPT)
    script.chmod(0o700)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{script}")
    return folder


def suspended(app) -> list[str]:
    """Record each time the app hands the terminal over (the test driver cannot)."""
    handed: list[str] = []

    @contextmanager
    def suspend():
        handed.append("suspended")
        yield
        handed.append("resumed")

    app.suspend = suspend
    return handed


async def open_description(pilot, app, task_id: int) -> TextArea:
    """The task screen of `task_id` with its description editor open."""
    await settle(pilot)
    app.open_task(task_id)
    await settle(pilot)
    await press(pilot, "D")
    await settle(pilot)
    assert isinstance(app.screen, WriteTextScreen)
    return app.screen.query_one(TextArea)


async def test_ctrl_e_edits_the_description_in_editor_and_ctrl_j_saves_it(desk_app, editor):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        row = first_task(app)
        area = await open_description(pilot, app, row.id)
        area.load_text("Printer on floor 2")
        handed = suspended(app)
        await press(pilot, "ctrl+e")
        assert handed == ["suspended", "resumed"]
        assert area.text == "Printer on floor 2 (edited)"
        assert (editor / "mode").read_text().strip() == "600"
        assert not Path((editor / "path").read_text().strip()).exists(), "the file is gone"
        assert isinstance(app.screen, WriteTextScreen), "back in desk's editor, not saved"
        assert stored_description(app, row.id) != area.text
        await press(pilot, "ctrl+j")
        await settle(pilot)
        assert stored_description(app, row.id) == "Printer on floor 2 (edited)"


async def test_ctrl_e_says_it_is_off_when_the_config_turns_editors_off(desk_app, editor):
    app, notices = desk_app(editor=EditorSettings(external=False)), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        area = await open_description(pilot, app, first_task(app).id)
        area.load_text("as typed")
        handed = suspended(app)
        await press(pilot, "ctrl+e")
        assert handed == [] and not (editor / "mode").exists()
        assert area.text == "as typed"
        assert notices[-1].startswith("External editors are turned off here")
        assert "your editor" not in str(app.screen.query_one("#write-hint", Static).render())


async def test_ctrl_e_names_a_missing_editor_and_keeps_the_text(desk_app, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "no-such-editor-here --wait")
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        area = await open_description(pilot, app, first_task(app).id)
        area.load_text("as typed")
        suspended(app)
        await press(pilot, "ctrl+e")
        assert notices[-1] == "The editor 'no-such-editor-here' (from $EDITOR) was not found."
        assert area.text == "as typed" and isinstance(app.screen, WriteTextScreen)
        monkeypatch.delenv("EDITOR")
        await press(pilot, "ctrl+e")
        assert notices[-1].startswith("No editor is set: set $VISUAL or $EDITOR")


# --- ? shows desk's own keys, grouped, and scrolls with the list keys ---------------------------


def help_table(app) -> list[tuple[str, str, str]]:
    """(key, does, binding id) of every row of the open help, headings as (name, "", "")."""
    table = app.screen.query_one("#help-keys", DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(index))
            for index in range(table.row_count)]


async def test_help_shows_the_task_screens_own_keys_under_headings(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_task(first_task(app).id)
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = help_table(app)
        headings = [key for key, does, binding_id in rows if not binding_id]
        assert headings == ["Move", "Act on the task", "App"]
        ids = {binding_id: (key, does) for key, does, binding_id in rows if binding_id}
        assert ids["task.copy"] == ("y", "Copy number and link")
        assert ids["nav.down"] == ("j ↓", "Down") and ids["task.due"] == ("d", "Due")
        shown = " ".join(" ".join(row) for row in rows)
        for internal in ("Focus Next", "Copy selected text", "tab", "Panel", "List", "Table",
                         "screen", "everywhere"):
            assert internal not in shown, f"{internal!r} is Textual's or a class name"


async def test_help_scrolls_with_j_k_g_shift_g_ctrl_d_ctrl_u(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await the_list(pilot, "2", TasksScreen, "#tasks-list")
        await press(pilot, "question_mark")
        table = app.screen.query_one("#help-keys", DataTable)
        last = table.row_count - 1
        assert last > table.scrollable_content_region.height, "more keys than fit at 80x24"
        await press(pilot, "j", "j")
        assert table.cursor_row == 2
        await press(pilot, "k")
        assert table.cursor_row == 1
        await press(pilot, "ctrl+d")
        half = table.cursor_row - 1
        assert half >= 3
        await press(pilot, "ctrl+u")
        assert table.cursor_row == 1
        await press(pilot, "G")
        assert table.cursor_row == last and table.scroll_y == table.max_scroll_y > 0
        await press(pilot, "g")
        assert table.cursor_row == 0 and table.scroll_y == 0


# --- pickers and the palette move with j/k (filter empty) and ctrl+n/ctrl+p ---------------------


async def test_a_picker_moves_with_j_k_g_shift_g_while_its_filter_is_empty_and_ctrl_n_ctrl_p(
        desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await the_list(pilot, "1", InboxScreen, "#inbox-list")
        await press(pilot, "s")
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)
        field, options = app.screen.query_one(Input), app.screen.query_one(OptionList)
        await press(pilot, "j", "j", "k")
        assert (field.value, options.highlighted) == ("", 1)
        await press(pilot, "ctrl+n", "ctrl+n", "ctrl+p")
        assert options.highlighted == 2 and isinstance(app.screen, PickScreen), \
            "ctrl+p moves up in a picker; it does not open the palette"
        await press(pilot, "ctrl+u", "ctrl+d")
        assert options.highlighted == min(5, options.option_count - 1)
        await press(pilot, "G")
        assert (field.value, options.highlighted) == ("", options.option_count - 1)
        await press(pilot, "g")
        assert (field.value, options.highlighted) == ("", 0)
        await press(pilot, "w", "a", "i", "j")  # once something is typed, j is a letter
        assert field.value == "waij" and options.option_count == 0
        await press(pilot, "escape")
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, DeskPalette), "on a list ctrl+p opens the palette"


async def test_the_palette_moves_with_j_k_g_shift_g_before_anything_is_typed(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await settle(pilot)
        field, matches = app.screen.query_one(CommandInput), app.screen.query_one(CommandList)
        assert matches.highlighted == 0
        await press(pilot, "j", "j", "j", "k")
        assert (field.value, matches.highlighted) == ("", 2)
        await press(pilot, "ctrl+n", "ctrl+p", "ctrl+p")
        assert matches.highlighted == 1 and isinstance(app.screen, DeskPalette)
        await press(pilot, "G")
        assert (field.value, matches.highlighted) == ("", matches.option_count - 1)
        await press(pilot, "g")
        assert (field.value, matches.highlighted) == ("", 0)
        await press(pilot, "t", "h", "e", "m", "e", "j", "k")
        assert field.value == "themejk"


# --- 1-4 go to the mode's main screen; a screen open over it shows a breadcrumb -----------------


def header(app) -> str:
    """The header's text for the screen in front."""
    return str(app.format_title(app.screen.title, app.screen.sub_title))


async def test_mode_keys_go_to_the_main_screen_past_what_is_open_over_it(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        tasks = await the_list(pilot, "2", TasksScreen, "#tasks-list")
        row = tasks.row_at(0).task
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        assert header(app).startswith(f"desk — Tasks › #{row.id} ")
        await press(pilot, "2")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen) and header(app) == "desk — Tasks"
        await press(pilot, "b", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen) and len(app.screen_stack) == 3
        await press(pilot, "1", "2")  # away and back: the tasks mode is at its list again
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen) and len(app.screen_stack) == 1


# --- the task screen's panes: focus always visible, ctrl+d/ctrl+u -------------------------------


async def test_an_empty_pane_shows_the_focus_and_panes_move_half_a_screen(desk_app, demo_db):
    with demo_db.connection_context():
        inbox = workspace.find_list("Support inbox").id
        task_id = tasks_service.create(agents.acting(), "Nothing under it yet", inbox).row.id
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_task(task_id)
        await settle(pilot)
        fields = app.screen.query_one(FieldsPanel)
        assert fields.has_focus and fields.cursor == 0
        await press(pilot, "ctrl+d")
        assert fields.cursor == SIZE[1] // 2, "one line per field: half of 24 lines"
        await press(pilot, "ctrl+u")
        assert fields.cursor == 0
        checklists = app.screen.query_one(ChecklistPanel)
        assert not checklists.items
        cursor = fields.get_visual_style("line-list--cursor").background
        assert checklists.get_visual_style("line-list--empty").background != cursor
        await press(pilot, "tab")
        assert checklists.has_focus
        assert checklists.get_visual_style("line-list--empty").background == cursor


async def test_the_sidebar_and_the_client_screen_move_half_a_screen(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await the_list(pilot, "2", TasksScreen, "#tasks-list")
        await press(pilot, "backslash")
        sidebar = app.screen.query_one(Sidebar)
        assert sidebar.has_focus
        await press(pilot, "ctrl+u")
        assert sidebar.cursor_line == 0
        await press(pilot, "ctrl+d")
        assert sidebar.cursor_line == min(sidebar.size.height // 2, sidebar.last_line) > 0
        await press(pilot, "ctrl+u")
        assert sidebar.cursor_line == 0
        await the_list(pilot, "3", ClientsScreen, "#clients-list")
        await press(pilot, "enter")
        await settle(pilot)
        items = app.screen.query_one(ClientItems)
        assert items.has_focus
        start = items.highlighted
        await press(pilot, "ctrl+d")
        assert items.highlighted == start + items.size.height // 2
        await press(pilot, "ctrl+u")
        assert items.highlighted == start


async def test_the_saved_views_picker_moves_with_j_k_and_ctrl_n_ctrl_p(desk_app):
    app = desk_app()
    with app.database.connection_context():
        for name in ("Alpha", "Beta", "Gamma"):
            views.save(app.agent, "tasks", name, "@me")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(PickViewScreen("tasks"))
        await settle(pilot)
        field, options = app.screen.query_one(Input), app.screen.query_one(OptionList)
        await press(pilot, "j", "j", "k")
        assert (field.value, options.highlighted) == ("", 1)
        await press(pilot, "ctrl+n", "ctrl+p", "ctrl+p")
        assert options.highlighted == 0 and isinstance(app.screen, PickViewScreen)
        await press(pilot, "G")
        assert (field.value, options.highlighted) == ("", options.option_count - 1)
        await press(pilot, "g")
        assert (field.value, options.highlighted) == ("", 0)
