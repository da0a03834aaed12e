"""The Retainer section's action on the client screen: `enter` on it offers to send this
cycle's time statement (desk.work.time.statement) to the client's billing contact, showing
the recipient and the subject first; the safe answer, "not now", comes first. The e-mail
is queued in the outbox, so it can still be cancelled there before it goes."""

from __future__ import annotations

from typing import Any

from desk.screens.actions.calls import can_write, run_service
from desk.screens.dialogs.pick import PickScreen
from desk.work.time import statement


def open_retainer(screen: Any) -> None:
    """Read the statement in a worker, then ask whether to send it."""
    if not can_write(screen, "send a time report"):
        return
    app, client_id = screen.app, screen.client_id
    today = app.now().date()
    currency = app.settings.money.currency
    run_service(screen, lambda: statement.statement(client_id, today, app.agent, currency),
                done=lambda found: _ask(screen, found), group="client-statement")


def _ask(screen: Any, found: statement.Statement) -> None:
    """Send the statement after a yes; say why not when nobody has an address."""
    if not found.to:
        screen.app.notify("Nobody to e-mail the time report to: add a contact with an "
                          "e-mail address (c)", title="desk", severity="warning", markup=False)
        return
    to = f"{found.to_name} <{found.to}>" if found.to_name else found.to
    screen.app.push_screen(
        PickScreen(f"E-mail “{found.subject}” to {to}?",
                   [("Not now", False), ("Send it (through the outbox)", True)]),
        lambda yes: yes and _send(screen))


def _send(screen: Any) -> None:
    """Queue the statement in a worker, then say where it went."""
    app, client_id = screen.app, screen.client_id
    today = app.now().date()
    currency = app.settings.money.currency
    run_service(screen, lambda: statement.send(app.agent, client_id, today, currency),
                done=lambda sent: app.notify(f"Queued in the outbox to {sent.to}",
                                             title="desk", markup=False, timeout=4),
                group="client-statement")
