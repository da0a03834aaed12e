"""`u` after a reply: its editor again, with the text taken back.

When `u` (desk.screens.actions.undo) takes back a reply still held in the outbox, `reopen`
opens the reply editor with its text, so nothing typed is lost. Saving it replies again
(held again, and undoable again); leaving it drops the reply.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode

from desk.screens.actions.calls import run_service
from desk.screens.actions.reply.mail import canned_for, tell_mailed
from desk.screens.actions.undoable import undoable
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.work import comments


def reopen(node: DOMNode, task_id: int, text: str, done: Callable[[], object], to: str,
           cc: tuple[str, ...] = ()) -> None:
    """The reply editor for `task_id` holding `text`, titled with its recipient `to` like the
    reply editor; what is saved is replied again (with copies to `cc`, as the reply taken
    back had)."""
    app = node.app

    def written(body: str | None) -> None:
        """The editor closed: reply with the text, or drop it when cancelled."""
        if body is None:
            return
        agent, hold = app.agent, app.settings.smtp.undo_seconds

        def replied(row: comments.CommentRow) -> None:
            """Stored: say where it went and let the screen reload."""
            tell_mailed(node, row)
            done()

        def failed(error: Exception) -> bool:
            """Not stored: the text opens again (and the error is shown)."""
            reopen(node, task_id, body, done, to, cc)
            return False
        run_service(node, undoable(node, lambda: comments.reply(agent, task_id, body, cc=cc,
                                                                hold_seconds=hold)),
                    done=replied, failed=failed)
    copies = f" (CC: {', '.join(cc)})" if cc else ""
    app.push_screen(WriteTextScreen(f"Reply to the client · To: {to}{copies}", text,
                                    snippets=canned_for(app, task_id)), written)
