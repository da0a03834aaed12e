"""The recurrence editor on the task screen: the next five dates before saving, options,
mistakes shown in place, saving and stopping (checked in the database), viewers."""

from __future__ import annotations

from textual.widgets import Checkbox, Static

from desk.kernel import agents
from desk.models import RecurringSeries, Task
from desk.recurrence import series as recurrence
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.recurrence_form import RecurrenceScreen

from .conftest import Notices, settle
from .test_task_screen import field_text, new_task, open_task

SIZE = (100, 40)
LAST_WORKING_DAYS = ["Mon 2026-11-30 09:00 UTC", "Thu 2026-12-31 09:00 UTC",
                     "Fri 2027-01-29 09:00 UTC", "Fri 2027-02-26 09:00 UTC",
                     "Wed 2027-03-31 09:00 UTC"]
"""The last working days from the demo's now (Fri 2026-11-20 10:00 UTC), at 09:00."""


def part(screen: RecurrenceScreen, name: str) -> str:
    """What one part of the editor shows (summary, dates, error)."""
    return str(screen.query_one(f"#recur-{name}", Static).render())


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
    await pilot.press("R")
    await settle(pilot)
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

        await pilot.press(*"monthly on last working day")
        await settle(pilot)
        assert part(editor, "dates").splitlines() == [
            "Next 5 dates", *(f"  {day}" for day in LAST_WORKING_DAYS)]
        assert part(editor, "summary").startswith(
            "Recurs FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1, creating a new task")
        assert series_of(app, task_id) is None  # nothing saved by previewing

        await pilot.press("tab", "tab", "tab", *"3")  # the count
        await settle(pilot)
        assert len(part(editor, "dates").splitlines()) == 1 + 3
        await pilot.press("ctrl+j")
        await settle(pilot)

        assert app.screen is screen
        series = series_of(app, task_id)
        assert (series.rule, series.count, series.mode, series.active) == (
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", 3, "new", True)
        assert field_text(screen, "Repeats").endswith(
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1 · next 2026-11-30 09:00")


async def test_options_change_the_preview_and_are_stored(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        task_id = new_task(app, "Water the plants")
        await open_task(pilot, task_id)
        editor = await open_editor(pilot)
        await pilot.press(*"daily")
        await settle(pilot)
        assert [line.split()[0] for line in part(editor, "dates").splitlines()[1:]] == [
            "Sat", "Sun", "Mon", "Tue", "Wed"]
        for checkbox in ("reopen", "skip_weekends"):
            editor.query_one(f"#recur-{checkbox}", Checkbox).focus()
            await pilot.press("space")
            await settle(pilot)
        assert [line.split()[:2] for line in part(editor, "dates").splitlines()[1:]] == [
            ["Mon", "2026-11-23"], ["Tue", "2026-11-24"], ["Wed", "2026-11-25"],
            ["Thu", "2026-11-26"], ["Fri", "2026-11-27"]]
        assert "reopening the task" in part(editor, "summary")
        assert "weekends moved to Monday" in part(editor, "summary")
        await pilot.press("ctrl+j")
        await settle(pilot)
        series = series_of(app, task_id)
        assert (series.mode, series.skip_weekends, series.anchor, series.skip_if_open) == (
            "reopen", True, "schedule", False)


async def test_mistakes_are_shown_in_place_and_nothing_is_saved(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        task_id = new_task(app, "Check the backups")
        await open_task(pilot, task_id)
        editor = await open_editor(pilot)
        await pilot.press(*"fortnightly-ish")
        await settle(pilot)
        assert part(editor, "error").startswith("Rule: ")
        assert part(editor, "dates") == ""
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert app.screen is editor and part(editor, "error").startswith("Rule: ")

        await pilot.press("ctrl+a", "ctrl+k", *"weekly on mon", "tab", "tab", *"soonish")
        await settle(pilot)
        assert part(editor, "error").startswith("Until: ")
        await pilot.press("ctrl+a", "ctrl+k", "tab", *"0")
        await settle(pilot)
        assert part(editor, "error") == "Count: a whole number of at least 1, not '0'"
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert app.screen is editor and series_of(app, task_id) is None
        await pilot.press("escape")
        await settle(pilot)
        assert series_of(app, task_id) is None


async def test_a_demo_series_is_edited_and_stopped_after_asking(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        task_id = task_id_titled(app, "Weekly support report")
        screen = await open_task(pilot, task_id)
        assert field_text(screen, "Repeats").endswith(
            "FREQ=WEEKLY;BYDAY=FR · next 2026-11-27 09:00")
        editor = await open_editor(pilot)
        assert part(editor, "dates").splitlines()[1:3] == ["  Fri 2026-11-27 09:00 UTC",
                                                            "  Fri 2026-12-04 09:00 UTC"]
        before = series_of(app, task_id)

        editor.query_one("#recur-stop").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)
        await pilot.press("escape")  # asked, and kept
        await settle(pilot)
        assert app.screen is editor and series_of(app, task_id).active

        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"stop", "enter")
        await settle(pilot)
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
        await pilot.press("ctrl+a", "ctrl+k", *"weekly on mon", "ctrl+j")
        await settle(pilot)
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
        await pilot.press("R")
        await settle(pilot)
        assert not isinstance(app.screen, RecurrenceScreen)
        assert any("viewer" in notice for notice in notices)
