"""Who a reply goes to, shown in the reply editor: the To address is the requester contact
(else the requester, else the client's primary contact: desk.work.reply_recipients). A
reply with copies (the task screen's `C`) first offers the client's other contacts with an
address as copies (CC) in a pick, one at a time, until "no more copies"; escape there
cancels the reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk.screens.actions.calls import run_service
from desk.screens.dialogs.pick import PickScreen
from desk.screens.hints import key_text
from desk.text import one_line
from desk.work.reply_recipients import Recipients, recipients

DONE = ""
"""The pick's value for "no (more) copies"."""


def recipients_line(found: Recipients, cc: tuple[str, ...]) -> str:
    """The recipients as the reply editor shows them: "To: ada@… · CC: bob@…"."""
    to = f"To: {found.to}" if found.to else "To: nobody (no address on file: not e-mailed)"
    return one_line(f"{to} · CC: {', '.join(cc)}" if cc else to, 200)


def choose_recipients(screen: Any, task_id: int,
                      then: Callable[[str, tuple[str, ...]], None], *, copies: bool) -> None:
    """Load the recipients of a reply on `task_id`, let the agent add copies when `copies`
    says so, then call `then(recipients line, cc addresses)`; nothing when they cancel."""
    agent = screen.app.agent

    def ask(found: Recipients, chosen: tuple[str, ...]) -> None:
        left = [(label, address) for label, address in found.others if address not in chosen]
        if not copies or not left or not found.to:
            then(recipients_line(found, chosen), chosen)
            return
        first = "no more copies: write the reply" if chosen else "no copies: write the reply"
        screen.app.push_screen(
            PickScreen(f"Copy the reply to… ({recipients_line(found, chosen)})",
                       [(first, DONE), *left],
                       hint=key_text(screen, "enter adds a copy · {nav.back} cancels")),
            lambda value: value is not None and (
                then(recipients_line(found, chosen), chosen) if value == DONE
                else ask(found, (*chosen, value))))

    run_service(screen, lambda: recipients(task_id, agent), done=lambda found: ask(found, ()))
