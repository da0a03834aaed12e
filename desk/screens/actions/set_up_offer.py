"""Whether to offer the first start's set-up: only to the admin of a workspace without any
space or list, asked in a worker once the app is up. The set-up's forms
(desk.screens.actions.first_start) are imported only when it is offered, so no other start
pays for them (some 20 ms of CPU before the inbox's first rows; issue 19)."""

from __future__ import annotations

from typing import Any

from desk.screens.actions.calls import run_service
from desk.work import starters


def offer_set_up(app: Any) -> None:
    """Ask a brand-new workspace's admin to set it up (nothing for anyone else)."""
    if app.agent.role == "admin":
        run_service(app, starters.is_new, group="first-start",
                    done=lambda new: new and _set_up(app))


def _set_up(app: Any) -> None:
    """Walk the admin through the set-up (desk.screens.actions.first_start)."""
    from desk.screens.actions.first_start import ask_name

    ask_name(app)
