"""SLA policies: which policy a query gets, its due times (set at creation, worked out again
when its priority or client changes), the clocks people see, the near-breach and breach
events of `desk tick` (each exactly once), and the migration that fills existing queries.

Times are stored UTC; the office is in London, where November is UTC+0. The office works
Monday to Friday, 09:00-17:30; Wednesday 2026-11-18 is the usual day.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from msgspec.structs import replace
from old_schema import list_with_statuses
from playhouse.migrations import Runner

from desk import db as desk_db
from desk import sla
from desk.automation import rules
from desk.config import parse_settings
from desk.crm import clients
from desk.models import (
    Activity,
    Client,
    Event,
    QueryData,
    RuleFiring,
    Task,
)
from desk.sla import Clock
from desk.vocabulary import SLA_TARGETS
from desk.work import comments, tasks, workspace

LONDON = ZoneInfo("Europe/London")
OFFICE = "timezone: Europe/London\n"  # the shipped calendar and policies, in London
ROUND_THE_CLOCK = (OFFICE + "calendar:\n  days: [mon, tue, wed, thu, fri, sat, sun]\n"
                   "  hours: '00:00-24:00'\n")
WEDNESDAY_9 = datetime(2026, 11, 18, 9, 0)  # stored UTC = London time in November


@pytest.fixture
def office() -> sla.Book:
    """The office's SLA rules."""
    return sla.book(parse_settings(OFFICE))


@pytest.fixture
def round_the_clock() -> sla.Book:
    """SLA rules counted around the clock, so due times follow from any creation time."""
    return sla.book(parse_settings(ROUND_THE_CLOCK))


@pytest.fixture
def inbox(admin) -> int:
    """The id of a Support inbox list with the default statuses (To do .. Closed)."""
    workspace.create_space(admin, "Support")
    return workspace.create_list(admin, "Support", "Support inbox").id


def query(admin, inbox: int, rules: sla.Book, title: str = "Printer jams", **fields) -> int:
    """Create a support query by the SLA `rules`; returns its id."""
    return tasks.create(admin, title, inbox, kind="query", sla_rules=rules, **fields).row.id


def place(task_id: int, created_at: datetime, first_due: datetime | None,
          resolution_due: datetime | None) -> None:
    """Give a query a fixed creation time and due times."""
    Task.update(created_at=created_at).where(Task.id == task_id).execute()
    (QueryData.update(first_response_due=first_due, resolution_due=resolution_due)
     .where(QueryData.task == task_id).execute())


def dues(task_id: int) -> tuple[datetime | None, datetime | None]:
    """The stored due times of a query."""
    data = QueryData.get_by_id(task_id)
    return data.first_response_due, data.resolution_due


# --- policies and due times (no database) --------------------------------------------------


def test_the_first_fitting_policy_wins_and_the_last_fits_every_query():
    book = sla.book(parse_settings(OFFICE))
    names = {(priority, kind): book.policy(priority, kind).name
             for priority in (1, 2, 3, 5) for kind in ("client", "customer", None)}
    assert names == {
        (1, "client"): "urgent client", (1, "customer"): "urgent", (1, None): "urgent",
        (2, "client"): "high client", (2, "customer"): "high", (2, None): "high",
        (3, "client"): "standard", (3, "customer"): "standard", (3, None): "standard",
        (5, "client"): "low", (5, "customer"): "low", (5, None): "low",
    }


def test_a_policy_for_queries_without_a_client_and_a_target_left_out():
    book = sla.book(parse_settings(
        OFFICE + "sla:\n  policies:\n"
        "    - {name: walk-ins, client_kind: [none], first_response: 30min}\n"
        "    - {name: everyone, first_response: 1d, resolution: 1w}\n"))
    assert book.policy(3, None).name == "walk-ins"
    assert book.policy(3, "customer").name == "everyone"
    assert book.dues(WEDNESDAY_9, 3, None) == (datetime(2026, 11, 18, 9, 30), None)
    # a due time is the earliest moment the business time has passed: 1d (8h30) from
    # Wednesday 09:00 is Wednesday's closing, 1w (five such days) next Tuesday's
    assert book.dues(WEDNESDAY_9, 3, "client") == (datetime(2026, 11, 18, 17, 30),
                                                   datetime(2026, 11, 24, 17, 30))


