"""Reading one e-mail: raw bytes in, a frozen ParsedMail out (or MailError saying why not).

The standard library's modern API does the parsing (`email.message_from_bytes` with
`email.policy.default`: RFC 2047 headers, RFC 2231 file names, MIME). On top of it:

- the body: text/plain preferred, else HTML made readable (desk.mail.text); every
  charset decoded, an unknown or wrong one falling back to UTF-8, then Windows-1252, without
  failing; NUL characters and undecodable bytes never reach the database;
- automatic mail (auto-replies, out-of-office, bounces, read receipts) recognised
  (desk.mail.automatic), so it never opens a query;
- the key that takes the message once (desk.mail.keys);
- the Message-IDs a reply points at (In-Reply-To, References, and for automatic mail the
  original message it returns), for threading;
- attachments with their names as sent: making a name safe is desk.mail.attachments' job.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from msgspec import Struct

from desk.errors import InvalidInput
from desk.mail.automatic import automatic_reason, is_mail_system
from desk.mail.keys import message_key, raw_key
from desk.mail.text import html_to_text, strip_quoted

MAX_HEADER_BYTES = 64 * 1024
"""The most bytes a message's header may have. The email package reads a long header in
quadratic time (a 1 MB Subject took a minute and 17 GB of memory); real headers are a few
KB, so a longer one is set aside unread."""
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,480}>")
_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+")
# Charsets declared for text that is often really Windows-1252 (as web browsers read them).
_WINDOWS_1252_ALIASES = frozenset({"us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"})


class MailError(InvalidInput):
    """A message that cannot be read as mail: the text says why."""


class MailAttachment(Struct, frozen=True):
    """A file attached to a message, with its name exactly as sent ("" when it had none)."""

    filename: str
    content_type: str
    data: bytes


class ParsedMail(Struct, frozen=True):
    """What desk needs of one e-mail, decoded to text.

    `key` identifies the message for taking it once (desk.mail.keys: its Message-ID with a
    digest of its content, or a hash of its bytes when it has no Message-ID). `body` is the
    readable text in full; `reply_body` the same without the quoted history a reply carries.
    `date` is naive UTC (None when missing or unreadable). `thread_ids` are the Message-IDs it
    answers, nearest first.
    """

    key: str
    sender_name: str
    sender_address: str
    to: tuple[str, ...]
    subject: str
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    date: datetime | None
    body: str
    is_automatic: bool
    automatic_reason: str
    attachments: tuple[MailAttachment, ...]

    @property
    def reply_body(self) -> str:
        """The body without quoted history (for a reply added to a thread)."""
        return strip_quoted(self.body)

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """The Message-IDs this message answers: In-Reply-To first, then References from the
        newest back, without repeats."""
        ids = ([self.in_reply_to] if self.in_reply_to else []) + list(reversed(self.references))
        return tuple(dict.fromkeys(ids))

    @property
    def sender(self) -> str:
        """The sender as "Name <address>", or the address alone."""
        return f"{self.sender_name} <{self.sender_address}>" if self.sender_name \
            else self.sender_address


def parse(raw: bytes) -> ParsedMail:
    """Read one message from its bytes; MailError when it has no sender to answer.

    The email package recovers from almost any damage and records it as defects; whatever
    else it raises on hostile input (its errors are not one class) becomes MailError too.
    """
    if not isinstance(raw, bytes | bytearray):
        raise MailError("a message must be bytes")
    if (size := _header_size(raw)) > MAX_HEADER_BYTES:
        raise MailError(f"the message's header has {size // 1024} KB, more than the "
                        f"{MAX_HEADER_BYTES // 1024} KB desk reads")
    try:
        message = email.message_from_bytes(bytes(raw), policy=email.policy.default)
        return _parsed(message, bytes(raw))
    except MailError:
        raise
    except Exception as error:  # the email package's own failures on damaged input
        raise MailError(f"cannot read the message: {type(error).__name__}: {error}") from error


def _header_size(raw: bytes) -> int:
    """How many bytes the header of a raw message takes (up to its first empty line)."""
    ends = [at for at in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if at >= 0]
    return min(ends, default=len(raw))


def _parsed(message: EmailMessage, raw: bytes) -> ParsedMail:
    """The ParsedMail of a parsed message."""
    name, address = _sender(message)
    if not address:
        raise MailError("the message has no sender address (From)")
    message_id = _first_id(_header(message, "message-id"))
    subject = " ".join(_header(message, "subject").split())
    reason = automatic_reason(lambda header: _header(message, header),
                              message.get_content_type(),
                              str(message.get_param("report-type") or ""),
                              address, subject)
    references = tuple(_MESSAGE_ID.findall(_header(message, "references")))
    if reason:  # a bounce or receipt names the message it returns in an attached copy
        references += tuple(i for i in _returned_ids(message) if i not in references)
    date, body = _header(message, "date"), _body(message)
    return ParsedMail(
        key=(message_key(message_id, address, date.strip(), subject, body) if message_id
             else raw_key(raw)),
        sender_name=name,
        sender_address=address,
        to=tuple(addr.lower() for _, addr in getaddresses([_header(message, "to")]) if addr),
        subject=subject,
        message_id=message_id,
        in_reply_to=_first_id(_header(message, "in-reply-to")),
        references=references,
        date=_date(date),
        body=body,
        is_automatic=bool(reason),
        automatic_reason=reason,
        attachments=tuple(_attachments(message)),
    )


# --- headers -------------------------------------------------------------------------------


def _header(message: Message, name: str) -> str:
    """A header decoded to text ("" when missing). A header sent as raw 8-bit bytes (against
    the standard, but common) is decoded here, since the policy would blank those bytes out;
    a header the policy cannot decode at all is read raw rather than failing."""
    raw = _raw_header(message, name)
    if raw is None:
        return ""
    if _has_raw_bytes(raw):
        return clean_text(" ".join(raw.split()))
    try:
        text = str(message.get(name))
    except Exception:  # a malformed header the policy chokes on: take its raw text
        text = raw
    return clean_text(text)


def _raw_header(message: Message, name: str) -> str | None:
    """The first header called `name` as it was sent (undecoded), or None."""
    return next((value for key, value in message.raw_items() if key.lower() == name), None)


def _has_raw_bytes(text: str) -> bool:
    """Whether `text` holds bytes the parser could not decode (kept as surrogates)."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def clean_text(text: str) -> str:
    """Text fit to store: undecodable bytes (kept by the parser as surrogates) read as
    UTF-8 or Windows-1252, and NUL characters removed."""
    if _has_raw_bytes(text):
        text = _decode(text.encode("utf-8", "surrogateescape"), "utf-8")
    text = text.encode("utf-8", "replace").decode("utf-8")  # any other lone surrogate
    return text.replace("\x00", "")


