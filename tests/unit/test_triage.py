"""The triage service: what the inbox holds and in which order, and changes to many tasks at
once (by ids or "every row except"), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import test_query_plans
from msgspec.structs import replace
from test_query_plans import filled_copy, plan_of, problems_in

from desk import sla
from desk.config import Settings
from desk.errors import InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents, audit
from desk.models import Client, QueryData, Team, database
from desk.support import triage
from desk.work import comments, filters, listing, tasks, workspace

# The fixed context is Wednesday 2026-11-18 10:30 in Berlin (09:30 UTC).
YESTERDAY = datetime(2026, 11, 17, 9, 0)
NEXT_MONTH = datetime(2026, 12, 15, 9, 0)
SLA_RULES = sla.book(Settings())  # the shipped SLA rules
SUPPORT_STATUSES = (("New", "open"), ("Open", "active"), ("Resolved", "done"))


@pytest.fixture
def desk(admin):
    """Two lists: queries in every state, and internal tasks that do or do not need anyone."""
    workspace.create_space(admin, "Support")
    support = workspace.create_list(admin, "Support", "Support inbox", SUPPORT_STATUSES)
    internal = workspace.create_list(admin, "Support", "Internal")
    agents.add(admin, "bob", teams=("Fulfilment",))
    team = Team.get(Team.name == "Fulfilment").id

    def make(name: str, list_id: int, **fields):
        return name, tasks.create(admin, name, list_id, sla_rules=SLA_RULES, **fields).row.id

    made = dict([
        make("old query", support.id, kind="query"),
        make("urgent query", support.id, kind="query", priority="urgent"),
        make("taken query", support.id, kind="query", status="Open", priority="high",
             assignees=[admin.username]),
        make("overdue task", internal.id, status="In progress", assignees=["bob"],
             due_at=YESTERDAY),
        make("nobody's task", internal.id, priority="low"),
        make("team task", internal.id, team_id=team),
        make("taken task", internal.id, assignees=["bob"]),
        make("later task", internal.id, assignees=["bob"], due_at=NEXT_MONTH),
        make("resolved query", support.id, kind="query", status="Resolved"),
        make("done overdue", internal.id, status="Done", due_at=YESTERDAY),
    ])
    made["support"], made["internal"], made["team"] = support.id, internal.id, team
    return made


INBOX = ["old query", "urgent query", "taken query", "overdue task", "nobody's task"]


def page_ids(context, text="", **options) -> list[int]:
    """The ids of the first inbox page, in order."""
    return [row.id for row in triage.inbox_page(context, text, **options).rows]


def every_row(context, text="") -> triage.Listed:
    """All of the inbox (narrowed by `text`), for a "mark all" target."""
    return triage.Listed(context, text, inbox=True)


# --- the inbox ---------------------------------------------------------------------------------


def test_the_inbox_holds_queries_overdue_and_nobodys_new_work(desk, context):
    assert set(page_ids(context)) == {desk[name] for name in INBOX}
    assert triage.inbox_count(context) == len(INBOX)


def test_urgent_order_is_priority_then_oldest_and_newest_is_by_id(desk, context):
    urgent = ["urgent query", "taken query", "old query", "overdue task", "nobody's task"]
    assert page_ids(context) == [desk[name] for name in urgent]
    assert page_ids(context, order="newest") == sorted((desk[n] for n in INBOX), reverse=True)


@pytest.mark.parametrize("order", ["urgent", "newest"])
def test_keyset_pages_continue_where_the_last_one_ended(desk, context, order):
    seen, after = [], None
    while True:
        page = triage.inbox_page(context, order=order, after=after, limit=2)
        seen += [row.id for row in page.rows]
        if page.next_key is None:
            break
        after = page.next_key
    assert seen == page_ids(context, order=order)


@pytest.mark.parametrize("order", ["urgent", "newest", "score"])
def test_a_page_read_back_from_the_end_holds_the_rows_an_offset_gives(desk, context, order):
    every = page_ids(context, order=order)
    for from_end, limit in ((0, 2), (1, 2), (len(every) - 2, 2), (0, 100)):
        page = triage.inbox_page(context, order=order, from_end=from_end, limit=limit)
        end = len(every) - from_end
        assert [row.id for row in page.rows] == every[max(end - limit, 0):end]


def test_a_query_narrows_the_inbox_and_a_bad_order_is_refused(desk, context):
    assert set(page_ids(context, "kind:query")) == {desk[n] for n in INBOX[:3]}
    assert triage.inbox_count(context, "@bob") == 1
    with pytest.raises(InvalidInput, match="urgent, newest"):
        triage.inbox_page(context, order="oldest")


def test_snoozed_rows_are_hidden_until_their_time_comes(desk, admin, context):
    until = triage.snooze_time("tomorrow 9:00", context.now)
    summary = triage.apply(admin, triage.Target(frozenset({desk["old query"]})),
                           now=context.now, snooze=until)
    assert summary.changed == (desk["old query"],)
    assert desk["old query"] not in page_ids(context)
    assert triage.inbox_count(context) == len(INBOX) - 1
    next_day = replace(context, now=context.now + timedelta(days=1))
    assert desk["old query"] in page_ids(next_day)
    assert tasks.get(desk["old query"]).snoozed_until == datetime(2026, 11, 19, 8, 0)


def test_is_snoozed_finds_the_snoozed_rows_of_the_inbox(desk, admin, context):
    assert page_ids(context, "is:snoozed") == []
    until = triage.snooze_time("tomorrow 9:00", context.now)
    triage.apply(admin, triage.Target(frozenset({desk["old query"]})), now=context.now,
                 snooze=until)
    assert page_ids(context, "is:snoozed") == [desk["old query"]]
    assert triage.inbox_count(context, "is:snoozed") == 1
    assert desk["old query"] not in page_ids(context, "-is:snoozed")
    next_day = replace(context, now=context.now + timedelta(days=1))
    assert page_ids(next_day, "is:snoozed") == []


def test_a_snooze_in_the_past_is_refused_and_changes_nothing(desk, admin, context):
    with pytest.raises(InvalidInput, match="already passed"):
        triage.snooze_time("yesterday", context.now)
    with pytest.raises(InvalidInput, match="snooze time"):
        triage.snooze_time("someday", context.now)
    target = triage.Target(frozenset({desk["old query"]}))
    with pytest.raises(InvalidInput, match="already passed"):
        triage.apply(admin, target, now=context.now, snooze=context.now - timedelta(hours=1))
    assert tasks.get(desk["old query"]).row.version == 1


def test_snooze_times_read_days_clock_times_and_moments(context):
    now = context.now  # Wednesday 10:30 in Berlin
    assert triage.snooze_time("tomorrow", now) == now.replace(day=19, hour=9, minute=0)
    assert triage.snooze_time("fri 14:30", now) == now.replace(day=20, hour=14, minute=30)
    assert triage.snooze_time("+4h", now) == now + timedelta(hours=4)
    assert triage.snooze_time("off", now) is None


@pytest.mark.parametrize(("text", "day", "hour", "minute"), [
    ("mon 9:00", 23, 9, 0),  # the form the snooze prompt took before the due prompt did
    ("in 3 days", 21, 9, 0),
    ("next week", 23, 9, 0),  # next week's Monday
    ("eod", 18, 23, 59),
    ("in 2 hours", 18, 12, 30),
    ("tomorrow 3pm", 19, 15, 0),
])
def test_snoozes_read_the_dates_that_due_dates_read(context, text, day, hour, minute):
    until = triage.snooze_time(text, context.now)  # Wednesday 18 Nov 10:30 in Berlin
    assert (until.day, until.hour, until.minute) == (day, hour, minute)
    assert until.tzinfo == context.now.tzinfo


# --- changing many tasks -----------------------------------------------------------------------


def test_assigning_two_tasks_by_id_writes_each_with_its_history(desk, admin, context):
    target = triage.Target(frozenset({desk["old query"], desk["nobody's task"]}))
    summary = triage.apply(admin, target, assignee="bob")
    assert set(summary.changed) == set(target.ids) and not summary.failed
    for task_id in target.ids:
        row = tasks.get(task_id).row
        assert row.assignees == ("bob",) and row.version == 2
        assert audit.history("task", task_id)[0]["field"] == "assignees"
        assert audit.history("task", task_id)[0]["new"] == "bob"
    again = triage.apply(admin, target, assignee="bob")
    assert set(again.unchanged) == set(target.ids) and not again.changed


def test_every_row_except_some_changes_exactly_the_rest_of_the_inbox(desk, admin, context):
    kept = desk["urgent query"]
    target = triage.Target(frozenset({kept}), every_row(context))
    summary = triage.apply(admin, target, sla_rules=SLA_RULES, priority="high")
    rest = {desk[name] for name in INBOX} - {kept}
    assert set(summary.changed) | set(summary.unchanged) == rest
    assert summary.unchanged == (desk["taken query"],)  # it was high already
    assert tasks.get(kept).row.priority == "urgent"
    assert tasks.get(desk["taken task"]).row.priority == "normal"  # not in the inbox
    assert all(tasks.get(task_id).row.priority == "high" for task_id in rest)


def test_every_row_of_a_task_query_follows_the_query(desk, admin, context):
    listed = triage.Listed(context, "list:Internal @bob")
    summary = triage.apply(admin, triage.Target(every=listed), tags="ops")
    assert set(summary.changed) == {desk["overdue task"], desk["taken task"], desk["later task"]}


def test_a_status_missing_from_a_list_fails_for_those_rows_only(desk, admin, context):
    target = triage.Target(frozenset({desk["old query"], desk["nobody's task"]}))
    summary = triage.apply(admin, target, sla_rules=SLA_RULES, status="resolved",
                           priority="urgent")
    assert summary.changed == (desk["old query"],)
    [(failed_id, reason)] = summary.failed
    assert failed_id == desk["nobody's task"]
    assert "To do, In progress, Done, Closed" in reason
    untouched = tasks.get(desk["nobody's task"]).row
    assert (untouched.status, untouched.priority, untouched.version) == ("To do", "low", 1)
    assert tasks.get(desk["old query"]).row.status == "Resolved"
    assert desk["old query"] not in page_ids(context)  # resolved leaves the inbox


def test_tags_are_added_and_removed_keeping_the_others(desk, admin):
    task_id = desk["old query"]
    triage.apply(admin, triage.Target(frozenset({task_id})), tags="billing vip")
    triage.apply(admin, triage.Target(frozenset({task_id})), tags="+urgent-ish -VIP")
    assert tasks.get(task_id).row.tags == ("billing", "urgent-ish")
    with pytest.raises(InvalidInput, match="name a tag"):
        triage.apply(admin, triage.Target(frozenset({task_id})), tags="  ")


def test_team_and_client_are_linked_and_unknown_ones_refused_up_front(desk, admin):
    target = triage.Target(frozenset({desk["nobody's task"], desk["old query"]}))
    acme = Client.create(name="Acme Ltd", kind="client").id
    triage.apply(admin, target, sla_rules=SLA_RULES, team_id=desk["team"], client_id=acme)
    for task_id in target.ids:
        detail = tasks.get(task_id)
        assert (detail.team, detail.row.client) == ("Fulfilment", "Acme Ltd")
    with pytest.raises(NotFound, match="no client 999"):
        triage.apply(admin, target, sla_rules=SLA_RULES, client_id=999)
    with pytest.raises(NotFound, match="no agent named 'nobody'"):
        triage.apply(admin, target, assignee="nobody")
    assert all(tasks.get(task_id).row.version == 2 for task_id in target.ids)


def test_a_reply_answers_the_query_and_a_note_stays_internal(desk, admin):
    acme = Client.create(name="Acme Ltd", kind="client").id
    query = desk["old query"]
    tasks.update(admin, query, 1, sla_rules=SLA_RULES, client_id=acme)
    target = triage.Target(frozenset({query}))
    triage.apply(admin, target, note="check the contract first")
    assert Client.get_by_id(acme).last_contact_at is None
    triage.apply(admin, target, reply="We are on it.")
    kinds = [(c.kind, c.body) for c in comments.for_task(query)]
    assert kinds == [("note", "check the contract first"), ("reply", "We are on it.")]
    data = QueryData.get(QueryData.task == query)
    assert data.first_response_at is not None and data.waiting_on == "them"
    assert Client.get_by_id(acme).last_contact_at is not None


def test_a_viewer_cannot_apply_anything(desk, admin):
    viewer = agents.add(admin, "vic", role="viewer")
    with pytest.raises(PermissionDenied, match="viewer"):
        triage.apply(viewer, triage.Target(frozenset({desk["old query"]})),
                     sla_rules=SLA_RULES, priority="low")
    assert tasks.get(desk["old query"]).row.priority == "normal"


def test_a_task_deleted_meanwhile_is_reported_as_failed(desk, admin):
    summary = triage.apply(admin, triage.Target(frozenset({desk["old query"], 9999})),
                           sla_rules=SLA_RULES, priority="high")
    assert summary.changed == (desk["old query"],)
    assert summary.failed == ((9999, "no task 9999"),)


def test_unknown_changes_and_empty_changes_are_refused(desk, admin):
    target = triage.Target(frozenset({desk["old query"]}))
    with pytest.raises(InvalidInput, match="cannot change title"):
        triage.apply(admin, target, title="x")
    with pytest.raises(InvalidInput, match="nothing to change"):
        triage.apply(admin, target)
    with pytest.raises(InvalidInput, match="priority must be one of"):
        triage.apply(admin, target, sla_rules=SLA_RULES, priority="asap")


# --- what the pickers offer ---------------------------------------------------------------------


def test_statuses_offered_are_those_of_the_rows_lists(desk, context):
    one = triage.Target(frozenset({desk["old query"]}))
    assert triage.statuses_for(one) == ["New", "Open", "Resolved"]
    both = triage.Target(frozenset({desk["old query"], desk["overdue task"]}))
    assert triage.statuses_for(both) == ["New", "Open", "Resolved", "To do", "In progress",
                                         "Done", "Closed"]
    assert triage.statuses_for(triage.Target(every=every_row(context))) == \
        triage.statuses_for(both)


def test_assignables_leave_out_viewers(desk, admin):
    agents.add(admin, "vic", role="viewer")
    found = triage.assignables()
    assert [username for username, _ in found.agents] == sorted([admin.username, "bob"])
    assert [name for _, name in found.teams] == ["Fulfilment"]


def test_client_choices_find_by_name_or_id(desk):
    acme = Client.create(name="Acme Ltd", kind="client").id
    Client.create(name="Beta", kind="client")
    assert triage.client_choices("acm") == [(acme, "Acme Ltd")]
    assert triage.client_choices(str(acme))[0] == (acme, "Acme Ltd")
    assert [name for _, name in triage.client_choices("")] == ["Acme Ltd", "Beta"]


def test_a_glance_shows_the_newest_comment_or_the_description(desk, admin):
    task_id = desk["nobody's task"]
    tasks.update(admin, task_id, 1, description="Printer\n\x1b[2J on floor 3")
    first = triage.glance(task_id)
    assert (first.latest_kind, first.excerpt) == ("description", "Printer\n\x1b[2J on floor 3")
    comments.note(admin, task_id, "ordered toner")
    latest = triage.glance(task_id)
    assert (latest.latest_kind, latest.latest_author, latest.excerpt) == \
        ("note", admin.username, "ordered toner")
    with pytest.raises(NotFound):
        triage.glance(9999)


# --- query plans (SQLite) -----------------------------------------------------------------------


plans_template = test_query_plans.plans_template
"""test_query_plans' analysed workspace, filled once per test run (a fixture)."""


