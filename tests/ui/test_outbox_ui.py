"""The outbox in the TUI over the demo workspace: the Outbox screen (palette), a message
shown, retry and send now (to a loopback SMTP server), hostile text shown literally; and a
reply with a canned response, placeholders filled, whose e-mail is queued with [#ID] and
In-Reply-To, the notice saying it is not sent without an SMTP server."""

from __future__ import annotations

from smtp_server import smtp_server
from textual.widgets import Static, TextArea

from desk.config import SmtpSettings
from desk.mail import outbox
from desk.models import Outbox, QueryData, Task
from desk.screens.dialogs.outbox_message import OutboxMessageScreen
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.screens.outbox import OutboxScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.screens.widgets.line_list import LineList
from desk.work import tasks, workspace

from .conftest import Notices, press, settle, type_text

SIZE = (100, 30)
HOSTILE = "[/] [@click=app.quit]x[/] \x1b[2J"


def lines(widget) -> list[str]:
    """What a widget shows, line by line (right-stripped)."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def statics(node) -> str:
    """The text of every Static in `node`."""
    return "\n".join(str(static.render()) for static in node.query(Static))


def email_query(app) -> tuple[int, str, str, str]:
    """A demo query that came by e-mail: (id, title, requester name, its Message-ID)."""
    with app.database.connection_context():
        task_id, title, name, message_id = (
            Task.select(Task.id, Task.title, QueryData.requester_name, QueryData.message_id)
            .join(QueryData, on=QueryData.task == Task.id)
            .where(QueryData.message_id.is_null(False) & (QueryData.requester_name != ""))
            .order_by(Task.id).limit(1).tuples().get())
    return task_id, title, name, message_id


def queue_two(app) -> tuple[int, int]:
    """A plain message and one with a hostile subject, on a new task; their ids."""
    with app.database.connection_context():
        internal = workspace.find_list("Internal").id
        task_id = tasks.create(app.agent, "Newsletter", internal).row.id
        plain = outbox.queue(app.agent, "ada@lovelace-labs.example", "Toner is on its way",
                             "It ships today.", task_id=task_id)
        hostile = outbox.queue(app.agent, "bob@lovelace-labs.example", HOSTILE, HOSTILE,
                               task_id=task_id)
    return plain, hostile


async def open_outbox(pilot) -> OutboxScreen:
    """Open the Outbox screen and wait for its rows."""
    pilot.app.open_screen("desk.screens.screens.outbox:OutboxScreen")
    await settle(pilot)
    assert isinstance(pilot.app.screen, OutboxScreen)
    return pilot.app.screen


async def test_the_outbox_lists_messages_and_says_nothing_is_sent_without_a_server(desk_app):
    app = desk_app()
    plain, hostile = queue_two(app)
    async with app.run_test(size=SIZE) as pilot:
        assert "Outbox" in [command.title for command in app.get_system_commands(app.screen)]
        screen = await open_outbox(pilot)
        shown = lines(screen.query_one(LineList))
        assert shown[0].startswith(f"#{hostile} queued · 0 attempts · bob@lovelace-labs.example"
                                   " · [/] [@click=app.quit]x[/] ␛[2J")
        assert shown[2].startswith(f"#{plain} queued · 0 attempts · ada@lovelace-labs.example"
                                   " · Toner is on its way")
        hint = str(screen.query_one(".dialog-hint", Static).render())
        assert hint.startswith("2 queued · 0 failed · 0 sent · nothing is sent: no SMTP server "
                               "is configured")

        await press(pilot, "enter")
        assert isinstance(app.screen, OutboxMessageScreen)
        text = statics(app.screen)
        assert "To: bob@lovelace-labs.example" in text and "␛[2J" in text and "\x1b" not in text
        await press(pilot, "escape")
        await press(pilot, "s")
        assert app.screen is screen  # nothing to send through


async def test_retry_queues_a_failed_message_and_send_now_delivers_it(desk_app):
    with smtp_server() as server:
        app = desk_app(smtp=SmtpSettings(host="127.0.0.1", port=server.port, security="none",
                                         from_address="support@brightline.example"))
        _, hostile = queue_two(app)
        with app.database.connection_context():
            (Outbox.update(status="failed", attempts=8, last_error="550 mailbox full")
             .where(Outbox.id == hostile).execute())
        notices = Notices()
        async with app.run_test(size=SIZE, message_hook=notices) as pilot:
            screen = await open_outbox(pilot)
            shown = lines(screen.query_one(LineList))
            assert shown[0].startswith(f"#{hostile} failed · 8 attempts")
            assert shown[2] == "   last error: 550 mailbox full"
            await press(pilot, "r")
            with app.database.connection_context():
                assert (Outbox.get_by_id(hostile).status,
                        Outbox.get_by_id(hostile).attempts) == ("queued", 0)
            await press(pilot, "s")
            with app.database.connection_context():
                assert {row.status for row in Outbox.select()} == {"sent"}
            assert "outbox: 2 sent, 0 to try again, 0 failed" in notices
            assert lines(screen.query_one(LineList))[0].startswith(f"#{hostile} sent · 1 attempt")
            assert all(markup is False for markup in notices.markup)
    assert sorted(r.rcpt_tos[0] for r in server.received) == ["ada@lovelace-labs.example",
                                                              "bob@lovelace-labs.example"]


async def test_a_reply_with_a_canned_response_is_queued_with_its_thread(desk_app):
    app = desk_app()
    task_id, title, requester, message_id = email_query(app)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        app.open_task(task_id)
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        await press(pilot, "r")
        assert isinstance(app.screen, WriteTextScreen)
        await press(pilot, "ctrl+t")
        assert isinstance(app.screen, PickScreen)
        await type_text(pilot, "acknow")
        await press(pilot, "enter")
        assert isinstance(app.screen, WriteTextScreen)
        draft = app.screen.query_one(TextArea).text
        assert draft.startswith(f"Hello {requester},\n\nthank you for your message about "
                                f"\"{title}\".")
        assert f"Your reference is #{task_id}." in draft and "{" not in draft
        await press(pilot, "ctrl+j")
    with app.database.connection_context():
        [mail] = Outbox.select().where(Outbox.task == task_id)
        address = QueryData.get_by_id(task_id).requester_email
    assert (mail.to_address, mail.body, mail.in_reply_to, mail.status) == (
        address, draft, message_id, "queued")
    assert mail.subject.endswith(f" [#{task_id}]") and mail.subject.startswith("Re: ")
    assert (f"Reply queued to {address}; u takes it back (30 s). It waits in the outbox: "
            "no SMTP server is configured (smtp.host in the config).") in notices


async def test_the_inbox_reply_offers_canned_responses_for_one_row(desk_app):
    app = desk_app(canned_responses=[])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "r")
        assert isinstance(app.screen, WriteTextScreen)
        assert "ctrl+t inserts a canned response" in statics(app.screen)
        await press(pilot, "ctrl+t")
        assert isinstance(app.screen, WriteTextScreen)
        assert "No canned responses are configured" in statics(app.screen)
