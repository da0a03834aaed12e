"""Teams: whose turn it is when work is handed round a team."""

from __future__ import annotations

from peewee import fn

from desk.dialect import locking, serialize
from desk.errors import InvalidInput, NotFound
from desk.models import Agent, RoundRobin, Team, TeamMember


def next_in_team(team_name: str) -> str:
    """The user name whose turn it is in a team, which then becomes the last one served.

    Turns go round the members who may write and are not away, in the order they became
    agents, starting after the member the team's previous turn went to. Call inside the
    writing transaction: concurrent callers take turns (`serialize`). NotFound for an unknown
    team, InvalidInput when nobody in it can take work.
    """
    team = Team.select().where(fn.LOWER(Team.name) == team_name.strip().lower()).first()
    if team is None:
        raise NotFound(f"no team named {team_name!r}")
    serialize(f"round-robin:{team.id}")
    members = list(Agent.select(Agent.id, Agent.username).join(TeamMember)
                   .where((TeamMember.team == team.id) & ~Agent.away & (Agent.role != "viewer"))
                   .order_by(Agent.id))
    if not members:
        raise InvalidInput(f"nobody in team {team.name} can take work now (away or viewers)")
    turn = locking(RoundRobin.select().where(RoundRobin.team == team.id)).first()
    last = turn.agent_id if turn is not None and turn.agent_id is not None else 0
    chosen = next((member for member in members if member.id > last), members[0])
    if turn is None:
        RoundRobin.create(team=team.id, agent=chosen.id)
    else:
        RoundRobin.update(agent=chosen.id).where(RoundRobin.team == team.id).execute()
    return chosen.username
