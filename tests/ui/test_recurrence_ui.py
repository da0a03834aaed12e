"""The recurrence editor on the task screen: the next five dates before saving, options,
mistakes shown in place, saving and stopping (checked in the database), viewers."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Static

from desk.kernel import agents
from desk.models import RecurringSeries, Task
from desk.recurrence import series as recurrence
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.recurrence_form import RecurrenceScreen

from .conftest import Notices, press, type_text
from .test_task_screen import field_text, new_task, open_task

SIZE = (100, 40)
LAST_WORKING_DAYS = ["Mon 2026-11-30 09:00", "Thu 2026-12-31 09:00", "Fri 2027-01-29 09:00",
                     "Fri 2027-02-26 09:00", "Wed 2027-03-31 09:00"]
"""The last working days from the demo's now (Fri 2026-11-20 10:00 UTC), at 09:00."""


def part(screen: RecurrenceScreen, name: str) -> str:
    """What one part of the editor shows (summary, dates, error)."""
    return str(screen.query_one(f"#recur-{name}", Static).render())


def dates_of(screen: RecurrenceScreen) -> list[str]:
    """The coming dates the editor lists under its "Next N (zone):" heading."""
    rows = part(screen, "dates").splitlines()[1:]
    return [day for row in rows for day in row.split("   ") if day]


def series_of(app, task_id: int) -> recurrence.SeriesView | None:
    """The task's series as stored."""
    with app.database.connection_context():
        return recurrence.series_for(task_id)


def task_id_titled(app, title: str) -> int:
    """The id of the demo task with this title."""
    with app.database.connection_context():
        return Task.get(Task.title == title).id


async def open_editor(pilot) -> RecurrenceScreen:
    """Press R on the task screen and wait for the first preview."""
    await press(pilot, "R")
    screen = pilot.app.screen
    assert isinstance(screen, RecurrenceScreen)
    return screen


