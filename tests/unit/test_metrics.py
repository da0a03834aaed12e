"""The dashboard metrics on a small hand-built desk whose every figure is worked out below.

The desk (built by `build_desk`, at NOW = Wednesday 2026-11-18 10:30 in Berlin, 09:30 UTC;
the 30-day window starts on Monday 2026-10-19 00:00 Berlin, 2026-10-18 22:00 UTC):

client kind     stage now   stage history (UTC)              score retainer
Acme   client   active      active since 2025-01-10             85 300 monthly
Bolt   client   active      active since 2025-02-01             45 900 quarterly
Cora   customer at_risk     active 2025-03-01, at risk 11-05    15 1200 yearly
Dune   client   churned     active 2025-04-01, churned 11-01    25 500 monthly
Echo   customer prospect    created 2026-11-01                  65 -
Fern   client   onboarding  prospect 2025-06-01, onb. 11-10      5 -

Cadence and last contact: Acme 14 days, 2026-10-01; Bolt 30 days, 2026-11-10; Dune 7 days,
2026-09-01; Fern 10 days, never. Born: Acme 1980-11-20, Bolt 1975-12-01, Cora 1992-02-29,
Dune 1990-12-02, Echo 1985-11-18. Bolt was referred by Acme, Fern by Dune.

query client priority created     1st response resolved    CSAT targets (first; resolution)
Q1    Acme   urgent   11-10 09:00 11-10 10:00  11-11 09:00 5    11-10 11:00; 11-11 17:00
Q2    Bolt   high     11-12 08:00 11-12 12:00  11-14 08:00 2    11-12 10:00; 11-15 08:00
Q3    Cora   normal   11-15 09:00 11-15 09:30  open        -    11-15 12:00; 11-17 09:00
Q4    -      low      11-16 09:00 -            open        -    11-19 09:00; 11-25 09:00
Q5    Dune   normal   09-01 09:00 09-01 10:00  09-02 09:00 4    09-01 12:00; 09-03 09:00
Q6    Acme   urgent   11-17 09:00 -            open        -    none (task due 11-17 17:00)

Orders: O1 Bolt created 06-01 fulfilled 06-10; O2 Cora 03-01 / 03-05; O3 Echo 11-02 / 11-05
(all done). Tasks: T1 maria, Support, due 11-17 17:00, open; T2 maria + jonas, Fulfilment,
due 11-25, open; T3 jonas, done; T4 no one, no team, open. Q1 and Q3 are maria's, Q6
jonas's; Q1-Q4 and Q6 are on team Support. All times of 2026 unless said, UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from built_once import rows_built_once

from desk import sla
from desk.config import Settings
from desk.crm import clients
from desk.errors import InvalidInput
from desk.kernel import agents
from desk.metrics import dashboard as metrics
from desk.metrics.attention import upcoming_birthdays
from desk.metrics.dashboard import Dashboard, Figure, Rate
from desk.metrics.team import agent_loads
from desk.models import Activity, Client, OrderData, QueryData, Task, Team
from desk.support import csat
from desk.work import comments, filters, listing, orders, tasks, workspace

SLA_RULES = sla.book(Settings())  # the shipped SLA rules
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 18, 10, 30, tzinfo=BERLIN)
NOW_TEXT = "2026-11-18T10:30:00+01:00"


def utc(text: str) -> datetime:
    """A stored (naive UTC) time from "YYYY-MM-DD HH:MM"."""
    return datetime.fromisoformat(text)


def make_client(admin, name: str, kind: str, stages: list[tuple[str, str]], **fields) -> int:
    """A client created through the service, its stage changed through the service for each
    further (stage, time) of `stages`, then its creation and stage changes moved to the
    times given (the services stamp the real clock)."""
    first_stage, created = stages[0]
    client_id = clients.create(admin, name, kind, lifecycle_stage=first_stage, **fields).row.id
    for stage, _ in stages[1:]:
        version = Client.get_by_id(client_id).version
        clients.update(admin, client_id, version, lifecycle_stage=stage)
    Client.update(created_at=utc(created)).where(Client.id == client_id).execute()
    changes = (Activity.select(Activity.id)
               .where((Activity.entity == "client") & (Activity.entity_id == client_id)
                      & (Activity.field == "lifecycle_stage")).order_by(Activity.id))
    for (activity_id,), (_, at) in zip(changes.tuples(), stages, strict=True):
        Activity.update(at=utc(at)).where(Activity.id == activity_id).execute()
    return client_id


def make_query(admin, inbox: int, title: str, client: int | None, priority: str, created: str,
               *, responded: str | None = None, resolved: str | None = None,
               score: int | None = None, targets: tuple[str | None, str | None] = (None, None),
               assignees: tuple[str, ...] = (), team: int | None = None,
               due: str | None = None) -> int:
    """A support query worked through the services (reply, resolve, CSAT), then moved to the
    given times, with the given SLA targets."""
    task_id = tasks.create(admin, title, inbox, kind="query", priority=priority,
                           client_id=client, assignees=assignees, team_id=team,
                           due_at=utc(due) if due else None, sla_rules=SLA_RULES).row.id
    if responded:
        comments.reply(admin, task_id, "We are on it.")
    if resolved:
        tasks.update(admin, task_id, Task.get_by_id(task_id).version, status="Done")
    if score:
        csat.record(admin, task_id, score)
    Task.update(created_at=utc(created),
                closed_at=utc(resolved) if resolved else None).where(Task.id == task_id).execute()
    QueryData.update(
        first_response_at=utc(responded) if responded else None,
        resolved_at=utc(resolved) if resolved else None,
        first_response_due=utc(targets[0]) if targets[0] else None,
        resolution_due=utc(targets[1]) if targets[1] else None,
    ).where(QueryData.task == task_id).execute()
    return task_id


def make_order(admin, client: int, created: str, fulfilled: str) -> int:
    """A done order, created and fulfilled at the given times."""
    task_id = orders.create_order(admin, client, "Laptop setup", 1).task.row.id
    tasks.update(admin, task_id, Task.get_by_id(task_id).version, status="Done")
    Task.update(created_at=utc(created), closed_at=utc(fulfilled)).where(
        Task.id == task_id).execute()
    OrderData.update(fulfilled_at=utc(fulfilled)).where(OrderData.task == task_id).execute()
    return task_id


def make_task(admin, work: int, title: str, *, assignees=(), team=None, due=None,
              done=False) -> int:
    """A plain task, open or done."""
    task_id = tasks.create(admin, title, work, assignees=assignees, team_id=team,
                           due_at=utc(due) if due else None).row.id
    if done:
        tasks.update(admin, task_id, Task.get_by_id(task_id).version, status="Done")
    return task_id


def build_desk(admin) -> dict[str, int]:
    """The desk described in the module docstring; returns the ids by name."""
    agents.add(admin, "maria", teams=("Support",))
    agents.add(admin, "jonas", teams=("Fulfilment",))
    support = Team.get(Team.name == "Support").id
    fulfilment = Team.get(Team.name == "Fulfilment").id
    workspace.create_space(admin, "Desk")
    inbox = workspace.create_list(admin, "Desk", "Support inbox").id
    work = workspace.create_list(admin, "Desk", "Work").id
    workspace.create_list(admin, "Desk", "Orders")
    orders.create_product(admin, "Laptop setup", unit_price="150")
    ids = {
        "Acme": make_client(admin, "Acme", "client", [("active", "2025-01-10 10:00")],
                            lead_score=85, retainer_amount="300", retainer_cycle="monthly",
                            contact_cadence_days=14, birthday=date(1980, 11, 20)),
        "Dune": make_client(admin, "Dune", "client", [("active", "2025-04-01 10:00"),
                                                      ("churned", "2026-11-01 10:00")],
                            lead_score=25, retainer_amount="500", retainer_cycle="monthly",
                            contact_cadence_days=7, birthday=date(1990, 12, 2)),
    }
    ids["Bolt"] = make_client(admin, "Bolt", "client", [("active", "2025-02-01 10:00")],
                              lead_score=45, retainer_amount="900", retainer_cycle="quarterly",
                              contact_cadence_days=30, birthday=date(1975, 12, 1),
                              referred_by_id=ids["Acme"])
    ids["Cora"] = make_client(admin, "Cora", "customer", [("active", "2025-03-01 10:00"),
                                                          ("at_risk", "2026-11-05 10:00")],
                              lead_score=15, retainer_amount="1200", retainer_cycle="yearly",
                              birthday=date(1992, 2, 29))
    ids["Echo"] = make_client(admin, "Echo", "customer", [("prospect", "2026-11-01 10:00")],
                              lead_score=65, birthday=date(1985, 11, 18))
    ids["Fern"] = make_client(admin, "Fern", "client", [("prospect", "2025-06-01 10:00"),
                                                        ("onboarding", "2026-11-10 10:00")],
                              lead_score=5, contact_cadence_days=10, referred_by_id=ids["Dune"])
    ids["Q1"] = make_query(admin, inbox, "Q1", ids["Acme"], "urgent", "2026-11-10 09:00",
                           responded="2026-11-10 10:00", resolved="2026-11-11 09:00", score=5,
                           targets=("2026-11-10 11:00", "2026-11-11 17:00"),
                           assignees=("maria",), team=support)
    ids["Q2"] = make_query(admin, inbox, "Q2", ids["Bolt"], "high", "2026-11-12 08:00",
                           responded="2026-11-12 12:00", resolved="2026-11-14 08:00", score=2,
                           targets=("2026-11-12 10:00", "2026-11-15 08:00"), team=support)
    ids["Q3"] = make_query(admin, inbox, "Q3", ids["Cora"], "normal", "2026-11-15 09:00",
                           responded="2026-11-15 09:30",
                           targets=("2026-11-15 12:00", "2026-11-17 09:00"),
                           assignees=("maria",), team=support)
    ids["Q4"] = make_query(admin, inbox, "Q4", None, "low", "2026-11-16 09:00",
                           targets=("2026-11-19 09:00", "2026-11-25 09:00"), team=support)
    ids["Q5"] = make_query(admin, inbox, "Q5", ids["Dune"], "normal", "2026-09-01 09:00",
                           responded="2026-09-01 10:00", resolved="2026-09-02 09:00", score=4,
                           targets=("2026-09-01 12:00", "2026-09-03 09:00"))
    ids["Q6"] = make_query(admin, inbox, "Q6", ids["Acme"], "urgent", "2026-11-17 09:00",
                           assignees=("jonas",), team=support, due="2026-11-17 17:00")
    ids["O1"] = make_order(admin, ids["Bolt"], "2026-06-01 09:00", "2026-06-10 09:00")
    ids["O2"] = make_order(admin, ids["Cora"], "2026-03-01 09:00", "2026-03-05 09:00")
    ids["O3"] = make_order(admin, ids["Echo"], "2026-11-02 09:00", "2026-11-05 09:00")
    ids["T1"] = make_task(admin, work, "T1", assignees=("maria",), team=support,
                          due="2026-11-17 17:00")
    ids["T2"] = make_task(admin, work, "T2", assignees=("maria", "jonas"), team=fulfilment,
                          due="2026-11-25 17:00")
    ids["T3"] = make_task(admin, work, "T3", assignees=("jonas",), done=True)
    ids["T4"] = make_task(admin, work, "T4")
    # The orders moved the clients' clocks to the real now: set the last contacts.
    for name, last in (("Acme", "2026-10-01 09:00"), ("Bolt", "2026-11-10 09:00"),
                       ("Cora", None), ("Dune", "2026-09-01 09:00"), ("Echo", None),
                       ("Fern", None)):
        Client.update(last_contact_at=utc(last) if last else None).where(
            Client.id == ids[name]).execute()
    return ids


@pytest.fixture
def desk(request, db) -> dict[str, int]:
    """The hand-built desk: ids by name (its rows built once per run on SQLite)."""
    return rows_built_once(request, db, "metrics-desk", build_desk)


@pytest.fixture
def board(desk) -> Dashboard:
    """The 30-day dashboard of the hand-built desk at NOW."""
    return metrics.dashboard("30d", NOW)


def values(figures) -> dict[str, object]:
    """Figures as {label: value}."""
    return {figure.label: figure.value for figure in figures}


def test_the_window_runs_from_local_midnight_to_now():
    span = metrics.window("30d", NOW.replace(microsecond=123))
    assert (span.start, span.end) == (datetime(2026, 10, 19, tzinfo=BERLIN), NOW)
    assert (span.start_utc, span.end_utc) == (utc("2026-10-18 22:00"), utc("2026-11-18 09:30"))
    assert metrics.window("12m", NOW).start == datetime(2025, 11, 18, tzinfo=BERLIN)
    assert metrics.window("90d", NOW).start == datetime(2026, 8, 20, tzinfo=BERLIN)


def test_an_unknown_period_is_refused():
    with pytest.raises(InvalidInput, match="one of 30d, 90d, 12m, not '7d'"):
        metrics.window("7d", NOW)


def test_open_queries_by_priority_and_overdue_tasks(board):
    support = board.support
    assert support.open_queries.value == 3
    assert support.open_queries.drill.query == "kind:query is:open"
    assert values(support.open_queries_by_priority) == {
        "urgent": 1, "high": 0, "normal": 1, "low": 1, "none": 0}
    assert support.open_queries_by_priority[0].drill.query == "kind:query is:open priority:urgent"
    assert support.overdue_tasks.value == 2
    assert support.overdue_tasks.drill.query == f"is:open due<{NOW_TEXT}"


def test_median_first_response_and_resolution(board, desk):
    first, resolution = board.support.first_response, board.support.resolution
    # Responses in the window: Q3 30 min, Q1 1 h, Q2 4 h; Q5's was in September.
    assert (first.value, first.count) == (3600, 3)
    assert first.drill.ids == (desk["Q1"], desk["Q2"], desk["Q3"])
    # Resolved in the window: Q1 after 24 h, Q2 after 48 h: the mean of the two, 36 h.
    assert (resolution.value, resolution.count) == (129600, 2)
    assert resolution.drill.ids == (desk["Q1"], desk["Q2"])


def test_csat_average_and_weekly_trends(board, desk):
    support = board.support
    assert (support.csat.value, support.csat.count) == (Decimal("3.50"), 2)
    assert support.csat.drill.ids == (desk["Q1"], desk["Q2"])
    assert [(f.label, f.value, f.count) for f in support.csat_trend_30d] == [
        ("2026-10-19", None, 0), ("2026-10-26", None, 0), ("2026-11-02", None, 0),
        ("2026-11-09", Decimal("3.50"), 2), ("2026-11-16", None, 0)]
    trend = {f.label: f.value for f in support.csat_trend_90d}
    assert list(trend) == ["2026-08-20", "2026-08-24", "2026-08-31", "2026-09-07",
                           "2026-09-14", "2026-09-21", "2026-09-28", "2026-10-05",
                           "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02",
                           "2026-11-09", "2026-11-16"]
    assert {label: value for label, value in trend.items() if value is not None} == {
        "2026-08-31": Decimal("4.00"), "2026-11-09": Decimal("3.50")}
    assert support.csat_trend_90d[2].drill.ids == (desk["Q5"],)


def test_sla_attainment_and_breaches(board, desk):
    sla = board.sla
    # Measured: Q1 (met), Q2 (first response late), Q3 (resolution due 11-17, still open).
    assert (sla.attainment.part.value, sla.attainment.whole.value) == (1, 3)
    assert sla.attainment.rate == 0.3333
    assert sla.attainment.part.drill.ids == (desk["Q1"],)
    assert sla.attainment.whole.drill.ids == (desk["Q1"], desk["Q2"], desk["Q3"])
    assert sla.breaches.value == 2
    assert sla.breaches.drill.ids == (desk["Q2"], desk["Q3"])


def test_return_on_relationship_counts_a_client_both_back_and_referring_once(board, desk):
    ror = board.clients.return_on_relationship
    # Helped in 12 months: Acme (Q1), Bolt (O1), Cora (O2), Dune (Q5), Echo (O3). Back:
    # Acme (Q6), Bolt (Q2), Cora (Q3). Referred someone: Acme (Bolt), Dune (Fern).
    helped = tuple(sorted(desk[n] for n in ("Acme", "Bolt", "Cora", "Dune", "Echo")))
    assert ror.rate.whole.drill.ids == helped
    assert ror.came_back.drill.ids == tuple(sorted(desk[n] for n in ("Acme", "Bolt", "Cora")))
    assert ror.referred.drill.ids == tuple(sorted(desk[n] for n in ("Acme", "Dune")))
    assert (ror.rate.part.value, ror.rate.whole.value, ror.rate.rate) == (4, 5, 0.8)
    assert ror.rate.part.drill.ids == tuple(sorted(desk[n] for n in ("Acme", "Bolt", "Cora",
                                                                      "Dune")))


def test_retention_follows_the_stage_history(board, desk):
    retention = board.clients.retention
    # Active on 2026-10-19: Acme, Bolt, Cora, Dune (Echo did not exist, Fern was a prospect);
    # Dune churned on 11-01; Cora's at-risk stage still counts as active.
    assert retention.rate.whole.drill.ids == tuple(
        sorted(desk[n] for n in ("Acme", "Bolt", "Cora", "Dune")))
    assert (retention.rate.part.value, retention.rate.rate) == (3, 0.75)
    assert (retention.churned.value, retention.churn_rate) == (1, 0.25)
    assert retention.churned.drill.ids == (desk["Dune"],)


def test_without_stage_history_the_current_stage_counts(admin):
    Client.create(name="Imported", kind="client", lifecycle_stage="active",
                  created_at=utc("2024-01-01 00:00"))
    retention = metrics.dashboard("90d", NOW).clients.retention
    assert (retention.rate.part.value, retention.rate.whole.value) == (1, 1)


def test_pipeline_lead_scores_and_monthly_revenue(board):
    numbers = board.clients
    assert [(f.label, f.value, f.amount) for f in numbers.pipeline] == [
        ("lead", 0, Decimal("0.00")), ("prospect", 1, Decimal("0.00")),
        ("onboarding", 1, Decimal("0.00")), ("active", 2, Decimal("600.00")),
        ("at_risk", 1, Decimal("100.00")), ("churned", 1, Decimal("500.00"))]
    assert numbers.pipeline[4].drill.query == "stage:at_risk"
    assert values(numbers.lead_scores) == {
        "0-19": 2, "20-39": 1, "40-59": 1, "60-79": 1, "80-100": 1}
    assert [f.drill.query for f in numbers.lead_scores] == [
        "score<=19", "score>=20 score<=39", "score>=40 score<=59", "score>=60 score<=79",
        "score>=80"]
    revenue = numbers.monthly_revenue
    assert (revenue.value, revenue.count) == (Decimal("700.00"), 3)
    assert revenue.drill.query == "stage:onboarding,active,at_risk retainer:yes"


def test_team_workload(board, admin):
    loads = board.workload
    assert [(load.name, load.open.value, load.overdue.value) for load in loads.agents] == [
        ("maria", 3, 1), ("jonas", 2, 1), (admin.username, 0, 0)]
    assert loads.agents[0].overdue.drill.query == f"@maria is:open due<{NOW_TEXT}"
    assert [(load.name, load.open.value, load.overdue.value) for load in loads.teams] == [
        ("Support", 4, 2), ("Fulfilment", 1, 0), ("no team", 1, 0)]
    assert loads.teams[2].open.drill.query == "team:none is:open"


def test_workload_is_the_same_when_most_tasks_are_open(admin):
    """More open than done tasks: each agent's assignments minus those of done tasks."""
    agents.add(admin, "maria")
    workspace.create_space(admin, "Desk")
    work = workspace.create_list(admin, "Desk", "Work").id
    for title in ("A", "B", "C"):
        make_task(admin, work, title, assignees=("maria",), due="2026-11-17 17:00")
    make_task(admin, work, "D", assignees=("maria", admin.username), done=True)
    loads = agent_loads(NOW)
    assert [(load.name, load.open.value, load.overdue.value) for load in loads] == [
        ("maria", 3, 3), (admin.username, 0, 0)]


