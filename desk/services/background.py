"""The background work due by a moment: what `desk tick` and the running app's worker do.

Both run the same steps in the same order (new occurrences of recurring series first, so
that the automation rules see them), so cron, a systemd timer and an open app can share one
database: each step is safe to run twice or side by side (unique occurrence keys,
idempotent event processing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from desk.config import Settings
from desk.services import automations, recurrence_tick
from desk.services.agents import AgentRef


@dataclass(frozen=True)
class StepReport:
    """What one step did: a summary line and its problems (warnings and errors)."""

    summary: str
    problems: list[str]


def recurring_work(settings: Settings, now: datetime, agent: AgentRef | None) -> StepReport:
    """The occurrences of recurring series due by `now`."""
    report = recurrence_tick.generate(now, settings.tz, agent)
    return StepReport(report.summary(), report.errors)


def automation_rules(settings: Settings, now: datetime, agent: AgentRef | None) -> StepReport:
    """The automation rules over the changes not yet processed and the dates now due."""
    report = automations.run_automations(settings, now, agent)
    return StepReport(f"automations: {len(report.fired)} fired, {report.events} changes processed",
                      [*report.warnings, *report.errors])


STEPS: tuple[Callable[[Settings, datetime, AgentRef | None], StepReport], ...] = (
    recurring_work, automation_rules,
)
"""The steps, in order: each takes (settings, now, agent) and returns its StepReport."""


def run_due_work(settings: Settings, now: datetime, agent: AgentRef | None = None
                 ) -> list[StepReport]:
    """Run every step for `now`; one report per step, in order."""
    return [step(settings, now, agent) for step in STEPS]
