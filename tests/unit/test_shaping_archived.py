"""An archived list is put away everywhere: the inbox leaves out its queries, `desk add`
refuses to add to it, the query completer does not offer it, and a rule naming it is not in
use (`desk automations check` says so and a run skips it); restoring it brings all back."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import yaml

from desk import sla
from desk.automation import processor
from desk.config import Settings
from desk.models import Activity, Task
from desk.support import triage
from desk.work import suggest, tasks, workspace
from desk.work.shaping import arranging

SLA = sla.book(Settings())
NOW = datetime(2026, 11, 18, 10, 30, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture
def shop(migrated_url, tmp_path, run_desk, monkeypatch):
    """The agency template on the test database, with a config file the test may write;
    returns `desk ARGS...` and the config path."""
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    config = tmp_path / "config.yaml"
    config.write_text("timezone: Europe/Berlin\n", encoding="utf-8")
    monkeypatch.setenv("DESK_CONFIG", str(config))
    assert run_desk("init", "--template", "agency")[0] == 0
    return run_desk, config


def test_the_inbox_leaves_out_the_queries_of_an_archived_list(shop, admin, context):
    orders = workspace.find_list("Orders").id
    shown = tasks.create(admin, "Where is my parcel?", orders, kind="query", sla_rules=SLA).row.id
    kept = tasks.create(admin, "Printer jam", workspace.find_list("Support inbox").id,
                        kind="query", sla_rules=SLA).row.id

    def inbox(text: str = "") -> set[int]:
        found = {row.id for row in triage.inbox_page(context, text).rows}
        assert triage.inbox_count(context, text) == len(found)
        return found

    assert inbox() == {shown, kept}
    arranging.archive_list(admin, "Orders")
    assert inbox() == {kept}
    assert inbox("list:Orders") == {shown}  # a query naming the list still finds it
    arranging.restore_list(admin, "Orders")
    assert inbox() == {shown, kept}


def test_desk_add_refuses_an_archived_list_and_says_how_to_restore_it(shop):
    desk, _ = shop
    assert desk("lists", "archive", "Orders")[0] == 0
    before = (Task.select().count(), Activity.select().count())
    assert desk("add", "Ship it", "--list", "Orders") == (
        1, "", "desk: the list Sales/Orders is archived; restore it first "
               "(desk lists restore 'Orders')\n")
    assert desk("spaces", "archive", "Clients")[0] == 0
    assert desk("add", "Call", "--list", "Accounts")[2] == (
        "desk: the list Clients/Accounts is archived; restore it first "
        "(desk spaces restore 'Clients')\n")
    assert (Task.select().count(), Activity.select().count()) == (before[0], before[1] + 1)
    assert desk("lists", "restore", "Orders")[0] == 0
    assert desk("add", "Ship it", "--list", "Orders")[0] == 0


def test_desk_add_without_a_list_refuses_an_archived_default_list(shop):
    desk, config = shop
    config.write_text("timezone: Europe/Berlin\nworkspace: {default_list: Orders}\n",
                      encoding="utf-8")
    assert desk("lists", "archive", "Orders")[0] == 0
    before = Task.select().count()
    assert desk("add", "Ship it") == (
        1, "", "desk: the list Sales/Orders is archived; restore it first "
               "(desk lists restore 'Orders')\n")
    assert Task.select().count() == before
    assert desk("lists", "restore", "Orders")[0] == 0
    assert desk("add", "Ship it")[0] == 0 and Task.select().count() == before + 1


def test_the_completer_does_not_offer_archived_lists_or_spaces(shop, admin):
    offered = suggest.vocabulary("tasks").values
    assert "Orders" in offered["list"] and "Clients" in offered["space"]
    arranging.archive_list(admin, "Orders")
    arranging.archive_space(admin, "Clients")
    offered = suggest.vocabulary("tasks").values
    assert "Orders" not in offered["list"] and "Accounts" not in offered["list"]
    assert "Billing" in offered["list"] and "Clients" not in offered["space"]


RULE = """\
automations:
  - name: tag new orders
    when: task_created
    if: {list: Orders}
    do: [{tag: fresh}]
"""


def test_a_rule_naming_an_archived_list_is_not_in_use_and_does_not_run(shop, admin):
    desk, config = shop
    assert desk("automations", "check")[:2] == (0, "8 rules in use, 3 sequences: no problems\n")
    assert desk("lists", "archive", "Orders")[0] == 0
    reason = "the list Sales/Orders is archived; restore it first (desk lists restore 'Orders')"
    assert desk("automations", "check")[1].splitlines() == [
        f'built-in rule "invoice a fulfilled order" is not in use here: {reason}',
        "7 rules in use, 3 sequences: no problems"]
    config.write_text(RULE, encoding="utf-8")
    assert desk("automations", "check")[:2] == (
        0, f'rule "tag new orders" is not in use here: {reason}\n'
           "0 rules in use, 3 sequences: no problems\n")
    settings = Settings(timezone="Europe/Berlin", automations=yaml.safe_load(RULE)["automations"])
    orders = workspace.find_list("Orders").id
    put_away = tasks.create(admin, "Flowers", orders).row.id
    assert processor.run_automations(settings, NOW, admin).errors == []
    assert tasks.get(put_away).row.tags == ()
    arranging.restore_list(admin, "Orders")
    back = tasks.create(admin, "Vase", orders).row.id
    processor.run_automations(settings, NOW, admin)
    assert tasks.get(back).row.tags == ("fresh",)
