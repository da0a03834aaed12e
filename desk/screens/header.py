"""The app's header title: "desk — Inbox", "desk · Acme Ltd — Inbox" once the workspace
saved a company name (desk.screens.actions.workspace_follow keeps it current), and for a
viewer a note that nothing can be changed (desk.screens.actions.standing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App
from textual.content import Content

from desk.text import visible

if TYPE_CHECKING:
    from desk.app import DeskApp


def header_title(app: DeskApp, title: str, sub_title: str) -> Content:
    """The header of `app` for a screen titled `title` and `sub_title`."""
    company = app.workspace.company if app.workspace else None
    if company and title == app.TITLE:
        title = f"{title} · {visible(company)}"
    formatted = App.format_title(app, title, sub_title)
    if app.agent.can_write:
        return formatted
    return Content.assemble(formatted, ("  · viewer: read only", "bold"))
