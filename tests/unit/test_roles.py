"""Roles from the database, not from a reference: a demoted or disabled agent's open desk
cannot save; agents are disabled, enabled and removed; the last admin stays."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from desk import sla
from desk.automation import background
from desk.cli import main
from desk.config import Settings
from desk.errors import InvalidInput, PermissionDenied
from desk.kernel import agents, teams
from desk.models import Activity, Agent, RecurringSeries, Task, TeamMember, database
from desk.recurrence import series as recurrence
from desk.work import tasks, views, workspace

CALENDAR = sla.book(Settings()).calendar  # the shipped working week


@pytest.fixture
def inbox(admin) -> int:
    """The id of a list to put tasks on."""
    workspace.create_space(admin, "Support")
    return workspace.create_list(admin, "Support", "Inbox").id


def test_a_demoted_agents_reference_can_no_longer_save(admin, inbox):
    bob = agents.add(admin, "bob", role="agent")
    task = tasks.create(bob, "Before", inbox).row
    agents.set_role(admin, "bob", "viewer")

    assert bob.can_write  # what an open app of bob's still holds
    with pytest.raises(PermissionDenied, match="bob is a viewer"):
        tasks.create(bob, "After", inbox)
    with pytest.raises(PermissionDenied, match="bob is a viewer"):
        tasks.update(bob, task.id, task.version, title="Renamed")
    assert [row.title for row in Task.select()] == ["Before"]


def test_a_promoted_viewer_may_write_at_once(admin, inbox):
    vera = agents.add(admin, "vera", role="viewer")
    agents.set_role(admin, "vera", "agent")
    assert tasks.create(vera, "Now allowed", inbox).row.title == "Now allowed"


def test_a_disabled_agent_is_refused_everywhere_and_keeps_their_history(admin, inbox):
    bob = agents.add(admin, "bob", role="agent")
    tasks.create(bob, "Bob's work", inbox)
    assert agents.set_disabled(admin, "bob", True).disabled

    with pytest.raises(PermissionDenied, match="'bob' is disabled on this desk; an admin can "
                                               "enable it with: desk agents enable bob"):
        agents.acting("bob")
    with pytest.raises(PermissionDenied, match="disabled"):
        tasks.create(bob, "Not any more", inbox)
    with pytest.raises(PermissionDenied, match="disabled"):
        agents.standing(bob)
    [row] = [agent for agent in agents.listing() if agent["username"] == "bob"]
    assert row["disabled"] and Task.get().created_by.username == "bob"
    assert [(a.field, a.old, a.new) for a in Activity.select().where(
        (Activity.entity == "agent") & (Activity.field == "disabled"))] == [("disabled", "no",
                                                                              "yes")]
    agents.set_disabled(admin, "bob", False)
    assert agents.acting("bob").can_write


def test_a_disabled_admin_can_administer_nothing(admin):
    agents.add(admin, "boss", role="admin")
    boss = agents.acting("boss")
    agents.set_disabled(admin, "boss", True)
    with pytest.raises(PermissionDenied, match="disabled"):
        agents.add(boss, "carol")
    assert not Agent.select().where(Agent.username == "carol").exists()


@pytest.mark.parametrize("change, message", [
    (lambda admin: agents.set_role(admin, admin.username, "agent"), "cannot be demoted"),
    (lambda admin: agents.set_disabled(admin, admin.username, True), "cannot be disabled"),
    (lambda admin: agents.remove(admin, admin.username), "cannot be removed"),
])
def test_the_last_enabled_admin_stays(admin, change, message):
    agents.add(admin, "boss", role="admin")
    agents.set_disabled(admin, "boss", True)  # a disabled admin is no admin to fall back on
    with pytest.raises(InvalidInput, match=f"is the last admin and {message}"):
        change(admin)
    assert Agent.get(Agent.username == admin.username).role == "admin"
    assert not Agent.get(Agent.username == admin.username).disabled


def test_an_agent_without_history_is_removed_with_their_teams(admin):
    agents.add(admin, "typo", role="agent", teams=("Support",))
    agents.remove(admin, "typo")
    assert not Agent.select().where(Agent.username == "typo").exists()
    assert TeamMember.select().count() == 0
    assert Activity.select().where(Activity.field == "username").get().old == "typo"


def test_saving_even_a_view_is_history(admin):
    typo = agents.add(admin, "typo", role="agent")
    views.save(typo, "tasks", "mine", "@me")
    with pytest.raises(InvalidInput, match=r"typo has history in this desk \(.*activity row"):
        agents.remove(admin, "typo")


def test_an_agent_with_history_is_not_removed(admin, inbox):
    bob = agents.add(admin, "bob")
    tasks.create(bob, "Bob's work", inbox, assignees=["bob"])
    with pytest.raises(InvalidInput, match=r"bob has history in this desk \(.*1 task row.*\); "
                                           r".*desk agents disable bob"):
        agents.remove(admin, "bob")
    assert Agent.select().where(Agent.username == "bob").exists()


def test_only_admins_disable_or_remove(admin):
    bob = agents.add(admin, "bob")
    agents.add(admin, "carol")
    for change in (lambda: agents.set_disabled(bob, "carol", True),
                   lambda: agents.remove(bob, "carol")):
        with pytest.raises(PermissionDenied, match="only an admin can do this; bob is agent"):
            change()
    assert not Agent.get(Agent.username == "carol").disabled


def test_the_background_work_of_a_demoted_agent_does_nothing(admin, inbox):
    task = tasks.create(admin, "Daily", inbox).row.id
    zone = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 1, 5, 8, tzinfo=zone)
    recurrence.set_series(admin, task, recurrence.SeriesSpec("daily", starts_at=start), zone,
                          calendar=CALENDAR, now=start)
    bob = agents.add(admin, "bob")
    agents.set_role(admin, "bob", "viewer")
    before = (Task.select().count(), RecurringSeries.get().next_at, Activity.select().count())
    with pytest.raises(PermissionDenied, match="bob is a viewer"):
        background.run_due_work(Settings(), datetime(2026, 1, 9, 9, tzinfo=zone), bob)
    assert (Task.select().count(), RecurringSeries.get().next_at,
            Activity.select().count()) == before


def test_only_an_admin_may_tick_ahead_of_the_clock(db_url, monkeypatch, capsys):
    monkeypatch.setenv("DESK_DATABASE", db_url)
    assert main(["init"]) == 0
    me = agents.acting()
    workspace.create_space(me, "Support")
    inbox = workspace.create_list(me, "Support", "Inbox").id
    task = tasks.create(me, "Daily", inbox).row.id
    recurrence.set_series(me, task, recurrence.SeriesSpec("daily"), ZoneInfo("UTC"),
                          calendar=CALENDAR)
    agents.add(me, "boss", role="admin")
    agents.set_role(agents.acting("boss"), me.username, "agent")
    planned = RecurringSeries.get().next_at
    capsys.readouterr()

    assert main(["tick", "--now", "2100-01-01"]) == 1
    assert capsys.readouterr().err == (
        "desk: --now 2100-01-01 is ahead of the clock: acting for a later moment creates the "
        "work due then and moves every recurring series on for good, so only an admin may "
        f"(only an admin can do this; {me.username} is agent)\n")
    assert RecurringSeries.get().next_at == planned and Task.select().count() == 1
    assert main(["tick", "--now", "2026-01-01"]) == 0  # an earlier moment: nothing new is due
    assert main(["tick"]) == 0
    assert RecurringSeries.get().next_at == planned
    agents.set_role(agents.acting("boss"), me.username, "admin")
    assert main(["tick", "--now", "2100-01-01"]) == 0  # an admin's deliberate choice
    assert RecurringSeries.get().next_at > planned


def test_work_handed_round_a_team_passes_over_a_disabled_agent(admin):
    agents.add(admin, "bob", teams=("Support",))
    agents.add(admin, "carol", teams=("Support",))
    agents.set_disabled(admin, "bob", True)
    with database.atomic():
        assert [teams.next_in_team("Support") for _ in range(3)] == ["carol"] * 3
