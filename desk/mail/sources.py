"""Where e-mail comes from: .eml files, a maildir, an mbox file (the standard library's
`mailbox`), or an IMAP folder (`imaplib`, over TLS or STARTTLS, the certificate checked).

Each source yields IncomingMail: the raw bytes, a name for the report, and for IMAP a `done`
that marks the message processed on the server (flagged, or moved to another folder) once
desk has recorded it. Files and local mailboxes are only read, never changed: taking a
message once is the job of desk.support.intake, by the message's key.
"""

from __future__ import annotations

import imaplib
import mailbox
import os
import re
import ssl
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from msgspec import Struct

from desk.config import ImapSettings
from desk.errors import DeskError

TIMEOUT = 60  # seconds an IMAP server may keep desk waiting for an answer
MAILDIR_FOLDERS = ("new", "cur")
"""The folders of a maildir that hold delivered messages."""


class IncomingMail(Struct, frozen=True):
    """One message to take: its bytes, where it came from, and what to do once taken."""

    source: str
    raw: bytes
    done: Callable[[], None] | None = None


class SourceError(DeskError):
    """A mailbox or file that cannot be read; the message names it."""


# --- files and local mailboxes -------------------------------------------------------------


def eml_files(paths: Sequence[Path]) -> Iterator[IncomingMail]:
    """The messages in .eml files. Every file is checked before the first is given, so a
    missing or unreadable one stops the run before anything is taken."""
    for path in paths:
        if not path.is_file() or not os.access(path, os.R_OK):
            raise SourceError(f"{path}: not a readable file")
    for path in paths:
        yield IncomingMail(str(path), _read(path))