async def test_a_new_series_shows_its_next_five_dates_then_saves(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        task_id = new_task(app, "Send the monthly report")
        screen = await open_task(pilot, task_id)
        assert field_text(screen, "Repeats").split()[1:] == ["–"]
        editor = await open_editor(pilot)
        assert "Rule: type how it repeats" in part(editor, "error")

        await type_text(pilot, "monthly on last working day")
        assert part(editor, "dates").splitlines()[0] == "Next 5 (UTC):"
        assert dates_of(editor) == LAST_WORKING_DAYS
        assert part(editor, "summary").startswith(
            "Recurs monthly on last working day, creating a new task")
        assert series_of(app, task_id) is None  # nothing saved by previewing

        await press(pilot, "tab", "tab", "tab")  # the count
        await type_text(pilot, "3")
        assert dates_of(editor) == LAST_WORKING_DAYS[:3]
        await press(pilot, "ctrl+j")

        assert app.screen is screen
        series = series_of(app, task_id)
        assert (series.rule, series.count, series.mode, series.active) == (
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", 3, "new", True)
        assert field_text(screen, "Repeats").endswith(
            "monthly on last working day · next 2026-11-30 09:00")


async def test_options_change_the_preview_and_are_stored(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        task_id = new_task(app, "Water the plants")
        await open_task(pilot, task_id)
        editor = await open_editor(pilot)
        await type_text(pilot, "daily")
        assert [day.split()[0] for day in dates_of(editor)] == [
            "Sat", "Sun", "Mon", "Tue", "Wed"]
        for checkbox in ("reopen", "skip_weekends"):
            editor.query_one(f"#recur-{checkbox}", Checkbox).focus()
            await press(pilot, "space")
        assert [day.split()[:2] for day in dates_of(editor)] == [
            ["Mon", "2026-11-23"], ["Tue", "2026-11-24"], ["Wed", "2026-11-25"],
            ["Thu", "2026-11-26"], ["Fri", "2026-11-27"]]
        assert "reopening the task" in part(editor, "summary")
        assert "weekends moved to Monday" in part(editor, "summary")
        await press(pilot, "ctrl+j")
        series = series_of(app, task_id)
        assert (series.mode, series.skip_weekends, series.anchor, series.skip_if_open) == (
            "reopen", True, "schedule", False)


async def test_mistakes_are_shown_in_place_and_nothing_is_saved(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        task_id = new_task(app, "Check the backups")
        await open_task(pilot, task_id)
        editor = await open_editor(pilot)
        await type_text(pilot, "fortnightly-ish")
        assert part(editor, "error").startswith("Rule: ")
        assert part(editor, "dates") == ""
        await press(pilot, "ctrl+j")
        assert app.screen is editor and part(editor, "error").startswith("Rule: ")

        await press(pilot, "ctrl+a", "ctrl+k")
        await type_text(pilot, "weekly on mon")
        await press(pilot, "tab", "tab")
        await type_text(pilot, "soonish")
        assert part(editor, "error").startswith("Until: ")
        await press(pilot, "ctrl+a", "ctrl+k", "tab")
        await type_text(pilot, "0")
        assert part(editor, "error") == "Count: a whole number of at least 1, not '0'"
        await press(pilot, "ctrl+j")
        assert app.screen is editor and series_of(app, task_id) is None
        await press(pilot, "escape")
        assert series_of(app, task_id) is None


async def test_a_demo_series_is_edited_and_stopped_after_asking(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        task_id = task_id_titled(app, "Weekly support report")
        screen = await open_task(pilot, task_id)
        assert field_text(screen, "Repeats").endswith("weekly on fri · next 2026-11-27 09:00")
        editor = await open_editor(pilot)
        assert editor.query_one("#recur-rule", Input).value == "weekly on fri"
        assert dates_of(editor)[:2] == ["Fri 2026-11-27 09:00", "Fri 2026-12-04 09:00"]
        before = series_of(app, task_id)

        editor.query_one("#recur-stop").focus()
        await press(pilot, "enter")
        assert isinstance(app.screen, PickScreen)
        await press(pilot, "escape")  # asked, and kept
        assert app.screen is editor and series_of(app, task_id).active

        await press(pilot, "enter")
        await type_text(pilot, "stop")
        await press(pilot, "enter")
        assert app.screen is screen
        after = series_of(app, task_id)
        assert not after.active and after.version == before.version + 1
        assert field_text(screen, "Repeats").split()[1:] == ["–"]


async def test_a_change_someone_saved_first_is_a_conflict_in_place(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        task_id = task_id_titled(app, "Weekly support report")
        await open_task(pilot, task_id)
        editor = await open_editor(pilot)
        with app.database.connection_context():  # someone else changes the rule meanwhile
            other = agents.acting()
            spec = recurrence.series_for(task_id).spec
            recurrence.set_series(other, task_id, recurrence.SeriesSpec(
                "weekly on thu", starts_at=spec.starts_at), app.now().tzinfo,
                calendar=app.sla_rules.calendar, now=app.now())
        await press(pilot, "ctrl+a", "ctrl+k")
        await type_text(pilot, "weekly on mon")
        await press(pilot, "ctrl+j")
        assert app.screen is editor and "rule" in part(editor, "error")
        with app.database.connection_context():
            assert RecurringSeries.get(RecurringSeries.task == task_id).rule == (
                "FREQ=WEEKLY;BYDAY=TH")


async def test_a_viewer_is_told_why_not(desk_app, demo_db):
    with demo_db.connection_context():
        viewer = agents.add(agents.acting(), "vera", role="viewer", name="Vera Viewer")
    app, notices = desk_app(agent=viewer), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        task_id = task_id_titled(app, "Weekly support report")
        await open_task(pilot, task_id)
        await press(pilot, "R")
        assert not isinstance(app.screen, RecurrenceScreen)
        assert any("viewer" in notice for notice in notices)


async def test_at_80x24_the_whole_editor_is_in_view_with_its_error(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        task_id = task_id_titled(app, "Weekly support report")
        await open_task(pilot, task_id)
        editor = await open_editor(pilot)
        await press(pilot, "end")
        await type_text(pilot, " and soon")
        assert part(editor, "error").startswith("Rule: cannot read 'soon'")
        dialog = editor.query_one(".dialog-recur")
        assert dialog.max_scroll_y == 0  # nothing scrolled out of the dialog
        screen = editor.region
        for name in ("#recur-rule", "#recur-count", "#recur-error", "#recur-catch_up_all",
                     "#recur-stop", ".dialog-hint"):
            region = editor.query_one(name).region
            assert region.height and screen.contains_region(region), name
        assert "ctrl+j saves" in str(editor.query_one(".dialog-hint", Static).render())
