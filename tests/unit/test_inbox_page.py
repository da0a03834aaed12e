"""Pages of the inbox as the TUI shows them: ranked by the stored urgency score whatever the
inbox holds, keys that keep the order they began with, and the SLA clocks of each query
row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desk import sla
from desk.config import Settings, UrgencySettings
from desk.errors import InvalidInput
from desk.models import QueryData, Task
from desk.pages import inbox as inbox_page
from desk.support import urgency
from desk.work import filters, tasks, workspace

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
SLA_RULES = sla.book(Settings())  # the shipped SLA rules


@pytest.fixture
def rows(admin) -> dict[str, int]:
    """Five rows of the inbox (as in tests/unit/test_urgency.py, without clients). By urgency
    score: the overdue task (sla 80 + age 10), answered (its first response 30 minutes
    overdue, urgent, waiting on us), vip, waiting, new; by priority: answered (urgent), vip
    (high), waiting (normal), new (low), the overdue task (none)."""
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Support inbox").id

    def make(title: str, priority: str, created_at: datetime, *, kind: str = "query",
             first_due: datetime | None = None, resolution_due: datetime | None = None,
             waiting_on: str = "us", **fields) -> int:
        task_id = tasks.create(admin, title, inbox, kind=kind, priority=priority,
                               sla_rules=SLA_RULES, **fields).row.id
        Task.update(created_at=created_at).where(Task.id == task_id).execute()
        (QueryData.update(first_response_due=first_due, resolution_due=resolution_due,
                          waiting_on=waiting_on).where(QueryData.task == task_id).execute())
        return task_id

    return {
        "vip": make("VIP printer", "high", datetime(2026, 11, 16, 9),
                    first_due=datetime(2026, 11, 18, 15), resolution_due=datetime(2026, 11, 20, 9)),
        "overdue task": make("Renew domain", "none", datetime(2026, 10, 1, 9), kind="task",
                             due_at=datetime(2026, 11, 16, 21)),
        "waiting": make("Refund", "normal", datetime(2026, 11, 17, 9), waiting_on="them",
                        first_due=datetime(2026, 11, 18, 3),
                        resolution_due=datetime(2026, 11, 25, 9)),
        "answered": make("Password reset", "urgent", datetime(2026, 11, 18, 8),
                         first_due=datetime(2026, 11, 18, 8, 30),
                         resolution_due=datetime(2026, 11, 18, 21)),
        "new": make("Question", "low", datetime(2026, 11, 18, 9)),
    }


@pytest.fixture
def context(admin) -> filters.Context:
    """The inbox as of NOW."""
    return filters.Context(admin.username, NOW)


def names_of(page: inbox_page.InboxPage, rows: dict[str, int]) -> list[str]:
    """The fixture names of a page's rows."""
    names = {task_id: name for name, task_id in rows.items()}
    return [names[row.id] for row in page.rows]


def test_the_inbox_is_ranked_by_score_page_by_page(rows, context):
    seen, after = [], None
    for expected in (["overdue task", "answered"], ["vip", "waiting"], ["new"]):
        page = inbox_page.page(context, sla_rules=SLA_RULES, after=after, limit=2)
        assert (names_of(page, rows), page.ranked) == (expected, "score")
        seen += expected
        after = page.next_key
    assert after is None
    assert seen == ["overdue task", "answered", "vip", "waiting", "new"]


def test_each_query_row_carries_its_sla_clocks(rows, context):
    found = {row.id: row for row in inbox_page.page(context, sla_rules=SLA_RULES).rows}
    vip, answered = found[rows["vip"]].clocks, found[rows["answered"]].clocks
    assert (vip[0].status, vip[0].due, vip[1].due) == (
        "running", datetime(2026, 11, 18, 15), datetime(2026, 11, 20, 9))
    assert (answered[0].status, answered[1].status) == ("breached", "running")
    assert found[rows["new"]].clocks[0].status == "none"  # no due times: no target
    assert found[rows["overdue task"]].clocks is None  # not a query
    assert found[rows["vip"]].title == "VIP printer"  # and everything a task row has


def test_an_inbox_of_thousands_is_ranked_by_score_with_no_fallback(admin, context):
    # 3,200 tasks nobody holds (all in the inbox) with priorities, due times and ages that
    # spread their scores; the pages, read by key, are in the order of the score computed
    # afresh for every row
    workspace.create_space(admin, "Work")
    inbox = workspace.create_list(admin, "Work", "Work").id
    first = tasks.create(admin, "seed", inbox, sla_rules=SLA_RULES).row
    status_id = Task.select(Task.status).where(Task.id == first.id).scalar()
    base = datetime(2026, 11, 18, 9)
    Task.insert_many([
        {"task_list": inbox, "status": status_id, "category": "open", "title": f"Task {n}",
         "priority": 1 + n % 5, "created_at": base - timedelta(hours=n % 400),
         "updated_at": base,
         "due_at": None if n % 3 else base + timedelta(minutes=37 * n % 5000 - 2500)}
        for n in range(3_200)]).execute()
    expected = [task_id for (task_id,) in urgency.joined(Task.select(Task.id))
                .where(Task.closed_at.is_null())
                .order_by(urgency.expression(UrgencySettings(), NOW).desc(), Task.id).tuples()]
    seen, after = [], None
    while True:
        page = inbox_page.page(context, sla_rules=SLA_RULES, after=after, limit=500)
        assert page.ranked == "score"
        seen += [row.id for row in page.rows]
        if (after := page.next_key) is None:
            break
    assert len(seen) == 3_201 and seen == expected


def test_other_orders_and_wrong_keys(rows, context):
    newest = inbox_page.page(context, sla_rules=SLA_RULES, order="newest", limit=2)
    assert (names_of(newest, rows), newest.ranked) == (["new", "answered"], "newest")
    with pytest.raises(InvalidInput, match="this key is for the 'score' order, not 'newest'"):
        inbox_page.page(context, sla_rules=SLA_RULES, order="newest",
                        after=("score", -90.0, 1))
    with pytest.raises(InvalidInput, match="the inbox order must be one of urgent, newest, "
                                           "score, not 'oldest'"):
        inbox_page.page(context, sla_rules=SLA_RULES, order="oldest")
