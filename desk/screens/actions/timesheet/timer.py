"""The agent's timer in the app: started and stopped from the task list (`T`), shown with its
elapsed time at the right of every screen's key bar.

The running timer lives in the database (desk.work.time.entries), so it survives a restart;
the app reads it once at start and keeps it after each start and stop, so the key bar ticks
once a second without asking the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from msgspec import Struct
from textual.app import App

from desk.clock import to_local
from desk.screens.actions.calls import run_service
from desk.text import one_line

if TYPE_CHECKING:
    from desk.work.time.entries import EntryRow

TITLE_WIDTH = 18
"""The characters of the task's title the key bar shows beside the timer."""


class Running(Struct, frozen=True):
    """The running timer as the key bar shows it."""

    task_id: int
    title: str
    started_at: datetime
    """Aware, in the person's time zone."""


class Timer:
    """The acting agent's timer for an app: what runs, starting and stopping it."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.running: Running | None = None
        self.loaded = False
        """Whether the running timer was read (the first key bar shown reads it)."""

    def load(self) -> None:
        """Read the running timer once (after a restart it is still there)."""
        if self.loaded:
            return
        self.loaded = True
        from desk.work.time import entries

        agent_id = self.app.agent.id
        run_service(self.app, lambda: entries.running(agent_id), done=self._keep,
                    group="timer")

    def toggle(self, task_id: int) -> None:
        """Stop the timer when it runs on this task, else start it here (stopping any other);
        a notice says what was logged."""
        from desk.work.time import entries

        agent, now = self.app.agent, self.app.now()
        if self.running is not None and self.running.task_id == task_id:
            run_service(self.app, lambda: entries.stop(agent, now), done=self._stopped,
                        group="timer")
        else:
            run_service(self.app, lambda: entries.start(agent, task_id, now),
                        done=self._started, group="timer")

    def label(self, now: datetime) -> str:
        """`⏱ 1:02:03 #12 Title` while a timer runs, else ""."""
        if self.running is None:
            return ""
        seconds = max(0, int((now - self.running.started_at).total_seconds()))
        hours, rest = divmod(seconds, 3600)
        title = one_line(self.running.title)
        if len(title) > TITLE_WIDTH:
            title = title[:TITLE_WIDTH - 1] + "…"
        return f"⏱ {hours}:{rest // 60:02d}:{rest % 60:02d} #{self.running.task_id} {title}"

    def _keep(self, row: EntryRow | None) -> None:
        """On the UI thread: remember the running timer (or none)."""
        zone = self.app.now().tzinfo
        self.running = (Running(row.task_id, row.task, to_local(row.started_at, zone))
                        if row is not None and row.started_at is not None else None)
        self.app.refresh_bindings()  # the key bars repaint

    def _started(self, result: tuple[EntryRow, EntryRow | None]) -> None:
        """On the UI thread: a timer started (and maybe another stopped)."""
        timer, stopped = result
        if stopped is not None:
            self._stopped(stopped, keep=False)
        self._keep(timer)

    def _stopped(self, row: EntryRow | None, *, keep: bool = True) -> None:
        """On the UI thread: the timer stopped; say what it logged."""
        from desk.durations import spoken

        if row is None:
            self.app.notify("The timer ran under a minute: nothing was logged.", markup=False)
        else:
            self.app.notify(f"Logged {spoken(row.minutes or 0)} on #{row.task_id} "
                            f"{one_line(row.task)}", markup=False)
        if keep:
            self._keep(None)
