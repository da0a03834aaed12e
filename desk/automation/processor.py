"""The automation processor: rules matched against changes and moments, and carried out.

Every service write records an Event in its own transaction (desk.kernel.audit). Here:

- `process` consumes the pending events in id order. Each event is claimed and its rules
  applied in one transaction: the claim is `UPDATE event SET processed_at = now WHERE id = ?
  AND processed_at IS NULL`, so of two processors at once only one gets an event, and a
  crash leaves it pending. Events no rule listens to are claimed in bulk.
- `scan` judges the time triggers (a due date reached, a birthday ahead) once per rule, row
  and moment, when the moment comes: a RuleFiring with a unique key is written with the
  rule's changes (or alone, when the conditions do not hold), so nothing fires twice and
  a run looks only at moments no run has judged.
- A rule's actions go through the ordinary services inside `audit.acting_as`: the history
  names the rule ("rule:NAME"), and the events they write are one level deeper than the one
  that fired the rule. At MAX_DEPTH a rule no longer fires (a warning says so), so a rule
  that triggers itself stops. A rule that fails (a DeskError) is undone and reported; the
  others go on.
- `dry_run` does all of that inside a transaction that it rolls back.
- `run_automations` is the one entry for `desk tick` and the app's background worker.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from msgspec import Struct, field
from msgspec.structs import replace
from peewee import Expression, Value, fn

from desk import sla
from desk.automation import actions as rule_actions
from desk.automation import retainer_triggers, rules, workspace_names
from desk.automation import subjects as rule_subjects
from desk.automation.rules import Rule
from desk.automation.sequences import enrolments as sequence_starts
from desk.automation.subjects import Subject, event_values
from desk.clock import stored, to_utc
from desk.config.automations.sequences import Sequence as StepSequence
from desk.config.automations.sequences import parse as parse_sequences
from desk.crm import birthdays
from desk.dialect import moment_text
from desk.errors import DeskError
from desk.kernel import audit
from desk.kernel.agents import AgentRef, ref, require_writer
from desk.models import (
    Agent,
    Event,
    RuleFiring,
    Task,
    TaskList,
    database,
)
from desk.vocabulary import PRIORITIES

if TYPE_CHECKING:
    from desk.config import Settings

MAX_DEPTH = 5  # a change made by a chain of this many rules fires no further rule
LOOKBACK = timedelta(days=7)  # how far back `scan` looks for due moments not yet judged
CHUNK = 500  # ids per query in `scan` (SQLite limits the parameters of a statement)
_log = logging.getLogger(__name__)

# Event kind -> the triggers it can start.
EVENT_TRIGGERS = {
    "task.created": ("task_created",),
    "task.status_changed": ("status_changed", "field_changed"),
    "task.updated": ("field_changed",),
    "order.updated": ("field_changed",),
    "checklist.completed": ("checklist_completed",),
    "client.stage_changed": ("client_stage_changed",),
    "client.loyalty_tier_changed": ("loyalty_tier_changed",),
    "sla.near_breach": ("sla_near_breach",),
    "sla.breached": ("sla_breached",),
    "nps.answered": ("nps_answered",),
}


class ProcessReport(Struct):
    """What a run of the automations did: events consumed, events another processor took,
    one line per rule that fired (what it did), and the warnings (depth limit) and errors
    (a rule that could not act and was undone)."""

    events: int = 0
    skipped: int = 0
    fired: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Everything worth showing, one line each: what fired, then the warnings and
        errors."""
        return ([*self.fired, *(f"warning: {line}" for line in self.warnings),
                 *(f"error: {line}" for line in self.errors)])


# --- the entry points ----------------------------------------------------------------------


