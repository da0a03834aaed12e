"""Shaping the workspace from the keyboard: the sidebar's keys and the palette's commands add
a list, add a status, archive the list (asking first, with no highlighted), and the sidebar
follows; the palette renames, moves, colours, recategorises and removes statuses and adds,
edits and removes custom fields; an agent who is not an admin is told so and nothing
changes."""

from __future__ import annotations

import threading

from textual.widgets import Input

from desk.kernel import agents
from desk.models import Status, Task, TaskList
from desk.screens.actions import calls as calls_module
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.screens.tasks import TasksScreen
from desk.screens.widgets.sidebar import Sidebar
from desk.work import custom_fields, tasks, workspace
from desk.work.shaping import statuses as status_edits

from .conftest import Notices, press, settle, type_text, wait_until

SMALL = (80, 24)


def entries(sidebar: Sidebar) -> list[str]:
    """The sidebar as drawn: spaces, and their lists indented."""
    lines = []
    for space in sidebar.root.children:
        lines.append(space.label.plain)
        lines += [f"  {entry.label.plain}" for entry in space.children]
    return lines


async def open_sidebar(pilot) -> Sidebar:
    """The Tasks mode with the sidebar shown and focused."""
    await press(pilot, "2")
    screen = pilot.app.screen
    assert isinstance(screen, TasksScreen)
    await press(pilot, "backslash")
    assert screen.focused is screen.sidebar
    return screen.sidebar


async def cursor_to(pilot, sidebar: Sidebar, name: str) -> None:
    """Put the sidebar's cursor on the entry `name` with j and k."""
    for _ in range(20):
        await press(pilot, "k")
    for _ in range(20):
        if sidebar.cursor_node is not None and sidebar.cursor_node.label.plain == name:
            return
        await press(pilot, "j")
    raise AssertionError(f"no entry {name!r} in {entries(sidebar)}")


async def test_a_tree_read_before_a_newer_load_never_replaces_its_answer(desk_app, monkeypatch):
    # A load still reading when a newer one starts (the screen resumed as a dialog closed,
    # then the change it confirmed was made) must not draw its older tree over the newer
    # one's when its thread comes back last, as it may on a busy machine.
    app = desk_app()
    async with app.run_test(size=SMALL) as pilot:
        sidebar = await open_sidebar(pilot)
        before = entries(sidebar)
        real, released, calls = workspace.tree, threading.Event(), []

        def tree() -> list[dict]:
            calls.append(1)
            if len(calls) == 1:  # the older load: a tree read before a new space was made
                stale = real()
                released.wait(30)
                return [*stale, {**stale[0], "id": 999, "name": "Stale", "lists": []}]
            return real()

        answers = []  # the loads' answers as they reach the UI thread, drawn or not
        answer = calls_module._answer

        def counted(worker, newest, callback, *args):
            if worker.group == "sidebar":
                answers.append(worker)
            return answer(worker, newest, callback, *args)

        monkeypatch.setattr(workspace, "tree", tree)
        monkeypatch.setattr(calls_module, "_answer", counted)
        sidebar.load()
        while not calls:  # (not wait_until: it settles, which waits for the held load)
            await pilot.pause(0.01)
        sidebar.load()
        while len(calls) < 2 or any(worker.group == "sidebar" for worker in app.workers):
            await pilot.pause(0.01)
        assert "Stale" not in entries(sidebar)
        released.set()
        await wait_until(pilot, lambda: len(answers) == 2, "the older load's answer")
        assert entries(sidebar) == before


async def test_an_admin_adds_a_list_and_a_status_then_archives_the_list(desk_app):
    app = desk_app()
    async with app.run_test(size=SMALL) as pilot:
        sidebar = await open_sidebar(pilot)
        before = entries(sidebar)
        await cursor_to(pilot, sidebar, "Support inbox")
        await press(pilot, "n")
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, "Refunds")
        await press(pilot, "enter")
        await settle(pilot)
        space = before.index("  Support inbox")
        assert "  Refunds" in entries(sidebar)[space:]
        await cursor_to(pilot, sidebar, "Refunds")

        await press(pilot, "ctrl+p")
        await type_text(pilot, "Add status")
        await press(pilot, "enter")
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, "Blocked")
        await press(pilot, "enter")
        await press(pilot, "a")  # the category picker: "a" is active
        await settle(pilot)
        with app.database.connection_context():
            refunds = TaskList.get(TaskList.name == "Refunds")
            assert [(row.name, row.category) for row in Status.select().where(
                Status.task_list == refunds).order_by(Status.position)][-1] == (
                "Blocked", "active")

        await press(pilot, "a")
        question = app.screen
        assert isinstance(question, PickScreen)
        assert question.pick_title == "Archive the list Refunds?"
        assert question.shown[question.query_one("OptionList").highlighted][1] is False
        await press(pilot, "y")
        await settle(pilot)
        assert entries(sidebar) == before
        with app.database.connection_context():
            assert TaskList.get_by_id(refunds.id).archived_at is not None


