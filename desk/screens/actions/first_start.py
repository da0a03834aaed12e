"""The first start of a new workspace: an admin who opens a desk without any space or list
is asked for their display name and a starter template (desk.work.starters), so the desk
is ready for work at once. Escape at either question skips the set-up and writes nothing;
`desk init --template` does the same later.
"""

from __future__ import annotations

from typing import Any

from desk.kernel import agents
from desk.screens.actions.calls import run_service
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.work import starters

TEMPLATES = (("Support desk: one Support inbox", "support"),
             ("Agency: Support, Orders, Billing, Accounts", "agency"),
             ("Blank: no spaces or lists yet", "blank"))
"""The starter templates as the picker offers them, in the order of desk.work.starters."""

SKIPPED = "Set-up skipped; nothing was written. Later: desk init --template support|agency|blank"


def offer_set_up(app: Any) -> None:
    """Ask a brand-new workspace's admin to set it up (nothing for anyone else)."""
    if app.agent.role == "admin":
        run_service(app, starters.is_new, group="first-start",
                    done=lambda new: new and _ask_name(app))


def _ask_name(app: Any) -> None:
    """Their display name, starting from the one they have."""
    app.push_screen(PromptScreen("Welcome to desk. Your name, as replies and history show it",
                                 value=app.agent.name,
                                 hint="Then choose what your desk starts with."),
                    lambda name: _ask_template(app, name) if name else _skip(app))


def _ask_template(app: Any, name: str) -> None:
    """The starter template, then both are saved in a worker."""
    app.push_screen(PickScreen("Start with which template?", TEMPLATES),
                    lambda template: _save(app, name, template) if template else _skip(app))


def _save(app: Any, name: str, template: str) -> None:
    """Save the name and set up the template; say what was made."""
    agent = app.agent

    def set_up() -> starters.Starter:
        agents.set_name(agent, agent.username, name)
        return starters.set_up(agent, template)

    run_service(app, set_up, group="first-start", done=lambda chosen: app.notify(
        f"Your desk is set up ({chosen.name}): {chosen.description}.", title="desk",
        markup=False))


def _skip(app: Any) -> None:
    """Say that nothing was written, and how to set up later."""
    app.notify(SKIPPED, title="desk", markup=False)