def run_automations(settings: Settings, now: datetime, agent: AgentRef | None = None,
                    limit: int = 500) -> ProcessReport:
    """Fire the time triggers, then consume the pending events, with the configured rules.

    `now` is aware (the configured zone counts days); `agent` acts for the rules, by default
    the first admin. For `desk tick` and the app's background worker.
    """
    run = _Run(rules.parse(settings.automations), now, agent, sla.book(settings),
               parse_sequences(settings.sequences),
               settings.portal.public_url if settings.portal.enabled else "")
    run.scan(limit, settings.money.currency)
    run.consume(limit)
    return run.report


def process(rule_set: Sequence[Rule], now: datetime, agent: AgentRef | None = None,
            limit: int = 500, *, sla_rules: sla.Book,
            sequence_set: Sequence[StepSequence] = ()) -> ProcessReport:
    """Consume up to `limit` pending events (and those their rules cause) in id order.
    `sla_rules` are the SLA rules and calendar the rules' actions work by (due dates in
    business days, the due times of the queries they change); `sequence_set` the sequences
    the events may start."""
    run = _Run(rule_set, now, agent, sla_rules, sequence_set)
    run.consume(limit)
    return run.report


def scan(rule_set: Sequence[Rule], now: datetime, agent: AgentRef | None = None,
         limit: int = 500, *, sla_rules: sla.Book, currency: str) -> ProcessReport:
    """Judge up to `limit` time triggers whose moment has come by `now` and that no run has
    judged yet, firing the rules whose conditions hold (their actions by `sla_rules`, as in
    `process`; amounts in their texts in `currency`)."""
    run = _Run(rule_set, now, agent, sla_rules)
    run.scan(limit, currency)
    return run.report


def dry_run(rule_set: Sequence[Rule], now: datetime, since: datetime | None = None,
            agent: AgentRef | None = None, limit: int = 500, *, sla_rules: sla.Book,
            currency: str, sequence_set: Sequence[StepSequence] = ()) -> list[str]:
    """What the rules would do at `now`, one line each, changing nothing: the time triggers,
    then the pending events (or, with `since`, every event from that moment on, consumed or
    not) and the events their rules would cause. Runs everything in a transaction that is
    rolled back. `sla_rules` as in `process`, `currency` as in `scan`; `sequence_set` the
    sequences the events may start."""
    run = _Run(rule_set, now, agent, sla_rules, sequence_set)
    with database.atomic() as transaction:
        start = Event.select(fn.MAX(Event.id)).scalar() or 0
        chosen = (Event.processed_at.is_null() if since is None
                  else Event.at >= stored(since))
        run.scan(limit, currency)
        run.replay(chosen | (Event.id > start), limit)
        transaction.rollback()
    return run.report.lines()


# --- one run -------------------------------------------------------------------------------


