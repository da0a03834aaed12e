"""`u` everywhere a task changes (the task lists, the inbox, the board, the task screen): undo
the agent's last change of this app session.

A screen runs each change it may want undone through `undoable(node, call)`
(desk.screens.actions.undoable), which pushes the step the call wrote on the app's
`undo_steps`. `UndoActions` gives a screen the key: it pops the newest step and
reverts it in a worker (desk.work.undo.undo), says what was undone in words ("Undid: #129
status Open → New"), and lets the screen reload (`undo_changed`). A reply still in its undo
window is taken back and its editor opens again with the text (desk.screens.actions.reply.undo),
so nothing typed is lost. A step that cannot be undone (a note, a reply gone out, a task
someone changed since) is said so and dropped; the next `u` undoes the change before.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from desk.clock import to_local
from desk.errors import DeskError
from desk.screens.actions.calls import can_write, run_service
from desk.text import one_line
from desk.work import undo

VALUE_LIMIT = 30
"""At most this many characters of a value in the notice."""
SHOWN_TASKS = 5
"""How many task numbers the notice names for a change to many tasks."""


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


def undone_text(reverted: tuple[undo.Reverted, ...], zone: tzinfo | None) -> str:
    """The notice of an undo: "Undid: #129 status Open → New" for one task, "Undid: status
    on 12 tasks (#3, #4, #5, #6, #7 …)" for many."""
    if len(reverted) == 1:
        [one] = reverted
        changes = ", ".join(f"{label(field)} {value(field, new, zone)} → "
                            f"{value(field, old, zone)}" for field, new, old in one.fields)
        return one_line(f"Undid: #{one.task_id} {changes}", 300)
    fields = dict.fromkeys(label(field) for one in reverted for field, _, _ in one.fields)
    numbers = ", ".join(f"#{one.task_id}" for one in reverted[:SHOWN_TASKS])
    more = " …" if len(reverted) > SHOWN_TASKS else ""
    return one_line(f"Undid: {', '.join(fields)} on {len(reverted)} tasks ({numbers}{more})",
                    300)


def label(field: str) -> str:
    """A field as the notice names it: "status", "due", "Budget"."""
    from desk.pages.task import FIELD_LABELS  # with the task page, only once something is undone

    if field.startswith(undo.CUSTOM):
        return field.removeprefix(undo.CUSTOM)
    return FIELD_LABELS.get(field, field.replace("_", " ")).lower()


def value(field: str, text: str | None, zone: tzinfo | None) -> str:
    """A history value as the notice shows it: "none" for nothing, a time in `zone` without
    seconds, a client by its number."""
    if not text:
        return "none"
    if field in undo.MOMENTS and zone is not None:
        return f"{to_local(datetime.fromisoformat(text), zone):%Y-%m-%d %H:%M}"
    if field in ("client_id", "team_id"):
        return f"#{text}"
    return one_line(text, VALUE_LIMIT)
