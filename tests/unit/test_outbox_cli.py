"""`desk outbox`, run as a person would: the list (table and JSON, hostile text made
visible), one message shown, send now against a loopback SMTP server, retry, and the
one-line refusals; without a server, desk says mail waits."""

from __future__ import annotations

import json

import pytest
from smtp_server import smtp_server

from desk.kernel import agents
from desk.mail import outbox
from desk.models import Outbox
from desk.work import tasks, workspace

HOSTILE = "\x1b]52;c;AAAA\x07 [/] [@click=app.quit]x[/]"
NOT_CONFIGURED = ("desk: 2 e-mails waiting: nothing is sent because no SMTP server is "
                  "configured (smtp.host in the config)")


@pytest.fixture
def desk(migrated_url, run_desk, monkeypatch, tmp_path):
    """Run `desk ARGS...` against the test database (config: Berlin time, no SMTP server);
    the outbox holds e-mail 1 (a hostile body) and e-mail 2 (a hostile subject), both on
    task 1."""
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    write_config(tmp_path, monkeypatch, "")
    run_desk("init")
    admin = agents.acting()
    workspace.create_space(admin, "Support")
    list_id = workspace.create_list(admin, "Support", "Support inbox").id
    task_id = tasks.create(admin, "Printer", list_id).row.id
    outbox.queue(admin, "ada@lovelace-labs.example", "Toner", f"Body {HOSTILE}",
                 task_id=task_id)
    outbox.queue(admin, "bob@lovelace-labs.example", f"Hi {HOSTILE}", "Hello", task_id=task_id)
    return run_desk


def write_config(tmp_path, monkeypatch, smtp: str) -> None:
    """A config file with Berlin time and the `smtp` section given, named by DESK_CONFIG."""
    config = tmp_path / "config.yaml"
    config.write_text("timezone: Europe/Berlin\n" + smtp)
    monkeypatch.setenv("DESK_CONFIG", str(config))


def test_the_list_shows_every_message_with_hostile_text_made_visible(desk):
    status, out, err = desk("outbox")
    assert status == 0 and err.splitlines() == [NOT_CONFIGURED]
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "STATUS", "ATTEMPTS", "TO_ADDRESS", "SUBJECT",
                                "CREATED_AT", "SENT_AT", "NEXT_ATTEMPT_AT", "LAST_ERROR"]
    assert [line.split()[:4] for line in lines[1:]] == [
        ["2", "queued", "0", "bob@lovelace-labs.example"],
        ["1", "queued", "0", "ada@lovelace-labs.example"]]
    assert "\x1b" not in out and "␛]52;c;AAAA␇ [/] [@click=app.quit]x[/]" in out


def test_the_list_filters_by_status_and_prints_json(desk):
    Outbox.update(status="failed", last_error="550 no such user").where(Outbox.id == 1).execute()
    status, out, _ = desk("outbox", "list", "--status", "failed", "--format", "json")
    [row] = json.loads(out)
    assert status == 0
    assert (row["id"], row["status"], row["to_address"], row["last_error"]) == (
        1, "failed", "ada@lovelace-labs.example", "550 no such user")
    status, out, _ = desk("outbox", "--status", "sent", "--format", "json")
    assert status == 0 and json.loads(out) == []


def test_show_prints_the_headers_and_the_text_made_visible(desk):
    status, out, _ = desk("outbox", "show", "2")
    assert status == 0
    assert out.splitlines()[:4] == [
        "Status: queued, 0 attempts", "To: bob@lovelace-labs.example",
        "Subject: Hi ␛]52;c;AAAA␇ [/] [@click=app.quit]x[/]", "Task: #1"]
    assert out.splitlines()[-1] == "Hello"


def test_send_delivers_through_the_configured_server(desk, tmp_path, monkeypatch):
    with smtp_server() as server:
        write_config(tmp_path, monkeypatch, f"smtp:\n  host: 127.0.0.1\n  port: {server.port}\n"
                                            "  security: none\n"
                                            "  from_address: support@brightline.example\n")
        status, out, err = desk("outbox", "send")
    assert (status, out, err) == (0, "outbox: 2 sent, 0 to try again, 0 failed\n", "")
    assert sorted(r.rcpt_tos for r in server.received) == [("ada@lovelace-labs.example",),
                                                           ("bob@lovelace-labs.example",)]
    assert {row.status for row in Outbox.select()} == {"sent"}


def test_send_without_a_server_refuses_in_one_line(desk):
    status, out, err = desk("outbox", "send")
    assert (status, out) == (1, "")
    assert err == ("desk: cannot send: no SMTP server is configured (smtp.host in the config); "
                   "mail waits in the outbox\n")


def test_retry_queues_a_failed_message_and_refuses_a_sent_one(desk):
    Outbox.update(status="failed", attempts=8).where(Outbox.id == 1).execute()
    status, out, err = desk("outbox", "retry", "1")
    assert status == 0 and out == (
        "e-mail 1 to ada@lovelace-labs.example is queued: it goes out with the next "
        "background run (desk tick, the running app) or desk outbox send\n")
    assert err.splitlines() == [NOT_CONFIGURED]
    assert (Outbox.get_by_id(1).status, Outbox.get_by_id(1).attempts) == ("queued", 0)
    Outbox.update(status="sent", sent_at=Outbox.created_at).where(Outbox.id == 2).execute()
    status, out, err = desk("outbox", "retry", "2")
    assert status == 1 and out == "" and err.startswith("desk: e-mail 2 was sent at ")
    assert err.endswith("; desk sends a message once\n") and len(err.splitlines()) == 1
    status, _, err = desk("outbox", "retry", "7")
    assert (status, err) == (1, "desk: no e-mail 7 in the outbox\n")


def test_cancel_takes_a_queued_message_out_and_refuses_a_sent_one(desk):
    status, out, err = desk("outbox", "cancel", "1")
    assert (status, out, err) == (0, "e-mail 1 is cancelled: it will not be sent\n", "")
    assert [row.id for row in Outbox.select()] == [2]
    Outbox.update(status="sent", sent_at=Outbox.created_at).where(Outbox.id == 2).execute()
    status, out, err = desk("outbox", "cancel", "2")
    assert status == 1 and out == "" and err.startswith("desk: e-mail 2 was sent at ")
    assert err.endswith("; nothing changed\n") and Outbox.get_by_id(2).status == "sent"
    status, _, err = desk("outbox", "cancel", "1")
    assert (status, err) == (1, "desk: no e-mail 1 in the outbox (cancelled meanwhile?)\n")


@pytest.mark.parametrize(("args", "message"), [
    (("outbox", "retry", "0"), "argument ID: expected a number of at least 1, got 0"),
    (("outbox", "--status", "lost"), "argument --status: invalid choice: 'lost'"),
    (("outbox", "show", "x"), "argument ID: expected a whole number, got 'x'"),
])
def test_bad_arguments_are_refused_by_name(desk, capsys, args, message):
    with pytest.raises(SystemExit) as stopped:
        desk(*args)
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert message in err.splitlines()[-1] and "Traceback" not in err
