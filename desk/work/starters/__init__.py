"""Starter templates: the spaces, lists, statuses and teams a new workspace begins with.

Each template is a YAML file beside this module (support, agency, blank). `set_up` writes
one through the workspace services, so every space, list and team has its history. The
agency template holds what the shipped automations name (Orders with Fulfilled, Billing
and its team, Accounts with Done), the support template what a support inbox needs.
"""

from __future__ import annotations

from importlib import resources

import yaml
from msgspec import Struct

from desk.errors import InvalidInput
from desk.kernel import agents
from desk.kernel.agents import AgentRef
from desk.models import Space, TaskList, database
from desk.work import workspace

NAMES = ("support", "agency", "blank")
"""The starter templates, in the order they are offered."""


class Starter(Struct, frozen=True):
    """One template: what it is for, its teams, and its spaces as (space, lists), each list
    as (name, ((status, category), ...))."""

    name: str
    description: str
    teams: tuple[str, ...]
    spaces: tuple[tuple[str, tuple[tuple[str, tuple[tuple[str, str], ...]], ...]], ...]


def starter(name: str) -> Starter:
    """The template called `name` (InvalidInput naming the choices for any other)."""
    if name not in NAMES:
        raise InvalidInput(f"no starter template named {name!r}; choose {', '.join(NAMES)}")
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    spaces = tuple(
        (space["name"], tuple((entry["name"], tuple((status, category)
                                                    for status, category in entry["statuses"]))
                              for entry in space["lists"]))
        for space in data["spaces"])
    return Starter(name, data["description"], tuple(data["teams"]), spaces)


def is_new() -> bool:
    """Whether the workspace has no space and no list yet: a starter template fits it."""
    return not (Space.select().exists() or TaskList.select().exists())


def set_up(agent: AgentRef, name: str) -> Starter:
    """Give a workspace without spaces or lists the template `name` (admins only), in one
    transaction; the agent joins its teams. A workspace that has spaces already is refused
    (InvalidInput), untouched."""
    agents.require_admin(agent)
    chosen = starter(name)
    with database.atomic():
        if not is_new():
            raise InvalidInput("this workspace has spaces already; a starter template is "
                               "for a new one")
        for space, lists in chosen.spaces:
            workspace.create_space(agent, space)
            for list_name, statuses in lists:
                workspace.create_list(agent, space, list_name, statuses)
        if chosen.teams:
            agents.join_teams(agent, agent.username, chosen.teams)
    return chosen
