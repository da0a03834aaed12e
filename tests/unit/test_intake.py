"""Intake: the corpus in tests/data/mail taken into a desk, and form submissions."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from msgspec.structs import replace

from desk import sla
from desk.config import Settings, parse_settings
from desk.crm import clients
from desk.errors import DeskError, InvalidInput, NotFound
from desk.mail.parse import parse
from desk.mail.sources import IncomingMail
from desk.models import (
    Activity,
    Attachment,
    Client,
    Comment,
    Interaction,
    MailMessage,
    Outbox,
    Product,
    QueryData,
    Task,
)
from desk.support import csat, intake
from desk.support.forms import take_form
from desk.support.intake import IntakeOptions, take_mail
from desk.work import tasks, workspace

SLA_RULES = sla.book(Settings())  # the shipped SLA rules
CORPUS = Path(__file__).parents[1] / "data" / "mail"
NOW = datetime(2026, 11, 19, 9, 0)  # naive UTC, as stored
HELPDESK = (("New", "open"), ("Open", "active"), ("Waiting on customer", "active"),
            ("Resolved", "done"), ("Closed", "closed"))


def raw(name: str) -> bytes:
    """The bytes of a corpus message."""
    return (CORPUS / name).read_bytes()


@pytest.fixture
def desk(db, admin, tmp_path):
    """A support inbox, the client Lovelace Labs (info@lovelace-labs.example), and the
    intake options the tests use; returns (admin, options)."""
    workspace.create_space(admin, "Support")
    workspace.create_list(admin, "Support", "Support inbox", HELPDESK)
    clients.create(admin, "Lovelace Labs", "client", email="info@lovelace-labs.example")
    options = IntakeOptions(public_domains=frozenset({"gmail.com"}),
                            attachments_root=tmp_path / "files", sla_rules=SLA_RULES)
    return admin, options


def take(desk, name: str, **changes) -> intake.Outcome:
    """Take a corpus message with the fixture's options (changed by `changes`)."""
    admin, options = desk
    options = replace(options, **changes)
    return take_mail(admin, raw(name), name, options, now=NOW)


def query(task_id: int) -> tuple[Task, QueryData]:
    """A query and its support data."""
    return Task.get_by_id(task_id), QueryData.get(QueryData.task == task_id)


# --- new queries ---------------------------------------------------------------------------


def test_a_new_mail_opens_a_query_for_the_client_of_its_domain(desk) -> None:
    outcome = take(desk, "01-new-plain.eml")
    assert (outcome.outcome, outcome.task_id) == ("new", 1)
    assert outcome.text() == "01-new-plain.eml: new query #1: Printer on floor 2 prints blank pages"
    task, data = query(1)
    assert (task.kind, task.title, task.task_list.name, task.status.name, task.client.name) == (
        "query", "Printer on floor 2 prints blank pages", "Support inbox", "New",
        "Lovelace Labs")
    assert task.description.startswith("Hello,\n\nsince this morning the printer")
    assert (data.requester_name, data.requester_email, data.channel, data.message_id,
            data.waiting_on) == ("Ada Lovelace", "ada@lovelace-labs.example", "email",
                                 "<new-plain@lovelace-labs.example>", "us")
    mail = MailMessage.get()
    assert (mail.key, mail.outcome, mail.task_id, mail.sender, mail.source, mail.received_at) == (
        parse(raw("01-new-plain.eml")).key, "new", 1, "ada@lovelace-labs.example",
        "01-new-plain.eml", NOW)
    actors = {actor for (actor,) in Activity.select(Activity.actor).where(
        (Activity.entity == "task") & (Activity.entity_id == 1)).tuples()}
    assert actors == {"intake"}
    assert Interaction.get().kind == "email"
    assert Client.get(Client.name == "Lovelace Labs").last_contact_at is not None


def test_taking_the_same_mail_twice_creates_nothing_new(desk) -> None:
    take(desk, "01-new-plain.eml")
    again = take(desk, "01-new-plain.eml")
    assert (again.outcome, again.task_id) == ("duplicate", 1)
    assert again.text() == "01-new-plain.eml: already taken (new #1)"
    assert (Task.select().count(), MailMessage.select().count(), Client.select().count()) == (
        1, 1, 1)