def _read(path: Path) -> bytes:
    """The bytes of a file, or SourceError naming it."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise SourceError(f"{path}: cannot read: {error.strerror}") from error


def maildir(path: Path) -> Iterator[IncomingMail]:
    """The messages of a maildir (new and cur), oldest file name first.

    Delivered messages are the files in new/ and cur/; tmp/ holds mail still being written and
    is never read. So a maildir without tmp/, or without an empty new/ or cur/ (copies and
    archives often drop empty folders), is read as it is; a folder with neither new/ nor
    cur/ is no maildir. (The standard library's mailbox.Maildir insists on both, hence this
    reader: a maildir is only files, and desk only reads them.)"""
    folders = [path / name for name in MAILDIR_FOLDERS if (path / name).is_dir()]
    if not folders:
        raise SourceError(f"{path}: not a maildir (it needs a new or cur folder)")
    files: dict[str, Path] = {}
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError as error:
            raise SourceError(f"{folder}: cannot read: {error.strerror}") from error
        for entry in entries:
            if not entry.name.startswith(".") and entry.is_file():
                files[entry.name.split(":")[0]] = Path(entry.path)  # the name before its flags
    for key in sorted(files, key=_delivery_order):
        yield IncomingMail(f"{path}/{key}", _read(files[key]))


def _delivery_order(key: str) -> tuple[int, int, str]:
    """Maildir names start with the delivery time (seconds, then .M and microseconds):
    oldest first, so an original is taken before the replies to it."""
    found = re.match(r"(\d+)(?:\.M(\d+))?", key)
    if found is None:
        return (0, 0, key)
    return (int(found.group(1)), int(found.group(2) or 0), key)


def mbox(path: Path) -> Iterator[IncomingMail]:
    """The messages of an mbox file, in order (named FILE#N in the report)."""
    if not path.is_file():
        raise SourceError(f"{path}: not an mbox file")
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        box.lock()
    except (mailbox.ExternalClashError, OSError) as error:
        raise SourceError(f"{path}: cannot lock the mbox (another program holds it, or its "
                          "folder is not writable)") from error
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            yield IncomingMail(f"{path}#{number}", box.get_bytes(key))
    finally:
        box.unlock()
        box.close()


# --- IMAP ----------------------------------------------------------------------------------


def imap_password(settings: ImapSettings, environ: Mapping[str, str]) -> str:
    """The IMAP password from the environment variable or the file the settings name."""
    if settings.password_env:
        password = environ.get(settings.password_env)
        if not password:
            raise SourceError(f"intake.imap.password_env: the environment variable "
                              f"{settings.password_env} is not set")
        return password
    if settings.password_file:
        path = Path(settings.password_file).expanduser()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise SourceError(f"intake.imap.password_file: cannot read {path}") from error
        if not lines or not lines[0]:
            raise SourceError(f"intake.imap.password_file: {path} is empty")
        return lines[0]
    raise SourceError("intake.imap: set password_env or password_file")


@contextmanager
def imap(settings: ImapSettings, environ: Mapping[str, str] | None = None
         ) -> Iterator[Iterator[IncomingMail]]:
    """Log in to the configured IMAP folder and give its messages to take: the unflagged
    ones (processed: flag) or all (processed: move). Each message's `done` flags it (\\Seen
    and \\Flagged) or moves it to `move_to` (MOVE, or COPY and delete where the server has
    no MOVE). Any failure of the server or the connection is a SourceError."""
    if not settings.host:
        raise SourceError("intake.imap.host: no IMAP server is configured")
    password = imap_password(settings, os.environ if environ is None else environ)
    port = settings.port or (993 if settings.security == "tls" else 143)
    where = f"imap {settings.host}:{port}"
    try:
        connection = _connect(settings, port)
    except (OSError, imaplib.IMAP4.error) as error:
        raise SourceError(f"{where}: cannot connect: {_reason(error)}") from error
    deleted: list[bytes] = []
    try:
        try:
            connection.login(settings.user, password)
            _check(connection.select(_quoted(settings.folder)), f"select {settings.folder}")
        except (OSError, imaplib.IMAP4.error) as error:
            raise SourceError(f"{where}: {_reason(error)}") from error
        yield _messages(connection, settings, where, deleted)
        if deleted:
            _guard(where, lambda: connection.expunge())
    finally:
        with suppress(OSError, imaplib.IMAP4.error):  # the session is over either way
            connection.logout()


def _connect(settings: ImapSettings, port: int) -> imaplib.IMAP4:
    """An IMAP connection over TLS, or upgraded with STARTTLS before anything is sent."""
    context = ssl.create_default_context(cafile=settings.ca_file)
    if settings.security == "tls":
        return imaplib.IMAP4_SSL(settings.host, port, ssl_context=context, timeout=TIMEOUT)
    connection = imaplib.IMAP4(settings.host, port, timeout=TIMEOUT)
    try:
        connection.starttls(ssl_context=context)
    except BaseException:
        connection.shutdown()
        raise
    return connection


def _messages(connection: imaplib.IMAP4, settings: ImapSettings, where: str,
              deleted: list[bytes]) -> Iterator[IncomingMail]:
    """The folder's messages to take, by UID, each with its `done`."""
    criterion = "UNFLAGGED" if settings.processed == "flag" else "ALL"
    found = _guard(where, lambda: _check(connection.uid("SEARCH", None, criterion), "search"))
    uids = found[0].split() if found and found[0] else []
    can_move = "MOVE" in connection.capabilities
    for uid in uids:
        fetched = _guard(where, lambda uid=uid: _check(
            connection.uid("FETCH", uid, "(BODY.PEEK[])"), f"fetch {uid.decode()}"))
        raw = next((part[1] for part in fetched if isinstance(part, tuple)), None)
        if raw is None:
            raise SourceError(f"{where}: the server sent no message for UID {uid.decode()}")

        def done(uid: bytes = uid) -> None:
            _guard(where, lambda: _mark(connection, settings, uid, can_move, deleted))

        yield IncomingMail(f"imap:{settings.folder}/{uid.decode()}", raw, done)


def _mark(connection: imaplib.IMAP4, settings: ImapSettings, uid: bytes, can_move: bool,
          deleted: list[bytes]) -> None:
    """Mark one message processed on the server."""
    if settings.processed == "flag":
        _check(connection.uid("STORE", uid, "+FLAGS", r"(\Seen \Flagged)"), "store")
    elif can_move:
        _check(connection.uid("MOVE", uid, _quoted(settings.move_to or "")), "move")
    else:
        _check(connection.uid("COPY", uid, _quoted(settings.move_to or "")), "copy")
        _check(connection.uid("STORE", uid, "+FLAGS", r"(\Deleted)"), "store")
        deleted.append(uid)


def _check(answer: tuple[str, list], what: str) -> list:
    """The data of an OK answer; an IMAP error otherwise."""
    status, data = answer
    if status != "OK":
        detail = b" ".join(part for part in data if isinstance(part, bytes)).decode(
            "utf-8", "replace")
        raise imaplib.IMAP4.error(f"{what} failed: {detail or status}")
    return data


def _guard(where: str, action: Callable[[], object]):
    """`action()`, with the connection's and server's failures as SourceError."""
    try:
        return action()
    except (OSError, imaplib.IMAP4.error) as error:
        raise SourceError(f"{where}: {_reason(error)}") from error


def _reason(error: Exception) -> str:
    """An error's text; imaplib gives the server's answer as bytes."""
    if error.args and isinstance(error.args[0], bytes):
        return error.args[0].decode("utf-8", "replace")
    return str(error)


def _quoted(name: str) -> str:
    """A folder name as an IMAP quoted string."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
