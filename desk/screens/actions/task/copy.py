"""`y` copies the current task's number and link, through the terminal (OSC 52).

Textual's `App.copy_to_clipboard` sends the text in an OSC 52 sequence, so the copy reaches
the agent's own clipboard over SSH and tmux too. With the client portal on and the task
belonging to a client, the link is the task's portal page
("#129 https://portal.example/requests/129"); otherwise the title follows the number
("#129 Printer offline"). The title is copied as `visible` text on one line: a pasted title
never carries an escape sequence into another program.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from desk.config.portal import PortalSettings
from desk.text import one_line
from desk.work.tasks import TaskRow


def task_reference(row: TaskRow, portal: PortalSettings) -> str:
    """What `y` copies for `row`: its number, then its portal link or its title."""
    if portal.enabled and row.client_id is not None:
        return f"#{row.id} {portal.public_url.rstrip('/')}/requests/{row.id}"
    return f"#{row.id} {one_line(row.title)}"


class CopyTask(Screen[None]):
    """A screen with a current task that `y` copies; subclass it and define `copy_target`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "copy_task", "Copy number and link", show=False, id="task.copy"),
    ]

    def copy_target(self) -> TaskRow | None:
        """The task `y` copies: the one under the cursor or on screen (None: no task here)."""
        raise NotImplementedError

    def action_copy_task(self) -> None:
        """Copy the current task's reference and say what was copied."""
        row = self.copy_target()
        if row is None:
            self.notify("There is no task here to copy.", severity="warning", markup=False)
            return
        text = task_reference(row, self.app.settings.portal)
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied: {text}", markup=False)
