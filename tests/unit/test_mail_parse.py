"""Reading e-mail: the corpus in tests/data/mail, parsed as desk's intake reads it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from desk.mail import keys
from desk.mail import parse as mail_parse
from desk.mail.parse import MailError, parse
from desk.mail.text import html_to_text, strip_quoted
from desk.models import MailMessage

CORPUS = Path(__file__).parents[1] / "data" / "mail"
ORIGINAL = "<new-plain@lovelace-labs.example>"


def mail(name: str) -> mail_parse.ParsedMail:
    """A message of the corpus, parsed."""
    return parse((CORPUS / name).read_bytes())


def test_corpus_is_what_the_script_writes() -> None:
    import runpy

    script = runpy.run_path(str(CORPUS / "make_corpus.py"))
    for name, data in script["CORPUS"].items():
        assert (CORPUS / name).read_bytes() == script["crlf"](data), name


def test_a_plain_message_gives_its_sender_subject_ids_date_and_body() -> None:
    parsed = mail("01-new-plain.eml")
    assert (parsed.sender_name, parsed.sender_address) == ("Ada Lovelace",
                                                           "ada@lovelace-labs.example")
    assert parsed.sender == "Ada Lovelace <ada@lovelace-labs.example>"
    assert parsed.to == ("support@desk.example",)
    assert parsed.subject == "Printer on floor 2 prints blank pages"
    assert parsed.message_id == ORIGINAL
    assert parsed.key.startswith(f"{ORIGINAL} ")  # and a digest of the content
    assert parsed.date == datetime(2026, 11, 17, 8, 12)  # 09:12 +0100 as naive UTC
    assert parsed.body == ("Hello,\n\nsince this morning the printer on floor 2 prints only "
                           "blank pages.\nWe tried a new toner cartridge — no change.\n\nAda")
    assert (parsed.is_automatic, parsed.automatic_reason, parsed.attachments) == (False, "", ())
    assert parsed.thread_ids == ()


def test_multipart_alternative_prefers_the_plain_text() -> None:
    parsed = mail("02-multipart-alternative.eml")
    assert parsed.body == ("The plain text part: invoice 2026-114 charges 19% VAT instead of "
                           "7%.")
    assert parsed.attachments == ()


def test_html_only_mail_becomes_readable_text_without_scripts_or_styles() -> None:
    parsed = mail("03-html-only.eml")
    assert parsed.body == (
        "Hi team,\n\nthe contact form on our site <https://builder.example/contact> fails:\n\n"
        "- Name & e-mail are lost\n- The button says \"Send\" twice\n[logo]\nThanks,\nBob")
    assert "alert" not in parsed.body and "color" not in parsed.body
    assert "Hidden title" not in parsed.body


@pytest.mark.parametrize(("name", "sender", "subject", "body"), [
    ("04-latin1.eml", "Jürgen Müller", "Grüße aus Köln: Drucker defekt",
     "Guten Tag,\n\nder Drucker im Büro druckt nur Streifen. Schöne Grüße, Jürgen"),
    ("05-windows-1252.eml", "Chloé Martin", "Quote for the “premium” plan",
     "The “premium” plan costs €49 — is that per month?"),
    ("06-koi8-r.eml", "Иван Петров", "Принтер не печатает",
     "Здравствуйте! Не работает принтер в бухгалтерии."),
    ("07-iso-2022-jp.eml", "Yamada Taro", "プリンターの故障",
     "プリンターが動きません。至急お願いします。"),
    ("08-encoded-headers.eml", "Zoë Ångström", "Rückfrage zur Lieferung №7 (folded)",
     "Where is delivery 7?"),
    ("18-unknown-charset.eml", "Kim Klingon", "Unknown charset",
     "Qapla’! The café’s Wi-Fi is down."),
])
def test_every_charset_and_encoded_header_is_decoded(name: str, sender: str, subject: str,
                                                     body: str) -> None:
    parsed = mail(name)
    assert (parsed.sender_name, parsed.subject, parsed.body) == (sender, subject, body)


def test_hostile_subject_is_kept_as_text_and_attachment_names_as_sent() -> None:
    parsed = mail("09-hostile-attachments.eml")
    assert parsed.subject == ("[bold]Urgent[/bold] \x1b[31mred\x1b[0m \x1b]52;c;aGk=\x07 "
                              "please")
    assert parsed.body == "Please see the attached files."
    names = [attachment.filename for attachment in parsed.attachments]
    assert names == ["../../etc/passwd", "quarterly-report-" + "x" * 279 + ".pdf",
                     "clear\x1b[2J\x07screen\r\nname.txt", "report.pdf", "report.pdf", ".."]
    assert parsed.attachments[0].data == b"root:x:0:0:not really:/root:/bin/sh"
    assert parsed.attachments[0].content_type == "text/plain"
    assert parsed.attachments[4].data == b"%PDF-1.4 second report"


@pytest.mark.parametrize(("name", "reason"), [
    ("10-auto-submitted.eml", "Auto-Submitted: auto-replied"),
    ("11-out-of-office.eml", "Precedence: auto_reply"),
    ("12-bounce.eml", "report: delivery-status"),
    ("19-auto-reply-subject.eml", "Subject: Auto reply"),
    ("20-out-of-office-subject.eml", "Subject: Out of Office"),
    ("21-abwesenheitsnotiz.eml", "Subject: Abwesenheitsnotiz"),
    ("22-reponse-automatique.eml", "Subject: Réponse automatique"),
    ("23-apple-vacation.eml", "X-Apple-Action: VACATION"),
    ("24-exchange-oof.eml", "X-Auto-Response-Suppress: All"),
    ("25-outlook-autogenerated.eml", "X-Autogenerated: Reply"),
    ("26-bounce-bare-daemon.eml", "sender mailer-daemon"),
    ("27-bounce-postmaster.eml", "sender postmaster@mx.desk.example"),
])
def test_automatic_mail_is_recognised(name: str, reason: str) -> None:
    parsed = mail(name)
    assert (parsed.is_automatic, parsed.automatic_reason) == (True, reason)


def test_each_automatic_header_on_its_own() -> None:
    base = (b"From: someone@example.org\r\nSubject: hi\r\n%s\r\n\r\nbody\r\n")
    cases = {
        b"Auto-Submitted: auto-generated; owner-email=x@example.org":
            "Auto-Submitted: auto-generated",
        b"Auto-Submitted: no": "",
        b"Precedence: bulk": "Precedence: bulk",
        b"Precedence: junk": "Precedence: junk",
        b"Precedence: list": "",
        b"X-Autoreply: yes": "X-Autoreply: yes",
        b"X-Autorespond: on vacation": "X-Autorespond: on vacation",
        b"Return-Path: <>": "Return-Path: <> (a bounce)",
        b"X-Apple-Action: VACATION": "X-Apple-Action: VACATION",
        b"X-Apple-Action: other": "",
        b"X-Auto-Response-Suppress: DR, OOF, AutoReply": "X-Auto-Response-Suppress: DR, OOF, "
                                                        "AutoReply",
        b"X-Auto-Response-Suppress: DR, RN, NRN": "",
        b"X-Autogenerated: Forward": "X-Autogenerated: Forward",
        b"X-Autoreply: no": "",
    }
    for header, reason in cases.items():
        assert parse(base % header).automatic_reason == reason, header
    daemon = b"From: MAILER-DAEMON@mx.example.org\r\nSubject: failure\r\n\r\nbody\r\n"
    assert parse(daemon).automatic_reason == "sender mailer-daemon@mx.example.org"


@pytest.mark.parametrize(("subject", "reason"), [
    ("Automatic reply: Invoice 114", "Subject: Automatic reply"),
    ("AutoReply: Invoice 114", "Subject: AutoReply"),
    ("Auto-Reply: Invoice", "Subject: Auto-Reply"),
    ("Out of office", "Subject: Out of office"),
    ("OUT OF THE OFFICE until Monday", "Subject: OUT OF THE OFFICE"),
    ("Out of Office AutoReply: Invoice", "Subject: Out of Office"),
    ("Automatische Antwort: Rechnung", "Subject: Automatische Antwort"),
    ("Abwesenheitsnotiz", "Subject: Abwesenheitsnotiz"),
    ("Réponse automatique : Devis", "Subject: Réponse automatique"),
    ("Respuesta automática: Pedido", "Subject: Respuesta automática"),
    ("Risposta automatica: Ordine", "Subject: Risposta automatica"),
    ("Automatisch antwoord: Offerte", "Subject: Automatisch antwoord"),
    ("Autosvar: Faktura", "Subject: Autosvar"),
    ("Автоматический ответ: Счёт", "Subject: Автоматический ответ"),
    ("自動応答: 請求書", "Subject: 自動応答"),
    ("自动回复：发票", "Subject: 自动回复"),
    # what a person writes
    ("Auto reply not working on our account", ""),
    ("Re: Automatic reply settings", ""),
    ("Out of officers' reach", ""),
    ("Question about the out of office feature", ""),
    ("Printer jam", ""),
])
def test_a_notice_is_recognised_by_its_subject_alone(subject: str, reason: str) -> None:
    raw = (f"From: someone@example.org\r\nSubject: {subject}\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\nbody\r\n").encode()
    assert parse(raw).automatic_reason == reason


@pytest.mark.parametrize("sender", [
    b"MAILER-DAEMON", b"Mail Delivery Subsystem <MAILER-DAEMON>", b"postmaster",
    b"<postmaster@mx.example.org>"])
def test_a_bounce_from_the_mail_system_is_automatic_with_or_without_a_domain(sender) -> None:
    parsed = parse(b"From: %s\r\nSubject: failure notice\r\n\r\nbody\r\n" % sender)
    assert parsed.is_automatic
    assert parsed.automatic_reason.startswith(("sender mailer-daemon", "sender postmaster"))


def test_a_sender_without_a_domain_is_still_refused_unless_it_is_the_mail_system() -> None:
    with pytest.raises(MailError, match="no sender address"):
        parse(b"From: alice\r\nSubject: hi\r\n\r\nbody\r\n")


def test_a_bounce_points_at_the_message_it_returns() -> None:
    parsed = mail("12-bounce.eml")
    assert parsed.thread_ids == ("<desk-reply-1@desk.example>",)
    assert parsed.attachments == ()  # the report's machine parts are not files
    assert parsed.body.startswith("This is the mail system at host mx.desk.example.")
    assert mail("27-bounce-postmaster.eml").thread_ids == ("<desk-reply-1@desk.example>",)


def test_a_forwarded_message_a_person_attached_names_no_thread() -> None:
    raw = (b"From: a@example.org\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           b"Content-Type: text/plain\r\n\r\nsee below\r\n--b\r\n"
           b"Content-Type: message/rfc822\r\n\r\nFrom: c@example.org\r\n"
           b"Message-ID: <inner@example.org>\r\n\r\ninner body\r\n--b--\r\n")
    assert parse(raw).thread_ids == ()


def test_replies_carry_their_thread_and_lose_their_quoted_history() -> None:
    by_header = mail("13-reply-in-reply-to.eml")
    assert by_header.in_reply_to == ORIGINAL and by_header.thread_ids == (ORIGINAL,)
    assert by_header.reply_body == "It happens again after the restart."
    assert "> Please restart" in by_header.body  # the full text is kept
    by_references = mail("14-reply-references.eml")
    assert by_references.in_reply_to is None
    assert by_references.references == ("<unrelated@elsewhere.example>", ORIGINAL)
    assert by_references.thread_ids == (ORIGINAL, "<unrelated@elsewhere.example>")
    assert by_references.reply_body == "The engineer's visit on Friday suits us."
    by_token = mail("15-reply-subject-token.eml")
    assert by_token.thread_ids == ()
    assert by_token.reply_body == ("Writing from my private address: the printer works again, "
                                   "thank you!")


def test_the_same_message_read_again_has_the_same_key() -> None:
    raw = (CORPUS / "01-new-plain.eml").read_bytes()
    # as an mbox or another server hands it over: other line ends, a header added on top
    again = b"Received: from mx by mx2; Thu, 19 Nov 2026\n" + raw.replace(b"\r\n", b"\n")
    assert parse(again).key == parse(raw).key


@pytest.mark.parametrize(("old", "new"), [
    (b"From: Ada Lovelace <ada@lovelace-labs.example>", b"From: Eve <eve@evil.example>"),
    (b"Date: Tue, 17 Nov 2026 09:12:00", b"Date: Mon, 16 Nov 2026 09:12:00"),
    (b"Subject: Printer", b"Subject: Payment"),
    (b"since this morning", b"since last night"),
])
def test_a_message_reusing_a_message_id_has_a_key_of_its_own(old: bytes, new: bytes) -> None:
    raw = (CORPUS / "01-new-plain.eml").read_bytes()
    other = parse(raw.replace(old, new))
    assert other.message_id == ORIGINAL
    assert other.key != parse(raw).key and other.key.startswith(f"{ORIGINAL} ")


def test_the_key_of_the_longest_message_id_fits_its_column() -> None:
    longest = "<" + "x" * 468 + "@example.org>"  # 480 characters between the brackets
    parsed = parse(f"From: a@example.org\r\nMessage-ID: {longest}\r\n\r\nhi\r\n".encode())
    assert parsed.message_id == longest
    assert len(parsed.key) <= MailMessage.key.max_length


def test_a_message_without_message_id_is_keyed_by_its_bytes() -> None:
    raw = (CORPUS / "16-no-message-id.eml").read_bytes()
    parsed = parse(raw)
    assert parsed.message_id is None
    assert parsed.key == keys.raw_key(raw) and parsed.key.startswith("sha256:")
    assert parse(raw + b"changed\r\n").key != parsed.key


def test_a_malformed_message_is_refused_with_a_reason() -> None:
    with pytest.raises(MailError, match="no sender address"):
        mail("17-malformed.eml")
    with pytest.raises(MailError, match="must be bytes"):
        parse("text")  # type: ignore[arg-type]


def test_nul_characters_and_undecodable_header_bytes_never_reach_the_text() -> None:
    raw = (b"From: \xff\xfe Odd <odd@example.org>\r\nSubject: a\x00b \xe9t\xe9\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nnul\x00here \xff\r\n")
    parsed = parse(raw)
    assert parsed.subject == "ab été"
    assert parsed.sender_address == "odd@example.org"
    assert parsed.body == "nulhere ÿ"  # not UTF-8 after all: read as Windows-1252
    assert "\x00" not in parsed.sender_name


def test_an_attached_message_is_one_file() -> None:
    raw = (b"From: a@example.org\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           b"Content-Type: text/plain\r\n\r\nsee below\r\n--b\r\n"
           b"Content-Type: message/rfc822\r\n\r\nFrom: c@example.org\r\nSubject: inner\r\n\r\n"
           b"inner body\r\n--b--\r\n")
    parsed = parse(raw)
    assert parsed.body == "see below"
    [attached] = parsed.attachments
    assert (attached.filename, attached.content_type) == ("", "message/rfc822")
    assert b"Subject: inner" in attached.data


def test_html_to_text_runs_and_fetches_nothing() -> None:
    html = ('<p>A&nbsp;&lt;b&gt; <a href="javascript:alert(1)">click</a> '
            '<a href="mailto:x@example.org">x@example.org</a></p><pre>  kept\n  as is</pre>'
            "<table><tr><td>a</td><td>b</td></tr></table><iframe src=x></iframe>")
    assert html_to_text(html) == "A <b> click x@example.org\n\nkept\nas is\n\na b"


@pytest.mark.parametrize(("text", "expected"), [
    ("Thanks!\n\nAm 17.11.2026 um 09:40 schrieb Support <s@example.org>:\n> old", "Thanks!"),
    ("Yes.\n\nLe mar. 17 nov. 2026, Support a écrit :\n> old", "Yes."),
    ("Fine.\n-- Forwarded message --\nold", "Fine."),
    ("Top.\nFrom: Support <s@example.org>\nSent: Tuesday\nold", "Top."),
    ("> only quoted\n> text", "> only quoted\n> text"),
    ("no history at all", "no history at all"),
])
def test_strip_quoted(text: str, expected: str) -> None:
    assert strip_quoted(text) == expected
