"""The palette's "Log time…": a duration typed naturally (`1h30`, `45m`), read live as it
is typed, logged today on the task in view (the task screen's, or the one under the task
list's cursor)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App

from desk import durations
from desk.screens.actions.calls import run_service
from desk.screens.dialogs.prompt import PromptScreen
from desk.text import one_line

if TYPE_CHECKING:
    from desk.work.time.entries import EntryRow


def task_in_view(screen: Any) -> tuple[int, str] | None:
    """(id, title) of the task the screen shows or has under its cursor, or None."""
    page = getattr(screen, "page", None)
    detail = getattr(page, "detail", None)
    if getattr(screen, "task_id", None) is not None and detail is not None:
        return screen.task_id, detail.row.title
    current = getattr(screen, "current_line", None)
    line = current() if callable(current) else None
    task = getattr(line, "task", None)
    return (task.id, task.title) if task is not None else None


def preview(text: str) -> str:
    """What the typed duration means: "1h30 (1.50 hours), today, billable"."""
    minutes = durations.parse_minutes(text)
    return f"{durations.spoken(minutes)} ({durations.hours(minutes)} hours), today, billable"


def open_log_time(app: App) -> None:
    """Ask for the time spent on the task in view and log it; say why when there is none."""
    found = task_in_view(app.screen)
    if found is None:
        app.notify("Open a task, or put the task list's cursor on one, to log time on it.",
                   title="Log time", markup=False)
        return
    task_id, title = found

    def logged(minutes: int | None) -> None:
        """The prompt closed: log the minutes (None: cancelled)."""
        if minutes is None:
            return
        from desk.work.time import entries

        agent, now = app.agent, app.now()
        run_service(app, lambda: entries.log(agent, task_id, minutes, now), done=_told(app))

    app.push_screen(PromptScreen(
        f"Log time on #{task_id} {one_line(title, 50)}", parse=durations.parse_minutes,
        placeholder="1h30", hint="1h30, 1h 30m, 45m, 1.5h, 1:30 or 90 (minutes)",
        preview=preview), logged)


def _told(app: App):
    """What says, once logged, what was logged."""
    def tell(row: EntryRow) -> None:
        app.notify(f"Logged {durations.spoken(row.minutes or 0)} on #{row.task_id} "
                   f"{one_line(row.task, 50)}", title="Log time", markup=False)
    return tell
