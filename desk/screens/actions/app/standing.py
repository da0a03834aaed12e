"""The acting agent's standing (role, disabled), kept up to date in an open app.

An admin may change an agent's role, or disable them, while their app is open. Whenever the
live refresh sees a change (the app's watcher, about once a second), `read_standing` reads the
agent again in the same worker; `apply_standing`, on the UI thread, then takes the new role
(the header, the keys that write and the background work follow it, and a notice says what
changed) or, for an agent disabled or removed, stops the app with a message; so does a
login the database no longer lets connect (the postgres identity mode). The services
read the role again before every write, so safety does not depend on this: it keeps what the
agent sees honest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec.structs import replace
from rich.text import Text
from textual.app import App

from desk.errors import PermissionDenied
from desk.kernel import agents
from desk.kernel.connections import is_access_revoked, is_database_error, on_own_connection

if TYPE_CHECKING:
    from desk.kernel.agents import AgentRef


def read_standing(app: App) -> AgentRef | str | None:
    """In a worker thread: `app.agent` as the database has it now, or why they may no longer
    use the desk; None when the database could not be asked (the next change asks again)."""
    try:
        return on_own_connection(app.database, agents.standing, app.agent)
    except PermissionDenied as refused:
        return str(refused)
    except Exception as error:
        if is_access_revoked(error):  # the postgres mode: the database no longer lets them in
            return (f"{app.agent.username} may no longer connect to this desk's database (an "
                    "admin disabled or removed them)")
        if is_database_error(error):
            return None
        raise


def apply_standing(app: App, standing: AgentRef | str | None) -> None:
    """On the UI thread: follow a new role or name, or stop the app of an agent who may no
    longer use the desk. Only a new role is announced."""
    if standing is None or standing == app.agent:
        return
    if isinstance(standing, str):
        app.exit(return_code=1, message=Text(f"desk: {standing}"))
        return
    before = app.agent
    app.agent = standing
    if standing.role == before.role:  # another change, such as their display name
        return
    app.context = replace(app.context, admin=standing.role == "admin")
    app.mutate_reactive(App.title)  # the header says "viewer: read only", or no longer
    note = ("you can look at everything and change nothing" if not standing.can_write
            else "you can change things again" if not before.can_write else "")
    app.notify(f"An admin made you {standing.role} (you were {before.role})"
               + (f": {note}" if note else "") + ".", title="desk", severity="warning",
               timeout=12, markup=False)
