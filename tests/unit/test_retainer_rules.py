"""The shipped retainer rules: `retainer nearly used` fires once per client and cycle when
80% of the included hours are used, `retainer cycle report` once when a cycle has ended,
each with the cycle's figures in the task it creates; and a share that is no share is
refused where the config says it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from test_automations import BERLIN, RULES, SHIPPED, on_list, rules_of, shop  # noqa: F401

from desk.automation import processor as automations
from desk.config import SettingProblem
from desk.crm import clients
from desk.models import RuleFiring
from desk.work import tasks
from desk.work.time import entries

IN_GBP = {"sla_rules": RULES, "currency": "GBP"}
"""The SLA rules and the currency the scans run with."""

NOW = datetime(2026, 11, 18, 10, 30, tzinfo=BERLIN)


@pytest.fixture
def retainer(shop):  # noqa: F811 - the fixture imported above
    """Acme on a monthly retainer of 10 hours at 90 an hour beyond; returns a task of it."""
    clients.update(shop.admin, shop.client_id, 1, retainer_cycle="monthly",
                   retainer_hours="10", retainer_overage_rate="90")
    return tasks.create(shop.admin, "Retainer work", shop.lists["Accounts"],
                        client_id=shop.client_id).row.id


def test_the_threshold_fires_once_a_cycle_with_its_figures(shop, retainer):  # noqa: F811
    entries.log(shop.admin, retainer, 470, NOW, day=date(2026, 11, 2))
    assert automations.scan(SHIPPED, NOW, **IN_GBP).fired == []  # 78%
    entries.log(shop.admin, retainer, 10, NOW, day=date(2026, 11, 17))
    report = automations.scan(SHIPPED, NOW, **IN_GBP)
    [task] = [row for row in on_list("Accounts") if row.id != retainer]
    assert (task.title, task.assignees) == (
        "Acme GmbH has used 80% of its retainer hours", ("maria",))
    assert tasks.get(task.id).description == (
        "Cycle 2026-11-01 to 2026-11-30: 8.00 of 10.00 hours used. Talk to Anna Schmidt "
        "before the hours run out.")
    assert len(report.fired) == 1
    entries.log(shop.admin, retainer, 300, NOW)  # over, in the same cycle: no second task
    assert automations.scan(SHIPPED, NOW + timedelta(days=1), **IN_GBP).fired == []
    december = datetime(2026, 12, 2, 9, 0, tzinfo=BERLIN)
    entries.log(shop.admin, retainer, 600, december)
    fired = automations.scan(SHIPPED, december, **IN_GBP).fired
    assert sorted(line.split(":")[0] for line in fired) == [
        f'rule "retainer cycle report" on client {shop.client_id} "Acme GmbH"',
        f'rule "retainer nearly used" on client {shop.client_id} "Acme GmbH"']
    assert sorted((f.rule, f.key) for f in RuleFiring.select()) == [
        ("retainer cycle report", "retainer 2026-11-01"),
        ("retainer nearly used", "retainer 2026-11-01"),
        ("retainer nearly used", "retainer 2026-12-01")]


def test_the_cycle_report_carries_the_ended_cycles_time(shop, retainer):  # noqa: F811
    entries.log(shop.admin, retainer, 720, NOW, day=date(2026, 11, 30))
    assert automations.scan(SHIPPED, datetime(2026, 11, 30, 23, 0, tzinfo=BERLIN),
                            **IN_GBP).fired[0].startswith('rule "retainer nearly used"')
    december = datetime(2026, 12, 1, 0, 30, tzinfo=BERLIN)
    assert len(automations.scan(SHIPPED, december, **IN_GBP).fired) == 1
    [report] = on_list("Billing")
    assert report.title == ("Send Acme GmbH the time report and invoice for 2026-11-01 to "
                            "2026-11-30")
    assert tasks.get(report.id).description.startswith(
        "12.00 of 10.00 hours used; overage 2.00 hours (£180.00 at the overage rate).")
    assert automations.scan(SHIPPED, december + timedelta(days=3), **IN_GBP).fired == []
    late = datetime(2026, 12, 9, 9, 0, tzinfo=BERLIN)  # more than a week after: not judged
    assert automations.scan(SHIPPED, late, **IN_GBP).fired == []


@pytest.mark.parametrize("share", ["0", "-1", "11", "lots", "true"])
def test_a_share_that_is_no_share_is_refused(share):
    text = f"- name: r\n  when: {{retainer_threshold: {{share: {share}}}}}\n  do: [tag: x]\n"
    with pytest.raises(SettingProblem) as error:
        rules_of(text)
    assert "when.retainer_threshold.share" in str(error.value)
    assert "expected a share of the included hours such as 0.8" in str(error.value)
