"""The app's header title: "desk — Inbox", "desk · Acme Ltd — Inbox" once the workspace
saved a company name (desk.screens.actions.app.workspace_follow keeps it current), and for a
viewer a note that nothing can be changed (desk.screens.actions.app.standing). A screen open over
a mode's main screen has the mode in front, as a breadcrumb: "desk — Tasks › #49 Printer";
the mode's key goes back to it."""

from __future__ import annotations

from textual.app import App
from textual.content import Content
from textual.screen import ModalScreen

from desk.text import visible


def header_title(app: App, title: str, sub_title: str) -> Content:
    """The header of `app` for a screen titled `title` and `sub_title`."""
    company = app.workspace.company if app.workspace else None
    if company and title == app.TITLE:
        title = f"{title} · {visible(company)}"
    formatted = App.format_title(app, title, breadcrumb(app, sub_title))
    if app.agent.can_write:
        return formatted
    return Content.assemble(formatted, ("  · viewer: read only", "bold"))


BREADCRUMB = " › "
"""Between the mode's title and the screen open over it."""


def breadcrumb(app: App[object], sub_title: str) -> str:
    """`sub_title` after the title of the mode's main screen, when a screen is open over it
    (and its sub-title does not start with that title already)."""
    screens = [screen for screen in app.screen_stack if not isinstance(screen, ModalScreen)]
    if len(screens) < 2 or not sub_title:
        return sub_title
    mode = type(screens[0]).TITLE or ""
    return sub_title if not mode or sub_title.startswith(mode) else \
        f"{mode}{BREADCRUMB}{sub_title}"
