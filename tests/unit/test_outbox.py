"""The outbox on both backends, delivering to a real SMTP server on loopback (aiosmtpd):
replies that become e-mails threading back to their query, plain, STARTTLS, TLS and login,
a refused recipient, a busy server and a down one (backoff, then failed), each message sent
once even with two senders at once, a sender that stopped mid-send, header injection, mail
waiting without a server, retry, canned responses and the background step."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from smtp_server import CERT, free_port, smtp_server

from desk import sla
from desk.automation import actions, background, canned
from desk.config import CannedResponse, Settings, SmtpSettings
from desk.crm import clients
from desk.errors import InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents, profiles
from desk.mail import delivery, outbox, parse
from desk.mail import smtp as smtp_sender
from desk.mail.smtp import Outgoing, SmtpFailure
from desk.models import Activity, Comment, Event, Outbox, QueryData
from desk.support import threads
from desk.work import comments, tasks, workspace

SLA_RULES = sla.book(Settings())  # the shipped SLA rules
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=BERLIN)
STAMP = NOW.astimezone(UTC).replace(tzinfo=None)
FIRST_ID = "<first@lovelace-labs.example>"
NEWEST_ID = "<newest@lovelace-labs.example>"
PASSWORD = "correct horse battery staple"


def settings_for(port: int, **smtp: object) -> Settings:
    """Settings sending to the loopback server on `port` (plain unless told otherwise)."""
    options: dict = {"host": "127.0.0.1", "port": port, "security": "none",
                     "from_address": "support@brightline.example",
                     "from_name": "Brightline Support", "timeout_seconds": 10,
                     "max_attempts": 3, "retry_after": "5min", "retry_max": "8min"}
    options.update(smtp)
    return Settings(timezone="Europe/Berlin", smtp=SmtpSettings(**options))


@pytest.fixture
def desk(admin):
    """A support list, the client Lovelace Labs (ops@lovelace-labs.example) and the
    customer-less task list; returns the list id."""
    workspace.create_space(admin, "Support")
    return workspace.create_list(admin, "Support", "Support inbox").id


def new_query(admin, list_id: int, title: str = "Printer is jammed", *,
              requester: str = "ada@lovelace-labs.example", client_email: str = "",
              message_id: str | None = FIRST_ID) -> int:
    """A query of a client, with its requester's address and first Message-ID."""
    client = clients.create(admin, "Lovelace Labs", kind="client", email=client_email).row
    task = tasks.create(admin, title, list_id, kind="query", client_id=client.id,
                        sla_rules=SLA_RULES).row
    (QueryData.update(requester_name="Ada Lovelace", requester_email=requester,
                      message_id=message_id).where(QueryData.task == task.id).execute())
    return task.id


def queued(admin, list_id: int, count: int = 1, to: str = "ada@lovelace-labs.example"
           ) -> list[int]:
    """`count` messages queued on one task; their ids."""
    task_id = tasks.create(admin, "Newsletter", list_id).row.id
    return [outbox.queue(admin, to, f"Message {number}", f"Body {number}", task_id=task_id)
            for number in range(1, count + 1)]


def state(message_id: int) -> tuple:
    """(status, attempts, last_error, next_attempt_at, sent_at) of a message."""
    row = Outbox.get_by_id(message_id)
    return row.status, row.attempts, row.last_error, row.next_attempt_at, row.sent_at


# --- replies become e-mails ----------------------------------------------------------------


