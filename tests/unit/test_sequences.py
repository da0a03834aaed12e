"""Sequences on both backends: the config's grammar with key and line errors, step timing
(days, a month end, a change of daylight saving), enrolment by a stage change through the
automations, the steps end to end (the e-mail in the outbox greeting the contact by name, the
task for the account manager), exactly once under two desks ticking at once, stopping on a
reply taken through the real intake and on a stage change, an agent's pause, resume and stop,
and the command line (dry run, listing as JSON, start and pause)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import run_children

from desk import db as desk_db
from desk import sla
from desk.automation import processor
from desk.automation.sequences import engine, enrolments, listing
from desk.automation.sequences.timing import next_due, step_due
from desk.config import ConfigError, Settings, parse_settings
from desk.config.automations import sequences as grammar
from desk.crm import clients
from desk.demo import content
from desk.errors import ConflictError, InvalidInput, PermissionDenied
from desk.kernel import agents
from desk.models import (
    Activity,
    Outbox,
    SequenceEnrolment,
    SequenceStep,
    Task,
    database,
)
from desk.support.intake import IntakeOptions, take_mail
from desk.work import workspace

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 18, 10, 30, tzinfo=BERLIN)  # a Wednesday
SHIPPED = grammar.parse(Settings().sequences)
BOOK = sla.book(Settings())
FLOWS = content.load().workspace.flows
EXAMPLE = Path(__file__).parents[2] / "config.example.yaml"
CHILD_TIMEOUT = 120


@pytest.fixture
def acme(admin) -> int:
    """Accounts and a Support inbox; maria, account manager of Acme GmbH (contact Anna
    Schmidt, anna@acme.example, at the stage lead). Returns Acme's id."""
    workspace.create_space(admin, "Sales")
    workspace.create_list(admin, "Sales", "Accounts", FLOWS["three_steps"])
    workspace.create_space(admin, "Support")
    workspace.create_list(admin, "Support", "Support inbox", FLOWS["helpdesk"])
    agents.add(admin, "maria", name="Maria Keller", email="maria@brightline.example")
    return clients.create(admin, "Acme GmbH", kind="client", contact_person="Anna Schmidt",
                          email="anna@acme.example", account_manager="maria").row.id


def stage(admin, client_id: int, to: str) -> None:
    """Move the client to stage `to` through the service."""
    clients.update(admin, client_id, clients.get(client_id, admin).row.version,
                   lifecycle_stage=to)


def tick(at: datetime, sequences=SHIPPED) -> engine.SequenceReport:
    """The automations (which start sequences), then the sequences' step, at `at`."""
    processor.process((), at, sla_rules=BOOK, sequence_set=sequences)
    return engine.run_due(sequences, at, processor.rules_runner(None), BOOK, BERLIN)


def enrolment(client_id: int, name: str = "onboarding") -> SequenceEnrolment:
    """The client's newest enrolment in the sequence."""
    return (SequenceEnrolment.select().where(SequenceEnrolment.client == client_id,
                                             SequenceEnrolment.sequence == name)
            .order_by(SequenceEnrolment.id.desc()).get())


def refusal(text: str) -> str:
    """The ConfigError message for a config whose `sequences:` is `text`."""
    with pytest.raises(ConfigError) as caught:
        parse_settings("sequences:\n" + text, source="config.yaml")
    return str(caught.value)


# --- the grammar ---------------------------------------------------------------------------


def test_the_shipped_sequences_read_as_written_and_the_example_ships_them():
    assert [(s.name, s.start.kind, [(step.day, step.kind) for step in s.steps])
            for s in SHIPPED] == [
        ("onboarding", "client_stage_changed", [(0, "email"), (7, "email"), (30, "task")]),
        ("renewal", "manual", [(0, "email"), (14, "email"), (21, "task")]),
        ("win-back", "client_stage_changed", [(3, "email"), (30, "task")])]
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert example["sequences"] == Settings().sequences


@pytest.mark.parametrize(("text", "message"), [
    ("  - name: a\n    start: manual\n    steps:\n      - day: 0\n        emial: {}\n",
     "config.yaml, line 6: sequences: sequence \"a\", steps[0].emial: unknown key 'emial'"),
    ("  - name: a\n    start: {client_stage_changed: {to: gone}}\n    steps: [{day: 0}]\n",
     "line 3: sequences: sequence \"a\", start.client_stage_changed.to: expected one of "
     "lead, prospect"),
    ("  - name: a\n    start: manual\n    steps:\n      - day: 7\n        task: {title: x, "
     "list: Accounts}\n      - day: 3\n        task: {title: y, list: Accounts}\n",
     "line 7: sequences: sequence \"a\", steps[1].day: day 3 comes before the step above"),
    ("  - name: a\n    start: manual\n    steps:\n      - after: soon\n        task: {title: x,"
     " list: Accounts}\n",
     "line 5: sequences: sequence \"a\", steps[0].after: expected days or weeks such as 7d"),
    ("  - name: a\n    start: manual\n    steps:\n      - day: 0\n        email:\n"
     "          subject: Hi {contact.nmae}\n          body: x\n",
     "line 7: sequences: sequence \"a\", steps[0].email.subject: unknown placeholder "
     "{contact.nmae}"),
    ("  - name: a\n    start: birthday\n    steps: []\n",
     "line 3: sequences: sequence \"a\", start: unknown start 'birthday'"),
])
def test_a_mistake_names_the_sequence_key_and_line(text, message):
    assert message in refusal(text)


