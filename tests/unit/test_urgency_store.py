"""The stored urgency score (desk.support.urgency_store, migration 0029): after every kind of
change the score reads, after the clock moves and after a change of the weights, each open
task's stored score is the one `breakdown` (the `w` key) adds up at that moment, and only
the tasks due are rescored. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from desk import sla
from desk.config import Settings, parse_settings
from desk.crm import clients
from desk.dialect import is_sqlite
from desk.models import Client, QueryData, Task, database
from desk.support import triage, urgency, urgency_store
from desk.work import filters, tasks, workspace

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
SLA_RULES = sla.book(Settings())
DEFAULTS = parse_settings("").urgency


@pytest.fixture
def rows(admin) -> dict[str, int]:
    """A client's query, a customer's query waiting on them, an old task due in a month
    and an old task with no deadline: scored once at NOW."""
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Support inbox").id
    acme = clients.create(admin, "Acme", kind="client", lead_score=60,
                          retainer_amount=Decimal("3000.00"), retainer_cycle="quarterly").row.id
    shop = clients.create(admin, "Corner Shop", lead_score=20).row.id

    def make(title: str, created_at: datetime, **fields) -> int:
        task_id = tasks.create(admin, title, inbox, sla_rules=SLA_RULES, **fields).row.id
        Task.update(created_at=created_at).where(Task.id == task_id).execute()
        return task_id

    found = {
        "vip": make("VIP printer", datetime(2026, 11, 17, 9), kind="query", client_id=acme,
                    priority="high"),
        "waiting": make("Refund", datetime(2026, 11, 16, 9), kind="query", client_id=shop),
        "later": make("Renew domain", datetime(2026, 9, 1), due_at=datetime(2026, 12, 18, 9)),
        "still": make("Tidy the wiki", datetime(2026, 9, 1), priority="low"),
    }
    (QueryData.update(first_response_due=datetime(2026, 11, 18, 15),
                      resolution_due=datetime(2026, 11, 20, 9))
     .where(QueryData.task == found["vip"]).execute())
    (QueryData.update(waiting_on="them", first_response_at=datetime(2026, 11, 16, 10),
                      resolution_due=datetime(2026, 11, 19, 9))
     .where(QueryData.task == found["waiting"]).execute())
    urgency_store.refresh(DEFAULTS, NOW)
    return found


def stored(task_id: int) -> float:
    """The score task `task_id` has stored."""
    return -Task.select(Task.urgency_rank).where(Task.id == task_id).scalar()


def due(task_id: int, now: datetime = NOW) -> bool:
    """Whether the stored score of task `task_id` waits to be computed again at `now`."""
    until = Task.select(Task.urgency_until).where(Task.id == task_id).scalar()
    return until is not None and until <= now.replace(tzinfo=None)


def assert_current(rows: dict[str, int], now: datetime, settings=DEFAULTS) -> None:
    """Every open task's stored score is its breakdown's total at `now`."""
    for name, task_id in rows.items():
        computed = urgency.breakdown(task_id, now, settings, currency="EUR").total
        assert stored(task_id) == pytest.approx(computed, abs=1e-6), name


def test_the_first_refresh_scores_the_inbox(rows):
    assert_current(rows, NOW)
    assert not any(due(task_id) for task_id in rows.values())
    assert urgency_store.refresh(DEFAULTS, NOW) == 0  # nothing is due at the same moment


@pytest.mark.parametrize("change", ["priority", "due", "client", "reopen"])
def test_a_change_of_the_task_makes_it_due_in_the_same_write(admin, rows, change):
    task_id = rows["still"]
    before = stored(task_id)
    version = Task.get_by_id(task_id).version
    if change == "priority":
        tasks.update(admin, task_id, version, priority="urgent", sla_rules=SLA_RULES)
    elif change == "due":
        tasks.update(admin, task_id, version, due_at=datetime(2026, 11, 18, 8),
                     sla_rules=SLA_RULES)
    elif change == "client":
        client = Client.select(Client.id).where(Client.name == "Acme").scalar()
        tasks.update(admin, task_id, version, client_id=client, sla_rules=SLA_RULES)
    else:  # a change of its client while it was done touches open tasks only: reopening
        # makes it due
        Task.update(client=Client.select(Client.id).where(Client.name == "Acme")).where(
            Task.id == task_id).execute()
        urgency_store.refresh(DEFAULTS, NOW)
        before = stored(task_id)
        tasks.update(admin, task_id, version, status="Done", sla_rules=SLA_RULES)
        Client.update(lead_score=100).where(Client.name == "Acme").execute()
        tasks.update(admin, task_id, version + 1, status="To do", sla_rules=SLA_RULES)
    assert due(task_id)
    # reopening: Acme's open query was made due by the change of Acme too
    assert urgency_store.refresh(DEFAULTS, NOW) == (2 if change == "reopen" else 1)
    assert_current(rows, NOW)
    assert stored(task_id) > before


@pytest.mark.parametrize("change", [
    {"first_response_at": datetime(2026, 11, 18, 8)},  # a target met
    {"resolution_due": datetime(2026, 11, 18, 10)},
    {"waiting_on": "them"},
])
def test_a_change_of_the_query_data_makes_its_task_due(rows, change):
    QueryData.update(**change).where(QueryData.task == rows["vip"]).execute()
    assert due(rows["vip"]) and not due(rows["waiting"])
    assert urgency_store.refresh(DEFAULTS, NOW) == 1
    assert_current(rows, NOW)


@pytest.mark.parametrize("change", [{"kind": "customer"}, {"retainer_amount": Decimal(9000)},
                                    {"retainer_cycle": "monthly"}, {"lead_score": 5}])
def test_a_change_of_the_client_makes_its_open_tasks_due(rows, change):
    Client.update(**change).where(Client.name == "Acme").execute()
    assert [due(task_id) for task_id in rows.values()] == [True, False, False, False]
    urgency_store.refresh(DEFAULTS, NOW)
    assert_current(rows, NOW)


def test_a_new_task_is_due_until_scored(admin, rows):
    inbox = Task.select(Task.task_list).where(Task.id == rows["vip"]).scalar()
    new = tasks.create(admin, "New query", inbox, kind="query", sla_rules=SLA_RULES).row.id
    assert due(new)
    urgency_store.refresh(DEFAULTS, NOW)
    assert_current({**rows, "new": new}, NOW)


def test_a_task_outside_the_inbox_is_scored_when_it_enters(admin, rows):
    inbox = Task.select(Task.task_list).where(Task.id == rows["vip"]).scalar()
    held = tasks.create(admin, "Held", inbox, assignees=(admin.username,),
                        due_at=datetime(2026, 11, 20, 9), sla_rules=SLA_RULES).row.id
    assert urgency_store.refresh(DEFAULTS, NOW) == 0  # in the inbox from its due time only
    assert Task.select(Task.urgency_rank).where(Task.id == held).scalar() == 1e300  # unscored
    entered = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert due(held, entered)
    urgency_store.refresh(DEFAULTS, entered)
    assert_current({**rows, "held": held}, entered)


def test_a_task_taken_out_of_the_inbox_is_due_when_it_comes_back(admin, rows):
    task_id = rows["still"]
    version = Task.get_by_id(task_id).version
    tasks.update(admin, task_id, version, assignees=(admin.username,), sla_rules=SLA_RULES)
    Task.update(priority=1).where(Task.id == task_id).execute()  # while outside: not scored
    assert urgency_store.refresh(DEFAULTS, NOW) == 0 and not due(task_id)
    tasks.update(admin, task_id, version + 1, assignees=(), sla_rules=SLA_RULES)
    assert due(task_id)
    assert urgency_store.refresh(DEFAULTS, NOW) == 1
    assert_current(rows, NOW)


def test_as_time_moves_only_the_moving_scores_are_rescored(rows):
    # an hour on: the vip's deadline and the young queries' ages move; the old task due in
    # a month and the one with no deadline hold still
    assert urgency_store.refresh(DEFAULTS, NOW + timedelta(hours=1)) == 2
    assert_current(rows, NOW + timedelta(hours=1))
    # its due time comes within the horizon (24h) on December 17: rescored from then on
    assert urgency_store.refresh(DEFAULTS, datetime(2026, 12, 17, 8, tzinfo=UTC)) == 2
    assert stored(rows["later"]) == pytest.approx(
        urgency.breakdown(rows["later"], NOW, DEFAULTS, currency="EUR").total)
    moment = datetime(2026, 12, 17, 21, tzinfo=UTC)
    assert urgency_store.refresh(DEFAULTS, moment) == 1
    assert_current(rows, moment)


def test_within_a_minute_a_moving_score_is_not_rescored(rows):
    assert urgency_store.refresh(DEFAULTS, NOW + timedelta(seconds=59)) == 0
    assert urgency_store.refresh(DEFAULTS, NOW + timedelta(seconds=60)) == 2


@pytest.mark.parametrize("config, pause", [
    ("urgency:\n  weights: {sla: 0, priority: 100, age: 3}\n", True),
    ("urgency:\n  age_full: 90d\n", True),
    ("", False),  # sla.pause_while_waiting off: the waiting query's resolution counts
])
def test_a_change_of_the_settings_rescores_everything_once(rows, config, pause):
    settings = parse_settings(config).urgency
    assert urgency_store.refresh(settings, NOW, pause_while_waiting=pause) == len(rows)
    for name, task_id in rows.items():
        computed = urgency.breakdown(task_id, NOW, settings, currency="EUR",
                                     pause_while_waiting=pause).total
        assert stored(task_id) == pytest.approx(computed, abs=1e-6), name
    assert urgency_store.refresh(settings, NOW, pause_while_waiting=pause) == 0


def test_a_batch_longer_than_a_statement_stores_every_score(rows, monkeypatch):
    # the four tasks in statements of three rows and of one
    monkeypatch.setattr(urgency_store, "ROWS_PER_STATEMENT", 3)
    settings = parse_settings("urgency:\n  weights: {sla: 0, priority: 100, age: 3}\n").urgency
    assert urgency_store.refresh(settings, NOW) == len(rows)
    assert_current(rows, NOW, settings)
    assert not any(due(task_id) for task_id in rows.values())


def test_the_first_score_page_walks_the_stored_score_index(rows):
    # EXPLAIN on either database: the stored score's covering index, in its order, with no
    # sort. On a table of a few rows PostgreSQL rightly prefers to read them any way and
    # sort them, so it is told to avoid sorting (and sequential and bitmap scans): it then
    # sorts only where no index gives the order. tests/unit/test_triage.py plans an analysed
    # SQLite workspace.
    context = filters.Context("alex", NOW)
    sql, params = triage.inbox_ids_query(context, order="score").limit(100).sql()
    with database.atomic() as transaction:
        if is_sqlite():
            plan = [row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}",
                                                           params).fetchall()]
        else:
            database.execute_sql("SET LOCAL enable_seqscan = off")
            database.execute_sql("SET LOCAL enable_bitmapscan = off")
            database.execute_sql("SET LOCAL enable_sort = off")
            plan = [row[0] for row in database.execute_sql(f"EXPLAIN {sql}", params)]
        transaction.rollback()
    assert any("task_open_urgency " in f"{step} " for step in plan), plan
    assert not any("TEMP B-TREE" in step or "Sort" in step for step in plan), plan


def test_a_page_rescores_what_was_written_and_leaves_the_clock_to_the_background(rows,
                                                                                 context):
    later = NOW + timedelta(hours=1)
    vip_before = stored(rows["vip"])
    Task.update(priority=1).where(Task.id == rows["still"]).execute()
    found = [row.id for row in triage.inbox_page(filters.Context(context.username, later),
                                                 order="score").rows]
    # urgent now (30 + 10 for its age), so ranked at once above the normal task due in a
    # month (15 + 10) and the query waiting on the customer (15 + 1 + 2.9 for its age)
    assert found == [rows["vip"], rows["still"], rows["later"], rows["waiting"]]
    assert stored(rows["still"]) == pytest.approx(
        urgency.breakdown(rows["still"], later, DEFAULTS, currency="EUR").total)
    # the vip's deadline moved an hour nearer: the background work's refresh rescores it
    assert stored(rows["vip"]) == vip_before and due(rows["vip"], later)
    assert urgency_store.refresh(DEFAULTS, later) == 2
    assert_current(rows, later)