@pytest.mark.parametrize("priority, kind, expected", [
    # urgent client, 1h and 4h: 1h30 on Wednesday, 2h30 on Thursday
    (1, "client", (datetime(2026, 11, 18, 17, 0), datetime(2026, 11, 19, 11, 30))),
    # standard, 1d and 5d: the same time one and five working days later
    (3, "customer", (datetime(2026, 11, 19, 16, 0), datetime(2026, 11, 25, 16, 0))),
    # low, 2d and 10d: over two weekends
    (5, None, (datetime(2026, 11, 20, 16, 0), datetime(2026, 12, 2, 16, 0))),
])
def test_due_times_are_counted_in_business_hours(priority, kind, expected):
    book = sla.book(parse_settings(OFFICE))
    assert book.dues(datetime(2026, 11, 18, 16, 0), priority, kind) == expected


def test_the_near_breach_threshold_is_the_earlier_of_percent_and_minutes_left():
    book = sla.book(parse_settings(OFFICE))
    assert book.near_offset(timedelta(hours=1)) == timedelta(minutes=30)  # 30 minutes left
    assert book.near_offset(timedelta(hours=4)) == timedelta(hours=3, minutes=12)  # 80%
    assert book.reach() == timedelta(hours=17)  # low's 10d (85h): 20% left
    quiet = sla.book(parse_settings(
        OFFICE + "sla:\n  near_breach_percent: null\n  near_breach_minutes: null\n"))
    assert quiet.near_offset(timedelta(hours=4)) is None and quiet.reach() is None


# --- clocks --------------------------------------------------------------------------------


def clock(target_due: datetime | None, now: datetime, done_at: datetime | None = None) -> Clock:
    """The first-response clock of a query created Wednesday 09:00, at `now`."""
    book = sla.book(parse_settings(OFFICE))
    return book.clock("first_response", WEDNESDAY_9, target_due, done_at, now)


@pytest.mark.parametrize("due, now, done_at, status, left, near, text", [
    (datetime(2026, 11, 18, 10), datetime(2026, 11, 18, 9, 20), None,
     "running", timedelta(minutes=40), False, "40m business time left"),
    (datetime(2026, 11, 18, 10), datetime(2026, 11, 18, 9, 45), None,
     "running", timedelta(minutes=15), True, "15m business time left"),
    (datetime(2026, 11, 18, 11, 15), datetime(2026, 11, 18, 9, 0), None,
     "running", timedelta(hours=2, minutes=15), False, "2h 15m business time left"),
    (datetime(2026, 11, 18, 10), datetime(2026, 11, 18, 10, 35), None,
     "breached", timedelta(minutes=-35), False, "overdue 35m business time"),
    (datetime(2026, 11, 18, 10), datetime(2026, 11, 18, 12), datetime(2026, 11, 18, 9, 50),
     "met", timedelta(minutes=10), False, "met"),
    (datetime(2026, 11, 18, 10), datetime(2026, 11, 18, 12), datetime(2026, 11, 18, 10, 10),
     "breached", timedelta(minutes=-10), False, "late 10m business time"),
    # five working days, on Thursday at 10:00: 33 business hours left
    (datetime(2026, 11, 25, 9), datetime(2026, 11, 19, 10), None,
     "running", timedelta(hours=33), False, "33h business time left"),
    # due Friday 17:00, now Saturday: only Friday's last half hour is overdue business time
    (datetime(2026, 11, 20, 17), datetime(2026, 11, 21, 10), None,
     "breached", timedelta(minutes=-30), False, "overdue 30m business time"),
    # due at Friday's closing, now Saturday: overdue, by no business time yet
    (datetime(2026, 11, 20, 17, 30), datetime(2026, 11, 21, 10), None,
     "breached", timedelta(0), False, "overdue 0m business time"),
])
def test_clocks(due, now, done_at, status, left, near, text):
    found = clock(due, now, done_at)
    assert (found.status, found.left, found.near, found.text) == (status, left, near, text)


