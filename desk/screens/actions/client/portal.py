"""The client screen's "Portal access…" (a palette command, `PortalCommands`): a pick that
says whether the client's portal is on, whether its contacts share their requests and
whether its notes (the requirements document) show on the portal, and offers to change
each. The change runs through desk.support.portal.contacts.set_access in a worker (role
checked from the database, audited on the client, at the version read); the screen reloads
and a notice says what is now true."""

from __future__ import annotations

from typing import Any

from desk.screens.actions.calls import run_service
from desk.screens.actions.screen_commands import ClientCommand
from desk.screens.dialogs.pick import PickScreen
from desk.screens.hints import key_text
from desk.support.portal import contacts
from desk.support.portal.contacts import Access


def choices(access: Access) -> list[tuple[str, tuple[str, bool]]]:
    """What the pick offers: each setting as it stands and what choosing it changes it to."""
    return [
        ("portal on: turn it off (signs its contacts out)" if access.enabled
         else "portal off: turn it on", ("enabled", not access.enabled)),
        ("requests shared with all contacts: each sees own only" if access.shared
         else "each contact sees own requests: share with all",
         ("shared", not access.shared)),
        ("notes shown on the portal: keep them internal" if access.notes_shared
         else "notes internal: show them on the portal",
         ("notes_shared", not access.notes_shared)),
    ]


SAID = {("enabled", True): "The portal is on for this client.",
        ("enabled", False): "The portal is off for this client; its contacts are signed out.",
        ("shared", True): "Every contact of this client now sees all its requests.",
        ("shared", False): "Each contact of this client now sees only their own requests.",
        ("notes_shared", True): "The client's notes now show on its portal.",
        ("notes_shared", False): "The client's notes are internal again."}
"""The notice after each change."""


def open_portal_access(screen: Any) -> None:
    """Read the client's portal settings in a worker, then offer the pick."""
    if screen.writable() is None:
        return
    client_id = screen.client_id
    run_service(screen, lambda: contacts.access(client_id),
                done=lambda access: _pick(screen, access))


def _pick(screen: Any, access: Access) -> None:
    """The pick over the settings read; the choice is saved at the version read."""
    app = screen.app

    def chosen(choice: tuple[str, bool] | None) -> None:
        """Save the setting picked (None: cancelled)."""
        if choice is None:
            return
        name, value = choice
        agent, client_id = app.agent, access.client_id

        def done(_access: Access) -> None:
            """Say what is now true and reload the client."""
            app.notify(SAID[choice], title="desk", markup=False, timeout=4)
            screen.load()

        run_service(screen, lambda: contacts.set_access(
            agent, client_id, version=access.version, **{name: value}), done=done)

    app.push_screen(PickScreen("Portal access", choices(access),
                               hint=key_text(screen, "enter changes · {nav.back} cancels")),
                    chosen)


class PortalCommands(ClientCommand):
    """On a client's screen, the palette's "Portal access…" for that client."""

    TITLE = "Portal access…"
    HELP = "Turn this client's portal on or off, share its requests or its notes"

    def run(self, screen: Any) -> None:
        """Offer the pick of the client's portal settings."""
        open_portal_access(screen)