def test_a_mail_without_message_id_is_taken_once_by_its_bytes(desk) -> None:
    first = take(desk, "16-no-message-id.eml")
    assert take(desk, "16-no-message-id.eml").outcome == "duplicate"
    assert query(first.task_id)[1].message_id is None
    assert MailMessage.get().key.startswith("sha256:")
    assert Task.select().count() == 1


def test_the_exact_address_beats_the_domain(desk) -> None:
    admin, _ = desk
    ada = clients.create(admin, "Ada (customer)", email="ada@lovelace-labs.example").row.id
    take(desk, "01-new-plain.eml")
    assert Task.get_by_id(1).client_id == ada


def test_a_public_domain_never_matches_a_client(desk) -> None:
    admin, _ = desk
    clients.create(admin, "Someone at Gmail", "client", email="someone@gmail.com")
    take(desk, "02-multipart-alternative.eml")
    task = Task.get_by_id(1)
    assert (task.client.name, task.client.kind, task.client.email) == (
        "Grace Hopper", "customer", "grace.hopper@gmail.com")
    assert task.description == ("The plain text part: invoice 2026-114 charges 19% VAT "
                                "instead of 7%.")


def test_unknown_senders_stay_without_a_client_when_configured(desk) -> None:
    take(desk, "03-html-only.eml", create_customers=False)
    assert Task.get_by_id(1).client_id is None
    assert Client.select().count() == 1


@pytest.mark.parametrize(("name", "title"), [
    ("04-latin1.eml", "Grüße aus Köln: Drucker defekt"),
    ("06-koi8-r.eml", "Принтер не печатает"),
    ("07-iso-2022-jp.eml", "プリンターの故障"),
    ("08-encoded-headers.eml", "Rückfrage zur Lieferung №7 (folded)"),
])
def test_decoded_subjects_become_titles(desk, name: str, title: str) -> None:
    take(desk, name)
    assert Task.get_by_id(1).title == title


def test_hostile_text_is_stored_as_text_and_files_are_saved_safely(desk, tmp_path) -> None:
    outcome = take(desk, "09-hostile-attachments.eml")
    task = Task.get_by_id(outcome.task_id)
    assert task.title == ("[bold]Urgent[/bold] \x1b[31mred\x1b[0m \x1b]52;c;aGk=\x07 please")
    assert task.description == (
        "Please see the attached files.\n\nAttachments:\n- passwd (35 B)\n"
        f"- quarterly-report-{'x' * 129}.pdf (18 B)\n- clear[2Jscreenname.txt (30 B)\n"
        "- report.pdf (21 B)\n- report-2.pdf (22 B)\n- attachment.bin (7 B)")
    rows = list(Attachment.select().order_by(Attachment.id))
    assert [row.original_name for row in rows][:1] == ["../../etc/passwd"]
    assert {row.mail_id for row in rows} == {MailMessage.get().id}
    files = tmp_path / "files"
    [folder] = list(files.iterdir())
    assert sorted(path.name for path in folder.iterdir()) == sorted(row.filename for row in rows)
    assert all((files / row.path).is_file() for row in rows)


def test_files_over_the_limit_are_listed_but_not_saved(desk, tmp_path) -> None:
    outcome = take(desk, "09-hostile-attachments.eml", attachment_max_bytes=30)
    description = Task.get_by_id(outcome.task_id).description
    assert "- passwd (35 B): not saved, larger than the limit of 30 B" in description
    assert sorted(row.filename for row in Attachment.select()) == sorted([
        "quarterly-report-" + "x" * 129 + ".pdf", "report.pdf", "report-2.pdf", "attachment.bin",
        "clear[2Jscreenname.txt"])


