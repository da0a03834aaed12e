"""The agents of this desk: who is acting (`acting`), what they may do now (`standing`,
`require_writer`, `require_admin`), and the admins' changes to them.

Who is acting is decided by the identity mode (desk.kernel.access.identity), never by $USER. A role
is read from the database whenever it matters: every service checks the agent's current
role (and whether it was disabled) before it writes, so a reference held by an open app since
before a demotion cannot save.
"""

from __future__ import annotations

import pwd
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from msgspec.structs import replace

from desk.clock import stored, utcnow
from desk.db import named_ids
from desk.dialect import serialize
from desk.errors import InvalidInput, NotFound, PermissionDenied
from desk.kernel import audit
from desk.kernel.access import identity
from desk.kernel.agent_ref import AgentRef
from desk.kernel.inputs import required_text, storable_text
from desk.models import Agent, Team, TeamMember, database
from desk.vocabulary import ROLES

ADMINS = "agents.admins"  # `serialize` key of every change that decides who is an admin
RANKS = {"viewer": 0, "agent": 1, "admin": 2}
"""How much each role may do: a role may do what every lower one may."""
OWN_SETTINGS = ("TeamMember", "RoundRobin", "SavedView", "SshKey", "Draft", "Presence", "Notice",
                "Follow")
"""The tables whose rows about an agent are their settings (drafts, presence, what they were
told of and follow), not their history."""


def _display_name(username: str) -> str:
    """The account's full name from the password database, or the user name."""
    try:
        gecos = pwd.getpwnam(username).pw_gecos.split(",")[0].strip()
    except KeyError:
        gecos = ""
    return gecos or username


def ref(agent: Agent, via: str = "", ssh_key: str = "") -> AgentRef:
    """The plain reference of an Agent row."""
    return AgentRef(agent.id, agent.username, agent.name, agent.role, agent.disabled, via,
                    ssh_key)


def acting(username: str | None = None, *, via: str = "", ssh_key: str = "") -> AgentRef:
    """The agent named `username` (as an identity mode established it; default: this OS
    account, `identity.os_identity()`); on a database with no agents yet it becomes the admin.

    An account that is not an agent of this desk, or a disabled one, is refused with a clear
    message. Two accounts opening a fresh database at once take turns, so only the first
    becomes admin. `ssh_key` is the key an agent came in with (ssh mode), which they keep.
    """
    if username is None:
        established = identity.os_identity()
        username, via = established.username, established.via
    agent = Agent.get_or_none(Agent.username == username)
    if agent is None:
        with database.atomic():
            serialize(ADMINS)
            agent = Agent.get_or_none(Agent.username == username)
            if agent is None and not Agent.select().exists():
                agent = Agent.create(username=username, name=_display_name(username),
                                     role="admin")
                audit.record("agent", agent.id, ref(agent, via), {"role": (None, "admin")},
                             None, "agent.created", {"first_use": True})
    if agent is None:
        raise PermissionDenied(
            f"the account {username!r} is not an agent of this desk; "
            f"an admin can add it with: desk agents add {username}"
        )
    if agent.disabled:
        raise PermissionDenied(_disabled(username))
    return ref(agent, via, ssh_key)


def _disabled(username: str) -> str:
    """Why a disabled agent is refused."""
    return (f"the agent {username!r} is disabled on this desk; an admin can enable it with: "
            f"desk agents enable {username}")


def standing(agent: AgentRef) -> AgentRef:
    """`agent` as the database has it now (its role may have changed since the reference was
    made); PermissionDenied when it was disabled or removed, or the SSH key it came in with
    is no longer theirs."""
    # written directly: every write asks, and peewee took longer to build this query than
    # the database took to answer it
    found = database.execute_sql("SELECT username, name, role, disabled FROM agent "
                                 f"WHERE id = {database.param}", (agent.id,)).fetchone()
    if found is None:
        raise PermissionDenied(f"{agent.username} is no longer an agent of this desk")
    username, name, role, disabled = found
    if disabled:
        raise PermissionDenied(_disabled(username))
    if agent.ssh_key and not identity.key_holds(username, agent.ssh_key):
        raise PermissionDenied(identity.key_refused(username, agent.ssh_key))
    return AgentRef(agent.id, username, name, role, bool(disabled), agent.via, agent.ssh_key)


