"""The SLA pause gives the waited time back: while a query waits on the customer its
resolution clock is paused (`sla.pause_while_waiting`), and when the customer answers its
resolution is due later by the business time it waited, with a history row for the new due
time. On SQLite and PostgreSQL (the `db` fixture).

The office is in London (UTC+0 in November), Monday to Friday 09:00-17:30; Wednesday
2026-11-18 is the usual day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from msgspec.structs import replace
from playhouse.migrations import Runner
from test_sla import OFFICE, WEDNESDAY_9, query

from desk import business_hours, sla
from desk import db as desk_db
from desk.clock import utcnow
from desk.config import parse_settings
from desk.kernel import agents
from desk.models import Activity, QueryData, Status, Task
from desk.support import intake, merge, triage
from desk.work import comments, filters, tasks, workspace
from desk.work.take_back import take_back


@pytest.fixture
def office() -> sla.Book:
    """The office's SLA rules (the shipped policies, the pause on)."""
    return sla.book(parse_settings(OFFICE))


@pytest.fixture
def waiting(admin, office) -> int:
    """A query asked on Wednesday at 09:00 and answered by us at 10:00: it waits on the
    customer since then."""
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Support inbox").id
    task_id = query(admin, inbox, office)
    Task.update(created_at=WEDNESDAY_9).where(Task.id == task_id).execute()
    first, last = office.dues(WEDNESDAY_9, Task.get_by_id(task_id).priority, None)
    (QueryData.update(first_response_due=first, resolution_due=last)
     .where(QueryData.task == task_id).execute())
    comments.reply(admin, task_id, "Which printer is it?", email=False,
                   now=WEDNESDAY_9 + timedelta(hours=1))
    return task_id


def answer(admin, task_id: int, rules: sla.Book, at: datetime) -> None:
    """The customer writes on the query at `at` (as mail or the portal brings it)."""
    options = intake.IntakeOptions(sla_rules=rules)
    intake.requester_wrote(admin, Task.get_by_id(task_id), "Ann", "The one on floor 2.", None,
                           options, at)


def due(task_id: int) -> datetime:
    """The query's resolution due time, as stored."""
    return QueryData.get_by_id(task_id).resolution_due


def test_five_business_hours_waited_move_the_resolution_due_by_five(admin, office, waiting):
    before = due(waiting)
    assert sla.clocks([waiting], WEDNESDAY_9 + timedelta(hours=3), office)[waiting][1].status \
        == "paused"
    answer(admin, waiting, office, WEDNESDAY_9 + timedelta(hours=6))  # 10:00 to 15:00
    after = due(waiting)
    assert business_hours.between(office.calendar, before, after) == timedelta(hours=5)
    assert after == business_hours.add(office.calendar, before, timedelta(hours=5))
    data = QueryData.get_by_id(waiting)
    assert (data.waiting_on, data.waiting_since, data.waited_seconds) == ("us", None, 5 * 3600)
    history = (Activity.select().where((Activity.entity_id == waiting)
                                       & (Activity.field == "resolution_due")).get())
    assert (history.old, history.new) == (str(before), str(after))
    assert history.actor == admin.username
    # the clock runs again against the later due time
    clock = sla.clocks([waiting], WEDNESDAY_9 + timedelta(hours=6), office)[waiting][1]
    assert clock.status == "running" and clock.due == after


def test_a_wait_over_the_night_counts_business_hours_only(admin, office, waiting):
    before = due(waiting)
    # 10:00 Wednesday to 11:00 Thursday: 7h30 on Wednesday, 2h on Thursday
    answer(admin, waiting, office, datetime(2026, 11, 19, 11, 0))
    assert business_hours.between(office.calendar, before, due(waiting)) \
        == timedelta(hours=9, minutes=30)


def test_the_credit_survives_a_new_priority(admin, office, waiting):
    answer(admin, waiting, office, WEDNESDAY_9 + timedelta(hours=6))
    task = Task.get_by_id(waiting)
    tasks.update(admin, waiting, task.version, sla_rules=office, priority="urgent")
    expected = office.dues(WEDNESDAY_9, 1, None)[1]
    assert due(waiting) == business_hours.add(office.calendar, expected, timedelta(hours=5))


def test_without_the_pause_nothing_is_given_back(admin, office, waiting):
    before = due(waiting)
    answer(admin, waiting, replace(office, pause_while_waiting=False),
           WEDNESDAY_9 + timedelta(hours=6))
    assert due(waiting) == before
    assert QueryData.get_by_id(waiting).waiting_since is None
    assert not Activity.select().where(Activity.field == "resolution_due").exists()