@pytest.mark.parametrize("due, now, done_at, compact", [
    (datetime(2026, 11, 18, 10), datetime(2026, 11, 18, 9, 20), None, "40bm left"),
    (datetime(2026, 11, 25, 9), datetime(2026, 11, 19, 10), None, "33bh left"),
    (datetime(2026, 11, 18, 10), datetime(2026, 11, 18, 10, 35), None, "overdue 35bm"),
    (datetime(2026, 11, 18, 10), datetime(2026, 11, 18, 12), datetime(2026, 11, 18, 10, 10),
     "late 10bm"),
    (datetime(2026, 11, 20, 17, 30), datetime(2026, 11, 21, 10), None, "overdue 0bm"),
    (datetime(2026, 11, 18, 10), datetime(2026, 12, 18, 10), None, "overdue 99bh+"),
])
def test_a_list_cell_words_the_clock_compactly_and_always_says_business_time(due, now, done_at,
                                                                           compact):
    text = clock(due, now, done_at).words(compact=True)
    assert text == compact and len(text) <= 13


@pytest.mark.parametrize("left, words", [
    (timedelta(hours=-149), "overdue 149h wall clock"),
    (timedelta(hours=5), "5h wall clock left"),
    (timedelta(0), "0m wall clock left"),
])
def test_a_wall_clock_deadline_says_so(left, words):
    assert sla.deadline_words(left, done=False, business=False) == words


def test_a_target_the_policy_leaves_out_has_no_clock():
    found = clock(None, datetime(2026, 11, 18, 12))
    assert (found.status, found.left, found.text) == ("none", None, "no target")


# --- due times kept with the query ---------------------------------------------------------


def test_a_new_query_gets_its_due_times_and_a_task_none(admin, inbox, round_the_clock):
    acme = clients.create(admin, "Acme", kind="client").row.id
    task_id = query(admin, inbox, round_the_clock, priority="urgent", client_id=acme)
    created = Task.get_by_id(task_id).created_at
    assert dues(task_id) == (created + timedelta(hours=1), created + timedelta(hours=4))
    plain = tasks.create(admin, "Water the plants", inbox, priority="urgent").row.id
    assert not QueryData.select().where(QueryData.task == plain).exists()


def test_priority_and_client_changes_work_the_due_times_out_again(admin, inbox,
                                                                  round_the_clock):
    task_id = query(admin, inbox, round_the_clock)
    created = Task.get_by_id(task_id).created_at
    day = timedelta(days=1)  # a working day is 24 hours around the clock
    assert dues(task_id) == (created + day, created + 5 * day)

    tasks.update(admin, task_id, 1, sla_rules=round_the_clock, priority="urgent")
    assert dues(task_id) == (created + timedelta(hours=2), created + day)
    history = {row.field: (row.old, row.new) for row in Activity.select().where(
        (Activity.entity == "task") & (Activity.entity_id == task_id) & (Activity.version == 2))}
    assert history["priority"] == ("normal", "urgent")
    assert history["first_response_due"] == (str(created + day),
                                             str(created + timedelta(hours=2)))

    acme = clients.create(admin, "Acme", kind="client").row.id
    tasks.update(admin, task_id, 2, sla_rules=round_the_clock, client_id=acme)
    assert dues(task_id) == (created + timedelta(hours=1), created + timedelta(hours=4))
    tasks.update(admin, task_id, 3, title="Printer jams again")
    assert dues(task_id) == (created + timedelta(hours=1), created + timedelta(hours=4))


