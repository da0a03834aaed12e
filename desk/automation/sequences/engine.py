"""The background step of sequences: stop the ones whose contact replied or whose client
changed stage, then run the steps now due, each exactly once.

A step is claimed with a conditional UPDATE on the enrolment's version (to the next step and
its due moment, or finished) in the same transaction as the step's e-mail or task and its
history row (unique per enrolment and step): of two desks ticking at once, one runs the step
and the other finds the version moved and skips it. A step that fails is undone and its
enrolment paused with the reason, for an agent to fix and resume. `dry_run` does all of it
inside a transaction it rolls back.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence as Many
from datetime import datetime

from msgspec import Struct, field
from peewee import JOIN, fn

from desk import sla
from desk.automation.sequences import steps
from desk.automation.sequences.timing import next_due
from desk.clock import stored, to_local
from desk.config.automations.sequences import Sequence
from desk.errors import DeskError
from desk.kernel import audit
from desk.kernel.agents import AgentRef
from desk.models import Client, MailMessage, SequenceEnrolment, SequenceStep, Task, database
from desk.models.sequences import LIVE_STATES

_log = logging.getLogger(__name__)


class SequenceReport(Struct):
    """What a run did: one line per step run or sequence stopped, and the problems (a step
    that failed, and so paused its sequence)."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: int = 0

    def summary(self) -> str:
        """One line for `desk tick`."""
        ran = sum(1 for line in self.lines if ": step " in line)
        steps = "step" if ran == 1 else "steps"
        return f"sequences: {ran} {steps} run, {len(self.lines) - ran} stopped or paused"


def run_due(sequences: Many[Sequence], now: datetime, runner: AgentRef | None,
            book: sla.Book, zone, limit: int = 200) -> SequenceReport:
    """Stop what replies and stage changes stop, then run up to `limit` due steps at `now`
    (aware) by `runner` (None: a workspace without agents, nothing runs)."""
    report = SequenceReport()
    if runner is None:
        return report
    by_name = {sequence.name: sequence for sequence in sequences}
    _stop_stale(by_name, now, report)
    due = (SequenceEnrolment.select()
           .where((SequenceEnrolment.state == "running")
                  & (SequenceEnrolment.next_due_at <= stored(now)))
           .order_by(SequenceEnrolment.next_due_at, SequenceEnrolment.id).limit(limit))
    for enrolment in list(due):
        if enrolment.sequence in by_name:  # else another desk is stopping it just now
            _run_step(enrolment, by_name[enrolment.sequence], now, runner, book, zone, report)
    return report


def dry_run(sequences: Many[Sequence], now: datetime, runner: AgentRef | None, book: sla.Book,
            zone) -> list[str]:
    """What `run_due` would do at `now`, one line each, changing nothing."""
    with database.atomic() as transaction:
        report = run_due(sequences, now, runner, book, zone)
        transaction.rollback()
    return [*report.lines, *(f"error: {problem}" for problem in report.problems)]


# --- stopping ------------------------------------------------------------------------------


def _stop_stale(by_name: dict[str, Sequence], now: datetime, report: SequenceReport) -> None:
    """Stop the live enrolments whose sequence left the config, whose contact replied since
    the start, or whose client moved to a stage that stops the sequence."""
    live = SequenceEnrolment.state.in_(LIVE_STATES)
    replied = (MailMessage.select(fn.MIN(MailMessage.received_at))
               .join(Task, on=MailMessage.task == Task.id)
               .where((Task.client == SequenceEnrolment.client)
                      & MailMessage.outcome.in_(("new", "comment"))
                      & (MailMessage.received_at > SequenceEnrolment.started_at)))
    rows = (SequenceEnrolment
            .select(SequenceEnrolment, Client.lifecycle_stage.alias("current"),
                    Client.name.alias("client_name"), replied.alias("replied_at"))
            .join(Client, JOIN.INNER, on=SequenceEnrolment.client == Client.id)
            .where(live).objects())
    for row in rows:
        sequence = by_name.get(row.sequence)
        if sequence is None:
            reason = "the sequence is no longer in the config"
        elif sequence.stop_on_reply and row.replied_at is not None:
            reason = f"the contact replied on {_day(row.replied_at, now)}"
        elif row.current != row.stage and sequence.stops_for_stage(row.current):
            reason = f"the client's stage changed from {row.stage} to {row.current}"
        else:
            continue
        _finish(row, "stopped", reason, now, report, row.client_name)


def _day(moment: object, now: datetime) -> str:
    """A stored moment (a datetime, or its text from an aggregate) as a local date."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.split(".")[0])
    return f"{to_local(moment, now.tzinfo):%Y-%m-%d}"


def _finish(row: SequenceEnrolment, state: str, reason: str, now: datetime,
            report: SequenceReport, client: str) -> None:
    """Move an enrolment to `state` by itself (at the version read: stopped, finished, or
    paused after a failed step), recorded on the client."""
    with database.atomic():
        moved = (SequenceEnrolment.update(state=state, reason=reason, updated_at=stored(now),
                                          version=row.version + 1)
                 .where((SequenceEnrolment.id == row.id)
                        & (SequenceEnrolment.version == row.version)).execute())
        if not moved:
            report.skipped += 1
            return
        audit.record("client", row.client_id, None, {f"sequence {row.sequence}": (row.state,
                                                                                   state)},
                     None, f"sequence.{state}", {"sequence": row.sequence, "reason": reason},
                     actor=f"sequence:{row.sequence}")
    report.lines.append(f"{_where(row.sequence, row.client_id, client)}: {state}"
                        + (f": {reason}" if reason else ""))


def _where(sequence: str, client_id: int, client: str) -> str:
    """How a report line names an enrolment: its sequence and its client."""
    return f'sequence "{sequence}" on client {client_id} "{client}"'


# --- running steps -------------------------------------------------------------------------


def _run_step(row: SequenceEnrolment, sequence: Sequence, now: datetime, runner: AgentRef,
              book: sla.Book, zone, report: SequenceReport) -> None:
    """Claim and run the enrolment's next step, all or nothing; a failure pauses it."""
    index = row.next_step
    client = Client.get_by_id(row.client_id)
    if index >= len(sequence.steps):  # the config lost steps since it started
        _finish(row, "finished", "", now, report, client.name)
        return
    step = sequence.steps[index]
    moment = stored(now)
    last = index + 1 >= len(sequence.steps)
    following = None if last else next_due(row.started_at, step.day,
                                           sequence.steps[index + 1].day, moment, zone)
    where = _where(sequence.name, row.client_id, client.name)
    try:
        with database.atomic():
            claimed = (SequenceEnrolment.update(
                next_step=index + 1, next_due_at=following, updated_at=moment,
                state="finished" if last else "running", version=row.version + 1)
                .where((SequenceEnrolment.id == row.id)
                       & (SequenceEnrolment.version == row.version)
                       & (SequenceEnrolment.state == "running")).execute())
            if not claimed:
                report.skipped += 1
                return
            with audit.acting_as(f"sequence:{sequence.name}", 1):
                done = steps.perform(step, client, sequence.name, runner, now, book)
            SequenceStep.create(enrolment=row.id, step=index, kind=step.kind, done_at=moment,
                                outbox=done.outbox_id, task=done.task_id, summary=done.summary)
    except DeskError as error:
        reason = f"step {index + 1} failed: {error}"
        _finish(row, "paused", reason, now, report, client.name)
        report.problems.append(f"{where}: {reason} (paused)")
        _log.error("sequences: %s: %s", where, reason)
        return
    report.lines.append(f"{where}: step {index + 1} of {len(sequence.steps)}: {done.summary}")
