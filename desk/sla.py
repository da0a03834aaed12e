"""SLA policies of support queries: due times, the clocks people see, and breach events.

The config's `sla.policies` (first match wins, the last matches every query) give each query
two targets by its priority and client kind, counted in business time on the config's
`calendar:` (desk.business_hours): the first response and the resolution. They
become `QueryData.first_response_due` and `resolution_due` when the query is created, and are
worked out again from its creation when its priority or client changes
(`query_columns`, `track`, called by desk.work.tasks in the same transaction). With
`pause_while_waiting`, the business time a query waited on the customer is given back to its
resolution target when they answer (`resume`, called by desk.support.intake), and kept
(`waited_seconds`) so that due times worked out again keep it.

`clocks` says where each target stands at a moment (met, breached, running; business time
left or overdue, and a short text such as "2h 15m left" or "overdue 35m"). `scan`, a step of
`desk tick`, writes one `sla.near_breach` and one `sla.breached` event per query, target and
due time, exactly once: a RuleFiring row with a unique key ("sla:breached", task, "TARGET
SECONDS") is written with the event, so two scans at once, or the same scan twice, write
one event. Automation rules can act on the events (triggers sla_near_breach and
sla_breached). A query whose due time moves (its priority changed) is judged again against
the new one.

The rules are a `Book` (`book(settings)`), which the faces build from their settings and pass
down with every call that needs them: nothing here is kept between calls, so two workspaces
with different configs can be served from one process.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from msgspec import Struct, field
from peewee import Value, fn

from desk import business_hours
from desk.business_hours import Calendar
from desk.clock import stored
from desk.config import Settings
from desk.dialect import locking, whole_seconds, whole_seconds_text
from desk.kernel import audit
from desk.models import Client, QueryData, RuleFiring, Task, database
from desk.vocabulary import PRIORITIES

TARGETS = ("first_response", "resolution")
"""The two targets of a query, in the order `clocks` gives them."""
LOOKBACK = timedelta(days=7)
"""A target whose due time passed longer ago than this, unseen by any scan, gets no event."""
_CHUNK = 500  # ids per query (SQLite limits the parameters of a statement)

_DUE = {"first_response": QueryData.first_response_due, "resolution": QueryData.resolution_due}
_DONE = {"first_response": QueryData.first_response_at, "resolution": QueryData.resolved_at}


# --- policies ------------------------------------------------------------------------------


class Policy(Struct, frozen=True):
    """One policy: the priorities (numbers) and client kinds ("none" = no client) it is for,
    empty meaning any, and its targets as business time (None = no target)."""

    name: str
    priorities: frozenset[int]
    client_kinds: frozenset[str]
    first_response: timedelta | None
    resolution: timedelta | None

    def fits(self, priority: int, client_kind: str) -> bool:
        """Whether a query of this priority and client kind falls under the policy."""
        return ((not self.priorities or priority in self.priorities)
                and (not self.client_kinds or client_kind in self.client_kinds))


class Book(Struct, frozen=True):
    """The SLA rules in force: the calendar, the policies in order, and the near-breach
    threshold (a share of the target passed, or business minutes left; None = unused)."""

    calendar: Calendar
    policies: tuple[Policy, ...]
    near_percent: int | None
    near_minutes: int | None
    pause_while_waiting: bool = True
    """Whether a query waiting on the customer has its resolution clock paused."""

    def paused(self, target: str, waiting_on: str | None) -> bool:
        """Whether `target` of a query waiting on `waiting_on` is paused by these rules."""
        return self.pause_while_waiting and target == "resolution" and waiting_on == "them"

    def policy(self, priority: int, client_kind: str | None) -> Policy | None:
        """The first policy for a query of this priority and client kind (None: no client)."""
        kind = client_kind or "none"
        return next((policy for policy in self.policies if policy.fits(priority, kind)), None)

    def dues(self, created_at: datetime, priority: int, client_kind: str | None,
             waited: timedelta = timedelta(0)) -> tuple[datetime | None, datetime | None]:
        """The first-response and resolution due times of a query created at `created_at`
        (stored form in, stored form out), the resolution later by the business time
        `waited` on the customer; None for a target the policy does not set."""
        policy = self.policy(priority, client_kind)
        if policy is None:
            return None, None
        resolution = None if policy.resolution is None else policy.resolution + waited
        return (self._after(created_at, policy.first_response),
                self._after(created_at, resolution))

    def _after(self, start: datetime, target: timedelta | None) -> datetime | None:
        """When a target of this length started at `start` is due (None: no target)."""
        return None if target is None else business_hours.add(self.calendar, start, target)

    def near_offset(self, target: timedelta) -> timedelta | None:
        """How much of a target of this length passes before it is nearly breached."""
        offsets = []
        if self.near_percent is not None:
            offsets.append(target * self.near_percent / 100)
        if self.near_minutes is not None:
            offsets.append(max(target - timedelta(minutes=self.near_minutes), timedelta(0)))
        return min(offsets) if offsets else None

    def reach(self) -> timedelta | None:
        """The most business time a target of any policy has left when it becomes nearly
        breached (None: nothing ever is)."""
        if self.near_percent is None and self.near_minutes is None:
            return None
        spans = [span for policy in self.policies
                 for span in (policy.first_response, policy.resolution) if span is not None]
        return max((span - self.near_offset(span) for span in spans), default=None)

    def clock(self, target: str, created_at: datetime, due: datetime | None,
              done_at: datetime | None, now: datetime, waiting_on: str | None = None
              ) -> Clock:
        """Where one target of a query created at `created_at` and waiting on `waiting_on`
        stands at `now` (stored forms)."""
        if due is None:
            return Clock(target, None, done_at, "none", None)
        if done_at is not None:
            left = business_hours.between(self.calendar, done_at, due)
            return Clock(target, due, done_at, "met" if done_at <= due else "breached", left)
        left = business_hours.between(self.calendar, now, due)
        if self.paused(target, waiting_on):
            return Clock(target, due, None, "paused", left)
        if now >= due:
            return Clock(target, due, None, "breached", left)
        length = business_hours.between(self.calendar, created_at, due)
        offset = self.near_offset(length)
        return Clock(target, due, None, "running", left,
                     near=offset is not None and length - left >= offset)


def book(settings: Settings) -> Book:
    """The SLA rules of `settings`: its `calendar:` and `sla:` sections."""
    calendar = settings.business_calendar()

    def length(text: str | None) -> timedelta | None:
        """A target as business time on the calendar."""
        return None if text is None else calendar.length(business_hours.parse_span(text))

    policies = tuple(
        Policy(policy.name, frozenset(PRIORITIES[name] for name in policy.priority),
               frozenset(policy.client_kind), length(policy.first_response),
               length(policy.resolution))
        for policy in settings.sla.policies)
    return Book(calendar, policies, settings.sla.near_breach_percent,
                settings.sla.near_breach_minutes, settings.sla.pause_while_waiting)


# --- due times, kept with the query --------------------------------------------------------


def query_columns(rules: Book, created_at: datetime, priority: int, client_id: int | None,
                  closed_at: datetime | None) -> dict[str, datetime | None]:
    """The SLA columns of a new query's support data: its due times by `rules`, and its
    resolution time when it is created closed."""
    first, last = rules.dues(created_at, priority, _client_kind(client_id))
    columns = {"first_response_due": first, "resolution_due": last}
    if closed_at is not None:
        columns["resolved_at"] = closed_at
    return columns


def track(rules: Book | None, task: Task, columns: Mapping[str, object]) -> dict[str, tuple]:
    """Keep a query's support data in step with the task `columns` being written over
    `task` (as read before): new due times by `rules` from its creation when its priority or
    client changes, the resolution time when it is closed or reopened. Writes them and
    returns the (old, new) pairs for the activity history; call inside the task's
    transaction. A change of priority or client needs the rules (ValueError without them);
    closing and reopening do not."""
    data = locking(QueryData.select().where(QueryData.task == task.id)).first()
    if data is None:
        return {}
    wanted: dict[str, datetime | None] = {}
    if "priority" in columns or "client" in columns:
        if rules is None:
            raise ValueError(f"query {task.id}: a new priority or client moves its SLA due "
                             "times, which needs the SLA rules")
        priority = int(columns.get("priority", task.priority))
        client_id = columns.get("client", task.client_id)
        wanted["first_response_due"], wanted["resolution_due"] = rules.dues(
            task.created_at, priority, _client_kind(client_id),
            timedelta(seconds=data.waited_seconds))
    if "closed_at" in columns:
        closed_at = columns["closed_at"]
        wanted["resolved_at"] = None if closed_at is None else data.resolved_at or closed_at
    changes = {name: (getattr(data, name), new) for name, new in wanted.items()
               if getattr(data, name) != new}
    if changes:
        (QueryData.update({getattr(QueryData, name): new for name, (_, new) in changes.items()})
         .where(QueryData.task == task.id).execute())
    return changes


def resume(rules: Book | None, task_id: int, now: datetime) -> dict[str, tuple]:
    """The query `task_id` stops waiting on the customer at `now` (stored form): with
    `rules.pause_while_waiting` its open resolution target moves later by the business time
    it waited (since `waiting_since`), and that time is kept in `waited_seconds` for due times
    worked out again. Writes the support data; returns the (old, new) pair of the due time
    for the activity history (empty when it did not move). Without rules (or a wait with no
    known start) the wait ends with nothing given back. Call inside the writing transaction,
    before the query waits on us."""
    data = locking(QueryData.select().where(QueryData.task == task_id)).first()
    if data is None or data.waiting_since is None:
        return {}
    columns: dict[str, object] = {"waiting_since": None}
    changes: dict[str, tuple] = {}
    open_target = data.resolution_due is not None and data.resolved_at is None
    if rules is not None and rules.pause_while_waiting and open_target:
        waited = business_hours.between(rules.calendar, data.waiting_since, now)
        if waited > timedelta(0):
            due = business_hours.add(rules.calendar, data.resolution_due, waited)
            columns["waited_seconds"] = data.waited_seconds + int(waited.total_seconds())
            columns["resolution_due"] = due
            changes["resolution_due"] = (data.resolution_due, due)
    (QueryData.update({getattr(QueryData, name): value for name, value in columns.items()})
     .where(QueryData.task == task_id).execute())
    return changes


def _client_kind(client_id: object) -> str | None:
    """The kind of the client `client_id`, None without one."""
    if client_id is None:
        return None
    return Client.select(Client.kind).where(Client.id == client_id).scalar()


# --- clocks --------------------------------------------------------------------------------


class Clock(Struct, frozen=True):
    """Where one SLA target of a query stands. `status`: "none" (no target), "running",
    "paused" (the resolution of a query waiting on the customer, by `Book.pause_while_
    waiting`), "met" (done by the due time) or "breached" (overdue, or done late). `left` is the
    business time from now (or from when it was done) to the due time, negative when
    overdue or late; `near` says a running target is nearly breached."""

    target: str
    due: datetime | None
    done_at: datetime | None
    status: str
    left: timedelta | None
    near: bool = False

    @property
    def text(self) -> str:
        """A few words for a detail line or a task screen: "2h 15m business time left",
        "overdue 35m business time", "met", "late 10m business time", "no target"."""
        return self.words()

    def words(self, *, compact: bool = False, none: str = "no target") -> str:
        """The clock in words (see `deadline_words`; `compact` for a list cell), `none` for
        a query without this target."""
        if self.status == "none" or self.left is None:
            return none
        if self.status == "met":
            return "met"
        if self.status == "paused":
            return "paused" if compact else "paused: waiting on the customer"
        return deadline_words(self.left, done=self.done_at is not None, business=True,
                              compact=compact, past=self.status == "breached")


def deadline_words(left: timedelta, *, done: bool, business: bool, compact: bool = False,
                   past: bool | None = None) -> str:
    """The one wording of where a deadline stands, for every list, strip, screen and
    breakdown: `left` is the time from now (or from when the work was `done`) to the
    deadline, negative past it; `business` says it is counted in business time (an SLA
    target) rather than by the wall clock, and the words always say which: "2h 15m business
    time left", "overdue 31h business time", "late 10m business time", "overdue 141h wall
    clock"; `compact` for a list cell of at most 13 cells: "2bh left", "overdue 31bh",
    "overdue 141h". Past the deadline it always names an amount, 0 included."""
    amount = _amount(abs(left), business, compact)
    if left < timedelta(0) if past is None else past:
        return f"late {amount}" if done else f"overdue {amount}"
    return f"{amount} left"


def _amount(span: timedelta, business: bool, compact: bool) -> str:
    """A length with its kind of time: "2h 5m business time", "27h wall clock"; compact,
    in whole minutes or hours with b for business ("35bm", "7bh", "99bh+", "7h")."""
    if not compact:
        return f"{span_text(span)} {'business time' if business else 'wall clock'}"
    mark = "b" if business else ""
    minutes = max(int(span.total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes}{mark}m"
    hours = minutes // 60
    return f"{hours}{mark}h" if hours < 100 else f"99{mark}h+"


def span_text(span: timedelta) -> str:
    """A length of time, minutes rounded up: "35m", "2h 5m", "2h", "27h"."""
    minutes = max(math.ceil(span.total_seconds() / 60), 0)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h {rest}m" if rest and hours < 10 else f"{hours}h"


def clocks(task_ids: Iterable[int], now: datetime, rules: Book
           ) -> dict[int, tuple[Clock, Clock]]:
    """The first-response and resolution clocks by `rules` at `now` (aware, or stored UTC)
    of the queries among `task_ids`, by task id (other tasks are left out)."""
    moment = stored(now)
    ids = sorted(set(task_ids))
    found: dict[int, tuple[Clock, Clock]] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = (QueryData.select(QueryData.task, Task.created_at, *_DUE.values(),
                                 *_DONE.values(), QueryData.waiting_on)
                .join(Task, on=QueryData.task == Task.id)
                .where(QueryData.task.in_(ids[start:start + _CHUNK])).tuples())
        for task_id, created_at, first_due, last_due, first_at, resolved_at, waiting in rows:
            found[task_id] = (
                rules.clock("first_response", created_at, first_due, first_at, moment),
                rules.clock("resolution", created_at, last_due, resolved_at, moment, waiting))
    return found


# --- near-breach and breach events ---------------------------------------------------------


class ScanReport(Struct):
    """What a scan wrote: (task id, target) of each near-breach and breach event."""

    near_breach: list[tuple[int, str]] = field(default_factory=list)
    breached: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One line for `desk tick`."""
        return (f"sla: {len(self.breached)} breached, {len(self.near_breach)} nearly "
                "breached")