def test_automations_check_reports_every_sequence_by_name_key_and_line(tmp_path, run_desk):
    config = tmp_path / "config.yaml"
    config.write_text("sequences:\n  - name: ok\n    start: manual\n    steps:\n"
                      "      - {day: 0, task: {title: x, list: Accounts}}\n"
                      "  - name: bad\n    start: manual\n    steps:\n"
                      "      - {after: 2d, email: {subject: x}}\n", encoding="utf-8")
    status, out, _ = run_desk("--config", str(config), "automations", "check")
    assert status == 1
    assert out.strip() == (f"{config}, line 9: sequence \"bad\", steps[0].email: email needs "
                           "'body'")


# --- timing --------------------------------------------------------------------------------


def stamp(text: str) -> datetime:
    """A stored (naive UTC) moment from ISO text."""
    return datetime.fromisoformat(text)


def test_steps_fall_on_their_days_at_the_start_time_of_day():
    started = stamp("2026-11-18 09:30")  # 10:30 in Berlin
    assert [step_due(started, day, BERLIN) for day in (0, 7, 30)] == [
        stamp("2026-11-18 09:30"), stamp("2026-11-25 09:30"), stamp("2026-12-18 09:30")]


def test_day_thirty_from_a_month_end_counts_calendar_days():
    assert step_due(stamp("2027-01-31 08:00"), 30, BERLIN) == stamp("2027-03-02 08:00")
    assert step_due(stamp("2028-02-28 08:00"), 1, BERLIN) == stamp("2028-02-29 08:00")


def test_a_step_across_a_daylight_saving_change_keeps_its_wall_clock_time():
    started = stamp("2027-03-25 08:00")  # 09:00 CET
    due = step_due(started, 7, BERLIN)  # 2027-04-01, summer time
    assert due == stamp("2027-04-01 07:00")
    assert due.replace(tzinfo=UTC).astimezone(BERLIN).hour == 9


def test_a_late_step_pushes_the_next_one_back_by_as_much():
    started = stamp("2026-11-18 09:30")
    assert next_due(started, 0, 7, stamp("2026-11-18 09:31"), BERLIN) == stamp(
        "2026-11-25 09:31")
    assert next_due(started, 7, 30, stamp("2026-11-25 09:30"), BERLIN) == stamp(
        "2026-12-18 09:30")


# --- running -------------------------------------------------------------------------------


def test_onboarding_runs_day_0_7_and_30_once_each(admin, acme):
    stage(admin, acme, "onboarding")

    first = tick(START)

    row = enrolment(acme)
    assert (row.stage, row.started_by, row.state) == ("onboarding", "sequence:onboarding",
                                                      "running")
    assert first.lines == [f'sequence "onboarding" on client {acme} "Acme GmbH": step 1 of 3: '
                           'queue e-mail "Welcome to the team, Acme GmbH" to anna@acme.example']
    [welcome] = Outbox.select().where(Outbox.client == acme)
    assert welcome.body.startswith("Hello Anna Schmidt,\n")
    assert welcome.body.rstrip().endswith("Maria Keller")
    assert tick(START + timedelta(days=6, hours=23)).lines == []
    week = tick(START + timedelta(days=7))
    assert [line.split(": ")[2] for line in week.lines] == [
        'queue e-mail "How is it going, Anna Schmidt?" to anna@acme.example']
    assert tick(START + timedelta(days=30)).lines[0].endswith(
        'create task "30-day review with Acme GmbH" on Accounts for maria')
    row = enrolment(acme)
    assert (row.state, row.next_step, row.next_due_at) == ("finished", 3, None)
    steps = list(SequenceStep.select().where(SequenceStep.enrolment == row.id)
                 .order_by(SequenceStep.step))
    assert [(s.step, s.kind, s.outbox_id is not None, s.task_id is not None) for s in steps] == [
        (0, "email", True, False), (1, "email", True, False), (2, "task", False, True)]
    task = Task.get_by_id(steps[2].task_id)
    assert (task.client_id, task.title) == (acme, "30-day review with Acme GmbH")
    assert Activity.select().where(Activity.actor == "sequence:onboarding",
                                   Activity.entity == "task").exists()
    assert tick(START + timedelta(days=60)).lines == []


