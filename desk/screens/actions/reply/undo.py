"""`u` after a reply: take it back while its e-mail waits out the undo window.

`take_back_reply(node, done)` runs desk.work.take_back in a worker: the agent's newest reply
still held in the outbox is cancelled and its comment removed; `done()` lets the screen
reload, and the reply editor opens again with the text, so nothing typed is lost. Saving it
replies again (held again); leaving it drops the reply.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode

from desk.screens.actions.calls import can_write, run_service
from desk.screens.actions.reply.mail import canned_for, tell_mailed
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.work import comments, take_back


def take_back_reply(node: DOMNode, done: Callable[[], object]) -> None:
    """Take back the agent's newest reply still in its window, then reopen its editor."""
    if not can_write(node, "take back a reply"):
        return
    agent = node.app.agent

    def taken(reply: take_back.Held) -> None:
        """On the UI thread: say so, let the screen reload, give the text back."""
        node.notify(f"Reply to #{reply.task_id} taken back: not sent.", title="Reply",
                    markup=False)
        done()
        reopen(node, reply.task_id, reply.body, done, reply.to, reply.cc)
    run_service(node, lambda: take_back.take_back(agent), done=taken)


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
        run_service(node, lambda: comments.reply(agent, task_id, body, cc=cc,
                                                 hold_seconds=hold),
                    done=replied, failed=failed)
    copies = f" (CC: {', '.join(cc)})" if cc else ""
    app.push_screen(WriteTextScreen(f"Reply to the client · To: {to}{copies}", text,
                                    snippets=canned_for(app, task_id)), written)
