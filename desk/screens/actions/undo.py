"""`u` everywhere a task changes (the task lists, the inbox, the board, the task screen): undo
the agent's last change of this app session.

A screen runs each change it may want undone through `undoable(node, call)`
(desk.screens.actions.undoable), which pushes the step the call wrote on the app's
`undo_steps`. `UndoActions` gives a screen the key: it pops the newest step and reverts it
in a worker (desk.work.undo.undo), says what was undone in words ("Undid: #129 status Open
→ New": desk.screens.renderers.undo_notice), and lets the screen reload (`undo_changed`). A
reply still in its undo window is taken back and its editor opens again with the text
(desk.screens.actions.reply.undo), so nothing typed is lost. A step that cannot be undone (a
note, a reply gone out, a task someone changed since) is said so and dropped; the next `u`
undoes the change before.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from desk.errors import DeskError
from desk.screens.actions.calls import can_write, run_service
from desk.screens.renderers.undo_notice import undone_text
from desk.work import undo


class UndoActions(Screen[None]):
    """A screen where `u` undoes the agent's last change. Subclass it instead of `Screen`
    and override `undo_changed` to show the data as it is after an undo."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "undo", "Undo", show=False, id="edit.undo"),
    ]

    def undo_changed(self) -> None:
        """After an undo (or a refused one): reload what the screen shows."""

    def action_undo(self) -> None:
        """`u`: undo the newest change of this session."""
        if not can_write(self, "undo a change"):
            return
        app = self.app
        step = app.undo_steps.pop()
        if step is None:
            self.notify("Nothing to undo: you have made no change in this session that is "
                        "not undone yet.", title="Undo", markup=False)
            return
        agent, rules = app.agent, app.sla_rules

        def failed(error: Exception) -> bool:
            """Not undone: a busy database keeps the step for another try; the notice says
            why."""
            if not isinstance(error, DeskError):
                app.undo_steps.push(step)
            self.undo_changed()
            return False
        run_service(self, lambda: undo.undo(agent, step, sla_rules=rules), done=self.undone,
                    failed=failed, group="undo")

    def undone(self, done: undo.Undone) -> None:
        """On the UI thread: say what was undone, reload, and give a reply's text back."""
        if done.reverted:
            self.notify(undone_text(done.reverted, self.app.now().tzinfo), title="Undo",
                        markup=False)
        replies = done.replies
        if len(replies) == 1:
            self.notify(f"Reply to #{replies[0].task_id} taken back: not sent.", title="Reply",
                        markup=False)
        elif replies:
            self.notify(f"Took back {len(replies)} replies: not sent.", title="Reply",
                        markup=False)
        self.undo_changed()
        if len(replies) == 1:
            from desk.screens.actions.reply.undo import reopen  # the editor, on first use

            reply = replies[0]
            reopen(self, reply.task_id, reply.body, self.undo_changed, reply.to, reply.cc)
