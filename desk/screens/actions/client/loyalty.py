"""`enter` on the client screen's loyalty line: a pick of what to do, redeem a reward on one
of the client's open orders or see the points history; the redemption runs in a worker and
the screen reloads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from desk.money import money_text
from desk.screens.actions.calls import can_write, run_service
from desk.screens.dialogs.pick import PickScreen
from desk.screens.renderers.client.loyalty import history_label
from desk.text import one_line
from desk.work import loyalty_rewards

if TYPE_CHECKING:
    from desk.pages.client_loyalty import LoyaltyPart

HISTORY = ("history", None)
"""The choice that shows the points history."""


def open_loyalty(screen: Screen, part: LoyaltyPart | None) -> None:
    """The pick of loyalty actions for the client on `screen`."""
    if part is None:
        return
    choices = [(f"Redeem {one_line(name, 16)} ({points:,} pts) on #{order.task_id} "
                f"{one_line(order.title, 18)}", ("redeem", (name, order)))
               for name, points in part.rewards if points <= part.standing.points
               for order in part.open_orders]
    choices.append((f"See the points history ({len(part.history)} entries)", HISTORY))
    hint = ("" if len(choices) > 1 else
            "No reward to redeem: it needs enough points and an open order.")

    def chosen(choice: tuple | None) -> None:
        if choice == HISTORY:
            show_history(screen, part)
        elif choice is not None:
            name, order = choice[1]
            redeem(screen, part.standing.client_id, name, order.task_id)

    screen.app.push_screen(PickScreen("Loyalty", choices, hint=hint), chosen)


def show_history(screen: Screen, part: LoyaltyPart) -> None:
    """The client's points ledger, newest first, as a list to read."""
    zone = screen.app.now().tzinfo
    entries = [(history_label(entry, zone), None) for entry in part.history]
    screen.app.push_screen(PickScreen("Points history", entries,
                                      hint="" if entries else "No points yet."))


def redeem(screen: Screen, client_id: int, reward: str, task_id: int) -> None:
    """Redeem `reward` on order `task_id` in a worker; say what it took off and reload."""
    if not can_write(screen, "redeem rewards"):
        return
    app = screen.app

    def redeemed(done: loyalty_rewards.Redemption) -> None:
        currency = app.settings.money.currency
        app.notify(f"{one_line(done.reward, 40)} on #{done.task_id}: "
                   f"{money_text(done.discount, currency)} off, total "
                   f"{money_text(done.total, currency)}; {done.points_left:,} points left.",
                   title="desk", markup=False, timeout=6)
        screen.load()

    run_service(screen, lambda: loyalty_rewards.redeem(app.agent, app.settings.loyalty,
                                                       client_id, reward, task_id),
                done=redeemed)
