"""Files that come with e-mail: saved in the workspace's attachments folder with safe names,
listed on the query they belong to (a folder per message, so two messages may both send
report.pdf).

The folder belongs to the workspace, not to whoever took the mail in (`workspace_root`):
beside a SQLite database file, with the file's group and mode (desk.paths.Sharing), so every
agent sharing the file reaches them and nobody else does; the `intake.attachments_folder`
setting names another (a team on PostgreSQL names one every agent reaches).

A name as sent can be anything: `../../etc/passwd`, 300 characters, escape codes that clear a
terminal. `safe_name` keeps only the last path component, drops control and format
characters, replaces the characters file systems or shells trip over, and caps the length
(in UTF-8 bytes, keeping the extension). `save` then creates the file exclusively (never
following a symbolic link, never replacing a file) inside the message's own folder, adding -2,
-3... to a name already taken. Files over the size limit are not saved, but reported.
"""

from __future__ import annotations

import mimetypes
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from msgspec import Struct

from desk.dialect import is_sqlite
from desk.errors import DeskError
from desk.mail.parse import MailAttachment
from desk.models import Attachment, database
from desk.paths import Sharing, data_dir

DEFAULT_MAX_BYTES = 10_000_000
MAX_NAME_BYTES = 150  # leaves room for a "-NNN" suffix under every file system's 255
_UNSAFE = re.compile(r'[<>:"|?*\\/]')
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_MAX_TRIES = 1000


class SavedFile(Struct, frozen=True):
    """An attachment written to disk: `path` is relative to the attachments folder."""

    filename: str
    original_name: str
    content_type: str
    size: int
    path: str


class SkippedFile(Struct, frozen=True):
    """An attachment that was not saved, and why."""

    original_name: str
    size: int
    reason: str


class AttachmentRow(Struct, frozen=True):
    """An attachment as the query's screen and the CLI list it."""

    id: int
    filename: str
    original_name: str
    content_type: str
    size: int
    path: Path
    comment_id: int | None
    created_at: datetime


def attachments_dir() -> Path:
    """Where this workspace keeps attachments when the settings name no folder: beside a
    SQLite database file (desk.db.attachments), else (PostgreSQL, or a database in memory)
    the data folder of the account taking the mail in."""
    file = _database_file()
    return file.with_name(f"{file.name}.attachments") if file else data_dir() / "attachments"


def sharing(root: Path) -> Sharing:
    """Who may read the files saved under `root`: as `root` itself is shared when it is
    there (its group, and its read and write bits: a team's 2770 folder gives 0660 files);
    before it is made, as the SQLite database file beside it is; otherwise the owner only."""
    if root.is_dir():
        return Sharing.like(root)
    file = _database_file()
    if file is not None and file.exists() and root.is_relative_to(file.parent):
        return Sharing.like(file)
    return Sharing()


def _database_file() -> Path | None:
    """The file of the bound SQLite database, or None."""
    if not is_sqlite() or database.obj.database in ("", ":memory:"):
        return None
    return Path(database.obj.database)


def safe_name(name: str, content_type: str = "application/octet-stream") -> str:
    """A file name that cannot leave its folder, hide, or carry control characters; an empty
    result becomes "attachment" with the extension of `content_type`."""
    text = unicodedata.normalize("NFC", name)
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _HIDDEN_CATEGORIES)
    text = _UNSAFE.sub("_", " ".join(text.split()))
    text = text.strip(" .")
    if not text:
        text = "attachment" + (mimetypes.guess_extension(content_type) or "")
    return _shortened(text, MAX_NAME_BYTES)


def _shortened(name: str, limit: int) -> str:
    """`name` cut to at most `limit` UTF-8 bytes, keeping a short extension."""
    if len(name.encode("utf-8")) <= limit:
        return name
    match = _EXTENSION.search(name)
    extension = match.group(0) if match else ""
    stem = name[: len(name) - len(extension)]
    budget = limit - len(extension.encode("utf-8"))
    # cut the bytes at once (a character at a time took minutes for a 1 MB name); a
    # character the cut splits is dropped whole
    stem = stem.encode("utf-8")[:budget].decode("utf-8", "ignore")
    return stem.rstrip(" .") + extension


