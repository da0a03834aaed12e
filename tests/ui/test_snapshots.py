"""Snapshots of each screen at a fixed size, over the demo workspace at a fixed moment.

The demo is built from a fixed seed at DEMO_NOW and the app's clock is fixed there too, so the
pictures only change when the screens do. Review a changed picture with the report that
pytest-textual-snapshot writes, then accept it with `pytest --snapshot-update`.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from desk.screens.widgets.comment_list import CommentList
from desk.support import intake
from desk.work import comments, tasks, workspace

from .conftest import settle

SCREENS = {
    "inbox": [],
    "task": ["enter"],
    "tasks": ["2"],
    "board": ["2", "b"],
    "query-error": ["2", "slash", *"priority:soon", "enter"],
    "clients": ["3"],
    "client": ["3", "enter"],
    "help": ["question_mark"],
    "recurrence": ["enter", "R"],
    "dashboard": ["4"],
}
"""What to press, from the start, to reach each screen."""


def visit(keys: list[str]):
    """A run_before that presses `keys`, letting each one's work land before the next."""

    async def run_before(pilot) -> None:
        """Wait for the first paint, then press the keys one by one."""
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("name", list(SCREENS))
def test_screen_at_80x24(snap_compare, desk_app, name):
    assert snap_compare(desk_app(), run_before=visit(SCREENS[name]), terminal_size=(80, 24))


@pytest.mark.parametrize("name", ["inbox", "task", "client"])
def test_screen_at_160x48(snap_compare, desk_app, name):
    assert snap_compare(desk_app(), run_before=visit(SCREENS[name]), terminal_size=(160, 48))


def test_dashboard_at_160x50(snap_compare, desk_app):
    assert snap_compare(desk_app(), run_before=visit(SCREENS["dashboard"]),
                        terminal_size=(160, 50))


def test_light_and_sixteen_colour_themes(snap_compare, desk_app):
    assert snap_compare(desk_app(theme="desk-light"), run_before=visit(["2"]))
    assert snap_compare(desk_app(theme="desk-16"), run_before=visit(["2"]))


@pytest.mark.parametrize("theme", ["desk-dark", "desk-light", "desk-high-contrast", "desk-16"])
def test_selected_new_query_in_every_theme(snap_compare, desk_app, theme):
    """The inbox's cursor on a New, urgent query: each cell of the row readable."""
    assert snap_compare(desk_app(theme=theme), run_before=visit(["j", "j"]),
                        terminal_size=(80, 24))
def test_three_comment_looks_at_80x24(snap_compare, desk_app):
    """A customer's message, our reply and an internal note, one under the other."""
    app = desk_app()
    at = datetime(2026, 11, 20, 9, 0)
    with app.database.connection_context():
        task_id = tasks.create(app.agent, "Invoice 1042 is wrong",
                               workspace.find_list("Internal").id).row.id
        with app.database.atomic():
            intake.add_message(app.agent, task_id, "message", "Ana Lima <ana@example.com>",
                               "The invoice charges us twice.", None, at)
        comments.reply(app.agent, task_id, "Sorry: we have refunded one.", email=False, now=at)
        comments.note(app.agent, task_id, "Finance approved the refund.", now=at)

    async def run_before(pilot) -> None:
        """Open the task and put the focus on its comments."""
        await settle(pilot)
        app.open_task(task_id)
        await settle(pilot)
        app.screen.query_one(CommentList).focus()
        await settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
