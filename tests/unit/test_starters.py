"""A new team's first day: `desk init --template support|agency|blank --name NAME` gives
the workspace its spaces, lists, statuses and teams, and the shipped automations check clean
on each; the rules desk ships that name what a workspace lacks stay out of its way."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from desk.automation import processor, rules, workspace_names
from desk.config import Settings
from desk.crm import clients
from desk.errors import InvalidInput, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Agent, Space, Status, Task, TaskList, Team, TeamMember
from desk.work import starters


def lists_and_statuses() -> dict[str, list[str]]:
    """Every "Space / List" with its statuses in order."""
    return {f"{row.space.name} / {row.name}": [status.name for status in
                                                Status.select().where(Status.task_list == row)
                                                .order_by(Status.position)]
            for row in TaskList.select()}


@pytest.fixture
def fresh(new_workspace, run_desk):
    """A workspace nobody has set up yet (the schema alone), and `desk ARGS...` on it."""
    return run_desk


def test_init_with_the_agency_template_sets_up_what_the_shipped_rules_need(fresh):
    status, out, _ = fresh("init", "--template", "agency", "--name", "Ada Admin")
    assert status == 0
    assert "starter template agency" in out and "Sales / Orders: Received, In progress, " \
        "Fulfilled, Invoiced" in out
    assert lists_and_statuses() == {
        "Support / Support inbox": ["New", "Open", "Waiting on customer", "Resolved", "Closed"],
        "Sales / Orders": ["Received", "In progress", "Fulfilled", "Invoiced"],
        "Sales / Billing": ["To do", "In progress", "Done"],
        "Clients / Accounts": ["To do", "Proposal sent", "Done", "Lost"]}
    me = Agent.get()
    assert (me.name, me.role) == ("Ada Admin", "admin")
    assert {team.name for team in Team.select().join(TeamMember)
            .where(TeamMember.agent == me.id)} == {"Support", "Fulfilment", "Billing", "Accounts"}
    created = [row.entity for row in Activity.select().where(Activity.field == "name")]
    assert created.count("list") == 4 and created.count("space") == 3
    assert fresh("automations", "check")[:2] == (0, "8 rules in use, 3 sequences: no problems\n")


def test_the_support_template_checks_clean_and_says_which_rules_it_does_not_use(fresh):
    assert fresh("init", "--template", "support")[0] == 0
    assert list(lists_and_statuses()) == ["Support / Support inbox"]
    status, out, _ = fresh("automations", "check")
    assert status == 0
    assert out.splitlines() == [
        "built-in rule \"invoice a fulfilled order\" is not in use here: no list named 'orders'",
        "built-in rule \"follow up a sent proposal\" is not in use here: no list named "
        "'accounts'",
        "built-in rule \"birthday greetings\" is not in use here: no list named 'Accounts'",
        "built-in rule \"thank a client for a higher tier\" is not in use here: no list named "
        "'Accounts'",
        "built-in rule \"retainer nearly used\" is not in use here: no list named 'Accounts'",
        "built-in rule \"retainer cycle report\" is not in use here: no list named 'Billing'",
        "built-in rule \"call an NPS detractor\" is not in use here: no list named 'Accounts'",
        *(f"built-in sequence \"{name}\", steps[{step}].task.list: no list named 'Accounts' "
          "(that step would pause it)"
          for name, step in (("onboarding", 2), ("renewal", 2), ("win-back", 1))),
        "1 rule in use, 3 sequences: no problems"]


def test_the_blank_template_makes_nothing_but_the_admin(fresh):
    status, out, _ = fresh("init", "--template", "blank")
    assert status == 0 and "no spaces or lists yet" in out
    assert Space.select().count() == TaskList.select().count() == Team.select().count() == 0
    assert fresh("automations", "check")[1].endswith("0 rules in use, 3 sequences: no problems\n")


def test_a_template_on_a_workspace_with_spaces_is_refused_untouched(fresh):
    assert fresh("init", "--template", "support")[0] == 0
    before = (lists_and_statuses(), Activity.select().count())
    status, _, err = fresh("init", "--template", "agency")
    assert status == 1
    assert err == "desk: this workspace has spaces already; a starter template is for a new " \
        "one\n"
    assert (lists_and_statuses(), Activity.select().count()) == before


def test_an_unknown_template_is_refused_by_the_parser(run_desk, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_DATABASE", f"sqlite:///{tmp_path / 'new.db'}")
    with pytest.raises(SystemExit) as stopped:
        run_desk("init", "--template", "shop")
    assert stopped.value.code == 2
    assert "argument --template: invalid choice: 'shop'" in capsys.readouterr().err
    assert not (tmp_path / "new.db").exists()


def test_only_an_admin_sets_up_a_template_and_the_names_are_checked(db, admin):
    bob = agents.add(admin, "bob")
    with pytest.raises(PermissionDenied):
        starters.set_up(bob, "support")
    with pytest.raises(InvalidInput, match="no starter template named 'shop'; choose support, "
                                           "agency, blank"):
        starters.set_up(admin, "shop")
    assert Space.select().count() == 0


def test_an_agent_names_itself_and_only_an_admin_names_others(db, admin):
    bob = agents.add(admin, "bob")
    assert agents.set_name(bob, "bob", "Bob Baker").name == "Bob Baker"
    with pytest.raises(PermissionDenied):
        agents.set_name(bob, admin.username, "Not You")
    with pytest.raises(InvalidInput):
        agents.set_name(bob, "bob", "  ")
    assert Agent.get(Agent.username == "bob").name == "Bob Baker"
    (row,) = Activity.select().where((Activity.entity == "agent") & (Activity.field == "name"))
    assert (row.actor, row.old, row.new) == ("bob", "bob", "Bob Baker")


def test_a_shipped_rule_the_workspace_cannot_serve_does_not_run(db, admin):
    """On a support desk the birthday rule (which creates its task on Accounts) stays idle
    instead of failing every minute."""
    starters.set_up(admin, "support")
    clients.create(admin, "Acme", "client", contact_person="Ann", birthday=date(1980, 11, 25))
    now = datetime(2026, 11, 18, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    report = processor.run_automations(Settings(timezone="Europe/Berlin"), now, admin)
    assert report.errors == [] and Task.select().count() == 0
    idle = workspace_names.not_in_use(rules.parse(Settings().automations))
    assert [name for name, *_ in idle] == [
        "invoice a fulfilled order", "follow up a sent proposal", "birthday greetings",
        "thank a client for a higher tier", "retainer nearly used", "retainer cycle report",
        "call an NPS detractor"]


def test_the_command_line_and_the_app_offer_every_template_in_order():
    from desk.cli.init import STARTERS
    from desk.screens.actions.first_start import TEMPLATES

    assert STARTERS == starters.NAMES == tuple(value for _, value in TEMPLATES)
    assert [starters.starter(name).name for name in starters.NAMES] == list(starters.NAMES)
