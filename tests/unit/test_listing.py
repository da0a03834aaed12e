"""The query language against real rows: each field, negation, dates, text, paging."""

from __future__ import annotations

from datetime import datetime

import pytest

from desk import sla
from desk.config import Settings
from desk.errors import QueryError
from desk.kernel import agents
from desk.models import Client
from desk.work import listing, tasks, workspace

# The fixed context is Wednesday 2026-11-18 10:30 in Berlin (09:30 UTC).
SLA_RULES = sla.book(Settings())  # the shipped SLA rules
YESTERDAY = datetime(2026, 11, 17, 9, 0)
FRIDAY = datetime(2026, 11, 20, 15, 0)
NEXT_MONTH = datetime(2026, 12, 15, 9, 0)


@pytest.fixture
def board(admin):
    """A small workspace whose tasks each match a different part of the language."""
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Support inbox")
    orders = workspace.create_list(admin, "Support", "Orders")
    bob = agents.add(admin, "bob")
    acme = Client.create(name="Acme Ltd", kind="client").id
    made = {
        "printer": tasks.create(admin, "Printer jam on floor 3", inbox.id, kind="query",
                                priority="urgent", assignees=[admin.username], tags=["billing"],
                                client_id=acme, due_at=YESTERDAY, sla_rules=SLA_RULES),
        "spam": tasks.create(admin, "Cheap pills", inbox.id, kind="query", priority="low",
                             tags=["spam", "billing"], sla_rules=SLA_RULES),
        "order": tasks.create(admin, "Ten laptops", orders.id, kind="order", priority="high",
                              assignees=["bob"], due_at=FRIDAY, client_id=acme),
        "later": tasks.create(admin, "Renew contract", orders.id, due_at=NEXT_MONTH),
        "done": tasks.create(admin, "Old printer ticket", inbox.id, kind="query",
                             status="Done", sla_rules=SLA_RULES),
    }
    assert bob.username == "bob"
    return {name: detail.row.id for name, detail in made.items()}


def ids(query: str, context, **options) -> set[int]:
    """The ids of the first page of a query."""
    return {row.id for row in listing.task_page(query, context, **options).rows}


@pytest.mark.parametrize("query, expected", [
    ("", {"printer", "spam", "order", "later"}),
    ("status:done", {"done"}),
    ("status:open", {"printer", "spam", "order", "later"}),
    ('status:"to do"', {"printer", "spam", "order", "later"}),
    ("is:done", {"done"}),
    ("priority:urgent,high", {"printer", "order"}),
    ("priority>=high", {"printer", "order"}),
    ("priority<normal", {"spam"}),
    ("@me", {"printer"}),
    ("@bob", {"order"}),
    ("@none", {"spam", "later"}),
    ("#billing", {"printer", "spam"}),
    ("#billing -#spam", {"printer"}),
    ("client:acme", {"printer", "order"}),
    ("client:none", {"spam", "later"}),
    ("kind:query", {"printer", "spam"}),
    ("list:orders", {"order", "later"}),
    ("due<today", {"printer"}),
    ("due:week", {"printer", "order"}),
    ("due:fri", {"order"}),
    ("due:none", {"spam"}),
    ("due:overdue", {"printer"}),
    ("is:overdue", {"printer"}),
    ("due>+7d", {"later"}),
    # the dates typed naturally are the query language's too (one reader, desk.dates)
    ('due<"fri 17:00"', {"printer", "order"}),
    ('due>"fri 17:00"', {"later"}),
    ('due:"in 2 days"', {"order"}),
    ('due:"dec 15"', {"later"}),
    ('due:"next week"', set()),
    ('"printer jam"', {"printer"}),
    ("printer", {"printer"}),
    ("printer is:done", {"done"}),
    ("-printer", {"spam", "order", "later"}),
    ('status:open priority:urgent,high @me #billing client:acme kind:query due<today '
     '-#spam "printer jam"', {"printer"}),
])
def test_each_field_selects_exactly_its_rows(board, context, query, expected):
    assert ids(query, context) == {board[name] for name in expected}