class _Run:
    """One run of the automations: the rules, the moment, who acts for them, the SLA rules
    and calendar their actions work by, the sequences the events start, the portal's
    address for one-click links ("" when off), the report."""

    def __init__(self, rule_set: Sequence[Rule], now: datetime, agent: AgentRef | None,
                 sla_rules: sla.Book, sequence_set: Sequence[StepSequence] = (),
                 portal_url: str = "") -> None:
        if now.tzinfo is None:
            raise ValueError(f"now must be timezone-aware, got {now!r}")
        idle = {name for name, *_ in workspace_names.not_in_use(rule_set)}
        self.rules = tuple(rule for rule in rule_set if rule.name not in idle)
        self.sequences = tuple(sequence_set)
        self.now = now
        self.sla_rules = sla_rules
        self.portal_url = portal_url
        self.stamp = to_utc(now)
        self.runner = rules_runner(agent)
        self.report = ProcessReport()

    def consume(self, limit: int) -> None:
        """Claim and handle up to `limit` pending events that rules listen to, in id order,
        including those the rules' own actions write; the rest are claimed in bulk."""
        if self.runner is None:
            return
        kinds = sorted({kind for kind, triggers in EVENT_TRIGGERS.items()
                        if any(rule.trigger.kind in triggers for rule in self.rules)}
                       | {sequence_starts.START_EVENTS.get(sequence.start.kind, "")
                          for sequence in self.sequences} - {""})
        after = handled = 0
        while handled < limit:
            self._claim_unwatched(kinds)
            batch = [event_id for (event_id,) in
                     Event.select(Event.id)
                     .where(Event.processed_at.is_null() & (Event.id > after))
                     .order_by(Event.id).limit(limit - handled).tuples()]
            if not batch:
                return
            for event_id in batch:
                after, handled = event_id, handled + 1
                with database.atomic():
                    claimed = (Event.update(processed_at=self.stamp)
                               .where((Event.id == event_id) & Event.processed_at.is_null())
                               .execute())
                    if not claimed:
                        self.report.skipped += 1
                        continue
                    self.report.events += 1
                    self.event(Event.get_by_id(event_id))

    def _claim_unwatched(self, kinds: list[str]) -> None:
        """Mark the pending events of kinds no rule listens to as processed, in one go."""
        unwatched = Event.processed_at.is_null()
        if kinds:
            unwatched &= Event.kind.not_in(kinds)
        with database.atomic():
            self.report.events += (Event.update(processed_at=self.stamp)
                                   .where(unwatched).execute())

    def replay(self, condition, limit: int) -> None:
        """Handle the events matching `condition`, without claiming them (the dry run)."""
        if self.runner is None:
            return
        after = handled = 0
        while handled < limit:
            batch = list(Event.select().where(condition & (Event.id > after))
                         .order_by(Event.id).limit(limit - handled))
            if not batch:
                return
            for event in batch:
                after, handled = event.id, handled + 1
                self.event(event)

    def event(self, event: Event) -> None:
        """Fire every rule whose trigger this event is and whose conditions its subject
        meets."""
        data = json.loads(event.data or "{}")
        subject: Subject | None = None
        for rule in self.rules:
            if rule.subject != event.entity or not triggered(rule, event.kind, data):
                continue
            subject = subject or self.subjects(event.entity, {event.entity_id: None}).get(
                event.entity_id)
            if subject is not None and meets(rule, subject):
                self.fire(rule, replace(subject, values={**subject.values,
                                                         **event_values(event.kind, data)}),
                          event.depth, event.agent_id)
        if event.entity == "client" and self.sequences:
            self.report.fired += sequence_starts.on_event(
                self.sequences, event.kind, event.entity_id, data, self.runner, self.now,
                self.now.tzinfo)

    def scan(self, limit: int, currency: str) -> None:
        """Judge up to `limit` time triggers whose moment has come (a due date, a birthday
        ahead) and that no run has judged yet: fire the rules whose conditions hold, and
        record the others as passed over; a retainer's amounts are shown in `currency`."""
        if self.runner is None:
            return
        budget = limit
        for rule in self.rules:
            if budget <= 0:
                return
            if rule.trigger.kind == "due":
                moments = self._due_tasks(rule, budget)
            elif rule.trigger.kind == "birthday":
                moments = self._birthdays(rule)[:budget]
            elif rule.trigger.kind in retainer_triggers.KINDS:
                moments = retainer_triggers.moments(rule, self.now.date())[:budget]
            else:
                continue
            subjects = retainer_triggers.with_figures(rule, self.subjects(
                rule.subject, {row_id: occasion for row_id, _, occasion in moments}),
                self.now.date(), currency)
            passed = []
            for row_id, key, _ in moments:
                subject = subjects.get(row_id)
                if subject is not None and meets(rule, subject):
                    self.fire_once(rule, subject, row_id, key)
                else:
                    passed.append({"rule": rule.name, "entity": rule.subject,
                                   "entity_id": row_id, "key": key, "fired_at": self.stamp})
            self._pass_over(passed)
            budget -= len(moments)

    def _pass_over(self, passed: list[dict]) -> None:
        """Record time triggers judged without firing (RuleFiring rows), in one go."""
        if not passed:
            return
        with database.atomic():
            for start in range(0, len(passed), CHUNK):
                RuleFiring.insert_many(passed[start:start + CHUNK]).on_conflict_ignore().execute()

    def fire_once(self, rule: Rule, subject: Subject, row_id: int, key: str) -> None:
        """Fire a time trigger unless a run has judged it for this row and key already; the
        RuleFiring that says so is written with the rule's changes, in one transaction."""
        with database.atomic():
            inserted = (RuleFiring.insert(rule=rule.name, entity=rule.subject, entity_id=row_id,
                                          key=key, fired_at=self.stamp)
                        .on_conflict_ignore().returning(RuleFiring.id).execute())
            if not list(inserted):
                self.report.skipped += 1
                return
            self.fire(rule, subject, 0, None)

    def fire(self, rule: Rule, subject: Subject, depth: int, agent_id: int | None) -> None:
        """Do the rule's actions on the subject, all or nothing, under the rule's name."""
        where = f'rule "{rule.name}" on {subject.label}'
        if depth >= MAX_DEPTH:
            self._warn(f"{where}: not applied: the change comes from {depth} rules in a row "
                       f"(the limit is {MAX_DEPTH}); does a rule trigger itself?")
            return
        firing = rule_actions.Firing(
            self.runner, self.now, self.sla_rules, subject.task_id, subject.client_id,
            subject.list_id,
            {**subject.values, **self._agent_values(agent_id), "rule.name": rule.name,
             "today": self.now.date().isoformat()}, subject.occasion, self.portal_url)
        done: list[str] = []
        current = rule.actions[0]
        try:
            with database.atomic(), audit.acting_as(rule.actor, depth + 1):
                for current in rule.actions:
                    done.append(rule_actions.run(current, firing))
        except DeskError as error:
            self._error(f"{where}: {current.key}: {error} (the rule was undone)")
            return
        self.report.fired.append(f"{where}: {'; '.join(done)}")

    def subjects(self, entity: str, occasions: dict[int, date | None]) -> dict[int, Subject]:
        """The tasks or clients (`entity`) of `occasions` (id -> a birthday, or None) that
        still exist, by id."""
        if entity == "task":
            return rule_subjects.task_subjects(list(occasions), self.runner, self.now)
        return rule_subjects.client_subjects(occasions, self.runner)

    def _due_tasks(self, rule: Rule, limit: int) -> list[tuple[int, str, None]]:
        """(id, key, occasion) of up to `limit` open tasks whose due moment the rule
        has reached (within the look-back) and no run has judged yet. The rule's list, kind
        and priority conditions are asked of the database here."""
        horizon = self.stamp + rule.trigger.within
        key = Value("due ").concat(moment_text(Task.due_at))
        judged = RuleFiring.select().where(
            (RuleFiring.rule == rule.name) & (RuleFiring.entity == "task")
            & (RuleFiring.entity_id == Task.id) & (RuleFiring.key == key))
        found = (Task.select(Task.id, Task.due_at)
                 .join(TaskList, on=Task.task_list == TaskList.id)
                 .where(Task.closed_at.is_null(), Task.due_at <= horizon,
                        Task.due_at > self.stamp - LOOKBACK, ~fn.EXISTS(judged),
                        *_in_columns(rule))
                 .order_by(Task.due_at, Task.id).limit(limit).tuples())
        return [(task_id, f"due {due_at:%Y-%m-%d %H:%M:%S}", None) for task_id, due_at in found]

    def _birthdays(self, rule: Rule) -> list[tuple[int, str, date]]:
        """(id, key, birthday) of the clients whose birthday falls from today to
        `in_days` days ahead and that no run has judged for that birthday yet."""
        today = self.now.date()
        found = [(coming.client_id, f"birthday {coming.day.isoformat()}", coming.day)
                 for coming in birthdays.between(today, today + timedelta(
                     days=rule.trigger.in_days))]
        fired = _fired(rule, "client", [client_id for client_id, _, _ in found])
        return [(client_id, key, occasion) for client_id, key, occasion in found
                if (client_id, key) not in fired]

    def _agent_values(self, agent_id: int | None) -> dict[str, str]:
        """{agent.name} and {agent.username}: who made the change that fired the rule (for
        time triggers, the agent running the rules)."""
        agent = Agent.get_or_none(Agent.id == agent_id) if agent_id is not None else None
        name, username = ((agent.name, agent.username) if agent is not None
                          else (self.runner.name, self.runner.username))
        return {"agent.name": name, "agent.username": username}

    def _warn(self, line: str) -> None:
        """Report a warning (and log it, for the app's background worker)."""
        self.report.warnings.append(line)
        _log.warning("automations: %s", line)

    def _error(self, line: str) -> None:
        """Report an error (and log it, for the app's background worker)."""
        self.report.errors.append(line)
        _log.error("automations: %s", line)


