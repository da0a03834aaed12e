"""Downloading a request's files from the portal: a contact who may see the request gets each
file as a download (a safe Content-Disposition name, its type or application/octet-stream,
nosniff); another client's ids, a file of another request, an internal note's file and a
file gone from disk are all "not found"."""

from __future__ import annotations

import pytest

from desk.mail import attachments
from desk.mail.parse import MailAttachment
from desk.models import Attachment, database
from desk.work import comments

from .conftest import sign_in

FILES = [("report.pdf", "application/pdf", b"%PDF-1.4 report"),
         ("page.html", "text/html", b"<script>alert(1)</script>"),
         ("Grüße naïve.txt", "text/plain; charset=utf-8", "grüße".encode()),
         ("odd.bin", "not a type\r\nX-Evil: 1", b"\x00\x01")]


def attach(task_id: int, files, comment_id: int | None = None) -> dict[str, int]:
    """Save `files` (name, type, bytes) on the task as intake does; name -> attachment id."""
    saved, _ = attachments.store(f"test-{task_id}-{comment_id}",
                                 [MailAttachment(*item) for item in files])
    with database.atomic():
        attachments.record(task_id, saved, comment_id=comment_id)
    return {row.original_name: row.id
            for row in Attachment.select().where(Attachment.task == task_id)}


@pytest.fixture
def files(admin, world) -> dict[str, int]:
    """Ada's request with four files, and a file on an internal note of it."""
    found = attach(world.ada_query, FILES)
    note = comments.note(admin, world.ada_query, "private scan").id
    found |= attach(world.ada_query, [("internal.txt", "text/plain", b"SECRET")], note)
    found["gus"] = attach(world.gus_query, [("plans.txt", "text/plain", b"GLOBEX")])[
        "plans.txt"]
    return found


def test_the_request_lists_its_files_and_each_downloads(browser, world, files) -> None:
    sign_in(browser, "ada@acme.example")
    page = browser.get(f"/requests/{world.ada_query}").get_data(True)
    link = f'/requests/{world.ada_query}/files/{files["report.pdf"]}'
    assert f'href="{link}" download>report.pdf</a>' in page
    assert "internal.txt" not in page
    answer = browser.get(link)
    assert answer.status_code == 200 and answer.data == b"%PDF-1.4 report"
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.headers["Content-Disposition"] == "attachment; filename=report.pdf"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("name", "served"), [
    ("page.html", "application/octet-stream"),
    ("odd.bin", "application/octet-stream"),
    ("Grüße naïve.txt", "text/plain; charset=utf-8")])
def test_types_are_served_safely(browser, world, files, name, served) -> None:
    sign_in(browser, "ada@acme.example")
    answer = browser.get(f"/requests/{world.ada_query}/files/{files[name]}")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == served
    assert answer.headers["Content-Disposition"].startswith("attachment; ")
    assert "X-Evil" not in answer.headers


def test_a_unicode_name_is_sent_encoded(browser, world, files) -> None:
    sign_in(browser, "ada@acme.example")
    answer = browser.get(f"/requests/{world.ada_query}/files/{files['Grüße naïve.txt']}")
    assert answer.headers["Content-Disposition"] == (
        "attachment; filename=\"Grue naive.txt\"; "
        "filename*=UTF-8''Gr%C3%BC%C3%9Fe%20na%C3%AFve.txt")


def test_files_that_are_not_the_contacts_are_not_found(browser, app, world, files) -> None:
    sign_in(browser, "ada@acme.example")
    ada, gus = world.ada_query, world.gus_query
    for path in (f"/requests/{gus}/files/{files['gus']}",  # another client's
                 f"/requests/{ada}/files/{files['gus']}",  # another request's file
                 f"/requests/{gus}/files/{files['report.pdf']}",
                 f"/requests/{ada}/files/{files['internal.txt']}",  # an internal note's
                 f"/requests/{ada}/files/999999"):
        answer = browser.get(path)
        assert answer.status_code == 404, path
        assert b"GLOBEX" not in answer.data and b"SECRET" not in answer.data
    bob = app.test_client()
    sign_in(bob, "bob@acme.example")  # Acme not shared: not his request
    assert bob.get(f"/requests/{ada}/files/{files['report.pdf']}").status_code == 404
    assert app.test_client().get(f"/requests/{ada}/files/{files['report.pdf']}"
                                 ).status_code == 302  # signed out: to sign in


def test_a_file_gone_from_disk_is_not_found(browser, world, files) -> None:
    row = Attachment.get_by_id(files["report.pdf"])
    (attachments.attachments_dir() / row.path).unlink()
    sign_in(browser, "ada@acme.example")
    assert browser.get(f"/requests/{world.ada_query}/files/{row.id}").status_code == 404
