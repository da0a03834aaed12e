"""Writes the e-mail corpus desk's intake tests read (the .eml files beside this script).

The .eml files are the fixtures; this script is how they were made, so that a change to one
is a reviewed change here. Messages are written as the bytes a mail server would deliver
(CRLF line ends), with the encodings done by the standard library (base64, quopri) rather
than by hand. Run it from anywhere: `python tests/data/mail/make_corpus.py`.

Addresses use the reserved .example domains. The thread they share: 01-new-plain.eml opens
query <new-plain@lovelace-labs.example> (task #1 in a fresh test database); the replies
13-15 and the automatic mail 10, 12 and 27 point back at it, each in its own way, and 28
reuses its Message-ID. 19-27 are automatic mail that only a subject, a vendor's header or
the sender gives away.
"""

from __future__ import annotations

import base64
import quopri
from pathlib import Path

HERE = Path(__file__).parent
ORIGINAL = "<new-plain@lovelace-labs.example>"
SENT_REPLY = "<desk-reply-1@desk.example>"  # an outgoing reply's id, returned by the bounce


def b64(data: bytes) -> str:
    """Base64 in lines of 76 characters."""
    return base64.encodebytes(data).decode("ascii").rstrip("\n")


def qp(data: bytes) -> str:
    """Quoted-printable text."""
    return quopri.encodestring(data).decode("ascii").rstrip("\n")


def word(text: str, charset: str, encoding: str = "B") -> str:
    """An RFC 2047 encoded word."""
    data = text.encode(charset)
    if encoding == "B":
        return f"=?{charset}?B?{base64.b64encode(data).decode('ascii')}?="
    return f"=?{charset}?Q?{quopri.encodestring(data, header=True).decode('ascii')}?="


def headers(sender: str, subject: str, message_id: str | None, date: str,
            extra: str = "") -> str:
    """The usual header block (without the MIME headers)."""
    lines = [f"From: {sender}", "To: Brightline Support <support@desk.example>",
             f"Subject: {subject}", f"Date: {date}"]
    if message_id:
        lines.append(f"Message-ID: {message_id}")
    return "\n".join(lines) + ("\n" + extra.strip("\n") if extra else "")


CORPUS: dict[str, str | bytes] = {}

CORPUS["01-new-plain.eml"] = headers(
    "Ada Lovelace <ada@lovelace-labs.example>", "Printer on floor 2 prints blank pages",
    ORIGINAL, "Tue, 17 Nov 2026 09:12:00 +0100") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hello,

since this morning the printer on floor 2 prints only blank pages.
We tried a new toner cartridge — no change.

Ada
"""

CORPUS["02-multipart-alternative.eml"] = headers(
    "Grace Hopper <grace.hopper@gmail.com>", "Invoice 2026-114 shows the wrong VAT",
    "<alt-1@mail.gmail.com>", "Tue, 17 Nov 2026 10:00:00 +0000") + """
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt-boundary"

--alt-boundary
Content-Type: text/plain; charset=utf-8

The plain text part: invoice 2026-114 charges 19% VAT instead of 7%.
--alt-boundary
Content-Type: text/html; charset=utf-8

<html><body><p>The <b>HTML</b> part, which must not be chosen.</p></body></html>
--alt-boundary--
"""

CORPUS["03-html-only.eml"] = headers(
    "Bob Builder <bob@builder.example>", "Website contact form is broken",
    "<html-1@builder.example>", "Tue, 17 Nov 2026 11:00:00 +0000") + """
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<!DOCTYPE html>
<html><head><title>Hidden title</title>
<style>p { color: red }</style>
<script>alert("never run"); document.location = "https://evil.example/";</script>
</head>
<body>
<p>Hi team,</p>
<p>the contact form on <a href="https://builder.example/contact">our site</a> fails:</p>
<ul><li>Name &amp; e-mail are lost</li><li>The button says &quot;Send&quot; twice</li></ul>
<img src="https://tracker.example/pixel.gif" alt="logo">
<p>Thanks,<br>Bob</p>
</body></html>
"""

LATIN1_BODY = "Guten Tag,\n\nder Drucker im Büro druckt nur Streifen. Schöne Grüße, Jürgen"
CORPUS["04-latin1.eml"] = headers(
    "=?iso-8859-1?Q?J=FCrgen_M=FCller?= <juergen@mueller-gmbh.example>",
    word("Grüße aus Köln: Drucker defekt", "iso-8859-1", "Q"),
    "<latin1-1@mueller-gmbh.example>", "Wed, 18 Nov 2026 08:00:00 +0100") + f"""
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