def test_closing_records_the_resolution_and_reopening_clears_it(admin, inbox, office):
    task_id = query(admin, inbox, office)
    tasks.update(admin, task_id, 1, status="Done")
    closed_at = Task.get_by_id(task_id).closed_at
    assert closed_at is not None and QueryData.get_by_id(task_id).resolved_at == closed_at
    tasks.update(admin, task_id, 2, status="Closed")
    assert QueryData.get_by_id(task_id).resolved_at == closed_at
    tasks.update(admin, task_id, 3, status="To do")
    assert QueryData.get_by_id(task_id).resolved_at is None
    fields = [row.field for row in Activity.select().where(
        (Activity.entity_id == task_id) & (Activity.field == "resolved_at"))
        .order_by(Activity.id)]
    assert fields == ["resolved_at", "resolved_at"]  # set, then cleared


def test_a_reply_meets_the_first_response_and_a_note_does_not(admin, inbox, office):
    task_id = query(admin, inbox, office)
    now = Task.get_by_id(task_id).created_at + timedelta(minutes=1)
    comments.note(admin, task_id, "Checking the toner.")
    assert sla.clocks([task_id], now, office)[task_id][0].status == "running"
    comments.reply(admin, task_id, "We are on it.")
    first, resolution = sla.clocks([task_id], now, office)[task_id]
    assert first.status == "met" and first.done_at is not None
    # the reply leaves it waiting on the customer: the resolution clock is paused
    assert (resolution.status, resolution.text) == ("paused", "paused: waiting on the customer")
    assert resolution.words(compact=True) == "paused"
    running = replace(office, pause_while_waiting=False)
    assert sla.clocks([task_id], now, running)[task_id][1].status == "running"


def test_a_paused_resolution_clock_is_never_breached_until_the_customer_answers(admin, inbox,
                                                                               office):
    waiting, ours = query(admin, inbox, office, "waiting"), query(admin, inbox, office, "ours")
    for task_id in (waiting, ours):
        place(task_id, WEDNESDAY_9, None, datetime(2026, 11, 18, 13))
    QueryData.update(waiting_on="them").where(QueryData.task == waiting).execute()
    assert sla.clocks([waiting], at(14, 0), office)[waiting][1].status == "paused"
    assert sla.scan(at(14, 0), office).breached == [(ours, "resolution")]
    # the customer answers: the clock runs again, and it is overdue
    QueryData.update(waiting_on="us").where(QueryData.task == waiting).execute()
    assert sla.clocks([waiting], at(14, 5), office)[waiting][1].status == "breached"
    assert sla.scan(at(14, 5), office).breached == [(waiting, "resolution")]


def test_without_the_pause_a_query_waiting_on_the_customer_breaches(admin, inbox, office):
    running = replace(office, pause_while_waiting=False)
    task_id = query(admin, inbox, office)
    place(task_id, WEDNESDAY_9, None, datetime(2026, 11, 18, 13))
    QueryData.update(waiting_on="them").where(QueryData.task == task_id).execute()
    assert sla.clocks([task_id], at(14, 0), running)[task_id][1].text == (
        "overdue 1h business time")
    assert sla.scan(at(14, 0), running).breached == [(task_id, "resolution")]


def test_the_pause_is_a_setting_on_by_default():
    assert sla.book(parse_settings(OFFICE)).pause_while_waiting is True
    assert sla.book(parse_settings(OFFICE + "sla:\n  pause_while_waiting: false\n")
                    ).pause_while_waiting is False


def test_clocks_of_several_queries_leave_other_tasks_out(admin, inbox, office):
    late, fresh = query(admin, inbox, office, "late"), query(admin, inbox, office, "fresh")
    plain = tasks.create(admin, "Water the plants", inbox).row.id
    place(late, WEDNESDAY_9, datetime(2026, 11, 18, 10), datetime(2026, 11, 18, 13))
    place(fresh, WEDNESDAY_9, datetime(2026, 11, 18, 12), None)
    now = datetime(2026, 11, 18, 10, 35, tzinfo=LONDON)
    found = sla.clocks([late, fresh, plain], now, office)
    assert {task_id: [c.text for c in pair] for task_id, pair in found.items()} == {
        late: ["overdue 35m business time", "2h 25m business time left"],
        fresh: ["1h 25m business time left", "no target"]}


