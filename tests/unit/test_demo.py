"""The demo workspace: its content, built through the services (their invariants and history),
determinism and the bulk top-up.

Every test runs on SQLite and, when a server is configured, PostgreSQL. Building the demo
takes thousands of service calls, so the tests that only read it share one build per backend
(`built`, `topped_up`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from demo_once import DEMO_NOW, RULES, demo_copy, schema_of_bulk_tables
from peewee import fn

from desk import database_url, demo, dialect
from desk import db as desk_db
from desk.config import Settings
from desk.crm import interactions, loyalty, loyalty_points
from desk.errors import DeskError, InvalidInput
from desk.kernel import agents, search
from desk.models import (
    Activity,
    Agent,
    Checklist,
    ChecklistItem,
    Client,
    Comment,
    Event,
    Interaction,
    LoyaltyEntry,
    LoyaltyStanding,
    OrderData,
    Outbox,
    Product,
    QueryData,
    RecurringSeries,
    Space,
    Status,
    Task,
    TaskAssignee,
    TaskList,
)
from desk.models import database as bound
from desk.vocabulary import CLIENT_KINDS, DONE_CATEGORIES, LIFECYCLE_STAGES
from desk.work import tasks, workspace

NOW = DEMO_NOW
LISTS = ("Support inbox", "Orders", "Billing", "Accounts", "Internal")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def curated(request, tmp_path_factory) -> Iterator[tuple]:
    """The curated demo at NOW, a copy per backend (tests/demo_once.py)."""
    with demo_copy(request.param, tmp_path_factory) as made:
        yield made


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def topped(request, tmp_path_factory) -> Iterator[tuple]:
    """The demo at NOW topped up to 5000 tasks, a copy per backend (tests/demo_once.py)."""
    with demo_copy(request.param, tmp_path_factory, tasks=5000) as made:
        yield made


@pytest.fixture
def built(curated) -> Iterator[demo.DemoSummary]:
    """The shared curated demo, connected; its summary. Tests using it only read."""
    database = desk_db.connect(curated[0])
    yield curated[1]
    database.close()


@pytest.fixture
def topped_up(topped) -> Iterator[tuple]:
    """The shared topped-up demo, connected: (summary, progress reports, schema before)."""
    database = desk_db.connect(topped[0])
    yield topped[1:]
    database.close()


def assert_task_invariants() -> None:
    """What the services keep true of every task, checked over the whole table."""
    rows = (Task.select(Task.id, Task.category, Task.closed_at, Task.priority, Task.version,
                        Task.task_list, Status.category, Status.task_list)
            .join(Status, on=Task.status == Status.id).tuples())
    for task_id, category, closed_at, priority, version, list_id, status_category, \
            status_list in rows:
        assert category == status_category, task_id
        assert (closed_at is not None) == (category in DONE_CATEGORIES), task_id
        assert 1 <= priority <= 5, task_id
        assert version >= 1, task_id
        assert list_id == status_list, task_id
    positions = (Task.select(Task.task_list, fn.COUNT(Task.id), fn.COUNT(Task.position.distinct()))
                 .group_by(Task.task_list).tuples())
    for list_id, count, distinct in positions:
        assert count == distinct, f"positions repeat in list {list_id}"
    assert not (OrderData.select().join(Task).where(Task.kind != "order").exists())
    assert not (QueryData.select().join(Task).where(Task.kind != "query").exists())


def days_until(birthday: date, today: date) -> int:
    """Days from `today` to the next anniversary of `birthday` (29 February: 1 March)."""
    for year in (today.year, today.year + 1):
        try:
            day = birthday.replace(year=year)
        except ValueError:
            day = date(year, 3, 1)
        if day >= today:
            return (day - today).days
    raise AssertionError("unreachable")


def test_a_fresh_database_is_empty_and_not_a_demo(db, admin):
    assert demo.is_empty()
    assert not demo.is_demo()


def test_a_built_demo_holds_work_and_is_marked_as_a_demo(built):
    assert not demo.is_empty()
    assert demo.is_demo()


def test_the_named_lists_exist_with_helpdesk_statuses(built):
    names = {name for (name,) in TaskList.select(TaskList.name).tuples()}
    assert set(LISTS) <= names
    inbox = workspace.find_list("Support inbox")
    assert inbox.statuses == (("New", "open"), ("Open", "active"),
                              ("Waiting on customer", "active"), ("Resolved", "done"),
                              ("Closed", "closed"))
    assert built.lists[0] == "Support/Support inbox"


def test_agents_and_teams(built):
    admin = agents.acting()
    usernames = {row["username"]: row for row in agents.listing()}
    assert {"maria", "jonas", "priya", "tom", "li", "sam", admin.username} <= set(usernames)
    assert usernames["sam"]["role"] == "viewer"
    assert usernames[admin.username]["role"] == "admin"
    assert "Support" in usernames["maria"]["teams"]
    assert built.agents == len(usernames)


def test_clients_cover_every_stage_kind_and_relationship(built):
    clients = list(Client.select())
    assert 35 <= len(clients) <= 45
    assert {c.lifecycle_stage for c in clients} == set(LIFECYCLE_STAGES)
    assert {c.kind for c in clients} == set(CLIENT_KINDS)
    retained = [c for c in clients if c.kind == "client"]
    assert 12 <= len(retained) <= 18
    assert sum(1 for c in retained if c.retainer_amount) >= 12
    assert all(c.account_manager_id and 14 <= c.contact_cadence_days <= 30 for c in retained)
    assert all(c.notes.startswith("# ") and "## What they need" in c.notes for c in retained)
    assert sum(1 for c in clients if c.referred_by_id) >= 3
    assert sum(1 for c in clients if c.confidential) >= 2
    assert any(c.birthday and days_until(c.birthday, NOW.date()) <= 14 for c in clients)
    acquired = [c.acquisition_date for c in clients if c.acquisition_date]
    assert min(acquired) >= date(NOW.year - 3, NOW.month, 1)
    assert max(acquired) <= NOW.date()
    assert built.clients == {"client": len(retained), "customer": len(clients) - len(retained)}


def test_loyalty_tiers_and_points_follow_from_the_orders(built):
    settings = Settings().loyalty
    runner = agents.acting()
    # what the background step would write now is what the demo holds already
    assert loyalty_points.run(settings, NOW.replace(tzinfo=UTC), runner).summary() == (
        "loyalty: 0 orders earned points, 0 clients' points expired, 0 tiers changed")
    assert "Bronze" in {row.tier for row in LoyaltyStanding.select()}
    fulfilled = OrderData.select().join(Task).where(loyalty.fulfilled_moment().is_null(False))
    assert LoyaltyEntry.select().where(LoyaltyEntry.reason == "earned").count() \
        == fulfilled.count()
    assert LoyaltyEntry.select().where(LoyaltyEntry.reason == "redeemed").count() == 1
    assert {row.client_id: row.points for row in LoyaltyStanding.select()} == loyalty.balances()


def test_orders_carry_order_data_and_checklists(built):
    orders = list(Task.select().where(Task.kind == "order"))
    assert 25 <= len(orders) <= 35
    data = {row.task_id: row for row in OrderData.select()}
    assert set(data) == {order.id for order in orders}
    for row in data.values():
        assert row.total == row.quantity * row.unit_price - row.discount  # a loyalty reward
    fulfilled = [o for o in orders if o.category in DONE_CATEGORIES]
    assert len(fulfilled) >= 5
    assert all(data[o.id].fulfilled_at is not None for o in fulfilled)
    progress = (ChecklistItem.select(Checklist.task, fn.COUNT(ChecklistItem.id),
                                     fn.SUM(ChecklistItem.done.cast("integer")))
                .join(Checklist).group_by(Checklist.task).tuples())
    partly = [task for task, total, done in progress if 0 < int(done) < total]
    assert partly, "some orders in progress have part of their checklist done"
    nested = ChecklistItem.select().where(ChecklistItem.parent.is_null(False))
    assert nested.exists()
    assert Product.select().count() >= 8
    assert Product.select().where(Product.checklist_template.is_null(False)).count() >= 5
    assert built.orders == len(orders)


def test_queries_have_requesters_conversations_and_sla_data(built):
    queries = list(Task.select().where(Task.kind == "query"))
    assert 55 <= len(queries) <= 65
    data = {row.task_id: row for row in QueryData.select()}
    assert set(data) == {query.id for query in queries}
    assert all(row.requester_name and "@" in row.requester_email for row in data.values())
    assert {row.channel for row in data.values()} == {"form", "email", "phone"}
    kinds = {kind for (kind,) in Comment.select(Comment.kind).distinct().tuples()}
    assert kinds == {"reply", "note", "message"}
    assert any(row.first_response_at for row in data.values())
    assert any(row.csat_score for row in data.values())
    open_ids = {q.id for q in queries if q.closed_at is None}
    assert any(q.due_at and q.due_at < NOW for q in queries if q.id in open_ids), "overdue"
    assigned = {task for (task,) in TaskAssignee.select(TaskAssignee.task).tuples()}
    assert open_ids - assigned, "some open queries are unassigned"
    assert len({q.priority for q in queries}) >= 4
    resolved = [data[q.id] for q in queries if q.category in DONE_CATEGORIES]
    assert all(row.resolved_at and row.first_response_at for row in resolved)
    assert built.open_queries == len(open_ids)


def test_four_series_with_valid_rules(built):
    series = list(RecurringSeries.select())
    assert len(series) == 4
    assert {s.rule for s in series} == {
        "FREQ=MONTHLY;BYMONTHDAY=1", "FREQ=WEEKLY;BYDAY=FR",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
    }
    for row in series:
        rule = rrulestr(row.rule, dtstart=row.starts_at)
        assert row.starts_at < NOW
        assert row.next_at == rule.after(NOW)
        assert row.task.task_list.name in ("Billing", "Internal")
        assert row.task.due_at == row.next_at
    closing = next(s for s in series if "BYSETPOS" in s.rule)
    assert closing.next_at.weekday() < 5
    assert built.series == 4


def test_every_task_keeps_the_services_invariants(built):
    assert_task_invariants()
    assert Task.select().where(Task.parent.is_null(False)).exists()


def test_interactions_set_the_relationship_clock(built):
    latest = dict(Interaction.select(Interaction.client, fn.MAX(Interaction.occurred_at))
                  .group_by(Interaction.client).tuples())
    clients = list(Client.select())
    assert set(latest) == {c.id for c in clients}
    for client in clients:
        assert client.last_contact_at == latest[client.id], client.name
    assert Interaction.select().where(Interaction.occurred_at > NOW).count() == 0
    kinds = {kind for (kind,) in Interaction.select(Interaction.kind).distinct().tuples()}
    assert kinds == {"call", "email", "meeting", "order", "reply"}
    overdue = [c.name for c in clients
               if interactions.clock(c.last_contact_at, c.contact_cadence_days, NOW)
               .contact_overdue]
    assert 2 <= len(overdue) <= 6
    assert built.interactions == Interaction.select().count()


def test_every_task_and_client_has_its_history_from_the_moment_it_was_created(built):
    for model, entity, field in ((Task, "task", "title"), (Client, "client", "name")):
        created = dict(Activity.select(Activity.entity_id, Activity.at).where(
            (Activity.entity == entity) & (Activity.field == field) & (Activity.version == 1))
            .tuples())
        assert created == dict(model.select(model.id, model.created_at).tuples()), entity
    changed = Task.select().where(Task.version > 1)
    assert changed.exists()
    for task in changed:
        versions = {version for (version,) in Activity.select(Activity.version).where(
            (Activity.entity == "task") & (Activity.entity_id == task.id)).tuples()}
        assert max(versions - {None}) == task.version, task.id
    latest = Activity.select(fn.MAX(Activity.at)).where(Activity.entity.in_(("task", "client")))
    assert latest.scalar() <= NOW


def test_the_history_is_handled_and_no_mail_waits(built):
    assert not Event.select().where(Event.processed_at.is_null()).exists()
    assert Event.select().where(Event.kind == "task.status_changed").exists()
    assert Outbox.select().count() == 0
    assert Comment.select().where(Comment.kind == "reply").exists()


def test_open_queries_wait_on_whoever_wrote_last(built):
    rows = (Task.select(Task.id, QueryData.waiting_on).join(QueryData, on=QueryData.task == Task.id)
            .where(Task.closed_at.is_null()).tuples())
    for task_id, waiting_on in rows:
        last = (Comment.select(Comment.kind).where(
            (Comment.task == task_id) & (Comment.kind != "note"))
            .order_by(Comment.created_at.desc(), Comment.id.desc()).scalar())
        assert waiting_on == ("them" if last == "reply" else "us"), task_id


def test_churned_clients_were_active_until_they_left(built):
    churned = Client.select().where(Client.lifecycle_stage == "churned")
    assert churned.exists()
    for client in churned:
        stages = [(old, new) for old, new in Activity.select(Activity.old, Activity.new).where(
            (Activity.entity == "client") & (Activity.entity_id == client.id)
            & (Activity.field == "lifecycle_stage")).order_by(Activity.at).tuples()]
        assert stages == [(None, "active"), ("active", "churned")], client.name


def test_search_finds_demo_clients_and_queries(built):
    hits = search.find("Bluefin")
    assert any(hit.kind == "client" and hit.title == "Bluefin Logistics" for hit in hits)
    title = Task.select(Task.title).where(Task.kind == "query").order_by(Task.id).scalar()
    word = max(title.split(), key=len).strip("?.,-")
    hits = search.find(word)
    assert any(hit.kind == "task" and hit.title == title for hit in hits), word


def test_summary_text_names_the_counts_and_lists(built):
    text = demo.summary_text(built)
    assert "15 clients and 25 customers" in text
    assert "4 recurring series" in text
    assert "Support/Support inbox" in text
    reopened = demo.current_summary()
    assert reopened.tasks == built.tasks and reopened.lists == built.lists


def test_build_refuses_a_database_that_holds_work(db, admin):
    workspace.create_space(admin, "Mine")

    with pytest.raises(InvalidInput):
        demo.build(admin, sla_rules=RULES, now=NOW)

    assert Client.select().count() == 0
    assert not demo.is_demo()


def capture(url: str, seed: int | None = None) -> tuple[list, ...]:
    """The tasks, clients, comments and interactions of the demo at `url`, as stored, and
    when its history says each change happened; with a `seed`, build it there first."""
    database = desk_db.connect(url)
    if seed is not None:
        desk_db.migrate(database)
        demo.build(agents.acting(), sla_rules=RULES, seed=seed, now=NOW)
    found = tuple(list(query.tuples()) for query in (
        Task.select(Task.title, Task.created_at, Task.updated_at).order_by(Task.id),
        Client.select(Client.name, Client.last_contact_at).order_by(Client.id),
        Comment.select(Comment.body, Comment.created_at).order_by(Comment.id),
        Interaction.select(Interaction.summary, Interaction.occurred_at).order_by(Interaction.id),
        Activity.select(Activity.at, Activity.field).where(Activity.entity == "task")
        .order_by(Activity.id)))
    database.close()
    return found


@pytest.mark.parametrize("curated", ["sqlite"], indirect=True)
def test_the_same_seed_builds_the_same_workspace(curated, tmp_path):
    first = capture(f"sqlite:///{tmp_path / 'one.db'}", seed=7)
    second = capture(f"sqlite:///{tmp_path / 'two.db'}", seed=7)
    other = capture(curated[0])  # the default seed

    assert first == second
    assert first[0] != other[0]


def test_top_up_generates_exactly_the_requested_tasks(topped_up):
    summary, stages, schema = topped_up
    assert len(schema[0]) >= 10
    assert dialect.is_sqlite() or len(schema[1]) >= 8

    assert Task.select().count() == 5000 == summary.total_tasks
    generated = [s for s in stages if s[0] == "Generated tasks"]
    assert generated[-1][1] == generated[-1][2] > 0
    assert schema_of_bulk_tables() == schema
    assert_task_invariants()
    done = Task.select().where(Task.closed_at.is_null(False)).count()
    assert 0.2 < done / 5000 < 0.4
    assert TaskAssignee.select().count() > 3000
    assert {"Generated tasks", "Task indexes", "Search index"} <= set(summary.seconds)


def test_tasks_created_after_a_top_up_get_fresh_ids(topped_up):
    admin = agents.acting()  # the demo's first admin
    largest = Task.select(fn.MAX(Task.id)).scalar()
    inbox = workspace.find_list("Support inbox")

    created = tasks.create(admin, "Printer jam on the third floor", inbox.id, kind="query",
                           assignees=["maria"], tags=["printer"], sla_rules=RULES)

    assert created.row.id == largest + 1
    assert Task.select().count() == 5001
    assert any(hit.id == created.row.id for hit in search.find("jam"))
    # Every table that got explicit ids hands out fresh ones afterwards (PostgreSQL sequences).
    client = Client.create(name="Fresh Client Ltd", created_at=NOW, updated_at=NOW)
    comment = Comment.create(task=created.row.id, kind="note", body="ok", created_at=NOW)
    assert client.id == Client.select(fn.MAX(Client.id)).scalar()
    assert comment.id == Comment.select(fn.MAX(Comment.id)).scalar()


def test_a_built_demo_is_left_ready_for_reading_counts(topped_up):
    summary, _, _ = topped_up
    if dialect.is_sqlite():  # the write-ahead log folded into the file
        assert "Checkpoint" in summary.seconds
        return
    # vacuumed: PostgreSQL counts from an index alone only on pages marked all-visible
    assert "Vacuum" in summary.seconds
    (visible, pages) = bound.execute_sql(
        "SELECT relallvisible, relpages FROM pg_class WHERE relname = 'task'").fetchone()
    assert pages > 0 and visible >= 0.9 * pages  # none without the vacuum


def test_search_finds_generated_tasks(topped_up):
    hits = search.find("timesheets")

    assert hits
    assert all("timesheets" in hit.title.lower() for hit in hits)


# --- wiping a demo -------------------------------------------------------------------------

def test_wipe_throws_the_demo_away_and_a_new_one_can_be_built(fresh_url):
    connected = desk_db.connect(fresh_url)
    desk_db.migrate(connected)
    file = database_url.sqlite_path(fresh_url)
    if file is None:  # another schema of the database is left alone
        connected.execute_sql("CREATE SCHEMA keep")
        connected.execute_sql("CREATE TABLE keep.note (body text)")
    workspace.create_space(agents.acting(), "Support")  # a demo's work, as far as wiping goes
    demo.mark_demo()

    demo.wipe(connected)

    assert connected.is_closed()
    if file is not None:
        assert [p for p in file.parent.iterdir() if p.name.startswith(file.name + "-")
                or p == file] == []
    connected = desk_db.connect(fresh_url)
    if file is None:
        assert connected.get_tables() == []
        assert connected.get_tables(schema="keep") == ["note"]
    desk_db.migrate(connected)
    assert demo.is_empty() and not demo.is_demo() and Agent.select().count() == 0
    demo.build(agents.acting(), sla_rules=RULES, now=NOW)
    assert demo.is_demo()
    connected.close()


def test_wipe_refuses_a_workspace_that_is_not_a_demo(db, admin):
    workspace.create_space(admin, "Mine")

    with pytest.raises(InvalidInput, match="not built by desk demo; it will not be wiped"):
        demo.wipe(db)

    assert not db.is_closed() and Space.select().count() == 1
    if dialect.is_sqlite(db):
        assert Path(db.database).exists()


def test_wipe_needs_the_bound_database(db, tmp_path):
    demo.mark_demo()
    other = desk_db.connect(f"sqlite:///{tmp_path / 'other.db'}")
    bound.initialize(db)  # connect() bound the models to the other file

    with pytest.raises(DeskError, match="wipe needs the database desk is connected to"):
        demo.wipe(other)

    other.close()
    assert demo.is_demo()


def test_a_year_of_nps_answers_with_some_detractors(built):
    from desk.models import NpsSurvey

    answered = NpsSurvey.select().where(NpsSurvey.answered_at.is_null(False))
    scores = [survey.score for survey in answered]
    assert len(scores) >= 20 and NpsSurvey.select().count() > len(scores)  # some unanswered
    assert any(score <= 6 for score in scores) and any(score >= 9 for score in scores)
    first = NpsSurvey.select(fn.MIN(NpsSurvey.sent_at)).scalar()
    assert NOW - timedelta(days=366) <= first < NOW - timedelta(days=250)
    assert NpsSurvey.select().where(NpsSurvey.answered_at > NOW).count() == 0