@pytest.mark.parametrize("query, position, message", [
    ("priority:asap", 9, "priority must be one of"),
    ("due<frday", 4, "cannot read 'frday'"),
    ("kind:ticket", 5, "kind must be one of"),
    ("list:nowhere", 5, "no list named 'nowhere'"),
    ("#billing colour:red", 9, "unknown field 'colour'"),
    ('"unterminated', 0, "quote"),
])
def test_malformed_queries_point_at_the_offending_position(board, context, query, position,
                                                           message):
    with pytest.raises(QueryError, match=message) as raised:
        listing.task_page(query, context)
    assert raised.value.position == position


def test_keyset_pages_cover_every_row_once(admin, context):
    workspace.create_space(admin, "Bulk")
    bulk = workspace.create_list(admin, "Bulk", "Everything")
    made = [tasks.create(admin, f"Task {n}", bulk.id, priority=("urgent", "low", "normal")[n % 3])
            .row.id for n in range(23)]
    seen, after = [], None
    while True:
        page = listing.task_page("", context, after=after, limit=5)
        seen += [row.id for row in page.rows]
        if page.next_key is None:
            break
        after = page.next_key
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    priorities = [tasks.get(i).row.priority for i in seen]
    order = {"urgent": 1, "high": 2, "normal": 3, "low": 4, "none": 5}
    assert [order[p] for p in priorities] == sorted(order[p] for p in priorities)
    assert listing.task_count("", context) == 23


def test_newest_sort_pages_downwards(board, context):
    first = listing.task_page("", context, sort="newest", limit=2)
    second = listing.task_page("", context, sort="newest", limit=2, after=first.next_key)
    numbers = [row.id for row in first.rows + second.rows]
    assert numbers == sorted(numbers, reverse=True) and len(set(numbers)) == 4


@pytest.mark.parametrize("query, expected", [
    ("#BILLING", {"printer", "spam"}),
    ("is:closed", set()),
    ("#none", {"order", "later"}),
])
def test_tags_ignore_case_and_closed_is_its_own_category(board, context, query, expected):
    assert ids(query, context) == {board[name] for name in expected}


def test_a_quoted_phrase_matches_only_the_phrase(admin, context):
    workspace.create_space(admin, "Words")
    words = workspace.create_list(admin, "Words", "Phrases")
    together = tasks.create(admin, "Printer jam again", words.id).row.id
    tasks.create(admin, "The jam near the printer", words.id)
    assert ids('"printer jam"', context) == {together}
    assert len(ids("printer jam", context)) == 2


@pytest.mark.parametrize("query, message", [
    ("id:nan", "id needs a number"),
    ("id:99999999999999999999", "id needs a whole number"),
    ("parent:1.5", "parent needs a whole number"),
    ("client:99999999999999999999", "client needs a whole number"),
    ("space:nowhere", "no space named 'nowhere'"),
    ("team:nobody", "no team named 'nobody'"),
])
def test_odd_values_are_clear_errors(board, context, query, message):
    with pytest.raises(QueryError, match=message):
        listing.task_page(query, context)


def test_client_queries(admin, context):
    from datetime import date

    from desk.crm import clients

    clients.create(admin, "Mine", kind="client", account_manager=admin.username,
                   acquisition_date=date(2026, 11, 4), tags=["VIP"])
    clients.create(admin, "Theirs", acquisition_date=date(2026, 11, 3))

    def names(query: str) -> set[str]:
        return {row.name for row in listing.client_page(query, context).rows}

    assert names("@me") == {"Mine"}
    assert names("acquired:2026-11-04") == {"Mine"}
    assert names("acquired<2026-11-04") == {"Theirs"}
    assert names("#vip") == {"Mine"}
    assert names("#none") == {"Theirs"}
    with pytest.raises(QueryError, match="cannot read 'overdue'"):
        listing.client_page("contact:overdue", context)
