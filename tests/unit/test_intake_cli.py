"""`desk intake` and `desk csat` run as a person or cron would: files, a maildir, an mbox,
standard input, and a real IMAP server on loopback (tests/mail_server.py)."""

from __future__ import annotations

import io
import mailbox
import socket
from pathlib import Path

import pytest
from mail_server import CERT, MailStore, imap_server

from desk.crm import clients
from desk.kernel import agents
from desk.models import Client, Comment, MailMessage, QueryData, Task
from desk.work import workspace

CORPUS = Path(__file__).parents[1] / "data" / "mail"
HELPDESK = (("New", "open"), ("Open", "active"), ("Waiting on customer", "active"),
            ("Resolved", "done"), ("Closed", "closed"))
PASSWORD = "s3cret pass"


def raw(name: str) -> bytes:
    """The bytes of a corpus message."""
    return (CORPUS / name).read_bytes()


@pytest.fixture
def desk(db_url, run_desk, monkeypatch):
    """Run `desk ARGS...` on a workspace with a support inbox and the client Lovelace Labs."""
    monkeypatch.setenv("DESK_DATABASE", db_url)
    run_desk("migrate")
    admin = agents.acting()
    workspace.create_space(admin, "Support")
    workspace.create_list(admin, "Support", "Support inbox", HELPDESK)
    clients.create(admin, "Lovelace Labs", "client", email="info@lovelace-labs.example")
    return run_desk


def config(tmp_path: Path, text: str) -> str:
    """Write a config file; returns its path for --config."""
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- files and local mailboxes -------------------------------------------------------------


def test_eml_files_print_one_line_each_and_a_summary(desk) -> None:
    files = [str(CORPUS / name) for name in ("01-new-plain.eml", "13-reply-in-reply-to.eml",
                                             "10-auto-submitted.eml", "11-out-of-office.eml",
                                             "17-malformed.eml")]
    status, out, err = desk("intake", "eml", *files)
    assert (status, err) == (1, "")  # a message failed: cron should tell someone
    assert out.splitlines() == [
        f"{files[0]}: new query #1: Printer on floor 2 prints blank pages",
        f"{files[1]}: comment on #1",
        f"{files[2]}: automatic (Auto-Submitted: auto-replied): note on #1",
        f"{files[3]}: automatic (Precedence: auto_reply): logged",
        f"{files[4]}: failed: the message has no sender address (From)",
        "intake: 1 new, 1 comment, 2 automatic, 1 failed, 0 already taken",
    ]
    status, out, _ = desk("intake", "eml", *files)
    assert status == 0
    assert out.splitlines()[-1] == "intake: 0 new, 0 comments, 0 automatic, 0 failed, " \
                                   "5 already taken"
    assert (Task.select().count(), Comment.select().count(), MailMessage.select().count()) == (
        1, 2, 5)


def test_hostile_text_is_printed_visibly(desk) -> None:
    status, out, _ = desk("intake", "eml", str(CORPUS / "09-hostile-attachments.eml"))
    assert status == 0
    assert "\x1b" not in out and "\x07" not in out
    assert out.splitlines()[0].endswith(
        "new query #1: [bold]Urgent[/bold] ␛[31mred␛[0m ␛]52;c;aGk=␇ please")


def test_a_maildir_read_twice_creates_nothing_new(desk, tmp_path) -> None:
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    names = sorted(path.name for path in CORPUS.glob("*.eml"))
    for name in names:
        box.add(raw(name))
    status, out, _ = desk("intake", "maildir", str(tmp_path / "Maildir"))
    assert status == 1  # the malformed message
    assert len(out.splitlines()) == len(names) + 1
    assert out.splitlines()[-1] == ("intake: 12 new, 3 comments, 12 automatic, 1 failed, "
                                    "0 already taken")
    counts = (Task.select().count(), Comment.select().count(), Client.select().count())
    status, out, _ = desk("intake", "maildir", str(tmp_path / "Maildir"))
    assert (status, out.splitlines()[-1]) == (
        0, f"intake: 0 new, 0 comments, 0 automatic, 0 failed, {len(names)} already taken")
    assert (Task.select().count(), Comment.select().count(), Client.select().count()) == counts
    assert sorted(path.name for path in (tmp_path / "Maildir" / "new").iterdir()) == sorted(
        box.iterkeys())  # the maildir is only read


