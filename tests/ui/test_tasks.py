"""The Tasks mode over the demo workspace: the sidebar, the outline of a list (sorting,
grouping, subtasks and folding), creating a task in place, the query bar, saved views, the
board, the triage keys, hostile titles and viewers."""

from __future__ import annotations

from textual.widgets import Input

from desk.config import WorkspaceSettings
from desk.kernel import agents
from desk.models import Task
from desk.screens.dialogs.help import key_rows
from desk.screens.dialogs.pick_view import PickViewScreen
from desk.screens.dialogs.save_view import SaveViewScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.screens.board import BoardScreen
from desk.screens.screens.tasks import TasksScreen
from desk.screens.widgets.key_bar import KeyBar
from desk.screens.widgets.new_task_row import NewTaskRow
from desk.screens.widgets.sidebar import Sidebar
from desk.work import listing, tasks, views, workspace

from .conftest import Notices, settle, shown

WIDE = (120, 30)
SMALL = (80, 24)
HOSTILE = "[/] [@click=app.quit]x[/] \x1b[2J"




async def open_tasks(pilot) -> TasksScreen:
    """Switch to the Tasks mode and wait until the list has loaded."""
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TasksScreen)
    return screen


async def choose(pilot, screen: TasksScreen, name: str) -> None:
    """Choose the list `name` in the sidebar with the keyboard."""
    sidebar = screen.sidebar
    if sidebar.has_class("-hidden"):
        await pilot.press("backslash")
    else:
        await pilot.press("tab")
    assert screen.focused is sidebar
    for _ in range(12):
        await pilot.press("k")
    for _ in range(12):
        node = sidebar.cursor_node
        if node is not None and node.data is not None and node.data.name == name:
            break
        await pilot.press("j")
    await pilot.press("enter")
    await settle(pilot)
    assert screen.place is not None and screen.place.name == name


def list_id(app, name: str) -> int:
    """The id of a demo list."""
    with app.database.connection_context():
        return workspace.find_list(name).id


def titles(screen: TasksScreen) -> list[str]:
    """Titles of the loaded task lines in view, top to bottom."""
    found = []
    for index in range(screen.rows.scroll_offset.y,
                       min(screen.rows.row_count, screen.rows.scroll_offset.y + 200)):
        line = screen.rows.row_at(index)
        if line is not None and line.task is not None:
            found.append(line.task.title)
    return found


def underlined(screen: TasksScreen) -> list[str]:
    """The column headings drawn underlined (the sorted column)."""
    columns = screen.query_one("#tasks-columns").render()
    return [columns.plain[span.start:span.end] for span in columns.spans
            if "underline" in str(span.style)]


def headline(screen: TasksScreen) -> str:
    """The line over the columns."""
    return str(screen.query_one("#tasks-title").render())


# --- sidebar and lists ----------------------------------------------------------------------


