"""The urgency score: its breakdown term by term on hand-made rows, the same score as a SQL
expression (on SQLite and PostgreSQL), the inbox order it gives, and paging by it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from desk import sla
from desk.config import Settings, parse_settings
from desk.crm import clients
from desk.errors import NotFound
from desk.models import QueryData, Task
from desk.support import urgency
from desk.support.urgency import Term
from desk.work import listing, tasks, workspace

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
SLA_RULES = sla.book(Settings())  # the shipped SLA rules
DEFAULTS = parse_settings("").urgency  # weights 40 30 10 10 5 10 15; 24h, 7d, 5000


@pytest.fixture
def inbox(admin) -> int:
    """The id of a Support inbox list with the default statuses."""
    workspace.create_space(admin, "Support")
    return workspace.create_list(admin, "Support", "Support inbox").id


def make(admin, inbox: int, title: str, *, created_at: datetime, kind: str = "query",
         first_due: datetime | None = None, resolution_due: datetime | None = None,
         waiting_on: str = "us", **fields) -> int:
    """A task created at `created_at`; a query gets the given due times and waits on
    `waiting_on`. Returns its id."""
    task_id = tasks.create(admin, title, inbox, kind=kind, sla_rules=SLA_RULES, **fields).row.id
    Task.update(created_at=created_at).where(Task.id == task_id).execute()
    (QueryData.update(first_response_due=first_due, resolution_due=resolution_due,
                      waiting_on=waiting_on).where(QueryData.task == task_id).execute())
    return task_id


@pytest.fixture
def rows(admin, inbox) -> dict[str, int]:
    """Five tasks whose scores are worked out by hand in the tests."""
    acme = clients.create(admin, "Acme", kind="client", lead_score=60,
                          retainer_amount=Decimal("3000.00"), retainer_cycle="quarterly").row.id
    shop = clients.create(admin, "Corner Shop", lead_score=20).row.id
    return {
        "vip": make(admin, inbox, "VIP printer", priority="high", client_id=acme,
                    created_at=datetime(2026, 11, 16, 9), first_due=datetime(2026, 11, 18, 15),
                    resolution_due=datetime(2026, 11, 20, 9)),
        "overdue task": make(admin, inbox, "Renew domain", kind="task", priority="none",
                             created_at=datetime(2026, 10, 1, 9),
                             due_at=datetime(2026, 11, 16, 21)),
        "waiting": make(admin, inbox, "Refund", priority="normal", client_id=shop,
                        created_at=datetime(2026, 11, 17, 9), waiting_on="them",
                        first_due=datetime(2026, 11, 18, 3),
                        resolution_due=datetime(2026, 11, 25, 9)),
        "answered": make(admin, inbox, "Password reset", priority="urgent",
                         created_at=datetime(2026, 11, 18, 8),
                         first_due=datetime(2026, 11, 18, 8, 30),
                         resolution_due=datetime(2026, 11, 18, 21)),
        "new": make(admin, inbox, "Question", priority="low", created_at=datetime(
            2026, 11, 18, 9)),
    }


def points(breakdown: urgency.Breakdown) -> dict[str, float]:
    """The points of each term."""
    return {term.name: term.points for term in breakdown.terms}


# --- the breakdown -------------------------------------------------------------------------


def test_the_breakdown_of_a_client_query(rows):
    found = urgency.breakdown(rows["vip"], NOW, DEFAULTS, currency="EUR")
    assert found.terms == (
        # the first response is due in 6h: 18/24 of the weight
        Term("sla", 6.0, "6h wall clock left", 40.0, 30.0),
        Term("priority", 2, "high", 30.0, 22.5),
        Term("client", "client", "client", 10.0, 10.0),
        # 3000 a quarter is 1000 a month: a fifth of 5000
        Term("retainer", 1000.0, "€1,000.00 a month", 10.0, 2.0),
        Term("lead_score", 60, "lead score 60", 5.0, 3.0),
        Term("age", 48.0, "48h old", 10.0, pytest.approx(10 * 48 / 168)),
        Term("waiting_on_us", "us", "waiting on us", 15.0, 15.0),
    )
    assert found.total == pytest.approx(82.5 + 10 * 48 / 168)


def test_the_breakdown_of_an_overdue_task_without_a_client(rows):
    found = urgency.breakdown(rows["overdue task"], NOW, DEFAULTS, currency="EUR")
    assert points(found) == {"sla": 80.0, "priority": 0.0, "client": 0.0, "retainer": 0.0,
                             "lead_score": 0.0, "age": 10.0, "waiting_on_us": 0.0}
    shown = {term.name: term.shown for term in found.terms}
    assert shown["sla"] == "overdue 36h wall clock" and shown["waiting_on_us"] == "not a query"
    assert shown["client"] == "no client" and shown["retainer"] == "no retainer"


def test_a_met_target_no_longer_counts_and_waiting_on_them_earns_nothing(rows):
    QueryData.update(first_response_at=datetime(2026, 11, 18, 8, 10)).where(
        QueryData.task == rows["answered"]).execute()
    answered = urgency.breakdown(rows["answered"], NOW, DEFAULTS, currency="EUR")
    # the resolution
    assert answered.terms[0] == Term("sla", 12.0, "12h wall clock left", 40.0, 20.0)
    waiting = points(urgency.breakdown(rows["waiting"], NOW, DEFAULTS, currency="EUR"))
    # first response overdue by 6h: (24 + 6) / 24 of the weight; a customer, lead score 20
    assert waiting == {"sla": 50.0, "priority": 15.0, "client": 0.0, "retainer": 0.0,
                       "lead_score": 1.0, "age": pytest.approx(10 * 24 / 168),
                       "waiting_on_us": 0.0}


def test_the_weights_come_from_the_config(rows):
    settings = parse_settings(
        "urgency:\n  weights: {sla: 0, priority: 100, waiting_on_us: 0, age: 0}\n"
        "  retainer_full: 1000\n").urgency
    assert points(urgency.breakdown(rows["vip"], NOW, settings, currency="EUR")) == {
        "sla": 0.0, "priority": 75.0, "client": 10.0, "retainer": 10.0, "lead_score": 3.0,
        "age": 0.0, "waiting_on_us": 0.0}


def test_the_breakdown_of_no_task(admin):
    with pytest.raises(NotFound):
        urgency.breakdown(999, NOW, DEFAULTS, currency="EUR")


# --- in SQL --------------------------------------------------------------------------------


def scores_in_sql(settings, now: datetime) -> dict[int, float]:
    """Task id -> the urgency the database computes."""
    query = urgency.joined(Task.select(Task.id, urgency.expression(settings, now)))
    return dict(query.tuples())


@pytest.mark.parametrize("config", [
    "",
    "urgency:\n  weights: {sla: 7.5, priority: 1, client: 2, retainer: 3, lead_score: 4,"
    " age: 5, waiting_on_us: -6}\n  sla_horizon: 90min\n  age_full: 1w\n"
    "  retainer_full: 250.5\n",
])
@pytest.mark.parametrize("now", [NOW, NOW + timedelta(days=3, minutes=17, seconds=5)])
def test_the_sql_expression_agrees_with_the_breakdown(rows, config, now):
    settings = parse_settings(config).urgency
    in_sql = scores_in_sql(settings, now)
    assert set(in_sql) == set(rows.values())
    for task_id, score in in_sql.items():
        # to a millionth of a point (SQLite's julianday() carries times to some microseconds)
        found = urgency.breakdown(task_id, now, settings, currency="EUR")
        assert score == pytest.approx(found.total, abs=1e-6)


def test_the_urgency_order(rows):
    expression = urgency.expression(DEFAULTS, NOW)
    query = urgency.joined(Task.select(Task.id)).order_by(expression.desc(), Task.id)
    names = {task_id: name for name, task_id in rows.items()}
    # overdue task 80 + 10 = 90; answered (first response 30 minutes overdue):
    # 40 x 24.5/24 + 30 + 15 + 10/168 = 85.9; vip 85.4; waiting 67.4; new 7.5 + 15
    assert [names[task_id] for (task_id,) in query.tuples()] == [
        "overdue task", "answered", "vip", "waiting", "new"]


def test_paging_by_urgency_with_the_listing_keys(rows):
    # What the inbox's "urgency" order does: most urgent first, ties oldest first, by key.
    order = listing.Sort("urgency", (0.0 - urgency.expression(DEFAULTS, NOW), Task.id))
    base = urgency.joined(Task.select(Task.id, *order.columns)).order_by(*order.order_by())
    first = list(base.limit(2).tuples())
    second = list(base.where(order.after(first[-1][1:])).limit(2).tuples())
    third = list(base.where(order.after(second[-1][1:])).limit(2).tuples())
    names = {task_id: name for name, task_id in rows.items()}
    assert [[names[row[0]] for row in page] for page in (first, second, third)] == [
        ["overdue task", "answered"], ["vip", "waiting"], ["new"]]


@pytest.mark.parametrize("pause, sla_points, shown, place", [
    (True, 0.0, "no deadline", "last"),
    (False, 80.0, "overdue 24h wall clock", "first"),
])
def test_a_query_waiting_on_the_customer_has_its_resolution_clock_paused(rows, pause,
                                                                          sla_points, shown,
                                                                          place):
    # the refund query was answered; its resolution and its own due date were a day ago
    yesterday = NOW.replace(tzinfo=None) - timedelta(days=1)
    (QueryData.update(first_response_at=datetime(2026, 11, 17, 10), resolution_due=yesterday)
     .where(QueryData.task == rows["waiting"]).execute())
    Task.update(due_at=yesterday).where(Task.id == rows["waiting"]).execute()
    found = urgency.breakdown(rows["waiting"], NOW, DEFAULTS, currency="EUR",
                              pause_while_waiting=pause)
    assert (found.terms[0].shown, found.terms[0].points) == (shown, sla_points)
    expression = urgency.expression(DEFAULTS, NOW, pause_while_waiting=pause)
    ranked = [task_id for (task_id,) in urgency.joined(Task.select(Task.id))
              .order_by(expression.desc(), Task.id).tuples()]
    assert ranked.index(rows["waiting"]) == (len(ranked) - 1 if place == "last" else 0)
    score = (urgency.joined(Task.select(expression)).where(Task.id == rows["waiting"])
             .scalar())
    assert score == pytest.approx(found.total, abs=1e-6)
