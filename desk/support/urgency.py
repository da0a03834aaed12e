"""The urgency score that ranks the inbox, and its breakdown term by term.

Each term is a fraction (mostly 0 to 1) of what a task is, times the term's weight from the
config's `urgency.weights`; the score is their sum:

- sla: the nearest deadline (an SLA target not yet met, or the task's due date; for a query
  waiting on the customer only its first response, with sla.pause_while_waiting) by the wall
  clock: 0 when it is `sla_horizon` away or more, 1 when it is now, 2 when
  it is overdue by the horizon or more, in a straight line between; 0 without a deadline.
- priority: urgent 1, high 3/4, normal 1/2, low 1/4, none 0.
- client: 1 for a client (a long-term relationship), 0 for a customer or none.
- retainer: the client's retainer a month (a quarterly one a third, a yearly one a twelfth)
  over `retainer_full`, at most 1.
- lead_score: the client's lead score over 100.
- age: the time since the task was created over `age_full`, at most 1.
- waiting_on_us: 1 for a query that waits on us, 0 when it waits on the requester (and for
  tasks that are not queries).

`breakdown` computes it in Python, term by term, for the "why is this row here" key;
`expression` is the same sum as a SQL expression over Task joined (by `joined`) with its
query data and client, which desk.support.urgency_store computes and stores for the inbox's
order. The two agree (tests/unit/test_urgency.py checks it on both databases).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from msgspec import Struct
from peewee import JOIN, Case, Expression, Select, fn

from desk import sla
from desk.clock import stored
from desk.config import UrgencySettings
from desk.dates import parse_duration
from desk.dialect import clamp, epoch, epoch_of, least
from desk.errors import NotFound
from desk.models import Client, QueryData, Task
from desk.money import money_text
from desk.vocabulary import PRIORITY_NAMES

TERMS = ("sla", "priority", "client", "retainer", "lead_score", "age", "waiting_on_us")
"""The terms of the score, in the order a breakdown lists them."""
MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
"""How many months a retainer of each cycle pays for."""

_QUERY = QueryData.alias("urgency_query")
_CLIENT = Client.alias("urgency_client")


class Term(Struct, frozen=True):
    """One term of a score: its name, the raw value it reads (None when the task has
    none), that value in words, the weight, and the points it gives (weight x fraction)."""

    name: str
    raw: object
    shown: str
    weight: float
    points: float


class Breakdown(Struct, frozen=True):
    """A task's urgency score, term by term, and the total."""

    task_id: int
    terms: tuple[Term, ...]
    total: float


class Facts(Struct, frozen=True):
    """What the score reads of one task (stored forms)."""

    priority: int
    created_at: datetime
    deadline: datetime | None
    client_kind: str | None
    retainer_amount: Decimal | None
    retainer_cycle: str | None
    lead_score: int | None
    waiting_on: str | None


# --- in Python -----------------------------------------------------------------------------


def breakdown(task_id: int, now: datetime, settings: UrgencySettings, *, currency: str,
              pause_while_waiting: bool = True) -> Breakdown:
    """The urgency of task `task_id` at `now` (aware, or stored UTC), term by term, the
    retainer shown in `currency` (the workspace's); with
    `pause_while_waiting` (the config's sla.pause_while_waiting) the resolution deadline and
    the due date of a query waiting on the customer are paused: no deadline."""
    row = (joined(Task.select(Task.priority, Task.created_at, Task.due_at,
                              _QUERY.first_response_due, _QUERY.first_response_at,
                              _QUERY.resolution_due, _QUERY.resolved_at, _CLIENT.kind,
                              _CLIENT.retainer_amount, _CLIENT.retainer_cycle,
                              _CLIENT.lead_score, _QUERY.waiting_on))
           .where(Task.id == task_id).tuples().first())
    if row is None:
        raise NotFound(f"no task {task_id}")
    priority, created_at, due_at, first_due, first_at, last_due, resolved_at, *client = row
    paused = pause_while_waiting and client[-1] == "them"
    open_dues = (first_due if first_at is None else None,
                 None if resolved_at is not None or paused else last_due,
                 None if paused else due_at)
    deadline = min((due for due in open_dues if due is not None), default=None)
    terms = score(Facts(priority, created_at, deadline, *client), now, settings, currency)
    return Breakdown(task_id, terms, sum(term.points for term in terms))


