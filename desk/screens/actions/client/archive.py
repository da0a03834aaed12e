"""Archiving a client from its screen (`A`): the way to remove one. The question names what
stays (its tasks and history) and preselects the safe answer, "no"; yes archives it through
desk.crm.archive at the version on screen. On an archived client the same key restores it,
without a question (nothing is lost either way).
"""

from __future__ import annotations

from typing import Any

from desk.crm import archive
from desk.screens.actions.calls import run_service
from desk.screens.dialogs.pick import PickScreen
from desk.screens.hints import key_text
from desk.text import one_line


def ask_to_archive(screen: Any) -> None:
    """Ask, then archive (or restore) the client shown on `screen` (a ClientScreen with a
    loaded, writable page); the screen reloads afterwards."""
    page = screen.writable()
    if page is None:
        return
    row = page.detail.row
    if row.archived_at is not None:
        _change(screen, archive.restore, row.id, row.version, "Restored: back in the lists.")
        return
    name = one_line(row.name, 40)
    choices = [(f"no, keep {name} in the lists", False),
               (f"yes, archive {name} (its tasks and history stay)", True)]
    question = PickScreen(f"Archive {name}?", choices,
                          hint=key_text(screen, "enter answers · {nav.back} cancels"))
    screen.app.push_screen(question, lambda yes: yes and _change(
        screen, archive.archive, row.id, row.version,
        "Archived: out of the lists; the clients filter is:archived finds it."))


def _change(screen: Any, change: Any, client_id: int, version: int, said: str) -> None:
    """Run the archive or restore in a worker, say so, and reload the screen."""
    agent = screen.app.agent

    def done(_detail: object) -> None:
        screen.app.notify(said, title="desk", markup=False, timeout=4)
        screen.load()

    run_service(screen, lambda: change(agent, client_id, version), done=done)
