"""Attachments: safe names, files that stay in their folder, the size limit, the listing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from desk import sla
from desk.config import Settings, parse_settings
from desk.errors import DeskError
from desk.mail import attachments
from desk.mail.attachments import safe_name, save, size_text, store
from desk.mail.parse import MailAttachment, parse
from desk.support.intake import IntakeOptions, take_mail
from desk.work import tasks, workspace

SLA_RULES = sla.book(Settings())  # the shipped SLA rules
CORPUS = Path(__file__).parents[1] / "data" / "mail"


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\system.ini", "system.ini"),
    ("..", "attachment.bin"),
    ("", "attachment.bin"),
    (" .hidden ", "hidden"),
    ("clear\x1b[2J\x07screen\r\nname.txt", "clear[2Jscreenname.txt"),
    ("bidi\u202etxt.exe", "biditxt.exe"),
    ('a<b>c:d"e|f?g*h.txt', "a_b_c_d_e_f_g_h.txt"),
    ("  many   spaces .pdf", "many spaces .pdf"),
    ("Grüße.pdf", "Grüße.pdf"),
])
def test_safe_name(name: str, expected: str) -> None:
    assert safe_name(name, "application/octet-stream") == expected


def test_an_empty_name_takes_the_extension_of_its_type() -> None:
    assert safe_name("", "application/pdf") == "attachment.pdf"


def test_a_long_name_is_cut_keeping_its_extension() -> None:
    name = safe_name("quarterly-report-" + "x" * 283 + ".pdf")
    assert len(name.encode()) == attachments.MAX_NAME_BYTES
    assert name.startswith("quarterly-report-xxx") and name.endswith(".pdf")
    wide = safe_name("ü" * 200 + ".txt")  # two bytes a character: cut by bytes, not characters
    assert wide == "ü" * 73 + ".txt" and len(wide.encode()) == 150


def test_save_never_replaces_a_file_and_numbers_the_next(tmp_path: Path) -> None:
    first = save(tmp_path / "7", "report.pdf", b"one")
    second = save(tmp_path / "7", "report.pdf", b"two")
    third = save(tmp_path / "7", "report.pdf", b"three")
    assert [p.name for p in (first, second, third)] == ["report.pdf", "report-2.pdf",
                                                       "report-3.pdf"]
    assert [p.read_bytes() for p in (first, second, third)] == [b"one", b"two", b"three"]
    assert oct(first.stat().st_mode & 0o777) == "0o600"


def test_save_never_writes_through_a_planted_link(tmp_path: Path) -> None:
    folder = tmp_path / "7"
    folder.mkdir()
    target = tmp_path / "victim.txt"
    target.write_text("keep me")
    os.symlink(target, folder / "notes.txt")
    saved = save(folder, "notes.txt", b"attack")
    assert saved.name == "notes-2.txt" and saved.read_bytes() == b"attack"
    assert target.read_text() == "keep me"


def test_the_hostile_corpus_message_saves_inside_its_folder(tmp_path: Path) -> None:
    files = parse((CORPUS / "09-hostile-attachments.eml").read_bytes()).attachments
    saved, skipped = store("5", files, root=tmp_path)
    assert skipped == []
    assert [item.filename for item in saved] == [
        "passwd", "quarterly-report-" + "x" * 129 + ".pdf", "clear[2Jscreenname.txt",
        "report.pdf", "report-2.pdf", "attachment.bin"]
    on_disk = sorted(path.name for path in (tmp_path / "5").iterdir())
    assert on_disk == sorted(item.filename for item in saved)
    assert list(tmp_path.iterdir()) == [tmp_path / "5"]  # nothing escaped the task's folder
    assert (tmp_path / "5" / "report-2.pdf").read_bytes() == b"%PDF-1.4 second report"
    assert saved[0].original_name == "../../etc/passwd" and saved[0].path == "5/passwd"


def test_a_folder_name_must_be_plain(tmp_path: Path) -> None:
    with pytest.raises(DeskError, match="not a folder name"):
        store("../up", [], root=tmp_path)


def test_files_over_the_limit_are_skipped_and_reported(tmp_path: Path) -> None:
    files = [MailAttachment("small.txt", "text/plain", b"x" * 10),
             MailAttachment("huge\x1b.iso", "application/octet-stream", b"x" * 2500)]
    saved, skipped = store("1", files, max_bytes=2000, root=tmp_path)
    assert [item.filename for item in saved] == ["small.txt"]
    assert [(item.original_name, item.size, item.reason) for item in skipped] == [
        ("huge\x1b.iso", 2500, "larger than the limit of 2.0 KB")]
    assert attachments.listing(saved, skipped) == (
        "Attachments:\n- small.txt (10 B)\n- huge.iso (2.5 KB): not saved, larger than the "
        "limit of 2.0 KB")
    assert attachments.listing([], []) == ""
    attachments.discard(saved, tmp_path)
    assert list((tmp_path / "1").iterdir()) == []


@pytest.mark.parametrize(("size", "text"), [(0, "0 B"), (999, "999 B"), (1000, "1.0 KB"),
                                            (12_345, "12.3 KB"), (10_000_000, "10.0 MB"),
                                            (3_200_000_000, "3.2 GB")])
def test_size_text(size: int, text: str) -> None:
    assert size_text(size) == text


def test_recorded_files_are_listed_on_their_task(db, admin, tmp_path: Path) -> None:
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Support inbox")
    task = tasks.create(admin, "With files", inbox.id, kind="query", sla_rules=SLA_RULES)
    saved, _ = store("message-1", [MailAttachment("a.txt", "text/plain", b"abc"),
                                   MailAttachment("a.txt", "text/plain", b"defg")], root=tmp_path)
    attachments.record(task.row.id, saved)
    rows = attachments.for_task(task.row.id, root=tmp_path)
    assert [(row.filename, row.original_name, row.size, row.content_type) for row in rows] == [
        ("a.txt", "a.txt", 3, "text/plain"), ("a-2.txt", "a.txt", 4, "text/plain")]
    assert rows[1].path == tmp_path / "message-1" / "a-2.txt"
    assert rows[1].path.read_bytes() == b"defg"


# --- where the files go: the workspace's folder, shared as its database file is -------------


@pytest.mark.parametrize("mode", [0o600, 0o660])
def test_files_go_beside_the_database_file_and_are_shared_as_it_is(sqlite_db, mode) -> None:
    file = Path(sqlite_db.database)
    os.chmod(file, mode)
    saved, _ = store("message-1", [MailAttachment("report.pdf", "application/pdf", b"%PDF")])
    root = file.with_name(file.name + ".attachments")
    path = root / saved[0].path
    assert path.read_bytes() == b"%PDF" and path.parent.parent == root
    assert stat.S_IMODE(path.stat().st_mode) == mode
    folder_bits = stat.S_IMODE(path.parent.stat().st_mode) & 0o777
    assert folder_bits == (0o700 if mode == 0o600 else 0o770)
    assert path.stat().st_gid == file.stat().st_gid


def test_a_named_folder_from_the_settings_is_used_and_shared_as_it_is(db, admin,
                                                                     tmp_path: Path) -> None:
    folder = tmp_path / "team-files"
    folder.mkdir()
    os.chmod(folder, 0o770)  # a team's folder: the group reads and writes
    settings = parse_settings(f"intake:\n  attachments_folder: {folder}\n")
    options = IntakeOptions.from_settings(settings.intake, SLA_RULES)
    workspace.create_space(admin, "Support")
    workspace.create_list(admin, "Support", "Support inbox")
    message = ("From: Ada <ada@example.org>\r\nTo: support@example.com\r\nSubject: Files\r\n"
               "Message-ID: <files-1@example.org>\r\nMIME-Version: 1.0\r\n"
               'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
               "Content-Type: text/plain\r\n\r\nSee attached.\r\n--b\r\n"
               "Content-Type: text/plain\r\n"
               'Content-Disposition: attachment; filename="notes.txt"\r\n\r\nhello\r\n--b--\r\n')
    outcome = take_mail(admin, message.encode(), "test", options)
    [row] = attachments.for_task(outcome.task_id, root=folder)
    assert row.path.is_relative_to(folder) and row.path.read_bytes().strip() == b"hello"
    assert stat.S_IMODE(row.path.stat().st_mode) == 0o660