def rules_runner(agent: AgentRef | None) -> AgentRef | None:
    """Who acts for the rules: `agent` (who must be able to write), else the first enabled admin;
    None in a workspace without agents."""
    if agent is not None:
        require_writer(agent)
        return agent
    admin = (Agent.select().where((Agent.role == "admin") & ~Agent.disabled)
             .order_by(Agent.id).first())
    return ref(admin) if admin is not None else None


def _in_columns(rule: Rule) -> list[Expression]:
    """The rule's conditions on a task's list, kind and priority, as WHERE terms over Task
    joined with TaskList (the others are tested on the subject)."""
    terms = []
    for condition in rule.conditions:
        if condition.fact == "list":
            terms.append(fn.LOWER(TaskList.name).in_(condition.values))
        elif condition.fact == "kind":
            terms.append(Task.kind.in_(condition.values))
        elif condition.fact == "priority":
            terms.append(Task.priority.in_([PRIORITIES[name] for name in condition.values]))
    return terms


def _fired(rule: Rule, entity: str, ids: list[int]) -> set[tuple[int, str]]:
    """The (row id, key) pairs among `ids` that runs of the rule have judged."""
    fired: set[tuple[int, str]] = set()
    for start in range(0, len(ids), CHUNK):
        fired.update(RuleFiring.select(RuleFiring.entity_id, RuleFiring.key)
                     .where((RuleFiring.rule == rule.name) & (RuleFiring.entity == entity)
                            & RuleFiring.entity_id.in_(ids[start:start + CHUNK])).tuples())
    return fired


