"""The client screen's Sequences section over the demo workspace: a running sequence shows
its step and what comes next, enter on it pauses it (and resumes it), stopping asks first,
and "Start a sequence…" enrols the client in the sequence picked."""

from __future__ import annotations

from desk.models import SequenceEnrolment
from desk.screens.dialogs.pick import PickScreen

from .conftest import press, type_text
from .test_client_screen import client_id, go_to, item_text, open_client


def enrolled(database, client: int) -> list[tuple[str, str, str]]:
    """(sequence, state, reason) of the client's enrolments, oldest first."""
    with database.connection_context():
        return list(SequenceEnrolment.select(SequenceEnrolment.sequence, SequenceEnrolment.state,
                                             SequenceEnrolment.reason)
                    .where(SequenceEnrolment.client == client)
                    .order_by(SequenceEnrolment.id).tuples())


def onboarding_id(database, client: int) -> int:
    """The id of the client's onboarding enrolment."""
    with database.connection_context():
        return SequenceEnrolment.get(SequenceEnrolment.client == client,
                                     SequenceEnrolment.sequence == "onboarding").id


async def test_a_sequence_shows_its_step_and_is_paused_resumed_and_stopped(desk_app, demo_db):
    aurora = client_id(demo_db, "Aurora Yoga Studio")
    item = ("sequence", onboarding_id(demo_db, aurora))
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, aurora)
        assert item_text(screen, item).split()[:5] == ["onboarding", "step", "2", "of", "3"]
        assert "· next e-mail: How is it going" in item_text(screen, item)

        await go_to(pilot, screen, item)
        await press(pilot, "enter")
        assert isinstance(app.screen, PickScreen)
        await type_text(pilot, "pause")
        await press(pilot, "enter")

        assert enrolled(demo_db, aurora) == [("onboarding", "paused", "paused by alex")]
        assert item_text(screen, item).split()[:6] == ["onboarding", "paused", "at", "step",
                                                       "2", "of"]
        await press(pilot, "enter")
        await type_text(pilot, "resume")
        await press(pilot, "enter")
        assert enrolled(demo_db, aurora) == [("onboarding", "running", "")]

        await press(pilot, "enter")
        await type_text(pilot, "stop")
        await press(pilot, "enter")
        assert isinstance(app.screen, PickScreen)  # are you sure? "no" comes first
        await press(pilot, "enter")
        assert enrolled(demo_db, aurora) == [("onboarding", "running", "")]
        await press(pilot, "enter")
        await type_text(pilot, "stop")
        await press(pilot, "enter")
        await type_text(pilot, "yes")
        await press(pilot, "enter")
        assert enrolled(demo_db, aurora) == [("onboarding", "stopped", "stopped by alex")]


async def test_start_a_sequence_enrols_the_client(desk_app, demo_db):
    aurora = client_id(demo_db, "Aurora Yoga Studio")
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_client(pilot, aurora)
        await go_to(pilot, screen, ("sequence", None))
        await press(pilot, "enter")
        assert isinstance(app.screen, PickScreen)
        await type_text(pilot, "renewal")
        await press(pilot, "enter")

        assert enrolled(demo_db, aurora)[-1] == ("renewal", "running", "")
        renewal = next(key for key in screen.items if key[0] == "sequence"
                       and key[1] is not None and "renewal" in item_text(screen, key))
        assert "step 1 of 3" in item_text(screen, renewal)