def test_an_mbox_names_each_message_by_its_number(desk, tmp_path) -> None:
    box = mailbox.mbox(tmp_path / "support.mbox", create=True)
    for name in ("01-new-plain.eml", "14-reply-references.eml"):
        box.add(raw(name))
    box.close()
    status, out, _ = desk("intake", "mbox", str(tmp_path / "support.mbox"))
    assert status == 0
    assert out.splitlines()[:2] == [
        f"{tmp_path / 'support.mbox'}#1: new query #1: Printer on floor 2 prints blank pages",
        f"{tmp_path / 'support.mbox'}#2: comment on #1"]
    assert Comment.get().body == "The engineer's visit on Friday suits us."


@pytest.mark.parametrize(("args", "message"), [
    (("eml", "nowhere.eml"), "desk: nowhere.eml: not a readable file"),
    (("maildir", "nowhere"), "desk: nowhere: not a maildir (it needs a new or cur folder)"),
    (("mbox", "nowhere.mbox"), "desk: nowhere.mbox: not an mbox file"),
])
def test_a_missing_source_is_one_line_and_changes_nothing(desk, args, message) -> None:
    status, out, err = desk("intake", *args)
    assert (status, out, err.strip()) == (1, "", message)
    assert MailMessage.select().count() == 0


def test_eml_files_are_all_checked_before_any_is_taken(desk) -> None:
    status, _, err = desk("intake", "eml", str(CORPUS / "01-new-plain.eml"), "missing.eml")
    assert (status, err.strip()) == (1, "desk: missing.eml: not a readable file")
    assert Task.select().count() == 0


def test_a_missing_intake_list_stops_the_run(desk, tmp_path) -> None:
    path = config(tmp_path, "intake:\n  list: Nowhere\n")
    status, _, err = desk("intake", "eml", str(CORPUS / "01-new-plain.eml"), "--config", path)
    assert (status, err.strip()) == (1, "desk: no list named 'Nowhere'")
    assert MailMessage.select().count() == 0


# --- forms on standard input ---------------------------------------------------------------


def test_form_submissions_as_json(desk, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(
        '[{"name": "Ada Lovelace", "email": "ada@lovelace-labs.example", '
        '"problem": "Scanner jams", "priority": "urgent"}, '
        '{"name": "Walk In", "problem": "Lost password", "channel": "walk-in"}]'))
    status, out, _ = desk("intake", "form")
    assert status == 0
    assert out.splitlines() == ["submission 1: new query #1: Scanner jams",
                                "submission 2: new query #2: Lost password",
                                "intake: 2 new, 0 comments, 0 automatic, 0 failed, "
                                "0 already taken"]
    assert (Task.get_by_id(1).priority, Task.get_by_id(1).client.name) == (1, "Lovelace Labs")
    assert QueryData.get(QueryData.task == 2).channel == "walk-in"


def test_form_submissions_as_yaml_documents(desk, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(
        "name: Ada\nemail: ada@lovelace-labs.example\nproblem: |\n  Printer offline\n"
        "  since Monday\n---\n- problem: Second one\n"))
    status, out, _ = desk("intake", "form")
    assert status == 0
    assert [line.split(": ", 1)[1] for line in out.splitlines()[:2]] == [
        "new query #1: Printer offline", "new query #2: Second one"]
    assert Task.get_by_id(1).description == "Printer offline\nsince Monday"


@pytest.mark.parametrize(("text", "message"), [
    ('[{"problem": "fine"}, {"problem": "x", "email": "nope"}]',
     "desk: submission 2: email: 'nope' is not an e-mail address"),
    ("problem: [unclosed\n", "desk: standard input, line 2: not valid JSON or YAML: "),
    ("", "desk: standard input: no submission"),
])
def test_a_bad_form_input_is_one_line_and_writes_nothing(desk, monkeypatch, text,
                                                         message) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    status, out, err = desk("intake", "form")
    assert (status, out) == (1, "")
    assert err.startswith(message) and len(err.splitlines()) == 1
    assert Task.select().count() == 0