{qp(LATIN1_BODY.encode("iso-8859-1"))}
"""

CORPUS["05-windows-1252.eml"] = (headers(
    "Chloé Martin <chloe@martin.example>", "Quote for the “premium” plan",
    "<cp1252-1@martin.example>", "Wed, 18 Nov 2026 09:00:00 +0100") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=windows-1252
Content-Transfer-Encoding: 8bit

""").encode("cp1252") + (
    "The “premium” plan costs €49 — is that per month?\n".encode("cp1252"))

CORPUS["06-koi8-r.eml"] = headers(
    "=?koi8-r?B?" + base64.b64encode("Иван Петров".encode("koi8-r")).decode() +
    "?= <ivan@petrov.example>", word("Принтер не печатает", "koi8-r"),
    "<koi8-1@petrov.example>", "Wed, 18 Nov 2026 10:00:00 +0300") + f"""
MIME-Version: 1.0
Content-Type: text/plain; charset=koi8-r
Content-Transfer-Encoding: base64

{b64("Здравствуйте! Не работает принтер в бухгалтерии.".encode("koi8-r"))}
"""

CORPUS["07-iso-2022-jp.eml"] = (headers(
    "Yamada Taro <taro@yamada.example>", word("プリンターの故障", "iso-2022-jp"),
    "<jis-1@yamada.example>", "Wed, 18 Nov 2026 11:00:00 +0900") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-2022-jp
Content-Transfer-Encoding: 7bit

""").encode("ascii") + "プリンターが動きません。至急お願いします。\n".encode("iso-2022-jp")

CORPUS["08-encoded-headers.eml"] = headers(
    f"{word('Zoë Ångström', 'utf-8')} <zoe@angstrom.example>",
    f"{word('Rückfrage ', 'iso-8859-1', 'Q')} {word('zur Lieferung №7', 'utf-8')}\n"
    " (folded)",
    "<encoded-1@angstrom.example>", "Wed, 18 Nov 2026 12:00:00 +0100") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Where is delivery 7?
"""

_LONG_NAME = "quarterly-report-" + "x" * 279 + ".pdf"  # 300 characters
CORPUS["09-hostile-attachments.eml"] = headers(
    "Mallory <mallory@evil.example>",
    word("[bold]Urgent[/bold] \x1b[31mred\x1b[0m \x1b]52;c;aGk=\x07 please", "utf-8"),
    "<hostile-1@evil.example>", "Wed, 18 Nov 2026 13:00:00 +0000") + f"""
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-boundary"

--mixed-boundary
Content-Type: text/plain; charset=utf-8

Please see the attached files.
--mixed-boundary
Content-Type: text/plain; name="passwd"
Content-Disposition: attachment; filename="../../etc/passwd"

root:x:0:0:not really:/root:/bin/sh
--mixed-boundary
Content-Type: application/pdf
Content-Disposition: attachment; filename="{_LONG_NAME}"
Content-Transfer-Encoding: base64

{b64(b"%PDF-1.4 long name")}
--mixed-boundary
Content-Type: application/octet-stream
Content-Disposition: attachment; filename*=utf-8''clear%1B%5B2J%07screen%0D%0Aname.txt
Content-Transfer-Encoding: base64

{b64(b"control characters in the name")}
--mixed-boundary
Content-Type: application/pdf
Content-Disposition: attachment; filename="report.pdf"
Content-Transfer-Encoding: base64

{b64(b"%PDF-1.4 first report")}
--mixed-boundary
Content-Type: application/pdf
Content-Disposition: attachment; filename="report.pdf"
Content-Transfer-Encoding: base64

{b64(b"%PDF-1.4 second report")}
--mixed-boundary
Content-Type: application/octet-stream
Content-Disposition: attachment; filename=".."
Content-Transfer-Encoding: base64

{b64(b"dot dot")}
--mixed-boundary--
"""

CORPUS["10-auto-submitted.eml"] = headers(
    "Ada Lovelace <ada@lovelace-labs.example>",
    "Automatic reply: Printer on floor 2 prints blank pages",
    "<auto-1@lovelace-labs.example>", "Tue, 17 Nov 2026 09:30:00 +0100",
    f"In-Reply-To: {ORIGINAL}\nAuto-Submitted: auto-replied") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

I am away until Monday and will read your message then.
"""

CORPUS["11-out-of-office.eml"] = headers(
    "Carl Away <carl@away.example>", "Out of Office: your message",
    "<ooo-1@away.example>", "Wed, 18 Nov 2026 14:00:00 +0000",
    "X-Autoreply: yes\nPrecedence: auto_reply") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

I am out of the office until 1 December.
"""

CORPUS["12-bounce.eml"] = headers(
    "Mail Delivery System <MAILER-DAEMON@mx.desk.example>",
    "Undelivered Mail Returned to Sender", "<bounce-1@mx.desk.example>",
    "Wed, 18 Nov 2026 15:00:00 +0000", "Return-Path: <>") + f"""
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="report-boundary"

--report-boundary
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.desk.example.
Your message could not be delivered to ada@lovelace-labs.example: mailbox full.
--report-boundary
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.desk.example
Final-Recipient: rfc822; ada@lovelace-labs.example
Action: failed
Status: 5.2.2
--report-boundary
Content-Type: text/rfc822-headers

From: Brightline Support <support@desk.example>
To: ada@lovelace-labs.example
Subject: Re: [#1] Printer on floor 2 prints blank pages
Message-ID: {SENT_REPLY}
--report-boundary--
"""

CORPUS["13-reply-in-reply-to.eml"] = headers(
    "Ada Lovelace <ada@lovelace-labs.example>", "Re: Printer on floor 2 prints blank pages",
    "<reply-irt@lovelace-labs.example>", "Wed, 18 Nov 2026 16:00:00 +0100",
    f"In-Reply-To: {ORIGINAL}") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

It happens again after the restart.

On Tue, 17 Nov 2026 at 09:40, Brightline Support <support@desk.example>
wrote:
> Please restart the printer and tell us if it helps.
>
> Brightline Support
"""

CORPUS["14-reply-references.eml"] = headers(
    "Ada Lovelace <ada@lovelace-labs.example>", "AW: Printer on floor 2 prints blank pages",
    "<reply-refs@lovelace-labs.example>", "Wed, 18 Nov 2026 17:00:00 +0100",
    f"References: <unrelated@elsewhere.example>\n {ORIGINAL}") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

The engineer's visit on Friday suits us.

-----Original Message-----
From: Brightline Support <support@desk.example>
Sent: Wednesday, 18 November 2026 16:30
Subject: Printer on floor 2 prints blank pages

Can our engineer come on Friday?
"""

CORPUS["15-reply-subject-token.eml"] = headers(
    "Ada Lovelace <ada.lovelace@gmail.com>", "Re: [#1] Printer on floor 2 prints blank pages",
    "<reply-token@mail.gmail.com>", "Thu, 19 Nov 2026 08:00:00 +0100") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Writing from my private address: the printer works again, thank you!

________________________________
From: Brightline Support <support@desk.example>
Sent: Wednesday, 18 November 2026 18:00
The engineer fixed the fuser.
"""

CORPUS["16-no-message-id.eml"] = headers(
    "Dora Explorer <dora@explorer.example>", "No Message-ID in this one",
    None, "Thu, 19 Nov 2026 09:00:00 +0000") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

My mail program does not add a Message-ID header.
"""

CORPUS["17-malformed.eml"] = (
    b"this is not an e-mail header at all\n\x00\xff\xfe binary junk \x1b[2J\n"
    b"Subject without a colon-separated From\n\n--boundary-that-never-opens\n")

CORPUS["18-unknown-charset.eml"] = (headers(
    "Kim Klingon <kim@klingon.example>", "Unknown charset", "<klingon-1@klingon.example>",
    "Thu, 19 Nov 2026 10:00:00 +0000") + """
MIME-Version: 1.0
Content-Type: text/plain; charset="x-klingon-1"
Content-Transfer-Encoding: 8bit

""").encode("ascii") + "Qapla’! The café’s Wi-Fi is down.\n".encode()


# Automatic mail that only its subject or a vendor's header gives away (no Auto-Submitted).

CORPUS["19-auto-reply-subject.eml"] = headers(
    "Bert Byron <bert@lovelace-labs.example>", "Auto reply: Printer on floor 2 prints blank pages",
    "<auto-subject-1@lovelace-labs.example>", "Tue, 17 Nov 2026 09:31:00 +0100") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Thank you for your message. I am on leave until 30 November.
"""

CORPUS["20-out-of-office-subject.eml"] = headers(
    "Carl Away <carl@away.example>", "Out of Office AutoReply: Invoice 2026-114",
    "<ooo-subject-1@away.example>", "Wed, 18 Nov 2026 14:05:00 +0000") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

I am out of the office with limited access to e-mail.
"""

CORPUS["21-abwesenheitsnotiz.eml"] = headers(
    "=?iso-8859-1?Q?J=FCrgen_M=FCller?= <juergen@mueller-gmbh.example>",
    word("Abwesenheitsnotiz: Drucker defekt", "iso-8859-1", "Q"),
    "<abwesend-1@mueller-gmbh.example>", "Wed, 18 Nov 2026 08:05:00 +0100") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Ich bin bis einschließlich 27. November nicht im Büro.
"""

CORPUS["22-reponse-automatique.eml"] = headers(
    "Chloé Martin <chloe@martin.example>", word("Réponse automatique : Devis premium", "utf-8"),
    "<absence-1@martin.example>", "Wed, 18 Nov 2026 09:05:00 +0100") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Je suis absente du bureau jusqu'au 2 décembre.
"""

CORPUS["23-apple-vacation.eml"] = headers(
    "Dora Explorer <dora@icloud.example>", "Re: Your order",
    "<vacation-1@icloud.example>", "Thu, 19 Nov 2026 09:05:00 +0000",
    "X-Apple-Action: VACATION") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

I'm travelling and will answer when I'm back.
"""

CORPUS["24-exchange-oof.eml"] = headers(
    "Eve Exchange <eve@exchange.example>", "Away: Quote request",
    "<oof-1@exchange.example>", "Thu, 19 Nov 2026 09:10:00 +0000",
    "X-Auto-Response-Suppress: All\nX-MS-Exchange-Inbox-Rules-Loop: eve@exchange.example") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

I am currently out of the office.
"""

CORPUS["25-outlook-autogenerated.eml"] = headers(
    "Frank Outlook <frank@outlook.example>", "Your message to Brightline Support",
    "<autogen-1@outlook.example>", "Thu, 19 Nov 2026 09:15:00 +0000",
    "X-Autogenerated: Reply") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Thanks for writing. I will get back to you within two days.
"""

# Bounces from senders without a usable address, and one that returns a reply desk sent.

CORPUS["26-bounce-bare-daemon.eml"] = headers(
    "MAILER-DAEMON", "failure notice", "<bounce-bare-1@mx.lovelace-labs.example>",
    "Thu, 19 Nov 2026 09:20:00 +0000") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Hi. This is the qmail-send program at mx.lovelace-labs.example.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<old.colleague@lovelace-labs.example>:
Sorry, no mailbox here by that name. (#5.1.1)
"""

CORPUS["27-bounce-postmaster.eml"] = headers(
    "Postmaster <postmaster@mx.desk.example>", "Delivery has failed to these recipients",
    "<bounce-postmaster-1@mx.desk.example>", "Thu, 19 Nov 2026 09:25:00 +0000") + f"""
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="ndr-boundary"

--ndr-boundary
Content-Type: text/plain; charset=us-ascii

Your message to ada@lovelace-labs.example couldn't be delivered: the mailbox is full.
--ndr-boundary
Content-Type: message/rfc822

From: Brightline Support <support@desk.example>
To: ada@lovelace-labs.example
Subject: Re: [#1] Printer on floor 2 prints blank pages
Message-ID: {SENT_REPLY}

Please restart the printer.
--ndr-boundary--
"""

# A message that reuses the Message-ID of 01-new-plain.eml: sent before it, to make the
# real one look taken already.

CORPUS["28-forged-message-id.eml"] = headers(
    "Ada Lovelace <ada@lovelace-labs.example>", "Change of our bank details",
    ORIGINAL, "Mon, 16 Nov 2026 22:00:00 +0000") + """
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Please pay all open invoices to our new account from today.
"""

def crlf(data: str | bytes) -> bytes:
    """The message as a server delivers it: bytes with CRLF line ends."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def main() -> None:
    """Write every message of the corpus."""
    for name, data in CORPUS.items():
        (HERE / name).write_bytes(crlf(data))


if __name__ == "__main__":
    main()
