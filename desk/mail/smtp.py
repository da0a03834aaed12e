"""Sending one e-mail over SMTP: the message as it goes out, the connection, what a refusal means.

Standard library only (smtplib, ssl, email), and nothing of the database, so the config's
loader can check addresses with `check_address`.

- `compose` writes the message with the modern email API (policy SMTP): no header can hold a
  line break and the recipient is one parsed address, so text from the database (a subject,
  an address) can never add a header or a recipient.
- `Connection` opens the server that the `smtp:` settings name: plain, TLS from the start or
  STARTTLS, with the server's certificate checked, and logs in when a user is set (the
  password comes from an environment variable or a file, never from the config itself).
- Every failure is an `SmtpFailure`, which says whether it is permanent (a 5xx answer, a
  message that cannot be written: trying again cannot help) and whether it is the server's
  (it cannot be reached or refuses the login: no other message will go out in this run).
"""

from __future__ import annotations

import email.errors
import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from msgspec import Struct

from desk.email_address import check_address
from desk.text import one_line

if TYPE_CHECKING:
    from desk.config import SmtpSettings

DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
"""The port of each kind of connection when the settings name none."""
REASON = 300
"""Characters of a server's answer kept as the reason of a failure."""


class SmtpFailure(Exception):
    """A message did not go out: `reason` in one line, whether trying again cannot help
    (`permanent`), and whether the server itself failed (`server`: unreachable, refusing the
    login), so that no other message is tried in this run."""

    def __init__(self, reason: str, *, permanent: bool = False, server: bool = False) -> None:
        super().__init__(one_line(reason, REASON))
        self.reason = one_line(reason, REASON)
        self.permanent = permanent
        self.server = server


class Outgoing(Struct, frozen=True):
    """One e-mail to send: the recipient, the texts, and the threading headers (message ids
    written with their angle brackets); `date` is aware."""

    to_address: str
    subject: str
    body: str
    message_id: str
    date: datetime
    in_reply_to: str | None = None
    references: Sequence[str] = ()
    cc: Sequence[str] = ()


def message_id(settings: SmtpSettings) -> str:
    """A new, unique Message-ID (with its angle brackets) in the configured domain: the
    `message_id_domain`, else the domain of the from address."""
    domain = settings.message_id_domain or (settings.from_address or "").rpartition("@")[2]
    return make_msgid(domain=domain or None)


def compose(settings: SmtpSettings, outgoing: Outgoing) -> EmailMessage:
    """The message as it goes out; a permanent SmtpFailure when a header cannot be written
    (a line break in the subject, a recipient that is not one address)."""
    message = EmailMessage(policy=SMTP)
    try:
        message["From"] = Address(settings.from_name, addr_spec=settings.from_address or "")
        message["To"] = Address(addr_spec=check_address(outgoing.to_address))
        if outgoing.cc:
            message["Cc"] = [Address(addr_spec=check_address(address))
                             for address in outgoing.cc]
        message["Subject"] = outgoing.subject
        message["Date"] = format_datetime(outgoing.date)
        message["Message-ID"] = outgoing.message_id
        if outgoing.in_reply_to:
            message["In-Reply-To"] = outgoing.in_reply_to
        if outgoing.references:
            message["References"] = " ".join(outgoing.references)
        message.set_content(outgoing.body)
    except (ValueError, TypeError, email.errors.HeaderParseError) as error:
        raise SmtpFailure(f"the message cannot be written: {error}", permanent=True) from None
    return message


def password(settings: SmtpSettings, environ: Mapping[str, str]) -> str:
    """The login password from the environment variable or the file the settings name; a
    server SmtpFailure when it cannot be had."""
    if settings.password_env:
        found = environ.get(settings.password_env)
        if not found:
            raise SmtpFailure(f"smtp.password_env: the environment variable "
                              f"{settings.password_env} is not set", server=True)
        return found
    path = Path(settings.password_file or "").expanduser()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise SmtpFailure(f"smtp.password_file: cannot read {path}: {reason}",
                          server=True) from None
    if not lines or not lines[0]:
        raise SmtpFailure(f"smtp.password_file: {path} is empty", server=True)
    return lines[0]


class Connection:
    """A session with the configured SMTP server, as a context manager: entering connects
    (and logs in), `send` sends one message, leaving says goodbye. Every failure is an
    SmtpFailure."""

    def __init__(self, settings: SmtpSettings, environ: Mapping[str, str] | None = None
                 ) -> None:
        self.settings = settings
        self.environ = os.environ if environ is None else environ
        self.port = settings.port or DEFAULT_PORTS[settings.security]
        self.where = f"{settings.host}:{self.port}"
        self.client: smtplib.SMTP | None = None

    def __enter__(self) -> Connection:
        settings = self.settings
        try:
            context = (ssl.create_default_context(cafile=settings.ca_file)
                       if settings.security != "none" else None)
            if settings.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host or "", self.port, timeout=settings.timeout_seconds,
                    context=context)
            else:
                client = smtplib.SMTP(settings.host or "", self.port,
                                      timeout=settings.timeout_seconds)
            self.client = client
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.user:
                client.login(settings.user, password(settings, self.environ))
        except SmtpFailure:
            self.close()
            raise
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise SmtpFailure(f"{self.where}: {_describe(error)}", server=True) from None
        return self

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server."""
        if self.client is None:
            raise SmtpFailure(f"{self.where}: not connected", server=True)
        try:
            self.client.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            ((code, answer),) = error.recipients.values()
            raise SmtpFailure(f"{self.where} refused the recipient: {code} {_text(answer)}",
                              permanent=code >= 500) from None
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPNotSupportedError) as error:
            raise SmtpFailure(f"{self.where}: {_describe(error)}", server=True) from None
        except smtplib.SMTPResponseException as error:
            raise SmtpFailure(f"{self.where} refused the message: {_describe(error)}",
                              permanent=error.smtp_code >= 500) from None
        except (smtplib.SMTPException, OSError) as error:
            raise SmtpFailure(f"{self.where}: {_describe(error)}", server=True) from None
        except (ValueError, UnicodeError) as error:
            raise SmtpFailure(f"the message cannot be sent: {error}", permanent=True) from None

    def close(self) -> None:
        """End the session politely if possible, else just drop it."""
        client, self.client = self.client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def _text(answer: bytes | str) -> str:
    """A server's answer as text."""
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)


def _describe(error: BaseException) -> str:
    """One line about a connection or protocol failure."""
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"the server's certificate is not trusted: {error.verify_message}"
    if isinstance(error, TimeoutError):
        return "no answer in time"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