def test_a_reply_is_queued_sent_and_threads_back_to_its_query(admin, desk):
    task_id = new_query(admin, desk)
    Comment.create(task=task_id, kind="message", author_name="Ada", body="Still jammed.",
                   message_id=NEWEST_ID)
    row = comments.reply(admin, task_id, "We are sending a technician.")
    assert (row.mailed_to, row.not_mailed) == ("ada@lovelace-labs.example", "")
    [mail] = Outbox.select()
    assert (mail.to_address, mail.subject, mail.body, mail.in_reply_to, mail.reference_ids,
            mail.status, mail.message_id) == (
        "ada@lovelace-labs.example", f"Re: Printer is jammed [#{task_id}]",
        "We are sending a technician.", NEWEST_ID, f"{FIRST_ID} {NEWEST_ID}", "queued", None)

    with smtp_server() as server:
        report = delivery.deliver(settings_for(server.port), NOW)
    assert report.sent == [mail.id]
    assert report.summary() == "outbox: 1 sent, 0 to try again, 0 failed"
    [received] = server.received
    sent = Outbox.get_by_id(mail.id)
    message = received.message
    assert (received.mail_from, received.rcpt_tos) == ("support@brightline.example",
                                                       ("ada@lovelace-labs.example",))
    assert (message["From"], message["To"], message["Subject"], message["Message-ID"],
            message["In-Reply-To"], message["References"]) == (
        "Brightline Support <support@brightline.example>", "ada@lovelace-labs.example",
        f"Re: Printer is jammed [#{task_id}]", sent.message_id, NEWEST_ID,
        f"{FIRST_ID} {NEWEST_ID}")
    assert sent.message_id.endswith("@brightline.example>")
    assert message.get_content().splitlines() == ["We are sending a technician."]
    assert state(mail.id) == ("sent", 1, "", None, STAMP)

    answer = (f"From: ada@lovelace-labs.example\r\nTo: support@brightline.example\r\n"
              f"Subject: Re: Re: Printer is jammed [#{task_id}]\r\n"
              f"Message-ID: <answer@lovelace-labs.example>\r\nIn-Reply-To: {sent.message_id}\r\n"
              f"\r\nThanks!\r\n").encode()
    assert threads.find_thread(parse.parse(answer)) == task_id
    by_subject = answer.replace(f"In-Reply-To: {sent.message_id}\r\n".encode(), b"")
    assert threads.find_thread(parse.parse(by_subject)) == task_id

    history = [(actor, new) for actor, new in
               Activity.select(Activity.actor, Activity.new)
               .where((Activity.entity == "task") & (Activity.entity_id == task_id)
                      & (Activity.field == "email")).order_by(Activity.id).tuples()]
    assert history == [
        (admin.username, f"ada@lovelace-labs.example: Re: Printer is jammed [#{task_id}]"),
        ("outbox", f"sent to ada@lovelace-labs.example: Re: Printer is jammed [#{task_id}]")]
    assert [kind for (kind,) in Event.select(Event.kind).where(Event.kind.startswith("email."))
            .order_by(Event.id).tuples()] == ["email.queued", "email.sent"]


def test_a_reply_ends_with_its_authors_signature(admin, desk):
    task_id = new_query(admin, desk)
    profiles.update(admin, admin.username, profiles.profile(admin.username).version,
                    signature="Alex\nBrightline support")
    row = comments.reply(admin, task_id, "We are sending a technician.\n")
    [mail] = Outbox.select()
    assert mail.body == "We are sending a technician.\n\n-- \nAlex\nBrightline support"
    assert Comment.get_by_id(row.id).body == "We are sending a technician.\n"


def test_a_reply_goes_to_the_client_when_the_query_names_no_requester(admin, desk):
    task_id = new_query(admin, desk, "Re: RE: VPN drops [#99]", requester="",
                        client_email="it@lovelace-labs.example", message_id=None)
    row = comments.reply(admin, task_id, "Please restart the router.")
    [mail] = Outbox.select()
    assert row.mailed_to == mail.to_address == "it@lovelace-labs.example"
    assert mail.subject == f"Re: VPN drops [#{task_id}]"
    assert (mail.in_reply_to, mail.reference_ids) == (None, "")


def test_a_reply_with_nobody_to_write_to_is_stored_and_says_so(admin, desk):
    task_id = tasks.create(admin, "Order toner", desk).row.id
    row = comments.reply(admin, task_id, "Ordered.")
    assert (row.mailed_to, row.not_mailed) == (
        "", "nobody to e-mail: the task has no requester or client e-mail address")
    assert [c.body for c in comments.for_task(task_id)] == ["Ordered."]
    assert not Outbox.select().exists()


def test_a_reply_to_an_address_that_is_not_one_is_stored_and_says_so(admin, desk):
    task_id = new_query(admin, desk, requester="ada@lovelace-labs.example\nBcc: x@evil.example")
    row = comments.reply(admin, task_id, "Hello.")
    assert row.mailed_to == "" and row.not_mailed.startswith(
        "not e-mailed: the recipient is not an e-mail address")
    assert not Outbox.select().exists() and len(comments.for_task(task_id)) == 1


def test_an_internal_note_is_never_sent(admin, desk):
    task_id = new_query(admin, desk)
    row = comments.note(admin, task_id, "Customer is grumpy.")
    assert (row.mailed_to, row.not_mailed) == ("", "")
    assert not Outbox.select().exists()


# --- connections ---------------------------------------------------------------------------


