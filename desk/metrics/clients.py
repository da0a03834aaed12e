"""Relationship metrics: return on relationship, retention, pipeline, lead scores, revenue.

Definitions (the README's "Dashboard metrics: definitions" says the same):
- a relationship is active while its lifecycle stage is onboarding, active or at risk;
- return on relationship: of the clients and customers helped in the last 12 months (a
  query of theirs resolved or an order fulfilled), those that came back (a query or order of
  theirs created after that first help) or referred someone (a client whose referred-by
  points at them), each counted once;
- retention: of the clients active at the window's start, those still active at its end; the
  others churned. The stage at a moment comes from the audit trail of stage changes;
- pipeline: clients per lifecycle stage with their monthly retainer value; lead scores in
  five bands; monthly recurring retainer revenue of the active relationships.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from msgspec import Struct
from peewee import CTE, JOIN, Case, Expression, Field, fn

from desk.crm.retainers import Usage
from desk.metrics.figures import (
    CLIENTS,
    Figure,
    Rate,
    Window,
    by_query,
    counted,
    rate,
    window,
)
from desk.metrics.retainer_use import near_retainers
from desk.metrics.sql import with_data
from desk.models import Activity, Client, OrderData, QueryData, Task
from desk.money import CENTS
from desk.vocabulary import LIFECYCLE_STAGES

ACTIVE_STAGES = ("onboarding", "active", "at_risk")
"""The lifecycle stages of a relationship that is active."""
MONTHS_PER_CYCLE = {"monthly": 1, "quarterly": 3, "yearly": 12, None: 1}
"""How many months a retainer amount pays for; a retainer without a cycle counts as monthly."""
SCORE_BANDS = ((0, 19), (20, 39), (40, 59), (60, 79), (80, 100))


class ReturnOnRelationship(Struct, frozen=True):
    """Of the clients helped in the last 12 months (`rate.whole`), those that came back or
    referred someone (`rate.part`); `came_back` and `referred` may overlap."""

    rate: Rate
    came_back: Figure
    referred: Figure


class Retention(Struct, frozen=True):
    """Of the clients active at the window's start (`rate.whole`), those still active at its
    end (`rate.part`) and those that are not (`churned`, at `churn_rate`)."""

    rate: Rate
    churned: Figure
    churn_rate: float | None


class ClientMetrics(Struct, frozen=True):
    """The relationship tiles: return, retention, pipeline, lead scores and revenue.

    Each pipeline figure counts a stage's clients, with their monthly retainer value as its
    `amount`; `monthly_revenue` is an amount of money over `count` retained relationships.
    """

    return_on_relationship: ReturnOnRelationship
    retention: Retention
    pipeline: tuple[Figure, ...]
    lead_scores: tuple[Figure, ...]
    monthly_revenue: Figure
    near_retainers: tuple[Usage, ...] = ()  # desk.metrics.retainer_use


def client_metrics(span: Window) -> ClientMetrics:
    """The relationship figures of the window."""
    return ClientMetrics(
        return_on_relationship=return_on_relationship(span.end),
        retention=retention(span),
        pipeline=pipeline(),
        lead_scores=lead_scores(),
        monthly_revenue=monthly_revenue(),
        near_retainers=near_retainers(span),
    )


# --- return on relationship ----------------------------------------------------------------


def return_on_relationship(now: datetime) -> ReturnOnRelationship:
    """Return on relationship over the 12 months up to `now`.

    Four common table expressions, each driven from the support and order data (never from
    the whole task table): every help of a client in the 12 months, every query or order it
    made up to now, then per client its first help and its latest query or order.
    """
    year = window("12m", now)
    start, end = year.start_utc, year.end_utc
    helps = _union("helps", (QueryData, QueryData.resolved_at, QueryData.resolved_at),
                   (OrderData, OrderData.fulfilled_at, OrderData.fulfilled_at),
                   condition=lambda moment: moment.between(start, end))
    requests = _union("requests", (QueryData, Task.created_at, Task.created_at),
                      (OrderData, Task.created_at, Task.created_at),
                      condition=lambda moment: moment <= end)
    first = _per_client("first_help", helps, fn.MIN)
    latest = _per_client("latest_request", requests, fn.MAX)
    referral = Client.alias("referral")
    came_back = latest.c.at > first.c.at
    referred = fn.EXISTS(referral.select(referral.id).where(
        (referral.referred_by == first.c.client_id) & (referral.created_at <= end)))

    rows = (first.select_from(first.c.client_id)
            .join(latest, JOIN.LEFT_OUTER, on=latest.c.client_id == first.c.client_id)
            .with_cte(helps, requests, first, latest))
    helped, returned, back, referring = counted(CLIENTS, rows, first.c.client_id, [
        ("helped", first.c.client_id.is_null(False)),
        ("came back or referred", came_back | referred),
        ("came back", came_back), ("referred someone", referred)])
    return ReturnOnRelationship(rate(returned, helped), back, referring)


def _union(name: str, *parts: tuple, condition: Callable[[Field], Expression]) -> CTE:
    """A CTE `name` of (client_id, at): for each (data model, moment, filtered column) part,
    the moment of each task with that data that has a client, where `condition` holds on
    the filtered column."""
    selects = [with_data(data, Task.client, moment).where(
                   Task.client.is_null(False) & condition(column))
               for data, moment, column in parts]
    union = selects[0]
    for select in selects[1:]:
        union = union + select
    return union.cte(name, columns=("client_id", "at"))


def _per_client(name: str, times: CTE, pick) -> CTE:
    """A CTE `name` of (client_id, at): `pick` (MIN or MAX) of each client's times."""
    return (times.select_from(times.c.client_id, pick(times.c.at))
            .group_by(times.c.client_id).cte(name, columns=("client_id", "at")))


