"""Keys that arrive together reach a screen only once it is ready.

Keys typed fast or pasted over SSH reach the app in one batch, and Textual runs each key's
binding on the screen in front when the key is handled. Enter can push a task screen or a
dialog whose escape binding, run by the very next key, closes it again before it has
composed: Textual then mounts none of the screen's widgets but still runs its on_mount, and
the screen's own `query_one` (or Textual's Header, updating a title widget that was never
mounted) raises NoMatches and ends the app, losing the drafts on the screens beneath.

`wait_for_screen_in_front` holds each key until the screen in front has mounted, so keys
act in the order they were typed on screens that are whole: enter opens the task screen,
escape closes it, and letters typed right after opening a dialog land in its input.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.widget import AwaitMount


async def wait_for_screen_in_front(app: App[Any]) -> None:
    """Return once the screen in front has composed its widgets and run its on_mount (at
    once when it has)."""
    screen = app.screen
    if not screen.is_mounted:
        await AwaitMount(screen, [screen])