def test_a_reply_taken_back_was_no_wait(admin, office, waiting):
    answer(admin, waiting, office, WEDNESDAY_9 + timedelta(hours=2))
    before = due(waiting)
    QueryData.update(requester_email="ann@example.com").where(QueryData.task == waiting).execute()
    sent = WEDNESDAY_9 + timedelta(hours=3)
    comments.reply(admin, waiting, "Try the blue tray.", now=sent, hold_seconds=30)
    assert QueryData.get_by_id(waiting).waiting_since == sent
    take_back(admin, now=sent + timedelta(seconds=10))
    data = QueryData.get_by_id(waiting)
    assert (data.waiting_on, data.waiting_since) == ("us", None)
    answer(admin, waiting, office, WEDNESDAY_9 + timedelta(hours=7))
    assert due(waiting) == before  # only the first wait (1 hour) was given back


def test_the_inbox_ranks_by_the_moved_due_time(admin, office, waiting):
    # another query asked at the same time, whose customer answered at once
    other = query(admin, Task.get_by_id(waiting).task_list_id, office, "Scanner jams")
    Task.update(created_at=WEDNESDAY_9).where(Task.id == other).execute()
    first, last = office.dues(WEDNESDAY_9, Task.get_by_id(other).priority, None)
    (QueryData.update(first_response_due=first, resolution_due=last)
     .where(QueryData.task == other).execute())
    replied = WEDNESDAY_9 + timedelta(hours=1)
    comments.reply(admin, other, "Which scanner is it?", email=False, now=replied)
    answer(admin, other, office, replied)
    assert due(other) == last  # no time waited, nothing given back
    now = WEDNESDAY_9 + timedelta(hours=6)
    answer(admin, waiting, office, now)
    for task_id in (other, waiting):  # urgent: due within the urgency score's horizon
        tasks.update(admin, task_id, Task.get_by_id(task_id).version, sla_rules=office,
                     priority="urgent")
    assert due(other) == datetime(2026, 11, 18, 17, 30)  # 1d: a working day
    assert due(waiting) == datetime(2026, 11, 19, 14, 0)  # and the five hours waited
    context = filters.Context(admin.username, now.replace(tzinfo=office.calendar.zone))
    assert triage.inbox_count(context) == 2
    ranked = triage.inbox_page(context, order="score").rows
    # the same target, but the query that waited five hours is due five hours later
    assert [row.id for row in ranked] == [other, waiting]


def old_query(inbox: int, title: str) -> int:
    """A support query written with the columns of the schema at 0024 only (the services
    read and write the columns later migrations add to task)."""
    status = (Status.select(Status.id)
              .where(Status.task_list == inbox, Status.category == "open").scalar())
    task_id = Task.insert(task_list=inbox, status=status, category="open", kind="query",
                          title=title).execute()
    QueryData.insert(task=task_id).execute()
    return task_id


def test_the_migration_starts_the_waits_of_queries_waiting_now(fresh_url):
    db = desk_db.connect(fresh_url)
    try:
        Runner(db, str(desk_db.MIGRATIONS_DIR)).up(target="0024_portal_shares")
        admin = agents.acting()
        workspace.create_space(admin, "Support")
        inbox = workspace.create_list(admin, "Support", "Support inbox").id
        waiting, ours = (old_query(inbox, title) for title in ("waiting", "ours"))
        QueryData.update(waiting_on="them").where(QueryData.task == waiting).execute()
        for task_id, hour in ((waiting, 10), (waiting, 12), (ours, 11)):
            Activity.create(entity="task", entity_id=task_id, field="waiting_on", old="us",
                            new="them", actor="ann", at=datetime(2026, 11, 18, hour))
        assert "0027_sla_waiting" in desk_db.migrate(db)
        found = {row.task_id: (row.waiting_since, row.waited_seconds)
                 for row in QueryData.select()}
        # the newest wait of the query waiting now; none for the one waiting on us
        assert found == {waiting: (datetime(2026, 11, 18, 12), 0), ours: (None, 0)}
    finally:
        db.close()


def test_merging_in_a_new_message_of_the_customer_gives_the_wait_back(admin, office, waiting):
    before, since = due(waiting), QueryData.get_by_id(waiting).waiting_since
    # the customer answered in a new query instead, which the agent merges into the first
    other = query(admin, Task.get_by_id(waiting).task_list_id, office, "Re: Printer jams")
    start = utcnow()
    merge.merge(admin, waiting, [other], sla_rules=office)
    end = utcnow()
    assert QueryData.get_by_id(waiting).waiting_on == "us"
    given = business_hours.between(office.calendar, before, due(waiting))
    assert (business_hours.between(office.calendar, since, start) <= given
            <= business_hours.between(office.calendar, since, end))
    assert given > timedelta(0)  # from a Wednesday in November to now, in business hours
