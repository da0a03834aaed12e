"""The palette's Import…: kind, file, a preview that writes nothing, then the import on
enter, with what it did shown in the same dialog."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desk.errors import DeskError
from desk.models import Task
from desk.screens.actions import importing
from desk.screens.dialogs.import_preview import ImportPreviewScreen
from desk.transfer import read_ahead

from .conftest import hold, press, settle, type_text

SIZE = (100, 30)
DATA = Path(__file__).parents[1] / "data" / "import"


async def open_import(pilot, kind_words: str, path: Path, *, wait: bool = True) -> None:
    """Palette -> Import…, pick the kind by typing, give the path; with `wait`, until the
    preview has been read."""
    await pilot.press("ctrl+p")
    await type_text(pilot, "Import")
    await press(pilot, "enter")
    await type_text(pilot, kind_words)
    await press(pilot, "enter")
    await type_text(pilot, str(path))
    await pilot.press("enter")
    if wait:
        await settle(pilot)
        return
    for _ in range(200):  # the preview opens before its file is read
        if isinstance(pilot.app.screen, ImportPreviewScreen):
            return
        await pilot.pause()


@pytest.fixture
def held_reading(monkeypatch) -> threading.Event:
    """The preview's dry run held back, as a large file's reading is, until the event is set."""
    return hold(monkeypatch, importing, "run_import")


def report(app) -> str:
    """The text of the preview dialog's report."""
    return str(app.screen.query_one("#import-report").render())


def hint(app) -> str:
    """The preview dialog's line of keys."""
    return str(app.screen.query_one("#import-hint").render())


@pytest.mark.parametrize("reader", ["here", "child"])
async def test_the_preview_writes_nothing_and_enter_imports(desk_app, monkeypatch, reader):
    if reader == "child":  # as a large file is read: in a second process (read_ahead)
        monkeypatch.setattr(read_ahead, "READ_AHEAD_BYTES", 0)
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_import(pilot, "clickup", DATA / "clickup.csv")
        assert isinstance(app.screen, ImportPreviewScreen)
        text = report(app)
        assert "clickup: would create 4, update 0, skip 1" in text
        assert "new status: Acme Space / Clients / Onboarding: complete (done)" in text
        assert "unmatched person: Zed Unknown (1 task)" in text
        assert "clickup.csv:6:Task Name: no task name; row skipped" in text
        assert hint(app) == "enter imports · escape closes; nothing is written until then"
        with app.database.connection_context():
            assert not Task.select().where(Task.title == "Onboard Acme").exists()
        await pilot.press("enter")
        await settle(pilot)
        assert "clickup: created 4, updated 0, skipped 1" in report(app)
        assert hint(app) == "Done · escape closes"
        with app.database.connection_context():
            assert Task.select().where(Task.title == "Onboard Acme").count() == 1
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ImportPreviewScreen)


async def test_escape_on_the_preview_imports_nothing(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_import(pilot, "taskwarrior", DATA / "taskwarrior.json")
        assert isinstance(app.screen, ImportPreviewScreen)
        await pilot.press("escape")
        await settle(pilot)
        with app.database.connection_context():
            assert not Task.select().where(Task.title == "Pay rent").exists()


async def test_a_path_that_is_no_file_is_refused_in_place(desk_app, tmp_path):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_import(pilot, "clickup", tmp_path / "missing.csv")
        error = str(app.screen.query_one("#prompt-error").render())
        assert "no file at" in error and "missing.csv" in error


async def test_a_viewer_cannot_import(desk_app):
    from desk.kernel.agents import AgentRef

    app = desk_app(agent=AgentRef(999, "watcher", "Watcher", "viewer"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Import")
        await press(pilot, "enter")
        assert not isinstance(app.screen, ImportPreviewScreen)
        assert any("viewer" in str(note.message) for note in app._notifications)


async def test_the_dialog_opens_while_the_file_is_read_and_enter_waits_for_the_preview(
        desk_app, held_reading):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_import(pilot, "clickup", DATA / "clickup.csv", wait=False)
        assert report(app) == "Reading the file…"
        assert hint(app) == "Nothing is written yet · escape closes"
        await pilot.press("enter")  # nothing to confirm yet
        assert app.screen.state == "reading" and not app._notifications
        held_reading.set()
        await settle(pilot)
        assert "clickup: would create 4, update 0, skip 1" in report(app)
        with app.database.connection_context():
            assert not Task.select().where(Task.title == "Onboard Acme").exists()


async def test_a_file_that_cannot_be_read_says_why_in_the_dialog(desk_app, monkeypatch):
    def failing(*args, **kwargs):
        raise DeskError("the disk went away")

    monkeypatch.setattr(importing, "run_import", failing)
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_import(pilot, "clickup", DATA / "clickup.csv")
        assert report(app) == "The file was not read: the disk went away"
        assert hint(app) == "escape closes"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ImportPreviewScreen) and not app._notifications
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ImportPreviewScreen)


async def test_escape_while_the_file_is_read_closes_and_the_reading_ends_quietly(
        desk_app, held_reading):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_import(pilot, "clickup", DATA / "clickup.csv", wait=False)
        await pilot.press("escape")
        held_reading.set()
        await settle(pilot)
        assert not isinstance(app.screen, ImportPreviewScreen) and not app._notifications
        with app.database.connection_context():
            assert not Task.select().where(Task.title == "Onboard Acme").exists()


async def test_an_import_that_fails_as_a_whole_says_so_in_the_dialog(desk_app, monkeypatch):
    preview = importing.run_import

    def failing_import(*args, dry_run, **kwargs):
        if not dry_run:
            raise DeskError("database is locked")
        return preview(*args, dry_run=dry_run, **kwargs)

    monkeypatch.setattr(importing, "run_import", failing_import)
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_import(pilot, "clickup", DATA / "clickup.csv")
        await pilot.press("enter")
        await settle(pilot)
        assert report(app) == "Nothing was imported: database is locked"
        assert hint(app) == "escape closes" and not app._notifications
        with app.database.connection_context():
            assert not Task.select().where(Task.title == "Onboard Acme").exists()