# --- replies -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "body"), [
    ("13-reply-in-reply-to.eml", "It happens again after the restart."),
    ("14-reply-references.eml", "The engineer's visit on Friday suits us."),
    ("15-reply-subject-token.eml",
     "Writing from my private address: the printer works again, thank you!"),
])
def test_a_reply_is_added_to_its_query_by_each_threading_method(desk, name, body) -> None:
    admin, _ = desk
    take(desk, "01-new-plain.eml")
    tasks.update(admin, 1, Task.get_by_id(1).version, status="Waiting on customer")
    QueryData.update(waiting_on="them").where(QueryData.task == 1).execute()
    outcome = take(desk, name)
    assert (outcome.outcome, outcome.task_id, outcome.text()) == ("comment", 1,
                                                                  f"{name}: comment on #1")
    [comment] = Comment.select()
    assert (comment.task_id, comment.kind, comment.body, comment.author_id) == (
        1, "message", body, None)
    assert comment.author_name.startswith("Ada Lovelace <ada")
    assert comment.created_at == NOW
    assert query(1)[1].waiting_on == "us"
    assert Task.select().count() == 1
    assert MailMessage.get(MailMessage.outcome == "comment").task_id == 1


def test_a_reply_to_a_reply_threads_through_the_messages_taken(desk) -> None:
    admin, options = desk
    take(desk, "01-new-plain.eml")
    take(desk, "13-reply-in-reply-to.eml")
    answer = (b"From: ada@lovelace-labs.example\r\nSubject: again\r\n"
              b"Message-ID: <third@lovelace-labs.example>\r\n"
              b"In-Reply-To: <reply-irt@lovelace-labs.example>\r\n\r\nStill broken.\r\n")
    outcome = take_mail(admin, answer, "inline", options, now=NOW)
    assert (outcome.outcome, outcome.task_id) == ("comment", 1)
    assert [c.body for c in Comment.select().order_by(Comment.id)] == [
        "It happens again after the restart.", "Still broken."]


def test_a_subject_token_of_a_task_that_is_no_query_opens_a_new_query(desk) -> None:
    admin, _ = desk
    inbox = workspace.find_list("Support inbox")
    tasks.create(admin, "Plain task", inbox.id)
    outcome = take(desk, "15-reply-subject-token.eml")
    assert (outcome.outcome, outcome.task_id) == ("new", 2)


def test_a_reply_reopens_a_resolved_query_and_wakes_a_snoozed_one(desk) -> None:
    admin, _ = desk
    take(desk, "01-new-plain.eml")
    tasks.update(admin, 1, 1, status="Resolved", snoozed_until=datetime(2026, 12, 1, 8, 0))
    outcome = take(desk, "13-reply-in-reply-to.eml")
    assert outcome.text() == "13-reply-in-reply-to.eml: comment on #1 (reopened, woken)"
    task = Task.get_by_id(1)
    assert (task.status.name, task.category, task.closed_at, task.snoozed_until) == (
        "New", "open", None, None)
    history = {(row.field, row.new) for row in Activity.select().where(
        (Activity.entity == "task") & (Activity.entity_id == 1) & (Activity.actor == "intake"))}
    assert {("status", "New"), ("snoozed_until", None)} <= history


def test_reopening_and_waking_follow_the_options(desk) -> None:
    admin, _ = desk
    take(desk, "01-new-plain.eml")
    later = datetime(2026, 12, 1, 8, 0)
    tasks.update(admin, 1, 1, status="Resolved", snoozed_until=later)
    outcome = take(desk, "13-reply-in-reply-to.eml", reopen_resolved=False, snooze_policy="stay")
    assert outcome.detail == ""
    task = Task.get_by_id(1)
    assert (task.status.name, task.snoozed_until) == ("Resolved", later)
    assert Comment.select().count() == 1


def test_the_options_come_from_the_intake_settings() -> None:
    settings = parse_settings("intake:\n  list: Helpdesk\n  snooze_policy: stay\n"
                              "  reopen_resolved: false\n")
    options = IntakeOptions.from_settings(settings.intake, sla.book(settings))
    assert (options.list_name, options.snooze_policy, options.reopen_resolved) == (
        "Helpdesk", "stay", False)
    assert options.sla_rules == sla.book(settings)


