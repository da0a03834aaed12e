"""Agents: identity from the OS account, the first admin, refusals and roles."""

from __future__ import annotations

import os
import pwd

import pytest

from desk.errors import InvalidInput, PermissionDenied
from desk.kernel import agents
from desk.kernel.access import identity
from desk.models import Activity, Agent, Team, TeamMember


def test_identity_is_the_os_account_not_the_user_variable(monkeypatch):
    monkeypatch.setattr(identity, "pwd", pwd)  # the real password database, not the tests' own
    monkeypatch.setenv("USER", "boss")
    monkeypatch.setenv("LOGNAME", "boss")
    assert identity.os_account() == pwd.getpwuid(os.getuid()).pw_name != "boss"


def test_the_first_account_on_a_new_database_becomes_its_admin(db):
    assert Agent.select().count() == 0
    me = agents.acting()
    assert (me.username, me.role) == (identity.os_account(), "admin")
    assert agents.acting() == me and Agent.select().count() == 1


def test_an_account_that_is_not_an_agent_is_refused(admin):
    with pytest.raises(PermissionDenied) as refused:
        agents.acting("mallory")
    assert "'mallory' is not an agent of this desk" in str(refused.value)
    assert "desk agents add mallory" in str(refused.value)
    assert not Agent.select().where(Agent.username == "mallory").exists()


def test_an_admin_adds_agents_with_roles_and_teams(admin):
    added = agents.add(admin, "bob", role="viewer", name="Bob Ray", teams=("Support",))
    assert added.role == "viewer" and not added.can_write
    assert agents.acting("bob") == added
    [bob] = [row for row in agents.listing() if row["username"] == "bob"]
    assert bob["teams"] == ["Support"] and bob["name"] == "Bob Ray"
    assert Activity.select().where((Activity.entity == "agent")
                                   & (Activity.entity_id == added.id)).exists()


@pytest.mark.parametrize("username, role, message", [
    ("two words", "agent", "must be one word"),
    ("carol", "boss", "role must be one of admin, agent, viewer"),
    ("car\x00ol", "agent", "an agent name cannot contain a NUL character"),
])
def test_bad_agents_are_refused(admin, username, role, message):
    with pytest.raises(InvalidInput, match=message):
        agents.add(admin, username, role=role)
    assert Agent.select().count() == 1


def test_only_admins_add_agents(admin):
    bob = agents.add(admin, "bob", role="agent")
    with pytest.raises(PermissionDenied, match="only an admin"):
        agents.add(bob, "carol")


def test_the_last_admin_cannot_be_demoted(admin):
    with pytest.raises(InvalidInput, match="last admin"):
        agents.set_role(admin, admin.username, "agent")
    agents.add(admin, "bob", role="admin")
    assert agents.set_role(admin, admin.username, "agent").role == "agent"


def activity(entity: str, entity_id: int) -> list[tuple[str, str | None, str | None]]:
    """(field, old, new) of the activity rows of one row, oldest first."""
    return list(Activity.select(Activity.field, Activity.old, Activity.new)
                .where((Activity.entity == entity) & (Activity.entity_id == entity_id))
                .order_by(Activity.id).tuples())


def test_the_first_admin_is_recorded(db):
    me = agents.acting("alice")
    assert activity("agent", me.id) == [("role", None, "admin")]
    (row,) = Activity.select()
    assert (row.actor, row.agent_id) == ("alice", me.id)
    agents.acting("alice")  # an agent already: nothing more is recorded
    assert Activity.select().count() == 1


def test_new_teams_and_memberships_are_recorded(admin):
    support = Team.create(name="Support")
    bob = agents.add(admin, "bob", teams=(" Sales ", "Support", "Sales"))

    sales = Team.get(Team.name == "Sales")
    assert activity("team", sales.id) == [("name", None, "Sales")]
    assert activity("team", support.id) == []  # it existed already
    assert activity("agent", bob.id) == [("role", None, "agent"), ("team", None, "Sales, Support")]
    assert TeamMember.select().where(TeamMember.agent == bob.id).count() == 2


def test_a_team_name_must_be_given(admin):
    with pytest.raises(InvalidInput, match="a team name cannot be empty"):
        agents.add(admin, "bob", teams=("  ",))
    assert Agent.select().count() == 1 and Team.select().count() == 0


def test_a_demoted_admin_can_no_longer_change_roles(admin):
    bob = agents.add(admin, "bob", role="admin")
    agents.add(admin, "carol", role="admin")
    agents.set_role(admin, "bob", "agent")

    with pytest.raises(PermissionDenied, match="only an admin can do this; bob is agent"):
        agents.set_role(bob, "carol", "viewer")  # bob's reference still says admin
    assert Agent.get(Agent.username == "carol").role == "admin"