def score(facts: Facts, now: datetime, settings: UrgencySettings,
          currency: str) -> tuple[Term, ...]:
    """The terms of the score of a task with these `facts` at `now`; amounts are shown in
    `currency`."""
    weights = settings.weights
    moment = stored(now)
    horizon = _hours(parse_duration(settings.sla_horizon))
    age_full = _hours(parse_duration(settings.age_full))
    terms = []

    def add(name: str, raw: object, shown: str, fraction: float) -> None:
        """Append a term worth `fraction` of its weight."""
        weight = float(getattr(weights, name))
        terms.append(Term(name, raw, shown, weight, weight * fraction))

    if facts.deadline is None:
        add("sla", None, "no deadline", 0.0)
    else:
        left = (epoch(facts.deadline) - epoch(moment)) / 3600.0
        shown = sla.deadline_words(facts.deadline - moment, done=False, business=False)
        add("sla", left, shown, (horizon - _clamp(left, -horizon, horizon)) / horizon)
    add("priority", facts.priority, PRIORITY_NAMES[facts.priority],
        (5.0 - facts.priority) * 0.25)
    add("client", facts.client_kind, facts.client_kind or "no client",
        1.0 if facts.client_kind == "client" else 0.0)
    if facts.retainer_amount is None:
        add("retainer", None, "no retainer", 0.0)
    else:
        monthly = float(facts.retainer_amount) / MONTHS.get(facts.retainer_cycle or "", 1)
        add("retainer", monthly, f"{money_text(monthly, currency)} a month",
            _clamp(monthly / float(settings.retainer_full), 0.0, 1.0))
    if facts.lead_score is None:
        add("lead_score", None, "no client", 0.0)
    else:
        add("lead_score", facts.lead_score, f"lead score {facts.lead_score}",
            facts.lead_score / 100.0)
    age = (epoch(moment) - epoch(facts.created_at)) / 3600.0
    add("age", age, f"{sla.span_text(moment - facts.created_at)} old",
        _clamp(age, 0.0, age_full) / age_full)
    add("waiting_on_us", facts.waiting_on,
        f"waiting on {facts.waiting_on}" if facts.waiting_on else "not a query",
        1.0 if facts.waiting_on == "us" else 0.0)
    return tuple(terms)


def _clamp(value: float, low: float, high: float) -> float:
    """`value` kept within [low, high]."""
    return min(max(value, low), high)


def _hours(span: timedelta) -> float:
    """A length of time in hours."""
    return span.total_seconds() / 3600.0


# --- in SQL --------------------------------------------------------------------------------


def joined(query: Select) -> Select:
    """`query` (a SELECT from Task) joined with what `expression` reads: the task's query
    data and client, under aliases of their own (left joins: tasks may have neither)."""
    return (query.join_from(Task, _QUERY, JOIN.LEFT_OUTER, on=_QUERY.task == Task.id)
            .join_from(Task, _CLIENT, JOIN.LEFT_OUTER, on=_CLIENT.id == Task.client))


def expression(settings: UrgencySettings, now: datetime, *,
               pause_while_waiting: bool = True) -> Expression:
    """The urgency score at `now` as a SQL expression over Task, for a query made with
    `joined`: the same number `breakdown` adds up (with the same `pause_while_waiting`).

    Each column is read once (a rescore computes this for every row due): the nearest
    deadline is the least of three epochs, a missing one counting as never (which gives
    nothing); a value kept within bounds is GREATEST(LEAST(...)), max(min(...)) on
    SQLite, and a value the row may lack is COALESCEd to what gives nothing first.
    """
    weights = settings.weights
    moment = epoch(stored(now))
    horizon = _hours(parse_duration(settings.sla_horizon))
    age_full = _hours(parse_duration(settings.age_full))
    deadline = deadline_seconds(pause_while_waiting)
    left = (deadline - moment) / 3600.0
    months = Case(_CLIENT.retainer_cycle, [("quarterly", 3.0), ("yearly", 12.0)], 1.0)
    monthly = _CLIENT.retainer_amount.cast("float") / months
    fractions = {
        "sla": (horizon - clamp(left, -horizon, horizon)) / horizon,
        "priority": (5.0 - Task.priority.cast("float")) * 0.25,
        "client": Case(_CLIENT.kind, [("client", 1.0)], 0.0),
        "retainer": clamp(fn.COALESCE(monthly / float(settings.retainer_full), 0.0),
                               0.0, 1.0),
        "lead_score": fn.COALESCE(_CLIENT.lead_score.cast("float"), 0.0) / 100.0,
        "age": clamp((moment - epoch_of(Task.created_at)) / 3600.0, 0.0, age_full)
        / age_full,
        "waiting_on_us": Case(_QUERY.waiting_on, [("us", 1.0)], 0.0),
    }
    total: Expression | None = None
    for name in TERMS:
        points = float(getattr(weights, name)) * fractions[name]
        total = points if total is None else total + points
    return total


def deadline_seconds(pause_while_waiting: bool = True) -> Expression:
    """The nearest deadline of a task (seconds since 1970) as a SQL expression for a query
    made with `joined`; NEVER when it has none. With `pause_while_waiting` a query waiting
    on the customer has only its first response's."""
    first = Case(None, [(_QUERY.first_response_at.is_null(),
                         epoch_of(_QUERY.first_response_due))])
    resolution = Case(None, [(_QUERY.resolved_at.is_null(), epoch_of(_QUERY.resolution_due))])
    due = epoch_of(Task.due_at)
    if pause_while_waiting:  # a query waiting on the customer: both deadlines are paused
        waiting = _QUERY.waiting_on == "them"
        resolution = Case(None, [(waiting, None)], resolution)
        due = Case(None, [(waiting, None)], due)
    return least(*(fn.COALESCE(seconds, NEVER) for seconds in (first, resolution, due)))


NEVER = 1e15
"""Seconds since 1970 of a deadline a task does not have (some 30 million years)."""