async def test_the_sidebar_lists_the_spaces_and_lists_and_toggles(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        sidebar = screen.query_one(Sidebar)
        labels = [str(sidebar.get_node_at_line(line).label)
                  for line in range(sidebar.last_line + 1)]
        assert labels == ["All tasks", "Support", "Support inbox", "Sales", "Orders",
                          "Accounts", "Finance", "Billing", "Internal", "Internal"]
        assert sidebar.display and screen.focused is screen.rows
        await pilot.press("backslash")
        assert not sidebar.display and screen.focused is screen.rows
        await pilot.press("backslash")
        assert sidebar.display and screen.focused is sidebar


async def test_tab_moves_between_the_sidebar_and_the_list(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        assert screen.focused is screen.rows
        await pilot.press("tab")
        assert screen.focused is screen.sidebar
        await pilot.press("tab")
        assert screen.focused is screen.rows


async def test_a_narrow_terminal_starts_with_the_list_and_shows_the_sidebar_on_demand(desk_app):
    app = desk_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_tasks(pilot)
        assert not screen.sidebar.display
        await pilot.press("backslash")
        assert screen.sidebar.display and screen.focused is screen.sidebar


async def test_the_default_list_is_shown_first(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        assert headline(screen).startswith("Support / Support inbox  ·  38 tasks")
        with app.database.connection_context():
            first = listing.task_page('list:"Support inbox"', app.query_context(),
                                      sort="position", limit=5).rows
        assert titles(screen)[:5] == [row.title for row in first]


async def test_the_configured_default_list_is_shown_first(desk_app):
    app = desk_app(workspace=WorkspaceSettings(default_list="sales/orders"))
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        assert headline(screen).startswith("Sales / Orders  ·  ")
        assert screen.sidebar.cursor_node.data.name == "Orders"


async def test_choosing_a_list_shows_its_tasks(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        await choose(pilot, screen, "Orders")
        assert screen.focused is screen.rows
        with app.database.connection_context():
            expected = listing.task_page("list:Orders", app.query_context(), sort="position")
        assert headline(screen).startswith(f"Sales / Orders  ·  {len(expected.rows)} tasks")
        assert titles(screen)[:20] == [row.title for row in expected.rows][:20]
        assert expected.rows[0].title[:20] in shown(screen.rows)[0]


async def test_all_tasks_shows_the_whole_workspace(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        await choose(pilot, screen, "All tasks")
        with app.database.connection_context():
            everything = listing.task_count("", app.query_context())
        assert headline(screen).startswith(f"All tasks  ·  {everything} tasks")


# --- grouping, sorting, subtasks ------------------------------------------------------------


async def test_grouping_by_status_shows_a_heading_per_status_with_its_count(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        await pilot.press("O")
        await settle(pilot)
        lines = shown(screen.rows)
        with app.database.connection_context():
            new = listing.task_count('list:"Support inbox" status:New', app.query_context())
        assert lines[0] == f"▪ New  {new}"
        assert all(line.startswith("  New ") for line in lines[1:new + 1])
        assert lines[new + 1].startswith("▪ Open  ")
        assert "by status, list order" in headline(screen)
        await pilot.press("O")
        await settle(pilot)
        assert not any(line.startswith("▪") for line in shown(screen.rows))


async def test_sorting_changes_the_order_and_the_heading_names_it(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        before = titles(screen)
        await pilot.press("o")
        await settle(pilot)
        assert "by priority" in headline(screen)
        by_priority = titles(screen)
        assert by_priority != before and sorted(by_priority) == sorted(before)
        assert underlined(screen) == ["P"]
        marks = [line[14] for line in shown(screen.rows)[:len(by_priority)]]
        ranks = ["‼!·↓ ".index(mark) for mark in marks]
        assert ranks == sorted(ranks) and ranks[0] == 0
        while "by title" not in headline(screen):
            await pilot.press("o")
            await settle(pilot)
        by_title = titles(screen)
        assert by_title == sorted(by_title) and underlined(screen) == ["Title"]


async def test_sorting_by_due_date_puts_the_most_overdue_first(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        while "by due date" not in headline(screen):
            await pilot.press("o")
            await settle(pilot)
        with app.database.connection_context():
            expected = listing.task_page('list:"Support inbox"', app.query_context(), sort="due")
        assert titles(screen)[:25] == [row.title for row in expected.rows][:25]


async def test_subtasks_are_indented_under_their_parent_and_fold(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        await choose(pilot, screen, "Accounts")
        with app.database.connection_context():
            parent = tasks.get(Task.select(Task.parent).where(Task.parent.is_null(False))
                               .order_by(Task.parent).scalar())
        children = [row.title for row in parent.subtasks if row.category in ("open", "active")]
        assert len(children) > 1
        lines = shown(screen.rows)
        at = next(i for i, line in enumerate(lines) if parent.row.title[:20] in line)
        assert lines[at].startswith("▾ ")
        for offset, child in enumerate(children, start=1):
            assert f"  ↳ {child[:15]}" in lines[at + offset]
        total = screen.rows.row_count
        screen.rows.move_cursor(at)
        await pilot.press("space")
        await settle(pilot)
        lines = shown(screen.rows)
        assert lines[at].startswith("▸ ") and screen.rows.cursor == at
        assert not any(child[:15] in line for line in lines for child in children)
        assert screen.rows.row_count == total - len(children)
        await pilot.press("right")
        await settle(pilot)
        assert f"  ↳ {children[0][:15]}" in shown(screen.rows)[at + 1]
        screen.rows.move_cursor(at + 2)
        await pilot.press("left")  # on a subtask: folds its parent and goes there
        await settle(pilot)
        assert screen.rows.cursor == at and shown(screen.rows)[at].startswith("▸ ")


# --- creating tasks in place -----------------------------------------------------------------


async def test_n_creates_a_task_in_place_and_selects_it(desk_app):
    app = desk_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_tasks(pilot)
        before = screen.rows.row_count
        await pilot.press("j", "j", "n")
        row = screen.query_one(NewTaskRow)
        assert row.is_open and screen.focused is row.query_one(Input)
        assert row.region.y == screen.rows.region.y + 3  # under the cursor's line
        await pilot.press(*"Replace the toner")
        await pilot.press("enter")
        await settle(pilot)
        assert not row.is_open
        with app.database.connection_context():
            newest = listing.task_page('list:"Support inbox"', app.query_context(),
                                       sort="newest", limit=1).rows[0]
        assert newest.title == "Replace the toner" and newest.status == "New"
        assert screen.rows.row_count == before + 1
        current = screen.rows.row_at(screen.rows.cursor)
        assert current.task.id == newest.id and screen.focused is screen.rows
        cursor_line = screen.rows.cursor - screen.rows.scroll_offset.y
        assert "Replace the toner" in shown(screen.rows)[cursor_line]
        await pilot.press("enter")
        await settle(pilot)
        assert getattr(app.screen, "task_id", None) == newest.id


async def test_a_new_task_in_a_status_group_gets_that_status(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        await pilot.press("O")
        await settle(pilot)
        at = next(i for i, line in enumerate(shown(screen.rows)) if line.startswith("▪ Open"))
        screen.rows.move_cursor(at + 1)
        await pilot.press("n", *"Call back about the VPN", "enter")
        await settle(pilot)
        current = screen.rows.row_at(screen.rows.cursor).task
        assert current.title == "Call back about the VPN" and current.status == "Open"


async def test_a_new_task_the_filter_hides_is_created_and_said_so(desk_app):
    notices = Notices()
    app = desk_app()
    async with app.run_test(size=WIDE, message_hook=notices) as pilot:
        screen = await open_tasks(pilot)
        await pilot.press("slash", *"priority:high", "enter")
        await settle(pilot)
        before = titles(screen)
        await pilot.press("n", *"Low key thing", "enter")
        await settle(pilot)
        with app.database.connection_context():
            newest = listing.task_page('list:"Support inbox"', app.query_context(),
                                       sort="newest", limit=1).rows[0]
        assert newest.title == "Low key thing" and newest.priority == "normal"
        assert titles(screen) == before
        assert any(f"Created task {newest.id}: “Low key thing” is hidden here by the filter"
                   in text for text in notices)


async def test_an_empty_title_is_refused_in_place(desk_app):
    app = desk_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_tasks(pilot)
        with app.database.connection_context():
            before = listing.task_count("", app.query_context())
        await pilot.press("n", "space", "space", "enter")
        await settle(pilot)
        row = screen.query_one(NewTaskRow)
        assert row.is_open
        assert "A task needs a title" in str(row.query_one("#new-task-error").render())
        with app.database.connection_context():
            assert listing.task_count("", app.query_context()) == before
        await pilot.press("escape")
        assert not row.is_open and screen.focused is screen.rows
        with app.database.connection_context():
            assert listing.task_count("", app.query_context()) == before


async def test_escape_drops_the_draft_without_creating(desk_app):
    app = desk_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_tasks(pilot)
        with app.database.connection_context():
            before = listing.task_count("", app.query_context())
        await pilot.press("n", *"Never mind", "escape")
        await settle(pilot)
        assert not screen.query_one(NewTaskRow).is_open
        with app.database.connection_context():
            assert listing.task_count("", app.query_context()) == before


async def test_a_viewer_pressing_n_is_told_why(desk_app, demo_db):
    with demo_db.connection_context():
        viewer = agents.acting("sam")
    assert viewer.role == "viewer"
    notices = Notices()
    app = desk_app(agent=viewer)
    async with app.run_test(size=SMALL, message_hook=notices) as pilot:
        screen = await open_tasks(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert not screen.query_one(NewTaskRow).is_open
        assert any("You are a viewer, so you cannot create tasks" in text for text in notices)


async def test_a_reload_keeps_the_cursor_and_the_draft(desk_app):
    app = desk_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_tasks(pilot)
        await pilot.press("j", "j", "j")
        here = screen.rows.row_at(screen.rows.cursor).task.id
        await pilot.press("n", *"Half a thought")
        with app.database.connection_context():  # someone else adds a task on top
            tasks.create(app.agent, "Someone else's task", list_id(app, "Support inbox"))
        screen.data_changed()
        await settle(pilot)
        assert screen.query_one(NewTaskRow).draft == "Half a thought"
        assert screen.rows.row_at(screen.rows.cursor).task.id == here
        assert "38 tasks" not in headline(screen) and "39 tasks" in headline(screen)


# --- filter, views, board --------------------------------------------------------------------


async def test_slash_filters_the_list_shown(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        await pilot.press("slash", *"priority:high", "enter")
        await settle(pilot)
        with app.database.connection_context():
            expected = listing.task_page('list:"Support inbox" priority:high',
                                         app.query_context(), sort="position").rows
            everywhere = listing.task_count("priority:high", app.query_context())
        assert 0 < len(expected) < everywhere  # the filter is combined with the list
        assert titles(screen) == [row.title for row in expected]
        assert headline(screen).endswith(f"{len(expected)} tasks  ·  by list order  ·  "
                                         "/ priority:high")
        await pilot.press("escape")
        await settle(pilot)
        assert "38 tasks" in headline(screen) and "/ priority" not in headline(screen)


async def test_a_bad_query_is_shown_in_place_and_changes_nothing(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        await pilot.press("slash", *"priority:hihg", "enter")
        await settle(pilot)
        error = str(screen.query_one("#query-bar-error").render())
        assert "priority must be one of" in error
        assert screen.query_text == "" and "38 tasks" in headline(screen)


async def test_a_view_is_saved_and_recalled(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        await pilot.press("slash", *"priority:high", "enter")
        await settle(pilot)
        await pilot.press("o")  # by priority
        await settle(pilot)
        await pilot.press("V")
        await settle(pilot)
        assert isinstance(app.screen, SaveViewScreen)
        await pilot.press(*"Hot ones", "enter")
        await settle(pilot)
        with app.database.connection_context():
            saved = views.get(app.agent, "tasks", "Hot ones")
        assert (saved.query, saved.sort) == ("priority:high", "priority")
        await pilot.press("escape")  # clears the filter
        await pilot.press("o")
        await settle(pilot)
        assert screen.query_text == "" and screen.sort != "priority"
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, PickViewScreen)
        await pilot.press(*"Hot", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert (screen.query_text, screen.sort) == ("priority:high", "priority")
        assert headline(screen).endswith("by priority  ·  / priority:high")


async def test_b_opens_the_board_of_the_list_with_the_filter(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        await pilot.press("slash", *"priority:high", "enter")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        board = app.screen
        assert isinstance(board, BoardScreen)
        assert board.list_id == list_id(app, "Support inbox")
        assert board.query_text == "priority:high"
        await pilot.press("escape")
        assert app.screen is screen


async def test_the_board_needs_a_list(desk_app):
    notices = Notices()
    app = desk_app()
    async with app.run_test(size=WIDE, message_hook=notices) as pilot:
        screen = await open_tasks(pilot)
        await choose(pilot, screen, "All tasks")
        await pilot.press("b")
        assert app.screen is screen
        assert any("The board shows one list" in text for text in notices)


async def test_a_new_theme_redraws_the_rows_in_its_colours(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        await pilot.press("O")
        await settle(pilot)
        before = screen.rows.render_line(0)
        app.theme = "desk-light"
        await settle(pilot)
        after = screen.rows.render_line(0)
        assert after.text == before.text and after.text.startswith("▪ New  ")
        assert list(after) != list(before)  # the status colour came from the new theme


# --- keys, hostile text, small terminals ---------------------------------------------------


async def test_n_is_new_task_and_the_note_is_on_shift_n_as_the_help_says(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        keys = {row.binding_id: row.key for row in key_rows(app, screen)}
        assert keys["tasks.new"] == "n" and keys["triage.note"] == "N"
        assert keys["nav.filter"] == "/" and keys["tasks.sort"] == "o"
        assert keys["tasks.group"] == "O" and keys["tasks.board"] == "b"
        assert keys["tasks.sidebar"] == "\\" and keys["triage.status"] == "s"


async def test_triage_verbs_act_on_the_current_task_and_shift_n_writes_a_note(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        await pilot.press("j")
        task = screen.rows.row_at(screen.rows.cursor).task
        assert task.priority != "urgent"
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        if app.screen is not screen:  # the picker still shows the choice
            await pilot.press("enter")
            await settle(pilot)
        assert app.screen is screen
        with app.database.connection_context():
            assert tasks.get(task.id).row.priority == "urgent"
        assert screen.rows.row_at(screen.rows.cursor).task.id == task.id
        assert shown(screen.rows)[1][14] == "‼"
        await pilot.press("N")
        await settle(pilot)
        assert isinstance(app.screen, WriteTextScreen)
        assert task.title[:20] in str(app.screen.query_one(".dialog-title").render())


async def test_mark_all_then_a_verb_changes_every_task_the_list_shows(desk_app):
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        context = app.query_context()
        with app.database.connection_context():
            elsewhere = listing.task_count("priority:high", context)
            here = listing.task_count('list:"Support inbox" priority:high', context)
        await pilot.press("slash", *"priority:high", "enter")
        await settle(pilot)
        await pilot.press("X", "p")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        if app.screen is not screen:
            await pilot.press("enter")
            await settle(pilot)
        with app.database.connection_context():
            assert listing.task_count('list:"Support inbox" priority:high', context) == 0
            assert listing.task_count("priority:high", context) == elsewhere - here


async def test_a_triage_verb_on_a_heading_says_it_is_not_a_task(desk_app):
    notices = Notices()
    app = desk_app()
    async with app.run_test(size=WIDE, message_hook=notices) as pilot:
        screen = await open_tasks(pilot)
        await pilot.press("O")
        await settle(pilot)
        await pilot.press("g", "p", "x")
        await settle(pilot)
        assert app.screen is screen and screen.rows.marks.count == 0
        assert any("status heading" in text for text in notices)


async def test_a_hostile_title_shows_literally(desk_app, demo_db):
    with demo_db.connection_context():
        inbox = workspace.find_list("Support inbox").id
        made = tasks.create(agents.acting(), HOSTILE, inbox, priority="urgent").row
    app = desk_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_tasks(pilot)
        await pilot.press("o")  # priority: the urgent one is on top
        await settle(pilot)
        lines = shown(screen.rows)
        at = next(i for i in range(10) if screen.rows.row_at(i).task.id == made.id)
        assert lines[at].endswith("‼ [/] [@click=app.quit]x[/] ␛[2J")
        screen.rows.move_cursor(at)
        await pilot.press("enter")
        await settle(pilot)
        assert getattr(app.screen, "task_id", None) == made.id
        assert app.is_running


async def test_at_80_by_24_the_columns_and_footer_fit(desk_app):
    app = desk_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_tasks(pilot)
        columns = str(screen.query_one("#tasks-columns").render())
        for name in ("Status", "P", "Title", "Client", "Due"):
            assert f" {name} " in f" {columns} "
        assert len(columns.rstrip()) <= screen.rows.scrollable_content_region.width
        assert all(len(line) <= 80 for line in shown(screen.rows))
        labels = str(screen.query_one(KeyBar).render())
        assert len(labels) == 80
        for wanted in ("New", "Filter", "Sort", "Board", "Lists"):
            assert wanted in labels
