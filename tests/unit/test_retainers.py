"""Tests for desk.crm.retainers (cycles, hours used, burn-down, clients near their limit) and
desk.metrics.time_report (the time report and its periods)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from desk.crm import clients, retainers
from desk.crm.retainers import Cycle, cycle_containing
from desk.errors import InvalidInput
from desk.metrics import time_report
from desk.work import filters, tasks, workspace
from desk.work.time import entries

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 18, 10, 30, tzinfo=BERLIN)


@pytest.mark.parametrize(("kind", "day", "anchor", "cycle"), [
    # a retainer that started on the 31st: the 30th in April, the 31st again in May
    ("monthly", date(2026, 4, 29), date(2026, 1, 31), (date(2026, 3, 31), date(2026, 4, 29))),
    ("monthly", date(2026, 4, 30), date(2026, 1, 31), (date(2026, 4, 30), date(2026, 5, 30))),
    ("monthly", date(2026, 5, 31), date(2026, 1, 31), (date(2026, 5, 31), date(2026, 6, 29))),
    ("monthly", date(2026, 2, 27), date(2026, 1, 31), (date(2026, 1, 31), date(2026, 2, 27))),
    ("monthly", date(2026, 2, 28), date(2026, 1, 31), (date(2026, 2, 28), date(2026, 3, 30))),
    ("monthly", date(2025, 12, 6), date(2026, 1, 31), (date(2025, 11, 30), date(2025, 12, 30))),
    # a leap day: the 28th of February in other years, the 29th again in 2028
    ("yearly", date(2027, 2, 27), date(2024, 2, 29), (date(2026, 2, 28), date(2027, 2, 27))),
    ("yearly", date(2027, 2, 28), date(2024, 2, 29), (date(2027, 2, 28), date(2028, 2, 28))),
    ("yearly", date(2028, 2, 29), date(2024, 2, 29), (date(2028, 2, 29), date(2029, 2, 27))),
    ("quarterly", date(2026, 12, 6), None, (date(2026, 10, 1), date(2026, 12, 31))),
    ("quarterly", date(2024, 5, 29), date(2023, 11, 30), (date(2024, 2, 29), date(2024, 5, 29))),
    ("monthly", date(2026, 12, 31), None, (date(2026, 12, 1), date(2026, 12, 31))),
])
def test_the_cycle_containing_a_day(kind, day, anchor, cycle):
    assert cycle_containing(kind, day, anchor) == Cycle(*cycle)


@pytest.fixture
def list_id(admin) -> int:
    """A list to put tasks on."""
    workspace.create_space(admin, "Work")
    return workspace.create_list(admin, "Work", "Retainers").id


def client_task(admin, list_id, name: str, **fields) -> tuple[int, int]:
    """The ids of a new client `name` with the given client fields and of a task of it."""
    client = clients.create(admin, name, kind="client", **fields).row
    return client.id, tasks.create(admin, f"Work for {name}", list_id, client_id=client.id).row.id


def test_a_retainer_counts_the_billable_hours_of_the_cycle_by_local_day(admin, list_id):
    client, task = client_task(admin, list_id, "Acme", retainer_cycle="monthly",
                               retainer_hours="10", retainer_overage_rate="90",
                               acquisition_date="2026-01-31")
    entries.log(admin, task, 120, NOW, day=date(2026, 10, 30))  # the cycle before
    entries.log(admin, task, 300, NOW, day=date(2026, 10, 31))  # its first day
    entries.log(admin, task, 330, NOW, day=date(2026, 11, 18))
    entries.log(admin, task, 60, NOW, day=date(2026, 11, 18), billable=False)
    # 00:30 on the 30th in Berlin is still the 29th in UTC: the local day counts
    entries.start(admin, task, datetime(2026, 11, 30, 0, 30, tzinfo=BERLIN))
    entries.stop(admin, datetime(2026, 11, 30, 1, 0, tzinfo=BERLIN))
    found = retainers.usage(client, date(2026, 11, 29))
    assert found.cycle == Cycle(date(2026, 10, 31), date(2026, 11, 29))
    assert (found.included_minutes, found.used_minutes, found.share) == (600, 630, 1.05)
    assert (found.overage_minutes, found.overage_amount) == (30, Decimal("45.00"))
    assert len(found.burn) == 30 and found.burn[0] == 300 and found.burn[18] == 330
    following = retainers.usage(client, date(2026, 11, 30))
    assert (following.cycle.start, following.used_minutes, following.burn) == (
        date(2026, 11, 30), 30, (30,))


def test_the_burn_down_stops_at_today(admin, list_id):
    client, task = client_task(admin, list_id, "Acme", retainer_cycle="monthly",
                               retainer_hours="20")
    entries.log(admin, task, 60, NOW, day=date(2026, 11, 2))
    found = retainers.usage(client, date(2026, 11, 3))
    assert found.burn == (0, 60, 0) and found.cycle == Cycle(date(2026, 11, 1),
                                                             date(2026, 11, 30))
    assert found.overage_amount is None and found.overage_minutes == 0


def test_clients_about_to_exceed_are_those_past_the_share(admin, list_id):
    _, near = client_task(admin, list_id, "Near", retainer_cycle="monthly",
                                    retainer_hours="10")
    _, over = client_task(admin, list_id, "Over", retainer_cycle="quarterly",
                                    retainer_hours="2")
    calm_client, calm = client_task(admin, list_id, "Calm", retainer_cycle="yearly",
                                    retainer_hours="100")
    without_client, without = client_task(admin, list_id, "No retainer")
    for task, minutes in ((near, 480), (over, 150), (calm, 600), (without, 900)):
        entries.log(admin, task, minutes, NOW)
    assert [(item.client, round(item.share, 2)) for item in
            retainers.near_limit(NOW.date())] == [("Over", 1.25), ("Near", 0.8)]
    assert [item.client for item in retainers.near_limit(NOW.date(), Decimal("0.9"))] == ["Over"]
    assert [item.client for item in retainers.usages(NOW.date())] == ["Over", "Near", "Calm"]
    assert retainers.usage(calm_client, NOW.date()).used_minutes == 600
    assert retainers.usage(without_client, NOW.date()) is None


def test_retainer_hours_are_checked_when_a_client_is_edited(admin):
    with pytest.raises(InvalidInput, match="retainer hours must be an amount from 0"):
        clients.create(admin, "Acme", retainer_hours="-3")
    with pytest.raises(InvalidInput, match="overage rate must be an amount"):
        clients.create(admin, "Acme", retainer_overage_rate="lots")


@pytest.mark.parametrize(("text", "span"), [
    ("30d", (date(2026, 10, 20), date(2026, 11, 18))),
    ("12m", (date(2025, 11, 19), date(2026, 11, 18))),
    ("2026-02", (date(2026, 2, 1), date(2026, 2, 28))),
    ("2024", (date(2024, 1, 1), date(2024, 12, 31))),
    ("2026-11-01..2026-11-05", (date(2026, 11, 1), date(2026, 11, 5))),
])
def test_periods_of_the_report(text, span):
    assert time_report.period(text, NOW.date()) == span


@pytest.mark.parametrize("text", ["3x", "2026-13", "0d", "2026-11-05..2026-11-01", ""])
def test_a_period_it_cannot_read_is_refused(text):
    with pytest.raises(InvalidInput, match="as a period; try 30d, 12m"):
        time_report.period(text, NOW.date())


def test_the_report_groups_the_time_of_the_tasks_a_query_finds(admin, list_id):
    context = filters.Context(admin.username, NOW)
    _, acme = client_task(admin, list_id, "Acme")
    _, globex = client_task(admin, list_id, "Globex")
    own = tasks.create(admin, "Internal", list_id, priority="high").row.id
    entries.log(admin, acme, 90, NOW, day=date(2026, 11, 2))
    entries.log(admin, acme, 30, NOW, day=date(2026, 11, 18), billable=False)
    entries.log(admin, globex, 45, NOW, day=date(2026, 10, 31))
    entries.log(admin, own, 200, NOW, day=date(2026, 11, 17))
    entries.log(admin, own, 999, NOW, day=date(2025, 1, 1))  # outside the period
    span = time_report.period("30d", NOW.date())
    rows = [(row.group, row.minutes, row.billable_minutes, row.entries)
            for row in time_report.report("", "client", span, context)]
    assert rows == [("(none)", 200, 200, 1), ("Acme", 120, 90, 2), ("Globex", 45, 45, 1)]
    by_month = time_report.report("", "month", span, context)
    assert [(row.group, row.minutes) for row in by_month] == [("2026-10", 45), ("2026-11", 320)]
    by_week = time_report.report("", "week", span, context)
    assert [(row.group, row.minutes) for row in by_week] == [
        ("2026-W44", 45), ("2026-W45", 90), ("2026-W47", 230)]
    assert [(row.group, row.hours) for row in time_report.report(
        "priority:high", "list", span, context)] == [("Work/Retainers", Decimal("3.33"))]
    assert [row.group for row in time_report.report("", "agent", span, context)] == [
        admin.username]
    with pytest.raises(InvalidInput, match="--by must be one of"):
        time_report.report("", "team", span, context)