def test_a_score_answering_the_survey_of_a_resolved_query_is_its_csat(desk) -> None:
    admin, options = desk
    take(desk, "01-new-plain.eml")
    tasks.update(admin, 1, 1, status="Resolved")
    answer = ("From: Ada Lovelace <ada@lovelace-labs.example>\r\n"
              "Subject: Re: How did we do? [#1] Printer on floor 2 prints blank pages\r\n"
              "Message-ID: <survey-answer@lovelace-labs.example>\r\n"
              "Content-Type: text/plain; charset=utf-8\r\n\r\n"
              "5/5\r\nQuick and friendly — thank you.\r\n\r\n"
              "On Thu, 19 Nov 2026, Brightline Support wrote:\r\n> How did we do?\r\n")
    outcome = take_mail(admin, answer.encode(), "survey", options, now=NOW)
    assert outcome.text() == "survey: comment on #1 (CSAT 5 recorded)"
    _, data = query(1)
    assert (data.csat_score, data.csat_comment) == (5, "Quick and friendly — thank you.")
    assert Task.get_by_id(1).status.name == "Resolved"


# --- automatic mail ------------------------------------------------------------------------


def test_an_auto_reply_on_a_thread_becomes_an_internal_note(desk) -> None:
    take(desk, "01-new-plain.eml")
    outcome = take(desk, "10-auto-submitted.eml")
    assert outcome.text() == ("10-auto-submitted.eml: automatic (Auto-Submitted: auto-replied): "
                              "note on #1")
    [note] = Comment.select()
    assert (note.kind, note.task_id) == ("note", 1)
    assert note.body.startswith("Automatic mail (Auto-Submitted: auto-replied) from Ada")
    assert Task.select().count() == 1
    assert MailMessage.get(MailMessage.outcome == "automatic").error == (
        "Auto-Submitted: auto-replied")


def test_out_of_office_mail_without_a_thread_is_only_logged(desk) -> None:
    outcome = take(desk, "11-out-of-office.eml")
    assert outcome.text() == "11-out-of-office.eml: automatic (Precedence: auto_reply): logged"
    assert (Task.select().count(), Comment.select().count(), Client.select().count()) == (0, 0, 1)
    assert MailMessage.get().outcome == "automatic"


def test_a_bounce_of_a_sent_reply_is_noted_on_its_query(desk) -> None:
    take(desk, "01-new-plain.eml")
    Outbox.create(task=1, to_address="ada@lovelace-labs.example", subject="Re: [#1] Printer",
                  body="Please restart it.", message_id="<desk-reply-1@desk.example>")
    outcome = take(desk, "12-bounce.eml")
    assert (outcome.outcome, outcome.task_id) == ("automatic", 1)
    assert "mailbox full" in Comment.get().body


def test_a_copy_of_mail_this_desk_sent_is_only_logged(desk) -> None:
    admin, options = desk
    take(desk, "01-new-plain.eml")
    Outbox.create(task=1, to_address="ada@lovelace-labs.example", subject="Re: [#1] Printer",
                  body="Please restart it.", message_id="<desk-reply-1@desk.example>")
    copy = (b"From: Brightline Support <support@desk.example>\r\nSubject: Re: [#1] Printer\r\n"
            b"Message-ID: <desk-reply-1@desk.example>\r\n"
            b"In-Reply-To: <new-plain@lovelace-labs.example>\r\n\r\nPlease restart it.\r\n")
    outcome = take_mail(admin, copy, "copy", options, now=NOW)
    assert outcome.text() == "copy: automatic (sent by this desk): logged"
    assert Comment.select().count() == 0


def test_a_bounce_of_nothing_known_is_only_logged(desk) -> None:
    outcome = take(desk, "12-bounce.eml")
    assert (outcome.outcome, outcome.task_id) == ("automatic", None)
    assert Task.select().count() == 0


