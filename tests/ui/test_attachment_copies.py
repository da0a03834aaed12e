"""Opening a task's attachment: F on the task screen lists its files, and the one chosen is
copied into the downloads folder, where it opens; a second copy takes a new name (issue 16)."""

from __future__ import annotations

import pytest

from desk.crm import clients
from desk.errors import NotFound, PermissionDenied
from desk.kernel import agents
from desk.mail import attachment_copies, attachments
from desk.mail.parse import MailAttachment
from desk.models import Attachment, Task, database
from desk.screens.dialogs.pick import PickScreen

from .conftest import press
from .test_task_screen import SIZE, new_task, open_task


def attach(app, task_id: int) -> list[int]:
    """Two files on the task, saved as intake saves a message's files; their ids."""
    with app.database.connection_context():
        saved, _ = attachments.store(f"test-{task_id}", [
            MailAttachment("invoice.pdf", "application/pdf", b"%PDF-1.4 invoice"),
            MailAttachment("../../etc/passwd", "text/plain", b"not a path")])
        with database.atomic():
            attachments.record(task_id, saved)
        return [row.id for row in Attachment.select().where(Attachment.task == task_id)
                .order_by(Attachment.id)]


async def test_shift_f_saves_a_copy_of_the_chosen_attachment_into_downloads(desk_app, tmp_path,
                                                                      monkeypatch):
    downloads = tmp_path / "Downloads"
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(downloads))
    app = desk_app()
    task_id = new_task(app)
    attach(app, task_id)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(pilot, task_id)
        await press(pilot, "F")
        assert isinstance(app.screen, PickScreen)
        await press(pilot, "enter")  # the first: invoice.pdf
        await press(pilot, "F", "enter")  # again: a second copy beside it
        await press(pilot, "F", "down", "enter")  # the file with a path for a name
    assert sorted(path.name for path in downloads.iterdir()) == [
        "invoice-2.pdf", "invoice.pdf", "passwd"]  # never outside the folder
    assert (downloads / "invoice.pdf").read_bytes() == b"%PDF-1.4 invoice"
    assert any(f"Saved a copy as {downloads / 'invoice.pdf'}" in str(notice.message)
               for notice in app._notifications)


async def test_no_attachments_says_so_and_another_tasks_or_a_hidden_one_is_refused(
        desk_app, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(tmp_path / "Downloads"))
    app = desk_app()
    task_id, other = new_task(app), new_task(app, "Another")
    ids = attach(app, other)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(pilot, task_id)
        await press(pilot, "F")
        assert not isinstance(app.screen, PickScreen)
        assert any("This task has no attachments." in str(notice.message)
                   for notice in app._notifications)
    with app.database.connection_context():
        with pytest.raises(NotFound):
            attachment_copies.save_copy(app.agent, task_id, ids[0])
        admin = agents.acting()
        client = clients.create(admin, "Hush Ltd", kind="client", confidential=True).row
        Task.update(client=client.id).where(Task.id == other).execute()
        viewer = agents.add(admin, "vic", role="viewer")
        with pytest.raises(PermissionDenied):
            attachment_copies.save_copy(viewer, other, ids[0])
    assert not (tmp_path / "Downloads").exists()