# --- matching ------------------------------------------------------------------------------


def triggered(rule: Rule, kind: str, data: dict) -> bool:
    """Whether an event of `kind` with `data` is the rule's trigger, options included."""
    trigger = rule.trigger
    if trigger.kind not in EVENT_TRIGGERS.get(kind, ()):
        return False
    if trigger.kind == "field_changed":
        changed = {name.casefold(): pair for name, pair in data.get("fields", {}).items()}
        if trigger.field.casefold() not in changed:
            return False
        old, new = changed[trigger.field.casefold()]
    elif trigger.kind in ("status_changed", "client_stage_changed", "loyalty_tier_changed"):
        old, new = data.get("from"), data.get("to")
    elif trigger.kind in ("sla_near_breach", "sla_breached"):
        return _among(data.get("target"), trigger.targets)
    elif trigger.kind == "nps_answered":
        return not trigger.scores or data.get("score") in trigger.scores
    else:
        return True
    return _among(old, trigger.changed_from) and _among(new, trigger.changed_to)


def _among(value: object, accepted: tuple[str, ...]) -> bool:
    """Whether a changed value is one of `accepted` (case-folded); any value when empty."""
    return not accepted or str(value if value is not None else "").casefold() in accepted


def meets(rule: Rule, subject: Subject) -> bool:
    """Whether the subject meets every condition of the rule."""
    for condition in rule.conditions:
        value = subject.facts.get(condition.fact, "")
        items = [str(item).casefold() for item in
                 (value if isinstance(value, tuple) else (value,))]
        if condition.contains:
            if not any(condition.contains in item for item in items):
                return False
        elif not any(item in condition.values for item in items):
            return False
    return True
