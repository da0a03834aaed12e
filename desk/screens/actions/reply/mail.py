"""What the reply composer adds for e-mail: canned responses, and the notice about the mail.

`canned_for(app, task_id)` is the `snippets` loader WriteTextScreen calls (in a worker) on
ctrl+t: the config's canned responses filled in for that task by the agent writing. After a
reply is stored, `tell_mailed` says where its e-mail went: queued to the requester (and
whether it can go out: without an SMTP server it waits in the outbox), or why there was
nobody to e-mail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode

from desk.automation import canned
from desk.mail import outbox
from desk.screens.hints import key_text
from desk.text import one_line
from desk.work.comments import CommentRow


def canned_for(app: Any, task_id: int) -> Callable[[], list[tuple[str, str]]]:
    """The loader of the canned responses for a reply on `task_id`: (name, filled text)."""
    responses, agent, now = app.settings.canned_responses, app.agent, app.now()
    return lambda: canned.filled(responses, agent, task_id, now)


def mail_notice(row: CommentRow, smtp_configured: bool, undo: str = "") -> str | None:
    """The notice about a stored reply's e-mail (None for a note); `undo` says how to take
    it back while it waits out its window (desk.screens.actions.reply.undo)."""
    if row.kind != "reply":
        return None
    if not row.mailed_to:
        return f"Reply saved. {row.not_mailed[:1].upper()}{row.not_mailed[1:]}."
    if undo:
        unsent = "" if smtp_configured else f" It waits in the outbox: {outbox.NOT_CONFIGURED}."
        return f"Reply queued to {row.mailed_to}{undo}.{unsent}"
    if not smtp_configured:
        return (f"Reply saved. Its e-mail to {row.mailed_to} is queued but not sent: "
                f"{outbox.NOT_CONFIGURED}.")
    return f"Reply saved and queued to {row.mailed_to}: it goes out within a minute."


def window_note(node: DOMNode) -> str:
    """"; u takes it back (30 s)" while replies wait out an undo window, else "" (the key as
    `edit.undo` is bound)."""
    seconds = node.app.settings.smtp.undo_seconds
    return key_text(node, f"; {{edit.undo}} takes it back ({seconds} s)") if seconds > 0 else ""


def tell_mailed(node: DOMNode, row: CommentRow) -> None:
    """Show the notice about a stored reply's e-mail, as plain text."""
    text = mail_notice(row, bool(node.app.settings.smtp.host), window_note(node))
    if text is not None:
        unsent = not row.mailed_to or not node.app.settings.smtp.host
        node.notify(one_line(text, 300), title="Reply", markup=False,
                    severity="warning" if unsent else "information")


def tell_replies_unsent(node: DOMNode) -> None:
    """After replies made from a list (triage): say so when their e-mails cannot go out."""
    if not node.app.settings.smtp.host:
        node.notify(f"E-mail from replies waits in the outbox, not sent: "
                    f"{outbox.NOT_CONFIGURED}.", title="Reply", markup=False,
                    severity="warning")