def test_attention(board, desk):
    attention = board.attention
    # Past cadence: Acme (14 days, last contact 48 days ago) and Fern (never contacted);
    # Dune is past its cadence too, but churned.
    assert attention.past_cadence.value == 2
    assert attention.past_cadence.drill.query == "is:overdue -stage:churned"
    assert [(c.name, c.clock.days_since_contact) for c in attention.longest_without_contact] == [
        ("Fern", None), ("Acme", 48)]
    assert [(b.name, b.day) for b in attention.upcoming_birthdays] == [
        ("Echo", date(2026, 11, 18)), ("Acme", date(2026, 11, 20)), ("Bolt", date(2026, 12, 1))]
    assert attention.birthdays.drill.ids == (desk["Echo"], desk["Acme"], desk["Bolt"])
    assert [(c.name, c.reasons) for c in attention.at_risk_clients] == [
        ("Bolt", ("low CSAT", "SLA breach")), ("Cora", ("stage", "SLA breach"))]
    assert attention.at_risk.value == 2


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 12, 25), [("Zeno", date(2026, 12, 30)), ("Xia", date(2027, 1, 3))]),
    (date(2027, 2, 20), [("Yuki", date(2027, 2, 28))]),
    (date(2028, 2, 20), [("Yuki", date(2028, 2, 29))]),
    (date(2027, 3, 1), []),
])
def test_birthdays_over_the_year_end_and_on_29_february(admin, today, expected):
    for name, born in (("Xia", date(2000, 1, 3)), ("Yuki", date(1992, 2, 29)),
                       ("Zeno", date(1980, 12, 30))):
        clients.create(admin, name, birthday=born)
    assert [(b.name, b.day) for b in upcoming_birthdays(today)] == expected


