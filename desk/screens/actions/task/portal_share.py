"""The task screen's "Share a comment with the portal…" (a palette command,
`ShareCommentCommands`): a pick of the task's comments, each saying whether the client's
portal shows it; choosing one shares it (or stops sharing it) through
desk.support.portal.sharing.share_comment in a worker, role checked and audited on the task.
Internal notes reach the portal only this way."""

from __future__ import annotations

from typing import Any

from desk.screens.actions.calls import can_write, run_service
from desk.screens.actions.screen_commands import TaskCommand
from desk.screens.dialogs.pick import PickScreen
from desk.screens.hints import key_text
from desk.support.portal import sharing
from desk.support.portal.sharing import TaskComment
from desk.text import one_line


def label(comment: TaskComment) -> str:
    """How the pick lists a comment: on the portal or not, its kind, author and first words."""
    where = "on the portal" if comment.shared else "internal"
    return f"{where} · {comment.kind} · {comment.author} · {one_line(comment.body, 40)}"


def open_comment_sharing(screen: Any) -> None:
    """Read the task's comments in a worker, then offer the pick."""
    if not can_write(screen, "share comments with the portal"):
        return
    task_id = screen.task_id
    run_service(screen, lambda: sharing.comments_of(task_id),
                done=lambda found: _pick(screen, task_id, found))


def _pick(screen: Any, task_id: int, found: list[TaskComment]) -> None:
    """The pick of comments; the one chosen changes sides."""
    app = screen.app
    if not found:
        app.notify("This task has no comments to share.", title="desk", markup=False)
        return

    def chosen(choice: tuple[int, bool] | None) -> None:
        """Share or unshare the comment picked (None: cancelled)."""
        if choice is None:
            return
        comment_id, shared = choice
        agent = app.agent
        said = ("Shared with the client's portal." if shared
                else "No longer shown on the client's portal.")
        run_service(screen,
                    lambda: sharing.share_comment(agent, task_id, comment_id, shared),
                    done=lambda _changed: app.notify(said, title="desk", markup=False,
                                                     timeout=4))

    app.push_screen(PickScreen("Share a comment with the portal",
                               [(label(item), (item.id, not item.shared)) for item in found],
                               hint=key_text(screen, "enter shares or unshares · "
                                                     "{nav.back} cancels")),
                    chosen)


class ShareCommentCommands(TaskCommand):
    """On a task's screen, the palette's "Share a comment with the portal…"."""

    TITLE = "Share a comment with the portal…"
    HELP = "Show one of this task's comments on its client's portal, or stop showing it"

    def run(self, screen: Any) -> None:
        """Offer the pick of the task's comments."""
        open_comment_sharing(screen)