@pytest.fixture(scope="module")
def planned(tmp_path_factory, plans_template):
    """An analysed SQLite workspace of a few thousand tasks (see test_query_plans)."""
    connected = filled_copy(plans_template, tmp_path_factory.mktemp("triage-plans"))
    yield connected
    connected.close()


@pytest.mark.parametrize("second_page", [False, True])
def test_the_urgent_inbox_walks_the_open_by_priority_index(planned, second_page):
    database.initialize(planned)
    context = filters.Context("planner", datetime.now().astimezone())
    query = triage.inbox_ids_query(context).limit(100)
    if second_page:
        first = triage.inbox_page(context, limit=100)
        assert first.next_key is not None
        query = query.where(listing.TASK_SORTS["priority"].after(first.next_key))
    plan, sql = plan_of(query)
    assert not problems_in(plan, sql), plan
    assert any("task_open_by_priority" in step for step in plan), plan


def test_the_newest_inbox_pages_without_sorting(planned):
    database.initialize(planned)
    context = filters.Context("planner", datetime.now().astimezone())
    plan, _ = plan_of(triage.inbox_ids_query(context, order="newest").limit(100))
    # It walks the primary key backwards and stops after a page: no sort of the result.
    assert not any("TEMP B-TREE" in step for step in plan), plan


@pytest.mark.parametrize("second_page", [False, True])
def test_the_score_inbox_walks_the_stored_score_index(planned, second_page):
    database.initialize(planned)
    context = filters.Context("planner", datetime.now().astimezone())
    query = triage.inbox_ids_query(context, order="score").limit(100)
    if second_page:
        first = triage.inbox_page(context, order="score", limit=100)
        assert first.next_key is not None
        query = query.where(triage.SCORE_SORT.after(first.next_key))
    plan, sql = plan_of(query)
    # the stored score's index in its order, stopping after a page: no sort, no scan
    assert not problems_in(plan, sql), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
    assert any("task_open_urgency " in f"{step} " for step in plan), plan
