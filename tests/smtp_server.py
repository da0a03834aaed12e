"""A real SMTP server on loopback for tests (aiosmtpd), which records what it receives.

`smtp_server(...)` runs one in a thread for the length of a `with` block: plain, STARTTLS
(required before MAIL) or implicit TLS with the test certificate in tests/data/tls (the
intake tests' IMAP server uses it too), optionally requiring a login, and refusing the
recipients named in `refuse` with the answer given. `free_port()` names a port where nothing
listens, for a server that is down.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

TLS = Path(__file__).parent / "data" / "tls"
CERT = TLS / "cert.pem"
KEY = TLS / "key.pem"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    """One message the server accepted: envelope, bytes, whether the session was encrypted
    and who had logged in."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    encrypted: bool
    login: str | None

    @property
    def message(self) -> EmailMessage:
        """The message parsed with the modern email API."""
        return message_from_bytes(self.raw, policy=policy.default)


@dataclass
class Recorder:
    """The server's handler: refuses some recipients and keeps every message accepted."""

    refuse: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        """Refuse the recipients named in `refuse`, accept the others."""
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        """Keep the message with how it came."""
        encrypted = server.transport.get_extra_info("ssl_object") is not None
        login = session.auth_data.login.decode() if session.authenticated else None
        self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos),
                                      envelope.original_content, encrypted, login))
        return "250 Message accepted"


@dataclass
class Server:
    """A running server: its port and its recorder."""

    port: int
    recorder: Recorder

    @property
    def received(self) -> list[Received]:
        """The messages accepted so far, in order."""
        return self.recorder.received


def free_port() -> int:
    """A loopback port nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_context() -> ssl.SSLContext:
    """The server's TLS context with the test certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(CERT, KEY)
    return context


@contextmanager
def smtp_server(*, security: str = "none", login: tuple[str, str] | None = None,
                refuse: dict[str, str] | None = None, port: int | None = None
                ) -> Iterator[Server]:
    """Run a server for the block: `security` none | starttls | tls, `login` the (user,
    password) it requires, `refuse` address -> answer."""
    recorder = Recorder(dict(refuse or {}))
    options: dict = {"hostname": HOST, "port": port or free_port(), "ready_timeout": 10}
    if security == "tls":
        # aiosmtpd sees only STARTTLS as TLS; over implicit TLS it must be told AUTH is fine.
        options.update(ssl_context=server_context(), auth_require_tls=False)
    if security == "starttls":
        options.update(tls_context=server_context(), require_starttls=True)
    if login is not None:
        def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
            """Accept only the configured user and password."""
            ok = (isinstance(auth_data, LoginPassword)
                  and (auth_data.login.decode(), auth_data.password.decode()) == login)
            return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

        options.update(authenticator=authenticate, auth_required=True)
    controller = Controller(recorder, **options)
    controller.start()
    try:
        yield Server(controller.port, recorder)
    finally:
        controller.stop()