def scan(now: datetime, rules: Book, limit: int = 500) -> ScanReport:
    """Write the SLA events due by `now` (aware, or stored UTC) by `rules` that no scan has
    written: `sla.breached` for each open target whose due time has passed (in the last
    LOOKBACK), `sla.near_breach` for each running target past the near-breach threshold. At
    most `limit` candidates per target and kind; the rest wait for the next scan."""
    moment = stored(now)
    report = ScanReport()
    reach = rules.reach()
    # A target nearly breached by now has at most `reach` business time left: it is due
    # before `horizon`.
    horizon = (None if reach is None
               else business_hours.add(rules.calendar, moment, reach + timedelta(minutes=1)))
    for target in TARGETS:
        with database.atomic():
            rows = [(task_id, due) for task_id, _, due in
                    _unjudged(target, "breached", moment - LOOKBACK, moment, limit,
                              rules.paused(target, "them"))]
            report.breached += _fire(target, "breached", rows, moment)
        if horizon is None:
            continue
        with database.atomic():
            rows = [(task_id, due) for task_id, created_at, due in
                    _unjudged(target, "near_breach", moment, horizon, limit,
                              rules.paused(target, "them"))
                    if rules.clock(target, created_at, due, None, moment).near]
            report.near_breach += _fire(target, "near_breach", rows, moment)
    return report


