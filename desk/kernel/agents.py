"""Who is acting: agents come from the operating-system account, never from $USER."""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass

from desk.db import named_ids
from desk.dialect import serialize
from desk.errors import InvalidInput, NotFound, PermissionDenied
from desk.kernel import audit
from desk.kernel.inputs import required_text, without_nul
from desk.models import Agent, Team, TeamMember, database
from desk.vocabulary import ROLES

ADMINS = "agents.admins"  # `serialize` key of every change that decides who is an admin


@dataclass(frozen=True)
class AgentRef:
    """The acting agent, as services need it."""

    id: int
    username: str
    name: str
    role: str

    @property
    def can_write(self) -> bool:
        """Viewers may look at everything and change nothing."""
        return self.role != "viewer"


def os_username() -> str:
    """The operating-system account running this process (not $USER, which anyone can set)."""
    return pwd.getpwuid(os.getuid()).pw_name


def _display_name(username: str) -> str:
    """The account's full name from the password database, or the user name."""
    try:
        gecos = pwd.getpwnam(username).pw_gecos.split(",")[0].strip()
    except KeyError:
        gecos = ""
    return gecos or username


def ref(agent: Agent) -> AgentRef:
    """The plain reference of an Agent row."""
    return AgentRef(agent.id, agent.username, agent.name, agent.role)


def acting(username: str | None = None) -> AgentRef:
    """The agent for this account; on a database with no agents yet it becomes the admin.

    An account that is not an agent of this desk is refused with a clear message. Two
    accounts opening a fresh database at once take turns, so only the first becomes admin.
    """
    username = username or os_username()
    agent = Agent.get_or_none(Agent.username == username)
    if agent is not None:
        return ref(agent)
    with database.atomic():
        serialize(ADMINS)
        agent = Agent.get_or_none(Agent.username == username)
        if agent is None and not Agent.select().exists():
            agent = Agent.create(username=username, name=_display_name(username), role="admin")
            audit.record("agent", agent.id, ref(agent), {"role": (None, "admin")}, None,
                         "agent.created", {"first_use": True})
    if agent is None:
        raise PermissionDenied(
            f"the account {username!r} is not an agent of this desk; "
            f"an admin can add it with: desk agents add {username}"
        )
    return ref(agent)


def require_writer(agent: AgentRef) -> None:
    """Refuse a change by a viewer."""
    if not agent.can_write:
        raise PermissionDenied(f"{agent.username} is a viewer and cannot change anything")


def require_admin(agent: AgentRef) -> None:
    """Refuse an administrative change by anyone but an admin."""
    if agent.role != "admin":
        raise PermissionDenied(f"only an admin can do this; {agent.username} is {agent.role}")


def add(actor: AgentRef, username: str, role: str = "agent", name: str = "", email: str = "",
        teams: tuple[str, ...] = ()) -> AgentRef:
    """Add an agent (admins only); teams are created when new.

    Recorded as activity: the agent's role and teams ("role", "team"), and each new team
    ("team" entity, field "name").
    """
    require_admin(actor)
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    username = without_nul(username.strip(), "an agent name")
    if not username or any(ch.isspace() for ch in username):
        raise InvalidInput(f"agent name {username!r} must be one word (the account name)")
    name, email = without_nul(name, "a name"), without_nul(email, "an e-mail address")
    team_names = sorted({required_text(team, what="a team name", limit=100) for team in teams})
    with database.atomic():
        if Agent.select().where(Agent.username == username).exists():
            raise InvalidInput(f"{username} is already an agent")
        agent = Agent.create(username=username, name=name or username, email=email, role=role)
        team_ids, created = named_ids(Team, team_names)
        for team_name in sorted(created):
            audit.record("team", team_ids[team_name], actor, {"name": (None, team_name)}, None,
                         "team.created")
        if team_ids:
            TeamMember.insert_many([{"team": team_id, "agent": agent.id}
                                    for team_id in team_ids.values()]).execute()
        changes = {"role": (None, role)}
        if team_names:
            changes["team"] = (None, tuple(team_names))
        audit.record("agent", agent.id, actor, changes, None, "agent.created")
    return ref(agent)


def set_role(actor: AgentRef, username: str, role: str) -> AgentRef:
    """Change an agent's role (admins only); the last admin cannot be demoted.

    Role changes take turns, and the actor must still be an admin when its turn comes: two
    admins demoting each other at once leave one of them admin.
    """
    require_admin(actor)
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    with database.atomic():
        serialize(ADMINS)
        current = Agent.get_or_none(Agent.id == actor.id)
        if current is None:
            raise PermissionDenied(f"{actor.username} is no longer an agent of this desk")
        require_admin(ref(current))
        agent = find(username)
        admins = Agent.select().where(Agent.role == "admin").count()
        if agent.role == "admin" and role != "admin" and admins == 1:
            raise InvalidInput(f"{username} is the last admin; make someone else admin first")
        old = agent.role
        Agent.update(role=role).where(Agent.id == agent.id).execute()
        audit.record("agent", agent.id, actor, {"role": (old, role)}, None, "agent.updated")
    return AgentRef(agent.id, agent.username, agent.name, role)


def find(username: str) -> Agent:
    """The agent with this user name, or NotFound."""
    agent = Agent.get_or_none(Agent.username == username)
    if agent is None:
        raise NotFound(f"no agent named {username!r}")
    return agent


def listing() -> list[dict]:
    """Every agent with role and teams, as plain dicts."""
    teams: dict[int, list[str]] = {}
    for agent_id, team in (TeamMember.select(TeamMember.agent, Team.name)
                           .join(Team).tuples()):
        teams.setdefault(agent_id, []).append(team)
    return [
        {"username": a.username, "name": a.name, "email": a.email, "role": a.role,
         "away": a.away, "teams": sorted(teams.get(a.id, []))}
        for a in Agent.select().order_by(Agent.username)
    ]
