"""The workspace's saved settings (company, time zone, working hours), followed in an open app.

An admin may save them while other agents' apps are open: with `desk init --company
--timezone --hours`, with the first-start set-up in their own app, or with a settings form.
Whenever the live refresh sees a change (and once at start) `read_workspace` reads them in
the same worker; `apply_workspace`, on the UI thread, then puts them over the app's settings:
the SLA calendar (`app.sla_rules`), the zone times are shown and queried in
(`app.context`) and the header, which names the company. The screens in view reload right
after, so what they show follows without a restart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec.structs import replace
from textual.app import App

from desk import sla
from desk.kernel import workspace_settings
from desk.kernel.connections import is_database_error, on_own_connection
from desk.text import visible

LABELS = {"company": "company", "timezone": "time zone", "hours": "working hours"}
"""How the notice names each setting."""

if TYPE_CHECKING:
    from desk.kernel.workspace_settings import WorkspaceProfile


def read_workspace(app: App) -> WorkspaceProfile | None:
    """In a worker thread: the workspace's saved settings now; None when the database could
    not be asked (the next change asks again)."""
    try:
        return on_own_connection(app.database, workspace_settings.current)
    except Exception as error:
        if is_database_error(error):
            return None
        raise


def apply_workspace(app: App, saved: WorkspaceProfile | None, *,
                    announce: bool = True) -> None:
    """On the UI thread: take `saved` when it differs from what the app follows already
    (the settings, the SLA calendar, the query zone and the header's company name). A
    change after the start is announced in one line, unless `announce` is False (the
    agent saved it in this app and is told so already)."""
    if saved is None or saved == app.workspace:
        return
    before, app.workspace = app.workspace, saved
    app.settings = workspace_settings.apply(app.settings, saved)
    app.sla_rules = sla.book(app.settings)
    app.context = replace(app.context, now=app.context.now.astimezone(app.settings.tz))
    app.mutate_reactive(App.title)  # the header names the company (DeskApp.format_title)
    changed = [f"{LABELS[key]} {visible(text)}"
               for key, text in workspace_settings.described(saved)
               if before is not None and getattr(before, key) != getattr(saved, key)]
    if changed and announce:
        app.notify(f"The workspace's settings changed: {'; '.join(changed)}.", title="desk",
                   timeout=8, markup=False)