# --- CSAT by phone -------------------------------------------------------------------------


def test_csat_by_phone(desk, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"problem": "Printer \\u001b[2J jam"}'))
    desk("intake", "form")
    status, out, _ = desk("csat", "1", "4", "Quick fix, thanks")
    assert (status, out) == (0, "recorded CSAT 4 on query 1: Printer ␛[2J jam "
                                "(Quick fix, thanks)\n")
    data = QueryData.get(QueryData.task == 1)
    assert (data.csat_score, data.csat_comment) == (4, "Quick fix, thanks")
    status, _, err = desk("csat", "1", "7")
    assert (status, err) == (1, "desk: a CSAT score is a whole number from 1 to 5, not '7'\n")
    assert QueryData.get(QueryData.task == 1).csat_score == 4


# --- IMAP ----------------------------------------------------------------------------------


def imap_config(tmp_path: Path, port: int, **settings: str) -> str:
    """A config whose intake.imap points at the test server on `port`."""
    values = {"host": "127.0.0.1", "port": str(port), "security": "tls", "ca_file": str(CERT),
              "user": "desk", "password_env": "DESK_IMAP_PASSWORD", **settings}
    lines = "".join(f"    {key}: {value}\n" for key, value in values.items() if value != "")
    return config(tmp_path, f"intake:\n  imap:\n{lines}")


@pytest.fixture
def store(monkeypatch) -> MailStore:
    """A mail store with three messages in INBOX, and the password in the environment."""
    monkeypatch.setenv("DESK_IMAP_PASSWORD", PASSWORD)
    store = MailStore("desk", PASSWORD, {"INBOX": [], "Done": []}, security="tls")
    for name in ("01-new-plain.eml", "13-reply-in-reply-to.eml", "17-malformed.eml"):
        store.add("INBOX", raw(name))
    return store


def test_imap_over_tls_flags_what_it_took_and_skips_it_next_time(desk, store,
                                                                 tmp_path) -> None:
    with imap_server(store) as port:
        path = imap_config(tmp_path, port)
        status, out, err = desk("intake", "imap", "--config", path)
        assert (status, err) == (1, "")
        assert out.splitlines() == [
            "imap:INBOX/1: new query #1: Printer on floor 2 prints blank pages",
            "imap:INBOX/2: comment on #1",
            "imap:INBOX/3: failed: the message has no sender address (From)",
            "intake: 1 new, 1 comment, 0 automatic, 1 failed, 0 already taken"]
        assert [message.flags for message in store.folders["INBOX"]] == [
            {"\\Seen", "\\Flagged"}] * 3
        fetched = [c for c in store.commands if c.startswith("UID FETCH")]
        assert fetched == ["UID FETCH 1 (BODY.PEEK[])", "UID FETCH 2 (BODY.PEEK[])",
                           "UID FETCH 3 (BODY.PEEK[])"]
        store.commands.clear()
        status, out, _ = desk("intake", "imap", "--config", path)
        assert (status, out) == (0, "intake: 0 new, 0 comments, 0 automatic, 0 failed, "
                                    "0 already taken\n")
        assert not [c for c in store.commands if c.startswith("UID FETCH")]
    assert "LOGIN desk ***" in store.commands
    assert Task.select().count() == 1


def test_desk_tick_reads_the_mailbox_and_reports_a_failed_message(desk, store,
                                                                  tmp_path) -> None:
    with imap_server(store) as port:
        path = imap_config(tmp_path, port)
        status, out, err = desk("tick", "--config", path)
        assert status == 1
        assert "intake: 1 new, 1 comment, 0 automatic, 1 failed, 0 already taken" in out
        assert err == ("desk: imap:INBOX/3: failed: the message has no sender address "
                       "(From)\n")
        status, out, err = desk("tick", "--config", path)
        assert (status, err) == (0, "")
        assert "intake: 0 new, 0 comments, 0 automatic, 0 failed, 0 already taken" in out
    assert Task.select().count() == 1


