"""The first start's answers written at once: the admin's profile (display name, e-mail,
signature), the workspace's settings (company, time zone, working hours) and the starter
template, in one transaction, so an answer refused at the end leaves nothing half set up.
"""

from __future__ import annotations

from collections.abc import Mapping

from msgspec import Struct, field

from desk.kernel import profiles, workspace_settings
from desk.kernel.agents import AgentRef
from desk.models import database
from desk.work import starters


class Answers(Struct, frozen=True):
    """What the first start asked: `profile` holds the profile fields given (name, email,
    signature), `workspace` the workspace settings given (company, timezone, hours)."""

    template: str
    profile: Mapping[str, object] = field(default_factory=dict)
    workspace: Mapping[str, object] = field(default_factory=dict)


def set_up(agent: AgentRef, answers: Answers
           ) -> tuple[starters.Starter, workspace_settings.WorkspaceProfile]:
    """Write the answers (admins only: the template needs one); returns the starter made
    and the workspace settings as saved."""
    with database.atomic():
        if answers.profile:
            read = profiles.profile(agent.username).version
            profiles.update(agent, agent.username, read, **answers.profile)
        if answers.workspace:
            workspace_settings.save(agent, answers.workspace)
        chosen = starters.set_up(agent, answers.template)
    return chosen, workspace_settings.current()