def test_starttls_with_a_login_sends_over_an_encrypted_session(admin, desk):
    [mail] = queued(admin, desk)
    with smtp_server(security="starttls", login=("desk", PASSWORD)) as server:
        settings = settings_for(server.port, security="starttls", ca_file=str(CERT),
                                user="desk", password_env="DESK_SMTP_PASSWORD")
        report = delivery.deliver(settings, NOW, environ={"DESK_SMTP_PASSWORD": PASSWORD})
    assert report.sent == [mail]
    [received] = server.received
    assert (received.encrypted, received.login) == (True, "desk")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # aiosmtpd's
def test_implicit_tls_with_the_password_in_a_file(admin, desk, tmp_path):
    [mail] = queued(admin, desk)
    secret = tmp_path / "smtp-password"
    secret.write_text(PASSWORD + "\n")
    with smtp_server(security="tls", login=("desk", PASSWORD)) as server:
        settings = settings_for(server.port, security="tls", ca_file=str(CERT), user="desk",
                                password_file=str(secret))
        assert delivery.deliver(settings, NOW, environ={}).sent == [mail]
    assert [(r.encrypted, r.login) for r in server.received] == [(True, "desk")]


def test_an_untrusted_certificate_or_a_wrong_password_sends_nothing_and_retries(admin, desk):
    [mail] = queued(admin, desk)
    with smtp_server(security="starttls", login=("desk", PASSWORD)) as server:
        untrusted = settings_for(server.port, security="starttls")
        delivery.deliver(untrusted, NOW)
        _, attempts, error, next_at, _ = state(mail)
        assert (attempts, next_at) == (1, STAMP + timedelta(minutes=5))
        assert error.startswith(f"127.0.0.1:{server.port}: the server's certificate is not "
                                "trusted")
        wrong = settings_for(server.port, security="starttls", ca_file=str(CERT), user="desk",
                             password_env="DESK_SMTP_PASSWORD")
        report = delivery.deliver(wrong, NOW + timedelta(minutes=5),
                                environ={"DESK_SMTP_PASSWORD": "guess"})
        assert report.deferred == [(mail, f"127.0.0.1:{server.port}: 535 5.7.8 Authentication "
                                          "credentials invalid")]
        report = delivery.deliver(wrong, NOW + timedelta(minutes=13), environ={})
        assert report.failed == [(mail, "smtp.password_env: the environment variable "
                                        "DESK_SMTP_PASSWORD is not set")]
    assert server.received == []
    assert state(mail)[:2] == ("failed", 3)


# --- refusals, a busy and a down server ----------------------------------------------------


def test_a_refused_recipient_fails_at_once_with_the_reason_and_the_others_go(admin, desk):
    refused, = queued(admin, desk, to="nobody@lovelace-labs.example")
    fine, = queued(admin, desk)
    with smtp_server(refuse={"nobody@lovelace-labs.example": "550 5.1.1 no such user"}
                     ) as server:
        report = delivery.deliver(settings_for(server.port), NOW)
    reason = f"127.0.0.1:{server.port} refused the recipient: 550 5.1.1 no such user"
    assert (report.sent, report.failed) == ([fine], [(refused, reason)])
    assert state(refused) == ("failed", 1, reason, None, None)
    assert [r.rcpt_tos for r in server.received] == [("ada@lovelace-labs.example",)]
    assert report.problems() == [f"e-mail {refused} failed: {reason}"]


def test_a_busy_recipient_is_retried_with_backoff_then_fails_after_max_attempts(admin, desk):
    mail, = queued(admin, desk)
    with smtp_server(refuse={"ada@lovelace-labs.example": "450 4.2.1 mailbox busy"}) as server:
        settings = settings_for(server.port)
        reason = f"127.0.0.1:{server.port} refused the recipient: 450 4.2.1 mailbox busy"
        assert delivery.deliver(settings, NOW).deferred == [(mail, reason)]
        assert state(mail) == ("queued", 1, reason, STAMP + timedelta(minutes=5), None)
        assert delivery.deliver(settings, NOW + timedelta(minutes=4)).summary() == (
            "outbox: nothing due")
        # the wait doubles, at most 8 minutes
        delivery.deliver(settings, NOW + timedelta(minutes=5))
        assert state(mail) == ("queued", 2, reason, STAMP + timedelta(minutes=13), None)
        report = delivery.deliver(settings, NOW + timedelta(minutes=13))
    assert report.failed == [(mail, reason)]
    assert state(mail) == ("failed", 3, reason, None, None)
    assert server.received == []
    [said] = (Activity.select(Activity.new).where(Activity.field == "email")
              .order_by(Activity.id.desc()).limit(1).tuples())
    assert said == (f"failed (after 3 attempts): {reason}",)


