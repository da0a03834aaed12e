"""The task screen's files: pick one of the task's attachments and save a copy of it into
the downloads folder, where it can be opened (desk.mail.attachment_copies)."""

from __future__ import annotations

from textual.screen import Screen

from desk.mail import attachment_copies, attachments
from desk.screens.actions.calls import run_service
from desk.screens.dialogs.pick import PickScreen


def save_an_attachment(screen: Screen, task_id: int) -> None:
    """List the task's attachments; the one chosen is copied into the downloads folder and a
    notice names where."""
    agent = screen.app.agent

    def chosen(attachment_id: int | None) -> None:
        if attachment_id is not None:
            run_service(screen, lambda: attachment_copies.save_copy(agent, task_id,
                                                                    attachment_id),
                        done=lambda path: screen.notify(f"Saved a copy as {path}",
                                                        markup=False))

    def listed(rows: list[attachments.AttachmentRow]) -> None:
        if not rows:
            screen.notify("This task has no attachments.", markup=False)
            return
        screen.app.push_screen(PickScreen(
            "Save a copy of an attachment",
            [(f"{row.filename} · {attachments.size_text(row.size)}", row.id) for row in rows],
            hint=f"into {attachment_copies.downloads_dir()}"), chosen)

    run_service(screen, lambda: attachments.for_task(task_id), done=listed)
