"""The client screen's Retainer section: enter offers to e-mail the cycle's time report to
the billing (else primary) contact, "not now" first; yes queues it in the outbox."""

from __future__ import annotations

from desk.models import Outbox
from desk.screens.dialogs.pick import PickScreen

from .conftest import press
from .test_client_screen import client_id, go_to, open_client


async def test_enter_on_the_retainer_sends_the_cycle_time_report_after_a_yes(desk_app, demo_db):
    app = desk_app()
    async with app.run_test(size=(100, 40)) as pilot:
        client = client_id(demo_db, "Hartwell & Sons Joinery")
        screen = await open_client(pilot, client)
        await go_to(pilot, screen, ("retainer", "used"))
        await press(pilot, "enter")
        assert isinstance(app.screen, PickScreen)
        title = app.screen.pick_title
        assert "Time report for Hartwell & Sons Joinery" in title and "@" in title
        await press(pilot, "enter")  # "Not now" comes first
        assert app.screen is screen
        with demo_db.connection_context():
            assert Outbox.select().where(Outbox.client == client).count() == 0

        await press(pilot, "enter")  # the pick opens once the statement is read
        await press(pilot, "down", "enter")
        assert app.screen is screen
        with demo_db.connection_context():
            message = Outbox.get(Outbox.client == client)
        assert message.subject.startswith("Time report for Hartwell & Sons Joinery")
        assert "billable hours used" in message.body and message.to_address in title