def test_a_down_server_is_tried_again_later_and_the_message_goes_out_once(admin, desk):
    mail, = queued(admin, desk)
    port = free_port()
    settings = settings_for(port)
    report = delivery.deliver(settings, NOW)
    assert report.deferred == [(mail, f"127.0.0.1:{port}: Connection refused")]
    assert report.problems() == [f"e-mail cannot go out yet: 127.0.0.1:{port}: "
                                 "Connection refused"]
    assert state(mail)[:2] == ("queued", 1)
    with smtp_server(port=port) as server:
        not_yet = delivery.deliver(settings, NOW + timedelta(minutes=1))
        assert not_yet.sent == []
        assert delivery.deliver(settings, NOW + timedelta(minutes=5)).sent == [mail]
        again = delivery.deliver(settings, NOW + timedelta(minutes=6), waiting_too=True)
        assert again.sent == []
    assert len(server.received) == 1
    assert state(mail) == ("sent", 2, "", None, STAMP + timedelta(minutes=5))


def test_send_now_takes_the_messages_waiting_out_a_backoff(admin, desk):
    mail, = queued(admin, desk)
    delivery.deliver(settings_for(free_port()), NOW)
    with smtp_server() as server:
        settings = settings_for(server.port)
        assert delivery.deliver(settings, NOW).sent == []
        assert delivery.deliver(settings, NOW, waiting_too=True).sent == [mail]
    assert len(server.received) == 1


