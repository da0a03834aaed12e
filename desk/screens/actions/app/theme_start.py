"""The themes an app starts with: desk's packaged themes registered, and the one to show first.

The app calls both from its constructor; what goes wrong (a broken theme file, an unknown
theme in the config, an unreadable state file, a terminal of 16 colours) becomes a notice the
app shows once it runs.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from desk import state
from desk.screens.themes import DeskTheme, desk_themes, for_terminal

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import App

    from desk.config import Settings

FALLBACK_THEME = "desk-dark"
"""The theme used when the configured one is unknown (Textual's own if even that is missing)."""


def register_desk_themes(app: App, notices: list[tuple[str, str]]) -> list[DeskTheme]:
    """Register the packaged themes on `app`; a broken file is skipped, with a notice."""
    themes, errors = desk_themes()
    for loaded in themes:
        app.register_theme(loaded.theme)
    notices.extend((f"Theme skipped: {error}", "error") for error in errors)
    return themes


def starting_theme(app: App, settings: Settings, state_file: Path | None,
                   themes: list[DeskTheme], notices: list[tuple[str, str]]) -> str:
    """The theme picked in the palette, else the configured one, else the fallback; on a
    terminal of 16 colours the 16-colour theme instead of one in RGB (for_terminal). A
    palette choice is remembered with the config's theme at the time it was made: after the
    user edits `theme:` in the config, the config wins again."""
    remembered, problem = state.load(state_file)
    if problem:
        notices.append((problem, "warning"))
    configured, chosen = settings.theme, remembered.get("theme")
    if not (isinstance(chosen, str) and remembered.get("config_theme") == configured
            and chosen in app.available_themes):
        chosen = configured
    if chosen not in app.available_themes:
        chosen = FALLBACK_THEME if FALLBACK_THEME in app.available_themes else "textual-dark"
        names = ", ".join(theme.theme.name for theme in themes)
        notices.append((f"Unknown theme {configured!r} in the config; using {chosen} "
                        f"(desk themes: {names})", "warning"))
    chosen, why = for_terminal(chosen, app.available_themes, os.environ)
    notices.extend([(why, "information")] if why else [])
    return chosen
