"""`y` copies the current task's number and link, through the terminal (OSC 52).

Textual's `App.copy_to_clipboard` sends the text in an OSC 52 sequence, so the copy reaches
the agent's own clipboard over SSH and tmux too. What is copied, the number with the task's
portal link or its title, is worded by desk.screens.renderers.task_reference.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from desk.screens.renderers.task_reference import task_reference
from desk.work.tasks import TaskRow


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