# --- near-breach and breach events ---------------------------------------------------------


def sla_events(task_id: int | None = None) -> list[tuple[int, str, str]]:
    """(task, kind, target) of the SLA events, in order."""
    query_ = Event.select().where(Event.kind.startswith("sla.")).order_by(Event.id)
    if task_id is not None:
        query_ = query_.where(Event.entity_id == task_id)
    return [(event.entity_id, event.kind, json.loads(event.data)["target"])
            for event in query_]


def at(hour: int, minute: int = 0, day: int = 18) -> datetime:
    """A moment in London in the week of 2026-11-16."""
    return datetime(2026, 11, day, hour, minute, tzinfo=LONDON)


def test_scan_writes_each_near_breach_and_breach_once(admin, inbox, office):
    urgent = query(admin, inbox, office, "urgent")
    answered = query(admin, inbox, office, "answered")
    closed = query(admin, inbox, office, "closed")
    forgotten = query(admin, inbox, office, "forgotten")
    for task_id in (urgent, answered, closed):
        place(task_id, WEDNESDAY_9, datetime(2026, 11, 18, 10), datetime(2026, 11, 18, 13))
    place(forgotten, datetime(2026, 11, 2, 9), datetime(2026, 11, 2, 10), None)  # 16 days ago
    QueryData.update(first_response_at=WEDNESDAY_9).where(QueryData.task == answered).execute()
    tasks.update(admin, closed, 1, status="Closed")

    report = sla.scan(at(9, 45), office)
    assert (report.near_breach, report.breached) == ([(urgent, "first_response")], [])
    assert report.summary() == "sla: 0 breached, 1 nearly breached"
    assert sla.scan(at(9, 50), office).summary() == "sla: 0 breached, 0 nearly breached"

    report = sla.scan(at(10, 5), office)
    assert report.breached == [(urgent, "first_response")] and report.near_breach == []
    report = sla.scan(at(12, 31), office)  # 3h31 of 4h passed: past 80%
    assert report.near_breach == [(urgent, "resolution"), (answered, "resolution")]
    report = sla.scan(at(13, 1), office)
    assert report.breached == [(urgent, "resolution"), (answered, "resolution")]
    assert sla.scan(at(13, 2), office).summary() == "sla: 0 breached, 0 nearly breached"

    assert sla_events() == [
        (urgent, "sla.near_breach", "first_response"), (urgent, "sla.breached", "first_response"),
        (urgent, "sla.near_breach", "resolution"), (answered, "sla.near_breach", "resolution"),
        (urgent, "sla.breached", "resolution"), (answered, "sla.breached", "resolution")]
    assert RuleFiring.select().where(RuleFiring.entity_id == urgent).count() == 4
    event = Event.select().where(Event.kind == "sla.breached").order_by(Event.id).first()
    assert json.loads(event.data) == {"fields": {}, "target": "first_response",
                                      "due": "2026-11-18 10:00:00"}


def test_a_new_due_time_is_judged_again(admin, inbox, office):
    task_id = query(admin, inbox, office)
    place(task_id, WEDNESDAY_9, datetime(2026, 11, 18, 10), datetime(2026, 11, 18, 13))
    assert sla.scan(at(13, 30), office).breached == [(task_id, "first_response"),
                                                     (task_id, "resolution")]
    # now urgent for a customer: 2h and 1d from Wednesday 09:00
    tasks.update(admin, task_id, 1, sla_rules=office, priority="urgent")
    assert dues(task_id) == (datetime(2026, 11, 18, 11), datetime(2026, 11, 18, 17, 30))
    report = sla.scan(at(17, 31), office)
    assert report.breached == [(task_id, "first_response"), (task_id, "resolution")]
    assert len(sla_events(task_id)) == 4


def test_a_due_time_with_fractions_of_a_second_is_judged_once(admin, inbox, office):
    task_id = query(admin, inbox, office)
    place(task_id, WEDNESDAY_9, datetime(2026, 11, 18, 10, 0, 0, 654321), None)
    assert sla.scan(at(10, 5), office).breached == [(task_id, "first_response")]
    assert sla.scan(at(10, 6), office).breached == []
    assert RuleFiring.get(RuleFiring.entity_id == task_id).key == "first_response 1794996000"


