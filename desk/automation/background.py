"""The background work due by a moment: what `desk tick` and the running app's worker do.

Both run the same steps in the same order (new occurrences of recurring series first, so
that the automation rules see them), so cron, a systemd timer and an open app can share one
database: each step is safe to run twice or side by side (unique occurrence keys,
idempotent event processing). Each step takes what it needs from the settings it is given
(the SLA rules and their business calendar: `sla.book(settings)`), so nothing is kept between
runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from msgspec import Struct

from desk import sla
from desk.automation import processor as automations
from desk.automation.sequences import engine as sequence_engine
from desk.config import Settings
from desk.config.automations.sequences import parse as parse_sequences
from desk.crm import loyalty_points
from desk.errors import DeskError
from desk.kernel import agents
from desk.kernel.agents import AgentRef
from desk.mail import delivery, sources
from desk.recurrence import tick as recurrence_tick
from desk.support import intake, urgency_store
from desk.support.feedback import surveys


class StepReport(Struct, frozen=True):
    """What one step did: a summary line and its problems (warnings and errors)."""

    summary: str
    problems: list[str]


def recurring_work(settings: Settings, now: datetime, agent: AgentRef | None) -> StepReport:
    """The occurrences of recurring series due by `now`."""
    report = recurrence_tick.generate(now, settings.tz, agent, sla_rules=sla.book(settings))
    return StepReport(report.summary(), report.errors)


def mail_intake(settings: Settings, now: datetime, agent: AgentRef | None) -> StepReport:
    """The new messages of the configured IMAP mailbox, taken in as queries and replies;
    nothing when no mailbox is configured. A message that failed is a problem to report."""
    imap = settings.intake.imap
    if not imap.host:
        return StepReport("mail: no IMAP mailbox configured", [])
    if agent is None:
        agent = agents.acting()
    options = intake.IntakeOptions.from_settings(settings.intake, sla.book(settings))
    try:
        with sources.imap(imap) as messages:
            report = intake.take_all(agent, messages, options, now=now)
    except DeskError as error:
        return StepReport("mail: not read", [str(error)])
    return StepReport(report.summary(), [outcome.text() for outcome in report.outcomes
                                          if outcome.outcome == "failed"])


def sla_events(settings: Settings, now: datetime, agent: AgentRef | None) -> StepReport:
    """The SLA near-breach and breach events due by `now` (before the rules, which act on
    them)."""
    return StepReport(sla.scan(now, sla.book(settings)).summary(), [])


def loyalty_programme(settings: Settings, now: datetime, agent: AgentRef | None
                      ) -> StepReport:
    """Points for newly fulfilled orders, points expired, tiers stored (before the rules,
    which act on a change of tier)."""
    return StepReport(loyalty_points.run(settings.loyalty, now, agent).summary(), [])


def automation_rules(settings: Settings, now: datetime, agent: AgentRef | None) -> StepReport:
    """The automation rules over the changes not yet processed and the dates now due."""
    report = automations.run_automations(settings, now, agent)
    return StepReport(f"automations: {len(report.fired)} fired, {report.events} changes processed",
                      [*report.warnings, *report.errors])


def sequence_steps(settings: Settings, now: datetime, agent: AgentRef | None) -> StepReport:
    """The sequences' steps due by `now` (after the rules, which start sequences; before the
    outbox, which sends their e-mails), and the sequences a reply or a new stage stops."""
    report = sequence_engine.run_due(parse_sequences(settings.sequences), now,
                                     automations.rules_runner(agent), sla.book(settings),
                                     settings.tz)
    return StepReport(report.summary(), report.problems)


def nps_surveys(settings: Settings, now: datetime, agent: AgentRef | None) -> StepReport:
    """The NPS surveys due by `now` (nps.cadence), queued in the outbox; nothing while
    nps.enabled is false."""
    if not settings.nps.enabled:
        return StepReport("nps: surveys off", [])
    sent = surveys.send_due(agent or agents.acting(), settings, now)
    return StepReport(f"nps: {len(sent)} {'survey' if len(sent) == 1 else 'surveys'} queued", [])


def urgency_scores(settings: Settings, now: datetime, agent: AgentRef | None) -> StepReport:
    """The stored urgency scores due by `now` computed again: those of changed tasks and
    those whose clock terms are still moving (desk.support.urgency_store)."""
    count = urgency_store.refresh(settings.urgency, now,
                                  pause_while_waiting=settings.sla.pause_while_waiting)
    return StepReport(f"urgency: {count:,} {'score' if count == 1 else 'scores'} updated", [])


def outgoing_mail(settings: Settings, now: datetime, agent: AgentRef | None) -> StepReport:
    """The e-mail in the outbox due to go out by `now` (after the rules, which queue some)."""
    report = delivery.deliver(settings, now)
    return StepReport(report.summary(), report.problems())


STEPS: tuple[Callable[[Settings, datetime, AgentRef | None], StepReport], ...] = (
    recurring_work, mail_intake, sla_events, loyalty_programme, automation_rules, sequence_steps,
    nps_surveys, outgoing_mail, urgency_scores,
)
"""The steps, in order: each takes (settings, now, agent) and returns its StepReport."""


def run_due_work(settings: Settings, now: datetime, agent: AgentRef | None = None
                 ) -> list[StepReport]:
    """Run every step for `now`; one report per step, in order. An `agent` who may not write
    now (a viewer, or one disabled meanwhile) is refused before any step runs."""
    if agent is not None:
        agents.require_writer(agent)
    return [step(settings, now, agent) for step in STEPS]
