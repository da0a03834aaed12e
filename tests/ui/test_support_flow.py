"""A support query's whole life in the running app: it arrives by e-mail while the inbox is
open and appears by itself, is triaged by keys, answered with a canned response (which goes
to the outbox, threaded), resolved, and the survey follows from the background work."""

from __future__ import annotations

from pathlib import Path

from desk.kernel import agents
from desk.models import Outbox
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.support import intake
from desk.work import comments, tasks

from .conftest import settle
from .test_inbox import keys, open_inbox, text_of

SIZE = (100, 30)
MAIL = Path(__file__).parents[1] / "data" / "mail" / "01-new-plain.eml"
TITLE = "Printer on floor 2 prints blank pages"


def arrive(app) -> int:
    """The e-mail taken in as another process would (`desk intake eml`); its query id."""
    with app.database.connection_context():
        outcome = intake.take_mail(agents.acting(), MAIL.read_bytes(), str(MAIL),
                                   intake.IntakeOptions(sla_rules=app.sla_rules))
    assert outcome.outcome == "new"
    return outcome.task_id


async def test_a_mailed_query_appears_is_answered_with_a_canned_response_and_resolved(
        desk_app):
    app = desk_app(watch_interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        inbox = await open_inbox(pilot)
        before = inbox.row_count
        query_id = arrive(app)
        for _ in range(50):  # the live refresh notices the change within a moment
            await pilot.pause(0.1)
            if inbox.row_count == before + 1:
                break
        await settle(pilot)
        index = next(i for i in range(inbox.row_count) if inbox.row_at(i).id == query_id)
        inbox.move_cursor(index)
        await settle(pilot)
        assert TITLE in text_of(app, "#inbox-detail")

        await keys(pilot, "p", "2", "a", "enter", "r")
        assert isinstance(app.screen, WriteTextScreen)
        await keys(pilot, "ctrl+t")
        assert isinstance(app.screen, PickScreen)
        await keys(pilot, *"acknowledge", "enter")
        await keys(pilot, "ctrl+j", "s", "r", "e", "enter")

        with app.database.connection_context():
            stored = tasks.get(query_id).row
            reply = comments.for_task(query_id)[-1]
            [mail] = Outbox.select().where(Outbox.task == query_id)
        assert (stored.priority, stored.assignees, stored.status) == (
            "high", (app.agent.username,), "Resolved")
        assert reply.kind == "reply" and reply.body.startswith("Hello Ada Lovelace,")
        assert f"Your reference is #{query_id}." in reply.body
        assert (mail.to_address, mail.subject, mail.in_reply_to, mail.status) == (
            "ada@lovelace-labs.example", f"Re: {TITLE} [#{query_id}]",
            "<new-plain@lovelace-labs.example>", "queued")

        app.background.run()  # what the app does every minute: the survey rule fires
        await settle(pilot)
        with app.database.connection_context():
            subjects = [row.subject for row in Outbox.select().where(Outbox.task == query_id)
                        .order_by(Outbox.id)]
        assert subjects[1] == f"How did we do? [#{query_id}] {TITLE}"