def test_no_data_at_all(admin):
    board = metrics.dashboard("30d", NOW)
    support, clients_ = board.support, board.clients
    assert support.open_queries.value == 0 and support.overdue_tasks.value == 0
    assert (support.first_response.value, support.first_response.count) == (None, 0)
    assert support.first_response.drill.query == "id:0 is:open,done"
    assert (support.csat.value, support.csat.count) == (None, 0)
    assert [f.value for f in support.csat_trend_30d] == [None] * 5
    assert (board.sla.attainment.rate, board.sla.breaches.value) == (None, 0)
    assert clients_.return_on_relationship.rate.rate is None
    assert clients_.retention.rate.rate is None and clients_.retention.churn_rate is None
    assert {f.value for f in clients_.pipeline} == {0}
    assert clients_.monthly_revenue.value == Decimal("0.00")
    assert [(load.name, load.open.value) for load in board.workload.agents] == [
        (admin.username, 0)]
    assert board.workload.teams == ()
    assert (board.attention.past_cadence.value, board.attention.birthdays.value,
            board.attention.at_risk.value) == (0, 0, 0)


def test_a_period_before_any_client_existed(desk):
    """At the end of 2024 no client existed yet: nothing to retain, nobody helped."""
    early = metrics.dashboard("90d", datetime(2024, 12, 1, 12, tzinfo=BERLIN)).clients
    assert (early.retention.rate.whole.value, early.retention.rate.rate) == (0, None)
    assert (early.return_on_relationship.rate.whole.value,
            early.return_on_relationship.rate.rate) == (0, None)


