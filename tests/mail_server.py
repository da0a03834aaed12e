"""A small IMAP server for tests, on loopback: just the commands imaplib sends for intake.

It speaks IMAP4rev1 over plain TCP, implicit TLS or STARTTLS (with the test certificate in
tests/data/tls), keeps its folders in memory, and records every command it received (the
LOGIN password masked) so a test can check what the client did and in which order:
CAPABILITY, STARTTLS, LOGIN, SELECT, UID SEARCH (ALL, UNFLAGGED), UID FETCH (BODY.PEEK[]),
UID STORE (+FLAGS), UID COPY, UID MOVE (when `move` is on), EXPUNGE, NOOP and LOGOUT.
Anything else is answered BAD. It is a test double for a real server, not a server.
"""

from __future__ import annotations

import re
import socketserver
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

TLS = Path(__file__).parent / "data" / "tls"
CERT = TLS / "cert.pem"
_TOKEN = re.compile(rb'"((?:[^"\\]|\\.)*)"|(\([^)]*\))|([^\s()"]+)')


@dataclass
class StoredMessage:
    """A message in a folder: its UID, flags and bytes."""

    uid: int
    raw: bytes
    flags: set[str] = field(default_factory=set)


@dataclass
class MailStore:
    """The server's folders and what it was asked, shared by its connections."""

    user: str
    password: str
    folders: dict[str, list[StoredMessage]]
    security: str = "plain"  # plain | tls | starttls
    move: bool = True
    commands: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_uid: int = 1

    def add(self, folder: str, raw: bytes, flags: set[str] | None = None) -> int:
        """Put a message in a folder; returns its UID."""
        with self.lock:
            uid = self.next_uid
            self.next_uid += 1
            self.folders.setdefault(folder, []).append(StoredMessage(uid, raw, set(flags or ())))
            return uid


def _words(line: bytes) -> list[str]:
    """The arguments of a command line: atoms, quoted strings (unquoted) and lists."""
    words = []
    for quoted, listed, atom in _TOKEN.findall(line):
        if quoted or (not listed and not atom):
            words.append(re.sub(rb"\\(.)", rb"\1", quoted).decode())
        else:
            words.append((listed or atom).decode())
    return words