def _sender(message: EmailMessage) -> tuple[str, str]:
    """The display name and lower-case address of From (else Sender). An address without
    a domain is no sender to answer, but the bare MAILER-DAEMON of a bounce is kept, so the
    bounce is recognised and set aside."""
    for header in ("from", "sender"):
        try:
            raw = _raw_header(message, header) or ""
            addresses = () if _has_raw_bytes(raw) else message.get(header).addresses
        except Exception:  # a From the policy cannot parse: read its text below
            addresses = ()
        if addresses:
            name, address = addresses[0].display_name, addresses[0].addr_spec
        else:
            name, address = parseaddr(_header(message, header))
        name, address = clean_text(name), clean_text(address).strip().lower()
        if _ADDRESS.fullmatch(address) or (address and is_mail_system(address)):
            return " ".join(name.split()), address
    return "", ""


def _first_id(value: str) -> str | None:
    """The first <message-id> in a header value, or None."""
    found = _MESSAGE_ID.search(value)
    return found.group(0) if found else None


def _date(value: str) -> datetime | None:
    """A Date header as naive UTC (a date without zone is taken as UTC), or None."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _returned_ids(report: EmailMessage) -> list[str]:
    """The Message-IDs of the original messages a delivery report returns."""
    found = []
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, Message):
                found.append(_first_id(_header(inner, "message-id")))
        elif kind == "text/rfc822-headers":
            headers = email.message_from_string(_text_of(part), policy=email.policy.default)
            found.append(_first_id(_header(headers, "message-id")))
    return [i for i in found if i]


# --- body and attachments --------------------------------------------------------------------


def _body(message: EmailMessage) -> str:
    """The readable text: the text/plain body, else the HTML body as text, else ""."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _text_of(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return clean_text(text.replace("\r\n", "\n")).strip()


def _text_of(part: Message) -> str:
    """A text part decoded with its charset (see `_decode`)."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        payload = str(part.get_payload()).encode("utf-8", "surrogateescape")
    return _decode(payload, part.get_content_charset() or "us-ascii")


def _decode(data: bytes, charset: str) -> str:
    """`data` in `charset`; an unknown charset, or bytes the charset cannot hold, are read
    as UTF-8, then as Windows-1252 (which never fails: undefined bytes become U+FFFD)."""
    try:
        codec = codecs.lookup(charset.strip().strip('"')).name
    except (LookupError, ValueError):
        codec = "utf-8"
    if codec in {codecs.lookup(alias).name for alias in _WINDOWS_1252_ALIASES}:
        codec = "utf-8" if _is_utf8(data) else "cp1252"
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return data.decode("utf-8") if _is_utf8(data) else data.decode("cp1252", "replace")


def _is_utf8(data: bytes) -> bool:
    """Whether `data` is valid UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _attachments(message: EmailMessage) -> list[MailAttachment]:
    """The files of a message: every leaf part but the body and a report's machine parts;
    an attached message (message/rfc822) is one file, not opened."""
    body = message.get_body(preferencelist=("plain", "html"))
    report = message.get_content_type() == "multipart/report"
    found: list[MailAttachment] = []

    def visit(part: Message) -> None:
        kind = part.get_content_type()
        if part is body:
            return
        if part.is_multipart() and kind != "message/rfc822":
            for child in part.iter_parts():
                visit(child)
            return
        if report and kind in ("message/delivery-status", "message/rfc822",
                               "text/rfc822-headers", "message/disposition-notification"):
            return
        if kind == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            data = inner.as_bytes() if isinstance(inner, Message) else b""
        else:
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
        if kind.startswith("text/") and not part.get_filename() and not part.is_attachment():
            return  # an alternative or extra text part of the body, not a file
        found.append(MailAttachment(clean_text(part.get_filename() or ""), kind, data))

    visit(message)
    return found
