"""The reply editor shows its recipients, and C on a task replies with copies: a pick
offers the client's other contacts one at a time; the reply is queued to the requester
contact with the copies chosen."""

from __future__ import annotations

from textual.widgets import Static

from desk import sla
from desk.config import Settings
from desk.crm import clients, contacts
from desk.kernel import agents
from desk.models import Outbox, QueryData
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.work import tasks, workspace

from .conftest import press, settle, type_text

SIZE = (100, 30)


def acme_query(database) -> int:
    """A query of a new client with three contacts, asked by Bob; returns its id."""
    with database.connection_context():
        admin = agents.acting()
        client = clients.create(admin, "Quill Replies Ltd", "client").row.id
        contacts.add(admin, client, "Ada Quill", role="decision_maker", email="ada@quill.test")
        bob = contacts.add(admin, client, "Bob Quill", role="technical", email="bob@quill.test")
        contacts.add(admin, client, "Cy Quill", role="billing", email="cy@quill.test")
        list_id = workspace.find_list("Support inbox").id
        task = tasks.create(admin, "Printer", list_id, kind="query", client_id=client,
                            sla_rules=sla.book(Settings())).row.id
        QueryData.update(requester_name="Bob", requester_email="bob@quill.test",
                         requester_contact=bob.id).where(QueryData.task == task).execute()
    return task


def editor_title(app) -> str:
    """The title of the reply editor in front."""
    assert isinstance(app.screen, WriteTextScreen)
    return str(app.screen.query_one(".dialog-title", Static).render())


async def test_r_shows_the_requester_contact_as_the_recipient(desk_app, demo_db):
    task = acme_query(demo_db)
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_task(task)
        await settle(pilot)
        await press(pilot, "r")
        assert editor_title(app) == "Reply to the client · To: bob@quill.test"


async def test_capital_c_adds_copies_from_a_pick_and_queues_them(desk_app, demo_db):
    task = acme_query(demo_db)
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_task(task)
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        await press(pilot, "C")
        assert isinstance(app.screen, PickScreen)
        await type_text(pilot, "Cy")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)  # Ada is still on offer
        await type_text(pilot, "no more")
        await press(pilot, "enter")
        await settle(pilot)
        assert editor_title(app) == ("Reply to the client · To: bob@quill.test · "
                                     "CC: cy@quill.test")
        await type_text(pilot, "Fixed it.")
        await press(pilot, "ctrl+j")
        await settle(pilot)
    with app.database.connection_context():
        mail = Outbox.get(Outbox.task == task)
    assert (mail.to_address, mail.cc) == ("bob@quill.test", "cy@quill.test")
    assert mail.body.startswith("Fixed it.")