@pytest.mark.parametrize(("name", "reason"), [
    ("19-auto-reply-subject.eml", "Subject: Auto reply"),
    ("20-out-of-office-subject.eml", "Subject: Out of Office"),
    ("21-abwesenheitsnotiz.eml", "Subject: Abwesenheitsnotiz"),
    ("22-reponse-automatique.eml", "Subject: Réponse automatique"),
    ("23-apple-vacation.eml", "X-Apple-Action: VACATION"),
    ("24-exchange-oof.eml", "X-Auto-Response-Suppress: All"),
    ("25-outlook-autogenerated.eml", "X-Autogenerated: Reply"),
    ("26-bounce-bare-daemon.eml", "sender mailer-daemon"),
])
def test_notices_known_by_subject_header_or_sender_never_open_a_query(desk, name,
                                                                      reason) -> None:
    outcome = take(desk, name)
    assert outcome.text() == f"{name}: automatic ({reason}): logged"
    assert (Task.select().count(), Comment.select().count(), Client.select().count()) == (0, 0, 1)
    mail = MailMessage.get()
    assert (mail.outcome, mail.error, mail.raw_path) == ("automatic", reason, "")


def test_a_postmaster_bounce_of_a_sent_reply_is_noted_on_its_query(desk) -> None:
    take(desk, "01-new-plain.eml")
    Outbox.create(task=1, to_address="ada@lovelace-labs.example", subject="Re: [#1] Printer",
                  body="Please restart it.", message_id="<desk-reply-1@desk.example>")
    outcome = take(desk, "27-bounce-postmaster.eml")
    assert outcome.text() == ("27-bounce-postmaster.eml: automatic (sender "
                              "postmaster@mx.desk.example): note on #1")
    assert "the mailbox is full" in Comment.get().body
    assert Task.select().count() == 1


# --- the same message once, a different one with the same Message-ID too ---------------------

FORGED = "28-forged-message-id.eml"
REUSED_NOTE = ("Another message with the Message-ID <new-plain@lovelace-labs.example> was taken "
               "before (from ada@lovelace-labs.example: new #{task}). One of the two may be "
               "forged; replies naming this Message-ID now come here.")


def test_a_forged_earlier_message_does_not_make_the_real_one_vanish(desk) -> None:
    forged = take(desk, FORGED)
    real = take(desk, "01-new-plain.eml")
    assert (forged.outcome, forged.task_id, real.outcome, real.task_id) == ("new", 1, "new", 2)
    assert Task.get_by_id(2).title == "Printer on floor 2 prints blank pages"
    [note] = Comment.select().where(Comment.task == 2)
    assert (note.kind, note.author_name, note.body) == ("note", "intake",
                                                        REUSED_NOTE.format(task=1))
    # both read again: each is taken once; a reply naming the id goes to the newer query
    assert [take(desk, name).text() for name in (FORGED, "01-new-plain.eml")] == [
        f"{FORGED}: already taken (new #1)", "01-new-plain.eml: already taken (new #2)"]
    assert take(desk, "13-reply-in-reply-to.eml").task_id == 2
    assert (Task.select().count(), MailMessage.select().count()) == (2, 3)


def test_a_message_reusing_the_id_of_one_taken_is_taken_too_and_flagged(desk) -> None:
    assert take(desk, "01-new-plain.eml").task_id == 1
    forged = take(desk, FORGED)
    assert (forged.outcome, forged.task_id) == ("new", 2)
    assert Comment.get(Comment.task == 2).body == REUSED_NOTE.format(task=1)
    assert Comment.select().where(Comment.task == 1).count() == 0


def test_a_message_taken_under_the_bare_message_id_of_older_keys_is_not_taken_again(desk) -> None:
    MailMessage.create(key="<new-plain@lovelace-labs.example>", source="old run",
                       sender="ada@lovelace-labs.example",
                       subject="Printer on floor 2 prints blank pages", outcome="automatic")
    again = take(desk, "01-new-plain.eml")
    assert again.text() == "01-new-plain.eml: already taken (automatic)"
    assert (Task.select().count(), MailMessage.select().count()) == (0, 1)