def test_two_senders_at_once_send_each_message_once(admin, desk, db):
    ids = queued(admin, desk, count=8)
    barrier = threading.Barrier(2)
    reports: list[delivery.Delivery] = []
    errors: list[BaseException] = []

    with smtp_server() as server:
        settings = settings_for(server.port)

        def sender() -> None:
            """One sender, with its own connection, started with the other."""
            try:
                with db.connection_context():
                    barrier.wait(timeout=30)
                    reports.append(delivery.deliver(settings, NOW))
            except BaseException as error:  # reported to the test below
                errors.append(error)

        threads = [threading.Thread(target=sender) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    assert sorted(reports[0].sent + reports[1].sent) == ids
    subjects = sorted(r.message["Subject"] for r in server.received)
    assert subjects == sorted(f"Message {number}" for number in range(1, 9))
    assert {Outbox.get_by_id(i).attempts for i in ids} == {1}


def test_a_message_a_sender_stopped_sending_is_failed_for_a_person_not_sent_again(admin, desk):
    claimed, stale = queued(admin, desk, count=2)
    Outbox.update(sending_since=STAMP - timedelta(minutes=10)).where(Outbox.id == claimed).execute()
    Outbox.update(sending_since=STAMP - timedelta(hours=2)).where(Outbox.id == stale).execute()
    with smtp_server() as server:
        report = delivery.deliver(settings_for(server.port), NOW)
    assert server.received == [] and report.sent == []
    assert state(claimed)[:2] == ("queued", 0)
    status, attempts, error, _, _ = state(stale)
    assert (status, attempts) == ("failed", 1)
    assert error == ("the sender stopped while sending it (since 2026-11-20 07:00 UTC); it may "
                     "have gone out: check, then retry it")


# --- header injection ----------------------------------------------------------------------


@pytest.mark.parametrize(("to", "subject", "problem"), [
    ("ada@lovelace-labs.example", "Hello\r\nBcc: eve@evil.example",
     "the subject must be one line (no line breaks or NUL)"),
    ("ada@lovelace-labs.example\nBcc: eve@evil.example", "Hello",
     "the recipient is not an e-mail address like ada@example.com"),
    ("ada@lovelace-labs.example, eve@evil.example", "Hello",
     "the recipient is not an e-mail address like ada@example.com"),
    ("Ada <ada@lovelace-labs.example>", "Hello",
     "the recipient is not an e-mail address like ada@example.com"),
])
def test_queueing_refuses_what_would_add_a_header_or_a_recipient(admin, desk, to, subject,
                                                                  problem):
    task_id = tasks.create(admin, "Newsletter", desk).row.id
    with pytest.raises(InvalidInput) as refused:
        outbox.queue(admin, to, subject, "Body", task_id=task_id)
    assert str(refused.value).startswith(f"cannot queue the e-mail: {problem}")
    assert not Outbox.select().exists()


def test_a_stored_hostile_subject_is_refused_by_the_email_policy_and_nothing_is_sent(admin,
                                                                                     desk):
    task_id = tasks.create(admin, "Newsletter", desk).row.id
    mail = Outbox.create(task=task_id, to_address="ada@lovelace-labs.example",
                         subject="Hi\nBcc: eve@evil.example", body="x").id
    with smtp_server() as server:
        report = delivery.deliver(settings_for(server.port), NOW)
    [(failed_id, reason)] = report.failed
    assert failed_id == mail and reason == (
        "the message cannot be written: Header values may not contain linefeed or carriage "
        "return characters")
    assert server.received == [] and state(mail)[:2] == ("failed", 1)


def test_compose_refuses_a_line_break_in_any_header():
    smtp = settings_for(25).smtp
    for outgoing in (Outgoing("ada@x.example", "Hi\r\nX-Evil: 1", "b", "<1@x>", NOW),
                     Outgoing("ada@x.example\r\nBcc: e@x.example", "Hi", "b", "<1@x>", NOW),
                     Outgoing("ada@x.example", "Hi", "b", "<1@x>\r\nBcc: e@x.example", NOW)):
        with pytest.raises(SmtpFailure) as refused:
            smtp_sender.compose(smtp, outgoing)
        assert refused.value.permanent


# --- without a server, retry, canned responses, the background step ------------------------


def test_without_a_server_mail_waits_and_the_report_says_why(admin, desk):
    mail, = queued(admin, desk)
    report = delivery.deliver(Settings(), NOW)
    assert (report.configured, report.waiting, report.sent) == (False, 1, [])
    assert report.summary() == ("outbox: 1 e-mail waiting, not sent: no SMTP server is "
                                "configured (smtp.host in the config)")
    assert state(mail) == ("queued", 0, "", None, None)


def test_retry_queues_a_failed_message_again_and_never_a_sent_one(admin, desk):
    refused, = queued(admin, desk, to="nobody@lovelace-labs.example")
    with smtp_server(refuse={"nobody@lovelace-labs.example": "550 no"}) as server:
        delivery.deliver(settings_for(server.port), NOW)
    row = outbox.retry(admin, refused)
    assert (row.status, row.attempts, row.next_attempt_at) == ("queued", 0, None)
    with smtp_server() as server:
        delivery.deliver(settings_for(server.port), NOW)
    with pytest.raises(InvalidInput, match="was sent at 2026-11-20 09:00 UTC; desk sends a "
                                           "message once"):
        outbox.retry(admin, refused)
    with pytest.raises(NotFound, match="no e-mail 999 in the outbox"):
        outbox.retry(admin, 999)
    viewer = agents.add(admin, "vera", role="viewer")
    with pytest.raises(PermissionDenied):
        outbox.retry(viewer, refused)
    assert [kind for (kind,) in Event.select(Event.kind).where(Event.kind.startswith("email."))
            .order_by(Event.id).tuples()] == [
        "email.queued", "email.failed", "email.retried", "email.sent"]


def test_canned_responses_are_filled_in_for_the_query(admin, desk):
    task_id = new_query(admin, desk)
    responses = [CannedResponse("hello", "Hello {requester.name} of {client.name}, about "
                                         "#{task.id} {task.title}. {agent.username}, {today}"),
                 CannedResponse("braces", "{{literal}}")]
    assert canned.filled(responses, admin, task_id, NOW) == [
        ("hello", f"Hello Ada Lovelace of Lovelace Labs, about #{task_id} Printer is jammed. "
                  f"{admin.username}, 2026-11-20"),
        ("braces", "{literal}")]
    with pytest.raises(NotFound):
        canned.filled(responses, admin, 999, NOW)


def test_the_background_work_delivers_what_is_due(admin, desk):
    mail, = queued(admin, desk)
    with smtp_server() as server:
        reports = background.run_due_work(settings_for(server.port), NOW, admin)
    assert [report.summary for report in reports if report.summary.startswith("outbox:")] == [
        "outbox: 1 sent, 0 to try again, 0 failed"]
    assert state(mail)[0] == "sent" and len(server.received) == 1


def test_an_automation_e_mail_goes_through_the_same_checks(admin, desk):
    task_id = new_query(admin, desk)
    with pytest.raises(InvalidInput):
        actions.queue_email(admin, "x@y.example", "a\nb", "body", task_id=task_id)
    mail = actions.queue_email(admin, "x@y.example", "Survey", "body", task_id=task_id)
    assert state(mail) == ("queued", 0, "", None, None)