class _Handler(socketserver.StreamRequestHandler):
    """One client connection."""

    server: _Server

    def setup(self) -> None:
        if self.server.store.security == "tls":
            self.request = self.server.context.wrap_socket(self.request, server_side=True)
        super().setup()
        self.selected: str | None = None
        self.tls = self.server.store.security == "tls"

    def send(self, line: str | bytes) -> None:
        """Write one line (or literal bytes) to the client."""
        self.wfile.write(line if isinstance(line, bytes) else line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self.send("* OK desk test IMAP server ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            tag, _, rest = line.rstrip(b"\r\n").partition(b" ")
            command, _, arguments = rest.partition(b" ")
            name = command.decode().upper()
            if name == "UID":
                sub, _, arguments = arguments.partition(b" ")
                name = f"UID {sub.decode().upper()}"
            self._remember(name, arguments)
            answer = getattr(self, "do_" + name.replace(" ", "_"), None)
            if answer is None:
                self.send(f"{tag.decode()} BAD unknown command {name}")
                continue
            store = self.server.store
            with store.lock:
                result = answer(_words(arguments))
            self.send(f"{tag.decode()} {result}")
            if name == "STARTTLS" and result.startswith("OK"):
                self._start_tls()
            if name == "LOGOUT":
                return

    def _remember(self, name: str, arguments: bytes) -> None:
        """Record the command, the LOGIN password masked."""
        text = arguments.decode("utf-8", "replace")
        if name == "LOGIN":
            text = text.split(" ")[0] + " ***"
        self.server.store.commands.append(f"{name} {text}".strip())

    def _start_tls(self) -> None:
        """Turn the connection into TLS after the OK to STARTTLS."""
        self.wfile.flush()
        self.request = self.server.context.wrap_socket(self.request, server_side=True)
        self.rfile = self.request.makefile("rb")
        self.wfile = self.request.makefile("wb")
        self.tls = True

    # --- commands: each returns the tagged answer ("OK ...", "NO ...", "BAD ...") -----------

    def _capabilities(self) -> str:
        store = self.server.store
        words = ["IMAP4rev1", "UIDPLUS"]
        if store.move:
            words.append("MOVE")
        if store.security == "starttls" and not self.tls:
            words += ["STARTTLS", "LOGINDISABLED"]
        return " ".join(words)

    def do_CAPABILITY(self, _words: list[str]) -> str:
        self.send(f"* CAPABILITY {self._capabilities()}")
        return "OK CAPABILITY completed"

    def do_NOOP(self, _words: list[str]) -> str:
        return "OK NOOP completed"

    def do_STARTTLS(self, _words: list[str]) -> str:
        if self.server.store.security != "starttls" or self.tls:
            return "BAD STARTTLS not available"
        return "OK begin TLS now"

    def do_LOGIN(self, words: list[str]) -> str:
        store = self.server.store
        if store.security == "starttls" and not self.tls:
            return "NO [PRIVACYREQUIRED] LOGIN only over TLS"
        if words[:2] != [store.user, store.password]:
            return "NO [AUTHENTICATIONFAILED] invalid credentials"
        return "OK LOGIN completed"

    def do_LOGOUT(self, _words: list[str]) -> str:
        self.send("* BYE logging out")
        return "OK LOGOUT completed"

    def do_SELECT(self, words: list[str]) -> str:
        folder = words[0] if words else ""
        if folder not in self.server.store.folders:
            return f"NO no folder {folder}"
        self.selected = folder
        self.send(f"* {len(self._folder())} EXISTS")
        self.send("* 0 RECENT")
        self.send(r"* FLAGS (\Seen \Flagged \Deleted)")
        return "OK [READ-WRITE] SELECT completed"

    def _folder(self) -> list[StoredMessage]:
        return self.server.store.folders[self.selected or ""]

    def _by_uid(self, text: str) -> tuple[int, StoredMessage] | None:
        for number, message in enumerate(self._folder(), start=1):
            if str(message.uid) == text:
                return number, message
        return None

    def do_UID_SEARCH(self, words: list[str]) -> str:
        if self.selected is None:
            return "BAD no folder selected"
        criterion = (words[0] if words else "ALL").upper()
        if criterion not in ("ALL", "UNFLAGGED"):
            return f"BAD criterion {criterion} not supported here"
        uids = [str(message.uid) for message in self._folder()
                if criterion == "ALL" or "\\Flagged" not in message.flags]
        self.send(" ".join(["* SEARCH", *uids]))
        return "OK SEARCH completed"

    def do_UID_FETCH(self, words: list[str]) -> str:
        found = self._by_uid(words[0]) if words else None
        if found is not None:
            number, message = found
            self.send(f"* {number} FETCH (UID {message.uid} BODY[] {{{len(message.raw)}}}"
                      .encode() + b"\r\n" + message.raw + b")\r\n")
        return "OK FETCH completed"

    def do_UID_STORE(self, words: list[str]) -> str:
        found = self._by_uid(words[0]) if len(words) == 3 else None
        if found is None or words[1].upper() != "+FLAGS":
            return "BAD only UID STORE n +FLAGS (...) here"
        number, message = found
        message.flags |= set(words[2].strip("()").split())
        self.send(f"* {number} FETCH (UID {message.uid} FLAGS ({' '.join(sorted(message.flags))}))")
        return "OK STORE completed"

    def do_UID_COPY(self, words: list[str]) -> str:
        found = self._by_uid(words[0]) if len(words) == 2 else None
        if found is None or words[1] not in self.server.store.folders:
            return "NO [TRYCREATE] no such message or folder"
        message = found[1]
        self.server.store.folders[words[1]].append(
            StoredMessage(message.uid, message.raw, set(message.flags)))
        return "OK COPY completed"

    def do_UID_MOVE(self, words: list[str]) -> str:
        if not self.server.store.move:
            return "BAD MOVE not supported"
        answer = self.do_UID_COPY(words)
        if answer.startswith("OK"):
            number, message = self._by_uid(words[0])
            self._folder().remove(message)
            self.send(f"* {number} EXPUNGE")
        return answer.replace("COPY", "MOVE")

    def do_EXPUNGE(self, _words: list[str]) -> str:
        folder = self._folder()
        for number in range(len(folder), 0, -1):
            if "\\Deleted" in folder[number - 1].flags:
                del folder[number - 1]
                self.send(f"* {number} EXPUNGE")
        return "OK EXPUNGE completed"


class _Server(socketserver.ThreadingTCPServer):
    """The listening socket: one thread per connection."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, store: MailStore) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.store = store
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(CERT, TLS / "key.pem")

    def handle_error(self, request, client_address) -> None:
        """Record a connection's failure (a refused handshake) instead of printing it."""
        import sys

        self.store.errors.append(repr(sys.exc_info()[1]))


@contextmanager
def imap_server(store: MailStore) -> Iterator[int]:
    """Serve `store` on 127.0.0.1 for the block; yields the port."""
    server = _Server(store)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
