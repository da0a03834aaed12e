"""The client screen's "Portal access…" palette command: it says how the client's portal
stands, turns it off (and on) and shares the client's requests with every contact, each
change audited on the client; a viewer is refused and nothing changes."""

from __future__ import annotations

from desk.kernel import agents
from desk.models import Activity, PortalClient
from desk.screens.dialogs.pick import PickScreen
from desk.screens.screens.client_screen import ClientScreen

from .conftest import Notices, press, settle, type_text
from .test_client_screen import client_id, open_client


def portal_row(database, client: int) -> tuple[bool, bool] | None:
    """(enabled, shared) as stored for the client, None without a row."""
    with database.connection_context():
        row = PortalClient.get_or_none(PortalClient.client == client)
        return None if row is None else (row.enabled, row.shared)


def audited(database, client: int) -> list[tuple[str, str, str]]:
    """(field, old, new) of the client's portal changes, oldest first."""
    with database.connection_context():
        return list(Activity.select(Activity.field, Activity.old, Activity.new)
                    .where((Activity.entity == "client") & (Activity.entity_id == client)
                           & Activity.field.startswith("portal_"))
                    .order_by(Activity.id).tuples())


async def portal_access(pilot) -> list[str]:
    """Run "Portal access…" from the palette; the labels of the pick it opens."""
    await press(pilot, "ctrl+p")
    await type_text(pilot, "Portal access")
    await press(pilot, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PickScreen)
    return [label for label, _ in pilot.app.screen.choices]


async def test_the_portal_is_turned_off_and_on_and_shared(desk_app, demo_db):
    atlas = client_id(demo_db, "Atlas Freight Brokers")
    app = desk_app()
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        await open_client(pilot, atlas)
        assert await portal_access(pilot) == [
            "portal on: turn it off (signs its contacts out)",
            "each contact sees own requests: share with all",
            "notes internal: show them on the portal"]
        await type_text(pilot, "turn it off")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientScreen)
        assert portal_row(demo_db, atlas) == (False, False)
        assert "The portal is off for this client; its contacts are signed out." in notices

        assert (await portal_access(pilot))[0] == "portal off: turn it on"
        await type_text(pilot, "turn it on")
        await press(pilot, "enter")
        await settle(pilot)
        await portal_access(pilot)
        await type_text(pilot, "share with")
        await press(pilot, "enter")
        await settle(pilot)
        assert portal_row(demo_db, atlas) == (True, True)
        await portal_access(pilot)
        await type_text(pilot, "show them")
        await press(pilot, "enter")
        await settle(pilot)
        assert "The client's notes now show on its portal." in notices
    assert audited(demo_db, atlas) == [("portal_enabled", "yes", "no"),
                                       ("portal_enabled", "no", "yes"),
                                       ("portal_shared", "no", "yes"),
                                       ("portal_notes_shared", "no", "yes")]


async def test_a_viewer_cannot_change_portal_access(desk_app, demo_db):
    atlas = client_id(demo_db, "Atlas Freight Brokers")
    with demo_db.connection_context():
        sam = agents.ref(agents.find("sam"))
    app = desk_app(agent=sam)
    notices = Notices()
    async with app.run_test(size=(80, 24), message_hook=notices) as pilot:
        screen = await open_client(pilot, atlas)
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Portal access")
        await press(pilot, "enter")
        await settle(pilot)
        assert app.screen is screen
    assert any("You are a viewer" in text for text in notices)
    assert portal_row(demo_db, atlas) is None