def test_a_client_is_in_a_sequence_once_while_it_runs(admin, acme):
    stage(admin, acme, "onboarding")
    tick(START)
    renewal = enrolments.named(SHIPPED, "Onboarding")
    assert enrolments.start(admin, acme, renewal, START, BERLIN) is None
    assert SequenceEnrolment.select().count() == 1


def tick_in_child(url: str, at: str, barrier, results) -> None:
    """Child process: open the database, wait for the sibling, run the due steps."""
    try:
        desk_db.connect(url)
        barrier.wait(CHILD_TIMEOUT)
        report = engine.run_due(SHIPPED, datetime.fromisoformat(at),
                                processor.rules_runner(None), BOOK, BERLIN)
        results.put(("ok", report.lines, report.skipped))
    except Exception as error:  # reported to the parent, which fails the test with it
        results.put(("error", f"{type(error).__name__}: {error}", 0))


@pytest.mark.serial
def test_two_desks_ticking_at_once_run_each_step_once(admin, acme, db_url):
    others = [clients.create(admin, f"Client {n}", kind="client", email=f"c{n}@x.example").row.id
              for n in range(4)]
    renewal = enrolments.named(SHIPPED, "renewal")
    for client_id in (acme, *others):
        enrolments.start(admin, client_id, renewal, START, BERLIN)
    database.close()

    reports = run_children(tick_in_child, [(db_url, START.isoformat())] * 2, CHILD_TIMEOUT)

    assert [status for status, *_ in reports] == ["ok", "ok"], reports
    assert sum(len(lines) for _, lines, _ in reports) == 5
    database.connect(reuse_if_open=True)
    assert Outbox.select().count() == 5
    assert SequenceStep.select().count() == 5
    assert {row.next_step for row in SequenceEnrolment.select()} == {1}


# --- stopping ------------------------------------------------------------------------------


def reply_from(address: str) -> bytes:
    """A plain e-mail from `address`, as a mailbox would hold it."""
    message = EmailMessage()
    message["From"] = f"Anna Schmidt <{address}>"
    message["To"] = "support@brightline.example"
    message["Subject"] = "Re: Welcome to the team"
    message["Message-ID"] = "<reply-1@acme.example>"
    message.set_content("Thank you, all good here!")
    return message.as_bytes()


def test_a_reply_from_the_client_stops_its_sequences(admin, acme, tmp_path):
    stage(admin, acme, "onboarding")
    tick(START)
    options = IntakeOptions(public_domains=frozenset(), attachments_root=tmp_path / "files",
                            sla_rules=BOOK)
    take_mail(admin, reply_from("anna@acme.example"), "inbox", options,
              now=START + timedelta(days=2))

    report = tick(START + timedelta(days=7))

    assert report.lines == [f'sequence "onboarding" on client {acme} "Acme GmbH": stopped: '
                            "the contact replied on 2026-11-20"]
    row = enrolment(acme)
    assert (row.state, row.next_step) == ("stopped", 1)
    assert Outbox.select().count() == 1  # the welcome only
    assert Activity.get((Activity.entity == "client") & (Activity.entity_id == acme)
                        & (Activity.field == "sequence onboarding")
                        & (Activity.new == "stopped")).actor == "sequence:onboarding"


def test_a_change_of_stage_stops_a_sequence_that_stops_on_it(admin, acme):
    stage(admin, acme, "onboarding")
    tick(START)
    stage(admin, acme, "active")  # onboarding goes on into active
    assert tick(START + timedelta(days=1)).lines == []
    stage(admin, acme, "churned")  # ...but stops when the client churns; win-back starts

    report = tick(START + timedelta(days=2))

    assert (f'sequence "onboarding" on client {acme} "Acme GmbH": stopped: the client\'s '
            "stage changed from onboarding to churned") in report.lines
    assert enrolment(acme, "win-back").state == "running"


# --- an agent's pause, resume and stop ----------------------------------------------------


