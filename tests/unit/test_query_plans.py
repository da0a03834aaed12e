"""Every default list query is served by an index: no full scan of a big table and no sort
of the whole result (SQLite's EXPLAIN QUERY PLAN over a few thousand analysed rows).

SQLite only: on tables this small PostgreSQL's planner rightly prefers sequential scans, so
its plans say nothing about the indexes.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from built_once import filled_once
from peewee import Database

from desk import db as desk_db
from desk.kernel import agents, search
from desk.models import Activity, Comment, database
from desk.work import filters, links, listing, workspace

BIG_TABLES = {"task", "client", "comment", "activity"}
TASKS, CLIENTS, LISTS = 4000, 800, 6
TEAMS = ("Accounts", "Support", "Fulfilment", "Billing")
NOW = datetime(2026, 11, 18, 10, 30, tzinfo=ZoneInfo("Europe/Berlin"))


# --- a workspace of a few thousand rows ----------------------------------------------------


def fill(db: Database, admin: agents.AgentRef) -> None:
    """Lists, clients, tasks (open and done, subtasks, due dates), comments and activity,
    inserted with executemany, then analysed."""
    rnd = random.Random(20261118)
    workspace.create_space(admin, "Work")
    lists = [workspace.create_list(admin, "Work", f"List{n}") for n in range(LISTS)]
    statuses = {row[0]: row[1:] for row in db.execute_sql(
        "SELECT id, task_list_id, category FROM status").fetchall()}
    by_list: dict[int, list[tuple[int, str]]] = {}
    for status_id, (list_id, category) in statuses.items():
        by_list.setdefault(list_id, []).append((status_id, category))
    stamp = "2026-01-01 00:00:00"
    cursor = db.cursor()
    with db.atomic():
        cursor.executemany(
            "INSERT INTO client (kind, name, lifecycle_stage, lead_score, confidential, notes, "
            "contact_person, email, phone, created_at, updated_at, version) "
            "VALUES (?, ?, ?, ?, 0, '', '', '', '', ?, ?, 1)",
            [(rnd.choice(["client", "customer"]), f"Client {n:04d}",
              rnd.choice(["lead", "prospect", "onboarding", "active", "at_risk", "churned"]),
              rnd.randint(0, 100), stamp, stamp) for n in range(CLIENTS)])
        rows = []
        for n in range(1, TASKS + 1):
            task_list = rnd.choice(lists)
            status_id, category = rnd.choice(by_list[task_list.id])
            done = category in ("done", "closed")
            due = None if rnd.random() < 0.4 else (
                datetime(2026, 11, 1) + timedelta(hours=rnd.randint(-2000, 2000)))
            rows.append((
                task_list.id, status_id, category,
                rnd.randint(1, n - 1) if n > 100 and rnd.random() < 0.2 else None,
                rnd.choice(["task", "task", "order", "query"]), f"Task {n}", "",
                rnd.randint(1, 5), rnd.randint(1, CLIENTS) if rnd.random() < 0.6 else None,
                due, n, stamp, stamp, stamp if done else None))
        cursor.executemany(
            "INSERT INTO task (task_list_id, status_id, category, parent_id, kind, title, "
            "description, priority, client_id, due_at, position, created_at, updated_at, "
            "closed_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", rows)
        cursor.executemany(
            "INSERT INTO comment (task_id, kind, author_name, body, created_at) "
            "VALUES (?, 'note', '', ?, ?)",
            [(rnd.randint(1, TASKS), f"comment {n}", stamp) for n in range(TASKS)])
        cursor.executemany(
            "INSERT INTO activity (at, actor, entity, entity_id, field, old, new, version) "
            "VALUES (?, 'bulk', ?, ?, 'title', NULL, 'x', 1)",
            [(stamp, rnd.choice(["task", "task", "client"]), rnd.randint(1, TASKS))
             for _ in range(2 * TASKS)])
    with db.atomic():  # a team for about three tasks in four, as the demo has them
        cursor.executemany("INSERT INTO team (name) VALUES (?)", [(name,) for name in TEAMS])
        teams = random.Random(20261206)
        cursor.executemany("UPDATE task SET team_id = ? WHERE id = ?",
                           [(teams.choice([None, 1, 2, 3, 4]), n) for n in range(1, TASKS + 1)])
    db.execute_sql("ANALYZE")


def named_ids(db: Database) -> dict[str, int]:
    """The ids of the filled workspace that the queries below name: its first list, the
    task with the most subtasks (also the task of the per-task queries) and the client
    with the most tasks."""
    (first_list,) = db.execute_sql("SELECT id FROM task_list WHERE name = 'List0'").fetchone()
    parent = db.execute_sql("SELECT parent_id FROM task WHERE parent_id IS NOT NULL "
                            "GROUP BY parent_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    client = db.execute_sql("SELECT client_id FROM task WHERE client_id IS NOT NULL "
                            "GROUP BY client_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    return {"list": first_list, "parent": parent, "client": client, "task": parent}


def filled_copy(template: Path, folder: Path) -> Database:
    """An open private copy, in `folder`, of the run's analysed workspace `template`."""
    path = folder / "plans.db"
    shutil.copyfile(template, path)
    return desk_db.connect(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def plans_template(tmp_path_factory, sqlite_template) -> Path:
    """The analysed workspace, filled once per test run (tests/built_once.py): the plan
    tests of several modules copy it."""
    return filled_once(tmp_path_factory, sqlite_template, "plans.db",
                       lambda database, _path: fill(database, agents.acting("planner")))


@pytest.fixture(scope="module")
def workspace_db(tmp_path_factory, plans_template) -> Iterator[tuple[Database, dict[str, int]]]:
    """One analysed SQLite workspace for the whole module."""
    db = filled_copy(plans_template, tmp_path_factory.mktemp("plans"))
    yield db, named_ids(db)
    db.close()


@pytest.fixture
def ids(workspace_db) -> dict[str, int]:
    """The ids of the filled workspace, with desk's models bound to it for this test."""
    db, found = workspace_db
    database.initialize(db)
    return found


@pytest.fixture
def ctx() -> filters.Context:
    """Queries are asked by the planner agent on a fixed Wednesday."""
    return filters.Context("planner", NOW)


# --- reading plans -------------------------------------------------------------------------


def plan_of(query) -> tuple[list[str], str]:
    """The EXPLAIN QUERY PLAN lines of a peewee query, and its SQL."""
    sql, params = query.sql()
    rows = database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return [row[3] for row in rows], sql


def problems_in(plan: list[str], sql: str) -> list[str]:
    """Full scans of a big table and sorts of the result that a plan admits to."""
    aliases = {alias: table for table, alias in re.findall(r'"(\w+)" AS "(\w+)"', sql)}
    found = []
    for step in plan:
        scanned = re.fullmatch(r"SCAN (\w+)", step.strip())
        if scanned and aliases.get(scanned[1], scanned[1]) in BIG_TABLES:
            found.append(f"full scan: {step}")
        if "USE TEMP B-TREE FOR" in step and "ORDER BY" in step:
            found.append(f"sort: {step}")
    return found


def assert_indexed(query, label: str) -> None:
    """Fail with the plan and the SQL if the query is not served by an index."""
    plan, sql = plan_of(query)
    problems = problems_in(plan, sql)
    assert not problems, (f"{label} is not served by an index: {'; '.join(problems)}\n"
                          "plan:\n  " + "\n  ".join(plan) + f"\nsql: {sql}")


# --- the checker itself --------------------------------------------------------------------


def test_the_checker_sees_a_full_scan_and_a_sort(ids):
    from desk.models import Task

    unindexed = Task.select(Task.id).where(Task.title == "x").order_by(Task.updated_at)
    plan, sql = plan_of(unindexed)
    assert len(problems_in(plan, sql)) == 2, plan


# --- task lists ----------------------------------------------------------------------------


TASK_VIEWS = [
    ("", "priority"),  # the default view: everything not done, most urgent first
    ("", "due"),  # nulls last, offset paging
    ("list:{list}", "position"),  # a list, open tasks, in its order
    ("list:{list_name}", "position"),  # the same list named as people type it
    ("list:{list_name} is:done", "position"),
    ("kind:query", "priority"),  # the inbox
    ("status:open", "priority"),
    ("is:overdue", "priority"),
    ("is:overdue", "due"),
    ("client:{client}", "priority"),
    ("parent:{parent}", "position"),
    ("is:done", "priority"),  # what was finished
    ("", "updated"),  # recently changed first
]


@pytest.mark.parametrize("text, sort", TASK_VIEWS)
def test_task_views_are_served_by_an_index(ids, ctx, text, sort):
    query_text = text.format(list_name="List0", **ids)
    query = listing.task_ids_query(query_text, ctx, sort).limit(100)
    assert_indexed(query, f"tasks {query_text!r} sorted by {sort}")


@pytest.mark.parametrize("sort", ["priority", "due", "updated"])
def test_a_common_word_is_served_by_the_index_of_the_order(ids, ctx, sort):
    search.rebuild()  # "task" is in every task's title: more than search.COMMON documents
    query = listing.task_ids_query("task", ctx, sort).limit(100)
    assert_indexed(query, f"tasks matching a common word sorted by {sort}")


@pytest.mark.parametrize("text, sort", [("", "priority"), ("list:{list}", "position")])
def test_the_second_keyset_page_is_served_by_an_index(ids, ctx, text, sort):
    query_text = text.format(**ids)
    first = listing.task_page(query_text, ctx, sort=sort, limit=100)
    assert first.next_key is not None
    order = listing.TASK_SORTS[sort]
    query = (listing.task_ids_query(query_text, ctx, sort)
             .where(order.after(first.next_key)).limit(100))
    assert_indexed(query, f"page 2 of tasks {query_text!r} sorted by {sort}")


# --- client lists --------------------------------------------------------------------------


@pytest.mark.parametrize("text, sort", [("", "name"), ("kind:client", "name"),
                                        ("stage:active", "name"), ("", "score"),
                                        ("", "contact")])
def test_client_views_are_served_by_an_index(ids, ctx, text, sort):
    query = listing.client_ids_query(text, ctx, sort).limit(100)
    assert_indexed(query, f"clients {text!r} sorted by {sort}")


# --- a task's comments and history ---------------------------------------------------------


@pytest.mark.parametrize("newest_first", [False, True])
def test_the_comments_of_a_task_are_served_by_an_index(ids, newest_first):
    order = Comment.id.desc() if newest_first else Comment.id
    query = Comment.select().where(Comment.task == ids["task"]).order_by(order).limit(200)
    assert_indexed(query, "comments of a task")


@pytest.mark.parametrize("newest_first", [False, True])
def test_the_activity_of_a_task_is_served_by_an_index(ids, newest_first):
    order = Activity.id.desc() if newest_first else Activity.id
    query = (Activity.select()
             .where((Activity.entity == "task") & (Activity.entity_id == ids["task"]))
             .order_by(order).limit(200))
    assert_indexed(query, "activity of a task")


# --- assignee, tag, team and word filters in the default order -----------------------------


COMBINED = ["@me", "#billing", "team:Support", "@me #billing", "@me team:Support task",
            "kind:query @me", "#billing task"]


@pytest.fixture
def named(ids):
    """A tag and a team for the filters to name (the tasks need not carry them: a plan is
    the same either way)."""
    from desk.models import Tag, Team

    Tag.get_or_create(name="billing")
    Team.get_or_create(name="Support")
    return ids


@pytest.mark.parametrize("text", COMBINED)
def test_common_assignees_and_tags_keep_the_default_order_without_a_sort(
        named, ctx, monkeypatch, text):
    """Many matching links (more than RARE_LINKS): the list walks the index of its order
    and probes each row's links, never "USE TEMP B-TREE FOR ORDER BY"."""
    search.rebuild()
    monkeypatch.setattr(links, "RARE_LINKS", -1)  # every count is more
    query = listing.task_ids_query(text, ctx, "priority").limit(100)
    assert_indexed(query, f"tasks {text!r} in the default order")
    assert "EXISTS" in query.sql()[0] or ("@" not in text and "#" not in text)


@pytest.mark.parametrize("text", ["@me", "#billing"])
def test_rare_assignees_and_tags_are_gathered_by_their_index(named, ctx, text):
    """Few matching links: the task ids come from the link table's (agent or tag, task)
    index, and only those few rows are sorted."""
    plan, sql = plan_of(listing.task_ids_query(text, ctx, "priority").limit(100))
    assert "EXISTS" not in sql
    assert not [step for step in plan if re.fullmatch(r"SCAN t\d+", step.strip())], plan


@pytest.mark.parametrize("text", ["team:Support", "@me team:Support task",
                                  "#billing team:Support"])
def test_a_team_in_the_default_order_walks_only_the_teams_tasks(named, ctx, monkeypatch, text):
    """`team:` in the default order reads the team's open tasks by priority from their own
    index (migration 0030), never every open task and never a sort."""
    search.rebuild()
    monkeypatch.setattr(links, "RARE_LINKS", -1)  # the assignee and tag filters probe
    query = listing.task_ids_query(text, ctx, "priority").limit(100)
    assert_indexed(query, f"tasks {text!r} in the default order")
    plan, _ = plan_of(query)
    assert any("task_open_by_team_priority" in step for step in plan), plan