def require(agent: AgentRef, at_least: str) -> AgentRef:
    """Refuse unless `agent`'s current role is `at_least` (viewer, agent, admin) or more;
    returns the agent as it is now."""
    current = standing(agent)
    if RANKS[current.role] < RANKS[at_least]:
        if at_least == "admin":
            raise PermissionDenied(f"only an admin can do this; {current.username} is "
                                   f"{current.role}")
        raise PermissionDenied(f"{current.username} is a viewer and cannot change anything")
    return current


def require_writer(agent: AgentRef) -> None:
    """Refuse a change by a viewer, or by an agent disabled or removed meanwhile (the role is
    read from the database, not from the reference)."""
    require(agent, "agent")


def require_admin(agent: AgentRef) -> None:
    """Refuse an administrative change by anyone but a current admin."""
    require(agent, "admin")


def add(actor: AgentRef, username: str, role: str = "agent", name: str = "", email: str = "",
        teams: tuple[str, ...] = (), *, now: datetime | None = None) -> AgentRef:
    """Add an agent (admins only); teams are created when new.

    Recorded as activity: the agent's role and teams ("role", "team"), and each new team
    ("team" entity, field "name"). `now` is when the agent joined (default: the current
    time; a caller recording history passes the moment).
    """
    require_admin(actor)
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    username = storable_text(username.strip(), "an agent name")
    name, email = storable_text(name, "a name"), storable_text(email, "an e-mail address")
    for what, text, limit in (("an agent name", username, 64), ("a name", name, 200),
                              ("an e-mail address", email, 254)):
        if len(text) > limit:
            raise InvalidInput(f"{what} can have at most {limit} characters")
    if not username or any(ch.isspace() for ch in username):
        raise InvalidInput(f"agent name {username!r} must be one word (the account name)")
    team_names = _team_names(teams)
    moment = stored(now) or utcnow()
    with database.atomic():
        if Agent.select().where(Agent.username == username).exists():
            raise InvalidInput(f"{username} is already an agent")
        agent = Agent.create(username=username, name=name or username, email=email, role=role,
                             created_at=moment)
        _join(actor, agent.id, team_names, moment)
        changes = {"role": (None, role)}
        if team_names:
            changes["team"] = (None, tuple(team_names))
        audit.record("agent", agent.id, actor, changes, None, "agent.created", at=moment)
    return ref(agent)


def join_teams(actor: AgentRef, username: str, teams: tuple[str, ...], *,
               now: datetime | None = None) -> tuple[str, ...]:
    """Make an agent a member of `teams` too (admins only), creating teams that are new;
    returns the teams joined (those it was in already are left out). Recorded as activity of
    the agent ("team"), and of each new team; `now` as for `add`."""
    require_admin(actor)
    team_names = _team_names(teams)
    moment = stored(now) or utcnow()
    with database.atomic():
        agent = find(username)
        already = {name for (name,) in Team.select(Team.name).join(TeamMember)
                   .where(TeamMember.agent == agent.id).tuples()}
        joined = tuple(name for name in team_names if name not in already)
        _join(actor, agent.id, joined, moment)
        if joined:
            audit.record("agent", agent.id, actor, {"team": (None, joined)}, None,
                         "agent.updated", at=moment)
    return joined


def _team_names(teams: tuple[str, ...]) -> list[str]:
    """Team names checked, without duplicates, sorted."""
    return sorted({required_text(team, what="a team name", limit=100) for team in teams})


def _join(actor: AgentRef, agent_id: int, team_names: Sequence[str], moment: datetime) -> None:
    """Add the agent to the named teams, creating (and recording) those that are new."""
    team_ids, created = named_ids(Team, team_names)
    for team_name in sorted(created):
        audit.record("team", team_ids[team_name], actor, {"name": (None, team_name)}, None,
                     "team.created", at=moment)
    if team_ids:
        TeamMember.insert_many([{"team": team_id, "agent": agent_id}
                                for team_id in team_ids.values()]).execute()


