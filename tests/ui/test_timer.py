"""The timer in the app: `T` on the task list starts it on the task under the cursor, the key
bar shows it ticking, it still runs after a restart, and `T` again stops it into an entry."""

from __future__ import annotations

from datetime import timedelta

from desk.models import TimeEntry
from desk.screens.screens.tasks import TasksScreen
from desk.screens.widgets.key_bar import KeyBar

from .conftest import DEMO_NOW, Notices, press, settle, wait_until


def bar(app) -> str:
    """The key bar's line as drawn."""
    return str(app.screen.query_one(KeyBar).render())


async def test_the_timer_starts_ticks_survives_a_restart_and_stops_into_an_entry(
        desk_app, demo_db):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "2")
        screen = app.screen
        assert isinstance(screen, TasksScreen)
        task = screen.current_line().task
        assert "⏱" not in bar(app)
        await press(pilot, "T")
        assert app.timer.running is not None and app.timer.running.task_id == task.id
        assert f"⏱ 0:00:00 #{task.id} " in bar(app)
        app.clock = lambda: DEMO_NOW + timedelta(minutes=25, seconds=7)
        await wait_until(pilot, lambda: "⏱ 0:25:07" in bar(app), "the timer to tick")
    with demo_db.connection_context():
        [running] = TimeEntry.select().where(TimeEntry.minutes.is_null())
        assert running.task_id == task.id

    later = desk_app()  # a restart: the timer is read back from the database
    later.clock = lambda: DEMO_NOW + timedelta(minutes=40)
    notices = Notices()
    async with later.run_test(size=(80, 24), message_hook=notices) as pilot:
        await settle(pilot)
        assert f"⏱ 0:40:00 #{task.id} " in bar(later)
        await press(pilot, "2")
        assert later.screen.current_line().task.id == task.id
        await press(pilot, "T")
        assert later.timer.running is None and "⏱" not in bar(later)
        assert any(text.startswith(f"Logged 40m on #{task.id} ") for text in notices)
    with demo_db.connection_context():
        [entry] = TimeEntry.select().where(TimeEntry.started_at >= DEMO_NOW.replace(tzinfo=None))
        assert (entry.task_id, entry.minutes, entry.day) == (task.id, 40, DEMO_NOW.date())


async def test_log_time_reads_the_duration_live_and_logs_it_on_the_task_in_view(
        desk_app, demo_db):
    from desk.screens.actions.timesheet.log import open_log_time
    from desk.screens.dialogs.prompt import PromptScreen

    from .conftest import type_text

    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "2")
        task = app.screen.current_line().task
        open_log_time(app)
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PromptScreen)
        await type_text(pilot, "1x")
        assert "'1x' is not a duration: try 1h30 or 45m" in str(
            dialog.query_one("#prompt-preview").render())
        dialog.query_one("#prompt-input").value = ""
        await type_text(pilot, "1h 30m")
        assert str(dialog.query_one("#prompt-preview").render()) == (
            "1h30 (1.50 hours), today, billable")
        await press(pilot, "enter")
        await settle(pilot)
    with demo_db.connection_context():
        [entry] = TimeEntry.select().where(TimeEntry.created_at >= DEMO_NOW.replace(tzinfo=None))
        assert (entry.task_id, entry.minutes, entry.billable) == (task.id, 90, True)