def test_near_breach_needs_a_threshold(admin, inbox, office):
    task_id = query(admin, inbox, office)
    place(task_id, WEDNESDAY_9, datetime(2026, 11, 18, 10), None)
    quiet = sla.book(parse_settings(
        OFFICE + "sla:\n  near_breach_percent: null\n  near_breach_minutes: null\n"))
    assert sla.scan(at(9, 59), quiet).near_breach == []
    assert sla.scan(at(10, 1), quiet).breached == [(task_id, "first_response")]


def test_desk_tick_writes_the_sla_events(db_url, db, admin, inbox, office, run_desk,
                                         monkeypatch, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(OFFICE)
    monkeypatch.setenv("DESK_DATABASE", db_url)
    monkeypatch.setenv("DESK_CONFIG", str(config))
    task_id = query(admin, inbox, office)
    place(task_id, WEDNESDAY_9, datetime(2026, 11, 18, 10), datetime(2026, 11, 18, 13))
    status, out, _ = run_desk("tick", "--now", "2026-11-18 10:05")
    assert status == 0 and "sla: 1 breached, 0 nearly breached" in out.splitlines()
    status, out, _ = run_desk("tick", "--now", "2026-11-18 10:06")
    assert "sla: 0 breached, 0 nearly breached" in out.splitlines()
    assert sla_events() == [(task_id, "sla.breached", "first_response")]


def test_the_rules_know_the_sla_targets():
    assert SLA_TARGETS == sla.TARGETS
    [rule] = rules.parse([{"name": "escalate", "when": {"sla_breached": {"target": "resolution"}},
                           "do": [{"tag": "escalated"}]}])
    assert (rule.trigger.kind, rule.trigger.targets) == ("sla_breached", ("resolution",))


# --- the migration -------------------------------------------------------------------------


def test_the_migration_fills_the_due_times_of_existing_queries(fresh_url, monkeypatch):
    # The migration counts by the policies and calendar desk shipped, in the system's zone.
    monkeypatch.setenv("TZ", "Europe/London")
    db = desk_db.connect(fresh_url)
    try:
        Runner(db, str(desk_db.MIGRATIONS_DIR)).up(target="0003_automations")
        with db.atomic():
            inbox, (todo, done) = list_with_statuses(db, (("To do", "open"), ("Done", "done")))
            acme = Client.create(name="Acme", kind="client")

            def old_task(title, kind, priority, created_at, **fields):
                task = Task.create(task_list=inbox, status=fields.pop("status", todo),
                                   category=fields.pop("category", "open"), title=title,
                                   kind=kind, priority=priority, created_at=created_at,
                                   **fields)
                if kind == "query":  # only the columns of schema 0003
                    QueryData.insert(task=task.id).execute()
                return task.id

            urgent = old_task("urgent", "query", 1, datetime(2026, 11, 18, 16), client=acme)
            resolved = old_task("resolved", "query", 3, datetime(2026, 11, 16, 10),
                                status=done, category="done",
                                closed_at=datetime(2026, 11, 17, 12))
            plain = old_task("plain", "task", 1, datetime(2026, 11, 16, 10))

        assert desk_db.migrate(db)[0] == "0004_sla"

        found = {row.task_id: (row.first_response_due, row.resolution_due, row.resolved_at)
                 for row in QueryData.select()}
        assert found == {
            urgent: (datetime(2026, 11, 18, 17), datetime(2026, 11, 19, 11, 30), None),
            resolved: (datetime(2026, 11, 17, 10), datetime(2026, 11, 23, 10),
                       datetime(2026, 11, 17, 12)),
        }
        assert plain not in found
        indexes = {index.name for index in db.get_indexes("query_data")}
        assert {"query_data_first_response_open", "query_data_resolution_open"} <= indexes
    finally:
        db.close()