def test_pause_resume_and_stop_are_checked_versioned_and_recorded(admin, acme):
    renewal = enrolments.named(SHIPPED, "renewal")
    enrolment_id = enrolments.start(admin, acme, renewal, START, BERLIN)

    enrolments.pause(admin, enrolment_id, 1, START)
    assert tick(START + timedelta(days=1)).lines == []  # paused: the day-0 step waits
    with pytest.raises(ConflictError):
        enrolments.resume(admin, enrolment_id, 1, START)
    enrolments.resume(admin, enrolment_id, 2, START + timedelta(days=2))
    assert len(tick(START + timedelta(days=2)).lines) == 1  # the overdue step runs now
    viewer = agents.add(admin, "vic", role="viewer")
    with pytest.raises(PermissionDenied):
        enrolments.stop(viewer, enrolment_id, 4, START)
    enrolments.stop(admin, enrolment_id, 4, START + timedelta(days=3))
    with pytest.raises(InvalidInput, match="is stopped"):
        enrolments.resume(admin, enrolment_id, 5, START)

    history = list(Activity.select(Activity.actor, Activity.old, Activity.new)
                   .where(Activity.field == "sequence renewal").order_by(Activity.id).tuples())
    assert history == [(admin.username, None, "running"), (admin.username, "running", "paused"),
                       (admin.username, "paused", "running"),
                       (admin.username, "running", "stopped")]
    [row] = listing.rows(SHIPPED, acme)
    assert (row.state, row.reason, row.step, row.steps) == (
        "stopped", f"stopped by {admin.username}", 2, 3)


def test_a_step_that_cannot_run_pauses_its_sequence_with_the_reason(admin, acme):
    clients.update(admin, acme, 1, email="")
    enrolments.start(admin, acme, enrolments.named(SHIPPED, "renewal"), START, BERLIN)

    report = tick(START)

    assert report.problems == [f'sequence "renewal" on client {acme} "Acme GmbH": step 1 '
                               'failed: client "Acme GmbH" has no e-mail address to write to '
                               "(paused)"]
    row = enrolment(acme, "renewal")
    assert (row.state, row.next_step) == ("paused", 0)
    assert Outbox.select().count() == 0


# --- the command line -----------------------------------------------------------------------


def test_the_command_line_starts_lists_dry_runs_and_pauses(admin, acme, migrated_url, run_desk):
    database.close()
    desk = ("--db", migrated_url)

    assert run_desk(*desk, "sequences", "start", "Acme GmbH", "renewal")[:2] == (
        0, 'started "renewal" for Acme GmbH\n')
    status, out, err = run_desk(*desk, "sequences", "start", "Acme GmbH", "renewal")
    assert (status, err.strip()) == (1, 'desk: Acme GmbH is in the sequence "renewal" already')
    status, out, _ = run_desk(*desk, "automations", "dry-run")
    assert status == 0
    assert out.splitlines()[-2:] == [
        "the sequences would do this now (nothing was changed):",
        f'  sequence "renewal" on client {acme} "Acme GmbH": step 1 of 3: queue e-mail "Your '
        'renewal with us, Acme GmbH" to anna@acme.example']
    status, out, _ = run_desk(*desk, "sequences", "Acme GmbH", "--format", "json")
    [shown] = json.loads(out)
    assert (shown["sequence"], shown["state"], shown["step"], shown["steps"]) == (
        "renewal", "running", 1, 3)
    assert shown["next_step"] == "e-mail: Your renewal with us, {client.name}"
    assert datetime.fromisoformat(shown["next_due_at"]).tzinfo is not None  # the local time
    assert run_desk(*desk, "sequences", "pause", "Acme GmbH", "renewal")[:2] == (
        0, 'paused "renewal" for Acme GmbH\n')
    status, out, _ = run_desk(*desk, "sequences")
    assert "paused by" in out and "renewal" in out


def test_check_names_a_list_a_sequence_needs_that_the_workspace_lacks(acme, migrated_url,
                                                                       tmp_path, run_desk):
    database.close()
    config = tmp_path / "config.yaml"
    config.write_text("sequences:\n  - name: chase\n    start: manual\n    steps:\n"
                      "      - {day: 2, task: {title: Chase, list: Nowhere}}\n",
                      encoding="utf-8")
    status, out, _ = run_desk("--config", str(config), "--db", migrated_url, "automations",
                              "check")
    assert (status, out) == (1, f"{config}: sequence \"chase\", steps[0].task.list: no list "
                                "named 'Nowhere'\n")


def test_a_new_client_starts_a_sequence_that_starts_on_client_created(admin, acme):
    welcome = grammar.parse(yaml.safe_load(
        "- name: hello\n  start: client_created\n  steps:\n"
        "    - {day: 1, task: {title: 'Say hello to {contact.name}', list: Accounts,"
        " assign: account_manager}}\n"))
    fresh = clients.create(admin, "Borealis AB", kind="client", contact_person="Britt Olsen",
                           email="britt@borealis.example", account_manager="maria").row.id

    assert tick(START, welcome).lines == []  # enrolled (Acme too); its step is a day off
    assert {row.client_id for row in SequenceEnrolment.select()} == {acme, fresh}
    lines = tick(START + timedelta(days=1), welcome).lines
    assert f'sequence "hello" on client {fresh} "Borealis AB": step 1 of 1: create task "Say ' \
           'hello to Britt Olsen" on Accounts for maria' in lines
    assert enrolment(fresh, "hello").state == "finished"
