"""Starting the full-screen app: only for a person at a terminal, and only after Textual's
debugging variables are gone from the environment."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

from desk.cli.session import Session

# Textual reads TEXTUAL_* variables when it is imported (textual.constants) and when an App is
# built. Some of them connect to devtools on 127.0.0.1:8081, write log files or screenshots
# (client data) to disk, inject key presses, or import a driver class named in the
# variable. Over SSH anyone who can set the environment could set them, so every TEXTUAL*
# variable is removed before Textual is imported, except these display preferences.
TEXTUAL_KEPT = frozenset({"TEXTUAL_ANIMATIONS", "TEXTUAL_COLOR_SYSTEM", "TEXTUAL_FPS",
                          "TEXTUAL_SMOOTH_SCROLL", "TEXTUAL_DISABLE_KITTY_KEY"})
FRAMES_PER_SECOND = "240"
"""How often Textual may update the screen (TEXTUAL_FPS), unless the user says otherwise.
Textual paints a change at the next tick of a timer of that rate, and after each frame the
timer sleeps one to two periods before it can tick again: at Textual's 60, a key that came
17-33 ms after the last frame waited for that tick, and a key's p95 was two to three times
the CPU it took. At 240 the wait is at most 8 ms; Textual's animations keep their own 60."""


def scrub_textual_environment(environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Remove Textual's debugging variables (TEXTUAL, TEXTUAL_LOG, TEXTUAL_DEVTOOLS_*,
    TEXTUAL_SCREENSHOT*, TEXTUAL_PRESS, TEXTUAL_DRIVER...); returns the names removed."""
    environ = os.environ if environ is None else environ
    removed = sorted(name for name in environ
                     if name.startswith("TEXTUAL") and name not in TEXTUAL_KEPT)
    for name in removed:
        del environ[name]
    return removed


def tui_wanted() -> bool:
    """Whether to open the TUI: only when a person is at a terminal (stdin and stdout)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_tui(session: Session) -> int:
    """Open the full-screen app on the session; returns the exit status."""
    scrub_textual_environment()  # before the first import of Textual, which reads them
    os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)
    from desk.app import make_app

    app = make_app(session.settings, session.db, session.agent, session.context,
                   first_start=True)
    app.run()
    return app.return_code or 0