def save(folder: Path, name: str, data: bytes, shared: Sharing | None = None) -> Path:
    """Write `data` as a new file named `name` (already safe) in `folder`, or name-2.ext,
    name-3.ext... when taken; returns its path. Never follows a link or replaces a file.
    The folders and the file made get `shared` (default: the owner only)."""
    shared = shared or Sharing()
    shared.make_folders(folder)
    match = _EXTENSION.search(name)
    extension = match.group(0) if match else ""
    stem = name[: len(name) - len(extension)]
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for attempt in range(1, _MAX_TRIES + 1):
        candidate = folder / (name if attempt == 1 else f"{stem}-{attempt}{extension}")
        if candidate.parent != folder:  # cannot happen with a safe name; never risk it
            raise DeskError(f"refusing to save an attachment outside {folder}")
        try:
            handle = os.open(candidate, flags, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(handle, "wb") as out:
            shared.give(out.fileno())
            out.write(data)
        return candidate
    raise DeskError(f"cannot find a free name for {name!r} in {folder}")


def store(folder: str, files: Iterable[MailAttachment], *, max_bytes: int = DEFAULT_MAX_BYTES,
          root: Path | None = None) -> tuple[list[SavedFile], list[SkippedFile]]:
    """Save the files of one message into `folder` (a plain name, one per message) under the
    attachments folder; those over `max_bytes` are skipped. `discard` removes what this
    saved when the transaction recording them fails."""
    root = root or attachments_dir()
    if safe_name(folder) != folder:
        raise DeskError(f"not a folder name for attachments: {folder!r}")
    saved, skipped = [], []
    shared = sharing(root)
    for item in files:
        if len(item.data) > max_bytes:
            skipped.append(SkippedFile(item.filename, len(item.data),
                                       f"larger than the limit of {size_text(max_bytes)}"))
            continue
        name = safe_name(item.filename, item.content_type)
        path = save(root / folder, name, item.data, shared)
        saved.append(SavedFile(path.name, item.filename, item.content_type[:255],
                               len(item.data), str(path.relative_to(root))))
    return saved, skipped


def discard(saved: Sequence[SavedFile], root: Path | None = None) -> None:
    """Remove files `store` wrote (when the transaction recording them rolled back)."""
    root = root or attachments_dir()
    for item in saved:
        (root / item.path).unlink(missing_ok=True)


def record(task_id: int, saved: Sequence[SavedFile], *, comment_id: int | None = None,
           mail_id: int | None = None) -> None:
    """List saved files on their task, inside the caller's transaction."""
    if saved:
        Attachment.insert_many([
            {"task": task_id, "comment": comment_id, "mail": mail_id, "filename": item.filename,
             "original_name": item.original_name[:1000], "content_type": item.content_type,
             "size": item.size, "path": item.path}
            for item in saved
        ]).execute()


def for_task(task_id: int, root: Path | None = None) -> list[AttachmentRow]:
    """The attachments of a task, oldest first, with their full paths."""
    root = root or attachments_dir()
    query = Attachment.select().where(Attachment.task == task_id).order_by(Attachment.id)
    return [AttachmentRow(row.id, row.filename, row.original_name, row.content_type, row.size,
                          root / row.path, row.comment_id, row.created_at) for row in query]


def listing(saved: Sequence[SavedFile], skipped: Sequence[SkippedFile]) -> str:
    """The files of a message as lines for its query or comment text ("" for none)."""
    lines = [f"- {item.filename} ({size_text(item.size)})" for item in saved]
    lines += [f"- {safe_name(item.original_name)} ({size_text(item.size)}): not saved, "
              f"{item.reason}" for item in skipped]
    return "Attachments:\n" + "\n".join(lines) if lines else ""


def size_text(size: int) -> str:
    """A size as people read it: 512 B, 12.3 KB, 4.0 MB (decimal units)."""
    if size < 1000:
        return f"{size} B"
    value = size / 1000
    for unit in ("KB", "MB"):
        if value < 1000:
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"
