"""The demo as it is being built: its content, who acts, the moment, the seeded dice, and what
the earlier stages made (agents, lists, clients) for the later ones to use.

Every random choice comes from one `random.Random(seed)` (`rng`), drawn in a fixed order, so
the same seed builds the same workspace; the few details the services' history needs beyond
the original draws (a requester's follow-up, when a score came in) come from a second
generator of the same seed (`aside`), so that they leave the main sequence as it was. Every
moment is relative to `now` and never later than it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from msgspec import Struct

from desk.demo.content import ADMIN, ClientSpec, Content
from desk.kernel.agents import AgentRef
from desk.models import Task, Team
from desk.sla import Book
from desk.work import tasks, workspace

Progress = Callable[[str, int, int], None]  # progress(stage, done, total)


class ListInfo(Struct, frozen=True):
    """A list as built: its id, the team that works it (name and id), its statuses by name (in
    order) with their categories, and its statuses with their ids."""

    id: int
    team: str | None
    team_id: int | None
    categories: dict[str, str]
    statuses: tuple[workspace.StatusRef, ...]

    @property
    def first_status(self) -> str:
        """The status new tasks of the list start in."""
        return self.statuses[0].name


class ClientInfo(Struct):
    """A client as built: its id, spec and the facts other stages use."""

    id: int
    spec: ClientSpec
    created_at: datetime
    acquired: date | None


class Touch(Struct, frozen=True):
    """A call, e-mail or meeting with a client, logged in the interactions stage."""

    at: datetime
    client_id: int
    agent: str
    kind: str
    summary: str


@dataclass  # not a Struct: __post_init__ adds the attributes worked out from the seed
class Demo:
    """What every stage of the build shares."""

    content: Content
    admin: AgentRef
    seed: int
    now: datetime
    sla_rules: Book
    report: Progress
    agents: dict[str, AgentRef] = field(default_factory=dict)
    lists: dict[str, ListInfo] = field(default_factory=dict)
    clients: list[ClientInfo] = field(default_factory=list)
    touches: list[Touch] = field(default_factory=list)
    churns: list[tuple[datetime, ClientInfo]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.aside = random.Random(f"{self.seed}:aside")
        self.today = self.now.date()
        self.by_name: dict[str, ClientInfo] = {}

    # -- who and where --

    def agent(self, username: str) -> AgentRef:
        """A demo agent by user name ("@admin": the agent the demo is built by)."""
        return self.admin if username == ADMIN else self.agents[username]

    def add_list(self, name: str, list_id: int, team: str | None) -> None:
        """Remember a list just created, with its statuses and the id of its team."""
        statuses = tuple(workspace.statuses(list_id))
        team_id = Team.select(Team.id).where(Team.name == team).scalar() if team else None
        self.lists[name] = ListInfo(list_id, team, team_id,
                                    {s.name: s.category for s in statuses}, statuses)

    def add_client(self, info: ClientInfo) -> None:
        """Remember a client just created."""
        self.clients.append(info)
        self.by_name[info.spec.name] = info

    # -- tasks --

    def version(self, task_id: int) -> int:
        """The version of a task as stored now (what the next change names)."""
        return Task.select(Task.version).where(Task.id == task_id).scalar()

    def update_task(self, agent: AgentRef, task_id: int, moment: datetime,
                    **changes: object) -> None:
        """Change a task at `moment` through the task service, as of its current version."""
        tasks.update(agent, task_id, self.version(task_id), sla_rules=self.sla_rules,
                     now=moment, **changes)

    # -- dice --

    def weighted(self, weights: dict, rng: random.Random | None = None):
        """One key of {value: weight}."""
        return (rng or self.rng).choices(list(weights), list(weights.values()))[0]

    def at(self, day: date, earliest: int = 8, latest: int = 17) -> datetime:
        """A working-hours moment on `day`, never later than a few minutes before now."""
        moment = datetime.combine(day, time(self.rng.randint(earliest, latest),
                                            self.rng.randrange(0, 60, 5)))
        return min(moment, self.now - timedelta(minutes=10))

    def days_ago(self, low: int, high: int) -> datetime:
        """A working-hours moment between `high` and `low` days ago."""
        return self.at(self.today - timedelta(days=self.rng.randint(low, high)))

    def after(self, moment: datetime, low_minutes: int, high_minutes: int, *,
              office_hours: bool = True, rng: random.Random | None = None) -> datetime:
        """A moment some minutes after `moment`, capped a minute before now.

        With `office_hours` (agents at work) a moment outside 8:00-18:00 moves on to the next
        morning; requesters write at any hour.
        """
        dice = rng or self.rng
        later = moment + timedelta(minutes=dice.randint(low_minutes, high_minutes))
        if office_hours and not 8 <= later.hour < 18:
            morning = later.date() + timedelta(days=1 if later.hour >= 18 else 0)
            later = datetime.combine(morning, time(8, dice.randrange(0, 60, 5)))
        return min(later, self.now - timedelta(minutes=1))

    def first_name(self, person: str) -> str:
        """How a reply greets someone: 'Dr Hannah Moss' -> 'Hannah', 'Blue Door Café' ->
        'Blue'."""
        titles = self.content.clientele.titles
        words = [word for word in person.split() if word.rstrip(".") not in titles]
        return words[0] if words else person