async def test_escape_or_no_archives_nothing(desk_app):
    app = desk_app()
    async with app.run_test(size=SMALL) as pilot:
        sidebar = await open_sidebar(pilot)
        before = entries(sidebar)
        await cursor_to(pilot, sidebar, "Support inbox")
        await press(pilot, "a")
        await press(pilot, "enter")  # the highlighted answer is no
        await press(pilot, "a", "escape")
        await settle(pilot)
        assert entries(sidebar) == before
        with app.database.connection_context():
            assert TaskList.select().where(TaskList.archived_at.is_null(False)).count() == 0


async def test_an_agent_is_told_only_an_admin_shapes_the_workspace(desk_app):
    with desk_app().database.connection_context():
        agents.add(agents.acting(), "pat", role="agent")
        pat = agents.acting("pat")
    notices = Notices()
    app = desk_app(agent=pat)
    async with app.run_test(size=SMALL, message_hook=notices) as pilot:
        sidebar = await open_sidebar(pilot)
        before = entries(sidebar)
        await cursor_to(pilot, sidebar, "Support inbox")
        await press(pilot, "n")
        await press(pilot, "a")
        assert isinstance(app.screen, TasksScreen)
        assert notices.count(
            "Only an admin can shape the workspace (lists, statuses, fields).") == 2
        assert entries(sidebar) == before


async def palette(pilot, command: str) -> None:
    """Run a palette command by its title."""
    await press(pilot, "ctrl+p")
    await type_text(pilot, command)
    await press(pilot, "enter")


async def answer(pilot, text: str) -> None:
    """Answer the prompt or picker in front: its input holds `text`, then enter."""
    field = pilot.app.screen.query_one(Input)
    field.value = text
    await press(pilot, "enter")


async def test_statuses_and_fields_are_shaped_from_the_palette(desk_app):
    app = desk_app()
    with app.database.connection_context():
        refunds = workspace.create_list(app.agent, "Support", "Refunds")
        task = tasks.create(app.agent, "Refund Ada", refunds.id).row
    notices = Notices()
    async with app.run_test(size=SMALL, message_hook=notices) as pilot:
        sidebar = await open_sidebar(pilot)
        await cursor_to(pilot, sidebar, "Refunds")
        for command, answers in (
                ("Rename status", ("In progress", "Doing")),
                ("Move status", ("Closed", "1")),
                ("Colour status", ("Doing", "#3a7")),
                ("Status category", ("Done", "closed")),
                ("Remove status", ("To do", "Doing")),
                ("Add custom field", ("Size", "dropdown", "S, M")),
                ("Edit field options", ("Size", "S, M, L")),
                ("Rename custom field", ("Size", "Shirt"))):
            await palette(pilot, command)
            for text in answers:
                await answer(pilot, text)
            if command == "Remove status":
                assert app.screen.pick_title == (
                    "Remove the status To do? Its 1 task moves to Doing.")
                await press(pilot, "y")
            await settle(pilot)
            assert isinstance(app.screen, TasksScreen), command
            assert "error" not in notices.severity, notices
        with app.database.connection_context():
            assert [(row.name, row.category, row.colour, row.tasks)
                    for row in status_edits.rows(refunds.id)] == [
                ("Closed", "closed", "", 0), ("Doing", "active", "#33aa77", 1),
                ("Done", "closed", "", 0)]
            assert Task.get_by_id(task.id).status.name == "Doing"
            assert [(row.name, row.options) for row in
                    custom_fields.fields_for_list(refunds.id)] == [("Shirt", ("S", "M", "L"))]
        await palette(pilot, "Remove status")  # the last status for work not done
        await answer(pilot, "Doing")
        await answer(pilot, "Closed")
        assert isinstance(app.screen, TasksScreen)  # refused before asking
        assert notices[-1] == ("the list would have no status for work not done (open or "
                               "active); add one first")
        await palette(pilot, "Remove custom field")
        await answer(pilot, "Shirt")
        await press(pilot, "y")
        await settle(pilot)
        with app.database.connection_context():
            assert custom_fields.fields_for_list(refunds.id) == []
