"""A copy of a task's attachment where the agent can open it: the attachments desk keeps
live in its own folder (desk.mail.attachments), so an agent saves a copy into their
downloads folder (platformdirs: XDG_DOWNLOAD_DIR, else ~/Downloads) and opens it there.

The copy keeps the attachment's safe name (name-2.ext when that is taken), is never written
through a link nor over a file, and is readable by this account only. Reading changes
nothing in the database, so viewers may save copies too, except of a confidential client's
task they may not see in full.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from desk.errors import DeskError, NotFound, PermissionDenied
from desk.kernel import confidential
from desk.kernel.agents import AgentRef
from desk.mail.attachments import attachments_dir, save
from desk.models import Attachment


def downloads_dir() -> Path:
    """The folder copies go to: this account's downloads folder."""
    return platformdirs.user_downloads_path()


def save_copy(viewer: AgentRef, task_id: int, attachment_id: int,
              folder: Path | None = None) -> Path:
    """Copy attachment `attachment_id` of task `task_id` into `folder` (default: the
    downloads folder); returns the copy's path. Another task's attachment is NotFound, a
    confidential client's task the viewer may not see in full is PermissionDenied, and a
    file missing from desk's folder is a DeskError naming it."""
    row = Attachment.get_or_none((Attachment.id == attachment_id) & (Attachment.task == task_id))
    if row is None:
        raise NotFound(f"no attachment {attachment_id} on task {task_id}")
    if confidential.task_masks(viewer, [task_id]).get(task_id) is not None:
        raise PermissionDenied("this task's client is confidential: only admins and its "
                               "account manager can open its attachments")
    source = attachments_dir() / row.path
    try:
        data = source.read_bytes()
    except OSError as error:
        raise DeskError(f"cannot read the attachment {row.filename} ({source}): "
                        f"{error.strerror}") from error
    return save(folder or downloads_dir(), row.filename, data)
