"""NPS: the survey e-mailed on a cadence (never sooner than configured), answers by reply
through the intake, the detractor's follow-up task from the shipped rule, and the NPS
figures over hand-built answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desk import sla
from desk.automation import processor
from desk.config import Settings, parse_settings
from desk.crm import clients
from desk.errors import InvalidInput
from desk.metrics.figures import window
from desk.metrics.nps import nps_metrics
from desk.models import Activity, Client, Interaction, MailMessage, NpsSurvey, Outbox, Task
from desk.support.feedback import answers, surveys
from desk.support.intake import IntakeOptions, take_mail
from desk.work import tasks as tasks_service
from desk.work import workspace

NOW = datetime(2026, 3, 2, 9, 0)  # naive UTC, as stored
BERLIN = ZoneInfo("Europe/Berlin")
ON = ("nps:\n  enabled: true\nportal:\n  enabled: true\n  public_url: http://portal.test\n")


@pytest.fixture
def acme(db, admin) -> int:
    """An active client whose decision maker is ada@acme.example."""
    return clients.create(admin, "Acme", "client", email="Ada@Acme.example",
                          contact_person="Ada", lifecycle_stage="active").row.id


def send(admin, at: datetime, config: str = ON) -> list[str]:
    """Queue the surveys due at `at`; the names of the clients sent one."""
    return [due.client_name for due in surveys.send_due(admin, parse_settings(config), at)]


# --- the cadence ---------------------------------------------------------------------------


def test_a_survey_goes_once_a_quarter_and_carries_eleven_links(admin, acme) -> None:
    assert send(admin, NOW) == ["Acme"]
    mail = Outbox.get()
    assert (mail.to_address, mail.subject, mail.client_id) == (
        "ada@acme.example", "A quick question: would you recommend us?", acme)
    assert "Hello Ada,\n\nHow likely are you to recommend us" in mail.body
    links = [line.split(": ", 1)[1] for line in mail.body.splitlines()
             if "http://portal.test/feedback/" in line]
    assert [link.rsplit("/", 1)[1] for link in links] == [str(n) for n in range(11)]
    assert len({link.rsplit("/", 2)[1] for link in links}) == 1  # one token, eleven scores
    assert send(admin, NOW) == []  # the same moment: nothing twice
    assert send(admin, NOW + timedelta(days=88)) == []  # 2 March + 3 months is 2 June
    assert send(admin, datetime(2026, 6, 2, 8, 59)) == []
    assert send(admin, datetime(2026, 6, 2, 9, 0)) == ["Acme"]
    assert NpsSurvey.select().count() == Outbox.select().count() == 2


def test_the_minimum_interval_holds_whatever_the_cadence(admin, acme) -> None:
    config = "nps:\n  enabled: true\n  cadence: monthly\n  minimum_days: 45\n"
    assert send(admin, NOW, config) == ["Acme"]
    assert send(admin, NOW + timedelta(days=31), config) == []  # a month, but not 45 days
    assert send(admin, NOW + timedelta(days=44, hours=23), config) == []
    assert send(admin, NOW + timedelta(days=45), config) == ["Acme"]


def test_only_clients_we_work_for_with_an_address_are_asked(admin, acme) -> None:
    clients.create(admin, "Shop customer", "customer", email="c@shop.example",
                   lifecycle_stage="active")
    clients.create(admin, "A lead", "client", email="l@lead.example")  # stage lead
    clients.create(admin, "No address", "client", lifecycle_stage="active")
    bad = clients.create(admin, "Bad address", "client", lifecycle_stage="active").row.id
    Client.update(email="not an address").where(Client.id == bad).execute()  # an old row
    churned = clients.create(admin, "Gone", "client", email="g@gone.example",
                             lifecycle_stage="active").row.id
    Client.update(lifecycle_stage="churned").where(Client.id == churned).execute()
    assert [due.client_name for due in surveys.due(parse_settings(ON).nps, NOW)] == ["Acme"]


def test_without_the_portal_the_survey_asks_for_a_reply_only(admin, acme) -> None:
    assert send(admin, NOW, "nps:\n  enabled: true\n") == ["Acme"]
    body = Outbox.get().body
    assert "/feedback/" not in body and "Reply to this e-mail with a number from 0 to 10" in body


# --- answers by reply ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "found"), [
    ("9", (9, "")), ("10!", (10, "")), ("0", (0, "")),
    ("Score: 7\nGood, mostly.", (7, "Good, mostly.")),
    ("8/10\n\nquick replies", (8, "quick replies")), ("6 out of 10", (6, "")),
    ("  \n3 of 10.\nslow", (3, "slow")),
    ("11", None), ("-1", None), ("I give you 9", None), ("9 or 10", None), ("", None),
])
def test_a_reply_starts_with_its_score(text, found) -> None:
    assert answers.score_in(text) == found


def reply(to_message_id: str, sender: str, body: str) -> bytes:
    """A reply e-mail to the message `to_message_id`."""
    return (f"From: {sender}\r\nTo: desk@example.com\r\nSubject: Re: A quick question\r\n"
            f"Message-ID: <reply-{abs(hash(body))}@acme.example>\r\n"
            f"In-Reply-To: {to_message_id}\r\nDate: Mon, 02 Mar 2026 12:00:00 +0000\r\n\r\n"
            f"{body}\r\n").encode()


@pytest.fixture
def sent(admin, acme, tmp_path) -> IntakeOptions:
    """A survey sent to Acme (its e-mail given a Message-ID, as the sender does), and the
    intake options of the replies."""
    workspace.create_space(admin, "Support")
    workspace.create_list(admin, "Support", "Support inbox")
    send(admin, NOW)
    Outbox.update(message_id="<nps-1@desk.example>").execute()
    return IntakeOptions(public_domains=frozenset(), attachments_root=tmp_path / "files",
                         sla_rules=sla.book(Settings()))


def test_a_reply_with_a_score_is_the_answer_and_its_text_goes_on_the_timeline(
        admin, acme, sent) -> None:
    outcome = take_mail(admin, reply("<nps-1@desk.example>", "Ada <ada@acme.example>",
                                     "4\nNobody called back after the outage.\n\n> quoted"),
                        "imap", sent, now=NOW + timedelta(hours=3))
    assert outcome.text() == "imap: survey answer (NPS 4 recorded)"
    survey = NpsSurvey.get()
    assert (survey.score, survey.comment, survey.channel, survey.answered_at) == (
        4, "Nobody called back after the outage.", "email", NOW + timedelta(hours=3))
    assert Task.select().count() == 0  # no query opened
    assert MailMessage.get().outcome == "comment"
    note = Interaction.get(Interaction.client == acme)
    assert (note.kind, note.summary) == (
        "note", "NPS 4 (detractor, by email): Nobody called back after the outage.")
    assert Activity.get(Activity.field == "nps").new == "4"


def test_a_reply_without_a_score_or_from_elsewhere_is_an_ordinary_message(
        admin, acme, sent) -> None:
    words = take_mail(admin, reply("<nps-1@desk.example>", "ada@acme.example",
                                   "Can you call me about this?"), "imap", sent, now=NOW)
    other = take_mail(admin, reply("<nps-1@desk.example>", "eve@evil.example", "0"), "imap",
                      sent, now=NOW)
    assert (words.outcome, other.outcome) == ("new", "new")
    assert NpsSurvey.get().answered_at is None


def test_a_survey_is_answered_once(admin, acme) -> None:
    send(admin, NOW)
    survey = NpsSurvey.get().id
    answers.record(admin, survey, 9, "", "email", now=NOW)
    with pytest.raises(InvalidInput, match="answered already, on 2026-03-02"):
        answers.record(admin, survey, 0, "changed my mind", "email", now=NOW)
    with pytest.raises(InvalidInput, match="whole number from 0 to 10, not 11"):
        answers.record(admin, survey, 11, "", "email")
    assert (NpsSurvey.get().score, Interaction.select().count()) == (9, 1)


# --- the detractor's follow-up -------------------------------------------------------------


@pytest.mark.parametrize(("score", "tasks"), [(6, 1), (0, 1), (7, 0), (10, 0)])
def test_a_detractor_gets_a_call_from_the_account_manager(admin, acme, score, tasks) -> None:
    workspace.create_space(admin, "Sales")
    workspace.create_list(admin, "Sales", "Accounts")
    Client.update(account_manager=admin.id).where(Client.id == acme).execute()
    send(admin, NOW)
    answers.record(admin, NpsSurvey.get().id, score, "meh", "portal", now=NOW)
    report = processor.run_automations(Settings(), NOW.replace(tzinfo=UTC), admin)
    assert report.errors == []
    made = list(Task.select().where(Task.title.contains("NPS answer")))
    assert len(made) == tasks
    if tasks:
        task = made[0]
        assert (task.title, task.task_list.name, task.client_id) == (
            "Call Ada of Acme about their NPS answer", "Accounts", acme)
        assert tasks_service.get(task.id).row.assignees == (admin.username,)


def test_a_score_range_is_read_and_checked() -> None:
    rule = ("automations:\n  - name: r\n    when: {nps_answered: {score: %s}}\n"
            "    do: [{tag: unhappy}]\n")
    assert processor.rules.parse(parse_settings(rule % "0-6").automations)[0].trigger.scores \
        == tuple(range(7))
    assert processor.rules.parse(parse_settings(rule % "10").automations)[0].trigger.scores \
        == (10,)
    with pytest.raises(Exception, match="expected a score or a range of scores from 0 to 10"):
        parse_settings(rule % "6-0")


# --- the figures ---------------------------------------------------------------------------


def answer(client_id: int, score: int, at: datetime) -> None:
    """A hand-built answer given at `at` (naive UTC)."""
    NpsSurvey.create(client=client_id, address="ada@acme.example", sent_at=at, score=score,
                     answered_at=at, channel="portal")


def test_nps_is_promoters_minus_detractors_with_its_trend(admin, acme) -> None:
    other = clients.create(admin, "Globex", "client").row.id
    now = datetime(2026, 11, 18, 10, 30, tzinfo=BERLIN)
    span = window("90d", now)  # from 2026-08-20 00:00 Berlin (22:00 UTC the day before)
    start = span.start_utc
    for score in (10, 9, 8, 7, 6, 0, 10):
        answer(acme, score, datetime(2026, 11, 2, 12, 0))
    answer(other, 3, start)  # the first moment of the window counts
    answer(other, 10, start - timedelta(seconds=1))  # the one before does not
    answer(other, 9, datetime(2026, 9, 15, 12, 0))
    NpsSurvey.create(client=acme, address="a@b.example", sent_at=start)  # not answered
    metrics = nps_metrics(span)
    # 4 promoters, 2 passives, 3 detractors of 9 answers: (4 - 3) / 9 = 11%
    assert (metrics.score.value, metrics.score.count) == (11, 9)
    assert [f.value for f in (metrics.promoters, metrics.passives, metrics.detractors)] == [
        4, 2, 3]
    assert metrics.detractors.drill.ids == (acme, other)
    months = {figure.label: figure.value for figure in metrics.by_month}
    assert list(months)[-3:] == ["2026-09-01", "2026-10-01", "2026-11-01"]
    # November: 3 promoters, 2 detractors of 7 = 14; September: one promoter = 100;
    # August: 10 (the 19th, 23:59:59 Berlin) and 3 (the 20th): 0
    assert (months["2026-11-01"], months["2026-10-01"], months["2026-09-01"],
            months["2026-08-01"]) == (14, None, 100, 0)
    quarters = {figure.label: figure.value for figure in metrics.by_quarter}
    assert list(quarters)[-2:] == ["2026-07-01", "2026-10-01"]
    assert (quarters["2026-07-01"], quarters["2026-10-01"]) == (33, 14)  # (2 - 1) / 3


def test_no_answers_no_score(db) -> None:
    metrics = nps_metrics(window("30d", datetime(2026, 11, 18, 10, 30, tzinfo=BERLIN)))
    assert (metrics.score.value, metrics.score.count) == (None, 0)
    assert all(figure.value is None for figure in metrics.by_month)


def test_the_survey_goes_to_the_decision_maker_among_the_contacts(admin, acme) -> None:
    from desk.crm import contacts

    contacts.add(admin, acme, "Bob Billing", email="bob@acme.example", role="billing")
    contacts.add(admin, acme, "Dora Decides", email="Dora@Acme.example", role="decision_maker")
    assert [(due.contact, due.address) for due in surveys.due(parse_settings(ON).nps, NOW)] \
        == [("Dora Decides", "dora@acme.example")]