def test_an_older_key_of_another_message_with_the_same_id_lets_the_real_one_in(desk) -> None:
    MailMessage.create(key="<new-plain@lovelace-labs.example>", source="old run",
                       sender="ada@lovelace-labs.example", subject="Change of our bank details",
                       outcome="automatic")
    real = take(desk, "01-new-plain.eml")
    assert (real.outcome, real.task_id) == ("new", 1)
    assert "was taken before (from ada@lovelace-labs.example: automatic)" in Comment.get().body
    assert take(desk, "01-new-plain.eml").outcome == "duplicate"


def test_a_reply_threads_through_a_message_taken_under_an_older_key(desk) -> None:
    take(desk, "01-new-plain.eml")
    MailMessage.update(key="<new-plain@lovelace-labs.example>").execute()  # as stored before
    QueryData.update(message_id=None).execute()  # so only the mail taken in names the id
    outcome = take(desk, "13-reply-in-reply-to.eml")
    assert (outcome.outcome, outcome.task_id) == ("comment", 1)


# --- failures ------------------------------------------------------------------------------


def test_a_malformed_message_is_kept_and_reported_never_dropped(desk) -> None:
    outcome = take(desk, "17-malformed.eml")
    assert outcome.text() == ("17-malformed.eml: failed: the message has no sender address "
                              "(From)")
    mail = MailMessage.get()
    assert (mail.outcome, mail.task_id, mail.error) == (
        "failed", None, "the message has no sender address (From)")
    assert Path(mail.raw_path).read_bytes() == raw("17-malformed.eml")
    assert take(desk, "17-malformed.eml").outcome == "duplicate"
    assert (Task.select().count(), MailMessage.select().count()) == (0, 1)


def test_a_message_whose_changes_fail_is_rolled_back_kept_and_reported(desk) -> None:
    admin, _ = desk
    workspace.create_list(admin, "Support", "Archive", (("Archived", "done"),))
    archived = tasks.create(admin, "Old query", workspace.find_list("Archive").id, kind="query",
                            sla_rules=SLA_RULES)
    assert archived.row.id == 1
    outcome = take(desk, "15-reply-subject-token.eml")
    assert outcome.outcome == "failed"
    assert outcome.detail == "list 2 has no open status to reopen a query in"
    assert (Comment.select().count(), Attachment.select().count()) == (0, 0)
    mail = MailMessage.get()
    assert (mail.outcome, mail.key) == ("failed", parse(raw("15-reply-subject-token.eml")).key)
    assert Path(mail.raw_path).read_bytes() == raw("15-reply-subject-token.eml")


def test_files_of_a_failed_message_are_removed(desk, tmp_path) -> None:
    admin, _ = desk
    workspace.create_list(admin, "Support", "Archive", (("Archived", "done"),))
    tasks.create(admin, "Old query", workspace.find_list("Archive").id, kind="query",
                 sla_rules=SLA_RULES)
    hostile = raw("09-hostile-attachments.eml").replace(b"Subject: ", b"Subject: [#1] ", 1)
    outcome = take_mail(admin, hostile, "hostile", desk[1], now=NOW)
    assert outcome.outcome == "failed"
    files = tmp_path / "files"
    assert not files.exists() or not any(path.is_file() for path in files.rglob("*"))


def test_a_run_with_a_missing_list_stops_before_taking_anything(desk) -> None:
    admin, options = desk
    wrong = replace(options, list_name="No such list")
    messages = [IncomingMail("01", raw("01-new-plain.eml"))]
    with pytest.raises(NotFound, match="no list named 'No such list'"):
        intake.take_all(admin, messages, wrong, now=NOW)
    assert MailMessage.select().count() == 0


def test_take_all_reports_each_message_and_marks_it_done(desk) -> None:
    admin, options = desk
    done: list[str] = []
    seen: list[str] = []
    messages = [IncomingMail(name, raw(name), lambda name=name: done.append(name))
                for name in ("01-new-plain.eml", "13-reply-in-reply-to.eml", "11-out-of-office.eml",
                             "17-malformed.eml", "01-new-plain.eml")]
    report = intake.take_all(admin, messages, options, now=NOW,
                             on_outcome=lambda outcome: seen.append(outcome.outcome))
    assert seen == ["new", "comment", "automatic", "failed", "duplicate"]
    assert done == [message.source for message in messages]
    assert report.summary() == ("intake: 1 new, 1 comment, 1 automatic, 1 failed, "
                                "1 already taken")