def _unjudged(target: str, kind: str, after: datetime, until: datetime, limit: int,
              paused: bool) -> list:
    """(task id, created at, due) of up to `limit` open queries whose `target` is not met,
    due after `after` and by `until`, that have no `kind` event for that due time yet
    (with `paused`, none waiting on the customer: their clock is paused)."""
    due, done = _DUE[target], _DONE[target]
    key = Value(f"{target} ").concat(whole_seconds_text(due))
    judged = RuleFiring.select().where(
        (RuleFiring.rule == f"sla:{kind}") & (RuleFiring.entity == "task")
        & (RuleFiring.entity_id == QueryData.task) & (RuleFiring.key == key))
    conditions = [done.is_null(), due > after, due <= until, Task.closed_at.is_null(),
                  ~fn.EXISTS(judged)]
    if paused:
        conditions.append(QueryData.waiting_on != "them")
    query = (QueryData.select(QueryData.task, Task.created_at, due)
             .join(Task, on=QueryData.task == Task.id).where(*conditions)
             .order_by(due, QueryData.task).limit(limit))
    return list(query.tuples())


def _fire(target: str, kind: str, rows: list[tuple[int, datetime]], moment: datetime
          ) -> list[tuple[int, str]]:
    """Write the `kind` event of `target` for each (task id, due) with the RuleFiring that
    makes it once-only; returns those written (another scan may have written some)."""
    written = []
    for task_id, due in rows:
        inserted = (RuleFiring.insert(rule=f"sla:{kind}", entity="task", entity_id=task_id,
                                      key=f"{target} {whole_seconds(due)}", fired_at=moment)
                    .on_conflict_ignore().returning(RuleFiring.id).execute())
        if list(inserted):
            audit.record("task", task_id, None, {}, None, f"sla.{kind}",
                         {"target": target, "due": audit.as_text(due)})
            written.append((task_id, target))
    return written