# --- retention -----------------------------------------------------------------------------


def retention(span: Window) -> Retention:
    """Retention and churn between the window's start and end."""
    at_start = (Client.created_at <= span.start_utc) & _stage_at(span.start_utc).in_(
        ACTIVE_STAGES)
    still = _stage_at(span.end_utc).in_(ACTIVE_STAGES)

    active, retained, churned = counted(CLIENTS, Client.select(), Client.id, [
        ("active at the start", at_start), ("still active", at_start & still),
        ("churned", at_start & ~still)])
    return Retention(rate(retained, active), churned, rate(churned, active).rate)


def _stage_at(moment: datetime) -> Expression:
    """A client's lifecycle stage at `moment`, from the audit trail of its stage changes: the
    stage its last change up to then set, else the stage its first later change left, else
    its stage now."""
    changes = Activity.select().where(
        (Activity.entity == "client") & (Activity.entity_id == Client.id)
        & (Activity.field == "lifecycle_stage"))
    set_before = (changes.select(Activity.new).where(Activity.at <= moment)
                  .order_by(Activity.at.desc(), Activity.id.desc()).limit(1))
    left_after = (changes.select(Activity.old).where(Activity.at > moment)
                  .order_by(Activity.at, Activity.id).limit(1))
    return fn.COALESCE(set_before, left_after, Client.lifecycle_stage)


# --- pipeline, lead scores, revenue --------------------------------------------------------


def pipeline() -> tuple[Figure, ...]:
    """Clients per lifecycle stage (all six, in order) with their monthly retainer value."""
    counts: dict[str, int] = {}
    amounts: dict[str, list[tuple[str | None, Decimal]]] = {}
    for stage, cycle, number, total in (
            Client.select(Client.lifecycle_stage, Client.retainer_cycle, fn.COUNT(Client.id),
                          fn.SUM(Client.retainer_amount))
            .group_by(Client.lifecycle_stage, Client.retainer_cycle).tuples()):
        counts[stage] = counts.get(stage, 0) + number
        amounts.setdefault(stage, []).append((cycle, total))
    return tuple(
        Figure(stage, counts.get(stage, 0), by_query(CLIENTS, f"stage:{stage}"),
               amount=monthly(amounts.get(stage, [])))
        for stage in LIFECYCLE_STAGES)


def lead_scores() -> tuple[Figure, ...]:
    """How many clients score in each band of the lead score (0-19 ... 80-100)."""
    counts = (Client.select(*[fn.SUM(Case(None, [(Client.lead_score.between(low, high), 1)], 0))
                              for low, high in SCORE_BANDS]).tuples().get())
    return tuple(
        Figure(f"{low}-{high}", int(count or 0), by_query(CLIENTS, _band(low, high)))
        for (low, high), count in zip(SCORE_BANDS, counts, strict=True))


def _band(low: int, high: int) -> str:
    """The client query of a lead-score band."""
    if low == SCORE_BANDS[0][0]:
        return f"score<={high}"
    if high == SCORE_BANDS[-1][1]:
        return f"score>={low}"
    return f"score>={low} score<={high}"


def monthly_revenue() -> Figure:
    """Monthly recurring retainer revenue: the retainers of the active relationships, each
    as a monthly amount (monthly + quarterly / 3 + yearly / 12)."""
    retained = Client.lifecycle_stage.in_(ACTIVE_STAGES) & (Client.retainer_amount > 0)
    rows = list(Client.select(Client.retainer_cycle, fn.COUNT(Client.id),
                              fn.SUM(Client.retainer_amount))
                .where(retained).group_by(Client.retainer_cycle).tuples())
    per_cycle = [(cycle, total) for cycle, _, total in rows]
    return Figure("monthly retainer revenue", monthly(per_cycle),
                  by_query(CLIENTS, f"stage:{','.join(ACTIVE_STAGES)}", "retainer:yes"),
                  count=sum(number for _, number, _ in rows))


def monthly(per_cycle: list[tuple[str | None, Decimal | None]]) -> Decimal:
    """The monthly value of retainer totals per cycle, in cents (half up)."""
    value = sum((Decimal(total) / MONTHS_PER_CYCLE[cycle] for cycle, total in per_cycle
                 if total is not None), Decimal(0))
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)
