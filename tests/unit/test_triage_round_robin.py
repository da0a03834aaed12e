"""Round-robin assignment through triage: each task goes to the team and to the member whose
turn it is (skipping people away and viewers), turns carry on between calls, and a team
nobody can take work in fails task by task without changing anything."""

from __future__ import annotations

import pytest

from desk import sla
from desk.config import Settings
from desk.errors import NotFound
from desk.kernel import agents
from desk.models import Agent, Task
from desk.support import triage
from desk.work import tasks, workspace

SLA_RULES = sla.book(Settings())  # the shipped SLA rules


@pytest.fixture
def desk(admin) -> dict[str, object]:
    """A team Support of ann, bob (away), cat and vic (a viewer), and four new tasks."""
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Support inbox").id
    for name, role in (("ann", "agent"), ("bob", "agent"), ("cat", "agent"), ("vic", "viewer")):
        agents.add(admin, name, role=role, teams=("Support",))
    Agent.update(away=True).where(Agent.username == "bob").execute()
    ids = [tasks.create(admin, f"Query {n}", inbox, kind="query",
                        sla_rules=SLA_RULES).row.id for n in range(4)]
    return {"ids": ids}


def assignees(ids: list[int]) -> list[tuple[str, ...]]:
    """The assignees of tasks, in the order given."""
    return [tasks.get(task_id).row.assignees for task_id in ids]


def test_turns_go_round_the_members_who_can_take_work(desk, admin):
    ids = desk["ids"]
    summary = triage.apply(admin, triage.Target(frozenset(ids[:3])), round_robin="support")
    assert summary.changed == tuple(ids[:3])
    assert assignees(ids[:3]) == [("ann",), ("cat",), ("ann",)]  # bob away, vic a viewer
    assert {tasks.get(task_id).team for task_id in ids[:3]} == {"Support"}
    triage.apply(admin, triage.Target(frozenset(ids[3:])), round_robin="Support")
    assert assignees(ids[3:]) == [("cat",)]  # the turn carried on from the last call


def test_an_unknown_team_is_refused_before_anything_changes(desk, admin):
    with pytest.raises(NotFound, match="no team named 'Ghosts'"):
        triage.apply(admin, triage.Target(frozenset(desk["ids"])), round_robin="Ghosts")
    assert assignees(desk["ids"]) == [(), (), (), ()]


def test_a_team_with_nobody_available_fails_each_task(desk, admin):
    Agent.update(away=True).where(Agent.username.in_(["ann", "cat"])).execute()
    ids = desk["ids"][:2]
    summary = triage.apply(admin, triage.Target(frozenset(ids)), round_robin="Support")
    assert summary.failed == tuple(
        (task_id, "nobody in team Support can take work now (away or viewers)")
        for task_id in ids)
    assert assignees(ids) == [(), ()]
    assert Task.select().where(Task.team.is_null(False)).count() == 0