def figures_of(value) -> list[Figure]:
    """Every Figure inside a dashboard part."""
    if isinstance(value, Figure):
        return [value]
    if isinstance(value, Rate):
        return [value.part, value.whole]
    if isinstance(value, tuple):
        return [figure for item in value for figure in figures_of(item)]
    if hasattr(value, "__struct_fields__"):
        return [figure for name in value.__struct_fields__
                for figure in figures_of(getattr(value, name))]
    return []


def test_every_drill_down_opens_exactly_the_rows_counted(board, admin):
    drill_downs_match(board, admin)


def drill_downs_match(board: Dashboard, admin) -> None:
    """Assert that every figure's drill-down lists exactly the rows the figure counts."""
    context = filters.Context(admin.username, NOW, admin=True)
    figures = figures_of(board)
    assert len(figures) > 60
    for figure in figures:
        drill = figure.drill
        counted = figure.count if figure.count is not None else figure.value
        if drill.scope == "tasks":
            listed = listing.task_page(drill.query, context, sort="oldest", limit=1000).rows
        else:
            listed = listing.client_page(drill.query, context, sort="newest", limit=1000).rows
        assert len(listed) == counted, (figure.label, drill.query)
        if drill.ids is not None:
            assert {row.id for row in listed} == set(drill.ids), (figure.label, drill.query)
            assert drill.complete
