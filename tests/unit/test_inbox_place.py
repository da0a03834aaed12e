"""Where a task stands in the inbox (the place a row acted on went) and what arrived since
the newest row seen: the services the inbox keeps its place with, on SQLite and PostgreSQL,
checked against the inbox's own pages."""

from __future__ import annotations

import pytest
from test_triage import INBOX, SLA_RULES, desk, page_ids  # noqa: F401 (a fixture)

from desk.pages import inbox as inbox_page
from desk.support import triage
from desk.work import tasks


@pytest.mark.parametrize("order", ["urgent", "newest", "score"])
def test_each_row_stands_where_the_inbox_pages_put_it(desk, context, order):  # noqa: F811
    listed = page_ids(context, order=order)
    assert len(listed) == len(INBOX)
    for place, task_id in enumerate(listed):
        assert triage.inbox_position(context, task_id, order=order) == place
    assert triage.inbox_position(context, desk["resolved query"], order=order) is None
    # under a filter, among the rows it shows
    queries = page_ids(context, "kind:query", order=order)
    assert [triage.inbox_position(context, task_id, "kind:query", order=order)
            for task_id in queries] == list(range(len(queries)))
    assert triage.inbox_position(context, desk["overdue task"], "kind:query",
                                 order=order) is None


def test_a_row_read_again_with_its_new_place(desk, context, admin):  # noqa: F811
    task_id = desk["old query"]
    assert page_ids(context)[-3] == task_id
    tasks.update(admin, task_id, tasks.get(task_id).row.version, sla_rules=SLA_RULES,
                 priority="urgent")
    found = inbox_page.standing(context, task_id, sla_rules=SLA_RULES, order="urgent")
    assert found.row.priority == "urgent" and found.row.clocks is not None
    assert found.place == page_ids(context).index(task_id) == 0
    gone = inbox_page.standing(context, desk["resolved query"], sla_rules=SLA_RULES,
                               order="urgent")
    assert gone.place is None


def test_arrivals_count_the_new_rows_since_the_newest_seen(desk, context, admin):  # noqa: F811
    first = triage.arrivals(context, None)
    assert first == triage.Arrivals(0, max(desk[name] for name in INBOX))
    assert triage.arrivals(context, first.newest) == first
    made = [tasks.create(admin, title, desk["support"], kind="query",
                         sla_rules=SLA_RULES).row.id for title in ("first", "second")]
    tasks.create(admin, "taken", desk["internal"], assignees=["bob"])  # not in the inbox
    assert triage.arrivals(context, first.newest) == triage.Arrivals(2, made[-1])
    assert triage.arrivals(context, first.newest, "first") == triage.Arrivals(1, made[0])
    assert triage.arrivals(context, made[-1]) == triage.Arrivals(0, made[-1])