@contextmanager
def _admin_change(actor: AgentRef) -> Iterator[None]:
    """A transaction for a change that decides who may do what: such changes take turns,
    and the actor must still be an admin when its turn comes (two admins demoting each other
    at once leave one of them admin)."""
    with database.atomic():
        serialize(ADMINS)
        require_admin(actor)
        yield


def _keep_an_admin(agent: Agent, action: str) -> None:
    """Refuse to demote, disable or remove `agent` when it is the last enabled admin."""
    if agent.role != "admin" or agent.disabled:
        return
    others = Agent.select().where((Agent.role == "admin") & ~Agent.disabled
                                  & (Agent.id != agent.id))
    if not others.exists():
        raise InvalidInput(f"{agent.username} is the last admin and cannot be {action}; make "
                           "someone else admin first")


def set_role(actor: AgentRef, username: str, role: str) -> AgentRef:
    """Change an agent's role (admins only); the last admin cannot be demoted. An open app of
    that agent follows within seconds (desk.screens.actions.app.standing)."""
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    with _admin_change(actor):
        agent = find(username)
        if role != "admin":
            _keep_an_admin(agent, "demoted")
        old = agent.role
        Agent.update(role=role).where(Agent.id == agent.id).execute()
        audit.record("agent", agent.id, actor, {"role": (old, role)}, None, "agent.updated")
    return replace(ref(agent), role=role)


def set_name(actor: AgentRef, username: str, name: str) -> AgentRef:
    """Set the display name replies, notes and history show for an agent: your own, or
    anyone's as an admin. Recorded as activity of the agent ("name")."""
    require_writer(actor)
    if username != actor.username:
        require_admin(actor)
    name = required_text(name, what="a display name", limit=200)
    with database.atomic():
        agent = find(username)
        if agent.name != name:
            Agent.update(name=name, version=Agent.version + 1).where(
                Agent.id == agent.id).execute()
            audit.record("agent", agent.id, actor, {"name": (agent.name, name)}, None,
                         "agent.updated")
    return replace(ref(agent), name=name)


def set_disabled(actor: AgentRef, username: str, disabled: bool) -> AgentRef:
    """Disable an agent (admins only): they can no longer open the desk, and an open app of
    theirs stops within seconds; everything they did keeps their name. `disabled=False`
    enables them again. The last admin cannot be disabled."""
    with _admin_change(actor):
        agent = find(username)
        if disabled:
            _keep_an_admin(agent, "disabled")
        if agent.disabled != disabled:
            Agent.update(disabled=disabled).where(Agent.id == agent.id).execute()
            audit.record("agent", agent.id, actor, {"disabled": (agent.disabled, disabled)},
                         None, "agent.updated")
    return replace(ref(agent), disabled=disabled)


def remove(actor: AgentRef, username: str) -> None:
    """Remove an agent who left no trace (admins only), e.g. one added by mistake: their row
    and team memberships go. An agent whose name is on anything (a change, a comment, a
    task, an assignment...) is refused, since removing them would take their name off the
    history: disable them instead. The last admin cannot be removed."""
    with _admin_change(actor):
        agent = find(username)
        _keep_an_admin(agent, "removed")
        traces = _traces(agent)
        if traces:
            raise InvalidInput(
                f"{username} has history in this desk ({', '.join(traces)}); removing them "
                f"would take their name off it, so disable them instead: desk agents disable "
                f"{username}")
        audit.record("agent", agent.id, actor, {"username": (username, None)}, None,
                     "agent.removed")
        Agent.delete().where(Agent.id == agent.id).execute()


def _traces(agent: Agent) -> list[str]:
    """What in the database names `agent` beyond their own settings, as "3 task rows"."""
    found = []
    for field, model in Agent._meta.backrefs.items():
        if model.__name__ in OWN_SETTINGS:
            continue
        count = model.select().where(field == agent.id).count()
        if count:
            found.append(f"{count} {model._meta.table_name} row{'s' if count != 1 else ''}")
    return found


def find(username: str) -> Agent:
    """The agent with this user name, or NotFound."""
    agent = Agent.get_or_none(Agent.username == storable_text(username, "an agent name"))
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
         "away": a.away, "disabled": a.disabled, "teams": sorted(teams.get(a.id, []))}
        for a in Agent.select().order_by(Agent.username)
    ]
