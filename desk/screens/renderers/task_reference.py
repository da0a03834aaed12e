"""What `y` copies for a task (desk.screens.actions.task.copy): its number, then its portal
link when the portal is on and the task belongs to a client ("#129
https://portal.example/requests/129"), else its title as visible text on one line ("#129
Printer offline"): a pasted title never carries an escape sequence into another program."""

from __future__ import annotations

from desk.config.portal import PortalSettings
from desk.text import one_line
from desk.work.tasks import TaskRow


def task_reference(row: TaskRow, portal: PortalSettings) -> str:
    """What `y` copies for `row`: its number, then its portal link or its title."""
    if portal.enabled and row.client_id is not None:
        return f"#{row.id} {portal.public_url.rstrip('/')}/requests/{row.id}"
    return f"#{row.id} {one_line(row.title)}"
