"""The client screen's sequences: `enter` on a sequence opens a pick of what can be done to
it (pause, resume, stop after a yes), and on "Start a sequence…" (or the palette's command,
`SequenceCommands`) a pick of the configured sequences. Each change runs through
desk.automation.sequences in a worker, at the version on screen, and the screen reloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk.automation.sequences import enrolments
from desk.config.automations.sequences import parse
from desk.screens.actions.calls import run_service
from desk.screens.actions.screen_commands import ClientCommand
from desk.screens.dialogs.pick import PickScreen
from desk.screens.hints import key_text
from desk.text import one_line

VERBS = {"pause": (enrolments.pause, "Paused"), "resume": (enrolments.resume, "Resumed"),
         "stop": (enrolments.stop, "Stopped")}
"""What each choice does, and the notice that says it was done."""


def open_sequence(screen: Any, enrolment_id: int | None) -> None:
    """`enter` on the Sequences section: a sequence's actions, or starting one."""
    page = screen.writable()
    if page is None or page.sequences is None:
        return
    if enrolment_id is None:
        start_sequence(screen)
        return
    row = next((row for row in page.sequences.rows if row.id == enrolment_id), None)
    if row is None:
        return
    choices = {"running": [("pause", "pause"), ("stop…", "stop")],
               "paused": [("resume", "resume"), ("stop…", "stop")]}.get(row.state, [])
    if not choices:
        screen.app.notify(f"This sequence is {row.state}: nothing more to do.", title="desk",
                          markup=False)
        return
    title = f"Sequence {one_line(row.sequence, 40)}"
    screen.app.push_screen(
        PickScreen(title, choices, hint=key_text(screen, "enter picks · {nav.back} cancels")),
        lambda verb: verb and (_confirm_stop(screen, row) if verb == "stop"
                               else _change(screen, verb, row.id, row.version)))


def _confirm_stop(screen: Any, row: Any) -> None:
    """Ask before stopping for good (preselecting no)."""
    name = one_line(row.sequence, 40)
    question = PickScreen(f"Stop {name} for good?",
                          [(f"no, keep {name}", False), (f"yes, stop {name}", True)],
                          hint=key_text(screen, "enter answers · {nav.back} cancels"))
    screen.app.push_screen(question, lambda yes: yes and _change(screen, "stop", row.id,
                                                                 row.version))


def _change(screen: Any, verb: str, enrolment_id: int, version: int) -> None:
    """Pause, resume or stop in a worker, say so, and reload."""
    change, said = VERBS[verb]
    app = screen.app
    agent, now = app.agent, app.now()
    _run(screen, lambda: change(agent, enrolment_id, version, now), f"{said}.")


def start_sequence(screen: Any) -> None:
    """Pick a configured sequence and enrol the client on screen in it."""
    page = screen.writable()
    if page is None or page.sequences is None:
        return
    if not page.sequences.offered:
        screen.app.notify("No sequence is configured (sequences: in the config).",
                          title="desk", markup=False)
        return
    app, client_id = screen.app, screen.client_id
    choices = [(name, name) for name in page.sequences.offered]

    def chosen(name: str | None) -> None:
        """Enrol the client in the sequence picked (None: the pick was cancelled)."""
        if not name:
            return
        agent, now, settings = app.agent, app.now(), app.settings

        def call() -> int | None:
            """In the worker: the enrolment's id, or None when already enrolled."""
            sequence = enrolments.named(parse(settings.sequences), name)
            return enrolments.start(agent, client_id, sequence, now, settings.tz)

        _run(screen, call, f"Started {one_line(name, 40)}.",
             refused=f"Already in {one_line(name, 40)}.")

    app.push_screen(PickScreen("Start a sequence", choices), chosen)


def _run(screen: Any, call: Callable[[], Any], said: str, refused: str = "") -> None:
    """Run a change in a worker; notify (`refused` when it returned None) and reload."""

    def done(result: object) -> None:
        """On the UI thread: say what happened and reload the client."""
        text = refused if refused and result is None else said
        screen.app.notify(text, title="desk", markup=False, timeout=4)
        screen.load()

    run_service(screen, call, done=done)


class SequenceCommands(ClientCommand):
    """On a client's screen, the palette's "Start a sequence…" for that client."""

    TITLE = "Start a sequence…"
    HELP = "Enrol this client in one of the configured sequences"

    def run(self, screen: Any) -> None:
        """Pick a sequence and enrol the client in it."""
        start_sequence(screen)
