"""The running app's background worker: what `desk tick` does, every minute while it runs.

New occurrences of recurring series and the automation rules (desk.automation.background) run
in a thread worker, one run at a time, only while the agent may write. What they change
reaches the screens through the live refresh like anyone's change. A problem (a rule that
failed, a series that could not be generated) is shown once as a notice, not every minute;
a busy database is left for the next run.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import App

from desk.kernel.connections import is_busy
from desk.screens.actions.calls import describe, run_service
from desk.text import one_line

if TYPE_CHECKING:
    from desk.automation.background import StepReport
    from desk.config import Settings
    from desk.kernel.agents import AgentRef


class BackgroundWork:
    """Runs the background work for an app; `run` is what its timer calls."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.running = False
        """A run is under way: the next timer tick waits for it to finish."""
        self.reported: set[str] = set()
        """The problems already shown, so that each is shown once."""

    def run(self) -> None:
        """Start a run in a worker, unless one is still going or the agent may not write
        (a role the live refresh keeps up to date: desk.screens.actions.app.standing)."""
        if self.running or not self.app.agent.can_write:
            return
        self.running = True
        settings, now, agent = self.app.settings, self.app.now(), self.app.agent
        quiet = self.app.key_quiet

        def work() -> list[StepReport]:
            """In the worker: give way to keys that are arriving, then run."""
            quiet.wait()
            return due_work(settings, now, agent)

        run_service(self.app, work, done=self.finished, failed=self.broke, group="background")

    def finished(self, reports: list[StepReport]) -> None:
        """On the UI thread: a run ended; show its new problems."""
        self.running = False
        for report in reports:
            for problem in report.problems:
                self.tell(problem)

    def broke(self, error: Exception) -> bool:
        """On the UI thread: a run failed; a busy database waits for the next run."""
        self.running = False
        if not is_busy(error):
            self.tell(describe(error))
        return True

    def tell(self, problem: str) -> None:
        """Show a problem as a notice, once."""
        if problem in self.reported:
            return
        self.reported.add(problem)
        self.app.notify(one_line(problem, 300), title="Background work", severity="warning",
                        timeout=12, markup=False)


def due_work(settings: Settings, now: datetime, agent: AgentRef) -> list[StepReport]:
    """In the worker: the background work due by `now` (imported here, after the first paint)."""
    from desk.automation import background

    return background.run_due_work(settings, now, agent)