def test_imap_with_starttls_moves_what_it_took(desk, store, tmp_path) -> None:
    store.security = "starttls"
    with imap_server(store) as port:
        path = imap_config(tmp_path, port, security="starttls", processed="move",
                           move_to="Done")
        status, out, _ = desk("intake", "imap", "--config", path)
    assert (status, out.splitlines()[-1]) == (
        1, "intake: 1 new, 1 comment, 0 automatic, 1 failed, 0 already taken")
    assert store.folders["INBOX"] == []
    assert [message.uid for message in store.folders["Done"]] == [1, 2, 3]
    names = [command.split(" ")[0] for command in store.commands]
    assert names.index("STARTTLS") < names.index("LOGIN")
    assert 'UID MOVE 1 "Done"' in store.commands
    assert "EXPUNGE" not in names


def test_imap_without_move_copies_deletes_and_expunges(desk, store, tmp_path) -> None:
    store.move = False
    with imap_server(store) as port:
        path = imap_config(tmp_path, port, processed="move", move_to="Done")
        desk("intake", "imap", "--config", path)
    assert store.folders["INBOX"] == []
    assert len(store.folders["Done"]) == 3
    assert store.commands[-2:] == ["EXPUNGE", "LOGOUT"]
    assert 'UID COPY 2 "Done"' in store.commands


def test_imap_reads_the_password_from_a_file(desk, store, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("DESK_IMAP_PASSWORD")
    secret = tmp_path / "imap-password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    with imap_server(store) as port:
        path = imap_config(tmp_path, port, password_env="", password_file=str(secret))
        status, _, err = desk("intake", "imap", "--config", path)
    assert (status, err) == (1, "")
    assert MailMessage.select().count() == 3


def test_imap_refuses_a_server_that_does_not_offer_starttls(desk, store, tmp_path) -> None:
    store.security = "plain"  # a man in the middle stripping STARTTLS looks like this
    with imap_server(store) as port:
        path = imap_config(tmp_path, port, security="starttls")
        status, out, err = desk("intake", "imap", "--config", path)
    assert (status, out) == (1, "")
    assert err.startswith(f"desk: imap 127.0.0.1:{port}: cannot connect: ")
    assert "TLS not supported by server" in err
    assert not [command for command in store.commands if command.startswith("LOGIN")]


def test_imap_refuses_a_certificate_it_does_not_trust(desk, store, tmp_path) -> None:
    with imap_server(store) as port:
        path = imap_config(tmp_path, port, ca_file="")
        status, _, err = desk("intake", "imap", "--config", path)
    assert status == 1
    assert "CERTIFICATE_VERIFY_FAILED" in err and err.count("\n") == 1
    assert MailMessage.select().count() == 0


def test_imap_wrong_password(desk, store, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DESK_IMAP_PASSWORD", "wrong")
    with imap_server(store) as port:
        status, _, err = desk("intake", "imap", "--config", imap_config(tmp_path, port))
    assert status == 1
    assert err == f"desk: imap 127.0.0.1:{port}: [AUTHENTICATIONFAILED] invalid credentials\n"
    assert "wrong" not in err


def test_imap_server_down(desk, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DESK_IMAP_PASSWORD", PASSWORD)
    with socket.socket() as probe:  # a port that nobody listens on once this closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status, out, err = desk("intake", "imap", "--config", imap_config(tmp_path, port))
    assert (status, out) == (1, "")
    assert err.startswith(f"desk: imap 127.0.0.1:{port}: cannot connect: ")


@pytest.mark.parametrize(("settings", "message"), [
    ({"host": ""}, "desk: intake.imap.host: no IMAP server is configured"),
    ({"password_env": "DESK_NO_SUCH_VARIABLE"},
     "desk: intake.imap.password_env: the environment variable DESK_NO_SUCH_VARIABLE is not set"),
    ({"password_env": "", "password_file": "/nonexistent/pw"},
     "desk: intake.imap.password_file: cannot read /nonexistent/pw"),
])
def test_imap_settings_problems_name_the_key(desk, tmp_path, settings, message) -> None:
    status, _, err = desk("intake", "imap", "--config", imap_config(tmp_path, 1, **settings))
    assert (status, err.strip()) == (1, message)
