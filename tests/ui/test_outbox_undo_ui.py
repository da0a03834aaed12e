"""The undo window in the TUI: a reply on the task screen says `u` takes it back, and `u`
cancels its e-mail, removes the reply and reopens the editor with its text; the same from
the inbox; and the Outbox screen's cancel (after a yes/no) and edit of a queued message."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from desk.mail import outbox
from desk.models import Comment, Outbox
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.screens.outbox import OutboxScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.work import tasks, workspace

from .conftest import Notices, press, settle, type_text
from .test_outbox_ui import email_query

SIZE = (100, 30)


def replies(app, task_id: int) -> tuple[list[str], list[str]]:
    """(the reply comments' texts, the statuses of the task's e-mails)."""
    with app.database.connection_context():
        return ([c.body for c in Comment.select().where((Comment.task == task_id)
                                                         & (Comment.kind == "reply"))],
                [m.status for m in Outbox.select().where(Outbox.task == task_id)])


async def test_u_takes_back_a_reply_on_the_task_screen_and_reopens_its_text(desk_app):
    app = desk_app()
    task_id, *_ = email_query(app)
    before = replies(app, task_id)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        app.open_task(task_id)
        await settle(pilot)
        await press(pilot, "r")
        await type_text(pilot, "Wrong answer, sorry.")
        await press(pilot, "ctrl+j")
        assert replies(app, task_id) == (before[0] + ["Wrong answer, sorry."],
                                         before[1] + ["queued"])
        assert any("; u takes it back (30 s)." in text for text in notices)
        assert isinstance(app.screen, TaskScreen)
        await press(pilot, "u")
        assert isinstance(app.screen, WriteTextScreen)
        assert app.screen.query_one(TextArea).text == "Wrong answer, sorry."
        assert app.screen.write_title.startswith("Reply to the client · To: ")  # as before
        assert replies(app, task_id) == before
        assert f"Reply to #{task_id} taken back: not sent." in notices
        await press(pilot, "escape")
        await press(pilot, "u")
        assert isinstance(app.screen, TaskScreen)
        assert any(text.startswith("Nothing to undo") for text in notices)


async def test_u_in_the_inbox_takes_back_the_reply_and_a_save_sends_it_again(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "r")
        await type_text(pilot, "First try.")
        await press(pilot, "ctrl+j")
        with app.database.connection_context():
            [mail] = Outbox.select().order_by(Outbox.id.desc()).limit(1)
        task_id = mail.task_id
        await press(pilot, "u")
        assert isinstance(app.screen, WriteTextScreen)
        assert app.screen.query_one(TextArea).text == "First try."
        assert "queued" not in replies(app, task_id)[1]
        await press(pilot, "ctrl+j")
        await settle(pilot)
        texts, statuses = replies(app, task_id)
        assert texts[-1] == "First try." and statuses.count("queued") == 1


async def test_the_outbox_cancels_after_a_yes_and_edits_a_queued_message(desk_app):
    app = desk_app()
    with app.database.connection_context():
        task_id = tasks.create(app.agent, "Newsletter", workspace.find_list("Internal").id).row.id
        keep = outbox.queue(app.agent, "ada@lovelace-labs.example", "Toner", "It ships.",
                            task_id=task_id)
        drop = outbox.queue(app.agent, "bob@lovelace-labs.example", "Oops", "Not for Bob.",
                            task_id=task_id)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("desk.screens.screens.outbox:OutboxScreen")
        await settle(pilot)
        assert isinstance(app.screen, OutboxScreen)
        await press(pilot, "c")
        assert isinstance(app.screen, PickScreen)
        await press(pilot, "enter")  # "No, keep it" is preselected
        with app.database.connection_context():
            assert Outbox.select().where(Outbox.id == drop).exists()
        await press(pilot, "c", "down", "enter")
        with app.database.connection_context():
            assert not Outbox.select().where(Outbox.id == drop).exists()
        assert isinstance(app.screen, OutboxScreen)
        await press(pilot, "e")
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one(Input).value = "Toner, corrected"
        await press(pilot, "enter")
        assert isinstance(app.screen, WriteTextScreen)
        assert app.screen.query_one(TextArea).text == "It ships."
        app.screen.query_one(TextArea).text = "It ships on Monday."
        await press(pilot, "ctrl+j")
        await settle(pilot)
        with app.database.connection_context():
            row = Outbox.get_by_id(keep)
        assert (row.subject, row.body, row.status) == ("Toner, corrected",
                                                      "It ships on Monday.", "queued")


async def test_an_edit_of_a_message_the_sender_took_meanwhile_changes_nothing(desk_app):
    app = desk_app()
    with app.database.connection_context():
        task_id = tasks.create(app.agent, "Newsletter", workspace.find_list("Internal").id).row.id
        mail = outbox.queue(app.agent, "ada@lovelace-labs.example", "Toner", "It ships.",
                            task_id=task_id)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        app.open_screen("desk.screens.screens.outbox:OutboxScreen")
        await settle(pilot)
        await press(pilot, "e", "enter")
        assert isinstance(app.screen, WriteTextScreen)
        with app.database.connection_context():  # the sender claims it meanwhile
            Outbox.update(sending_since=Outbox.created_at).where(Outbox.id == mail).execute()
        app.screen.query_one(TextArea).text = "Too late."
        await press(pilot, "ctrl+j")
        await settle(pilot)
        with app.database.connection_context():
            assert Outbox.get_by_id(mail).body == "It ships."
        assert f"e-mail {mail} is being sent right now; nothing changed" in " ".join(notices)