# --- forms ---------------------------------------------------------------------------------


def test_a_form_submission_opens_a_query(desk) -> None:
    admin, options = desk
    Product.create(name="Managed printing", kind="service", unit_price=10)
    outcome = take_form(admin, {
        "name": "Ada Lovelace", "email": "Ada@Lovelace-Labs.example", "product": "managed printing",
        "problem": "Toner light blinks\nafter every job.", "priority": "high",
        "channel": "phone"}, "submission 1", options)
    task, data = query(outcome.task_id)
    assert (task.title, task.priority, task.client.name) == ("Toner light blinks", 2,
                                                             "Lovelace Labs")
    assert task.description == "Product: Managed printing\n\nToner light blinks\nafter every job."
    assert (data.requester_name, data.requester_email, data.channel, data.message_id) == (
        "Ada Lovelace", "ada@lovelace-labs.example", "phone", None)
    assert outcome.text() == "submission 1: new query #1: Toner light blinks"


def test_a_form_may_name_its_client_and_title(desk) -> None:
    admin, options = desk
    outcome = take_form(admin, {"client": "Lovelace Labs", "problem": "It is broken.",
                                "title": "Walk-in: broken laptop", "channel": "walk-in"},
                        "form", options)
    task, data = query(outcome.task_id)
    assert (task.title, task.client.name, data.channel) == ("Walk-in: broken laptop",
                                                            "Lovelace Labs", "walk-in")


@pytest.mark.parametrize(("submission", "message"), [
    ({"email": "a@example.org"}, "problem: describe the problem (it cannot be empty)"),
    ({"problem": "x", "email": "not an address"}, "email: 'not an address' is not an e-mail"),
    ({"problem": "x", "colour": "red"}, "unknown field 'colour'"),
    ({"problem": "x", "product": "Unicorns"}, "product: no product 'Unicorns' in the catalogue"),
    ({"problem": "x", "priority": "asap"}, "priority must be one of"),
    ({"problem": "x", "channel": "pigeon"}, "channel: expected one of form, email, phone"),
    ({"problem": ["x"]}, "problem: expected text"),
    (["problem"], "a submission must be a mapping"),
    ({"problem": "x", "client": "Nobody Inc"}, "no client named 'Nobody Inc'"),
])
def test_a_bad_submission_names_the_field_and_writes_nothing(desk, submission, message) -> None:
    admin, options = desk
    with pytest.raises(DeskError, match=re.escape(message)):
        take_form(admin, submission, "form", options)
    assert (Task.select().count(), Client.select().count()) == (0, 1)


# --- CSAT by hand --------------------------------------------------------------------------


def test_csat_is_recorded_on_queries_only(desk) -> None:
    admin, _ = desk
    take(desk, "01-new-plain.eml")
    assert csat.record(admin, 1, "4", " fine ") == csat.Csat(1, 4, "fine")
    assert (query(1)[1].csat_score, query(1)[1].csat_comment) == (4, "fine")
    inbox = workspace.find_list("Support inbox")
    plain = tasks.create(admin, "Plain", inbox.id).row.id
    with pytest.raises(InvalidInput, match="not a support query"):
        csat.record(admin, plain, 3)
    for bad in (0, 6, "5.0", True, "x"):
        with pytest.raises(InvalidInput, match="from 1 to 5"):
            csat.record(admin, 1, bad)
    with pytest.raises(NotFound):
        csat.record(admin, 99, 3)


@pytest.mark.parametrize(("text", "found"), [
    ("5", (5, "")), ("4/5\nGood", (4, "Good")), ("Score: 3 out of 5.", (3, "")),
    ("2!\n\nslow", (2, "slow")), ("1 more thing: it broke", None), ("6", None), ("", None),
    ("Thanks!\n5", None),
])
def test_score_in(text: str, found) -> None:
    assert csat.score_in(text) == found
