"""Closing a dialog with its answer, once, and only while it is the screen in front.

A dialog's answer can arrive after the dialog has closed: keys typed fast or pasted over SSH
reach the app together, so escape (a binding, run at once) can close a prompt before the
Input.Submitted of the enter typed just before it reaches the dialog; a second enter sends a
second Submitted; a save running in a worker can finish after escape. Textual's `dismiss`
pops whatever screen is in front, so such a late answer closed the screen beneath the
dialog (a task screen, with the draft on it) or, with none left, raised ScreenStackError.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def dismiss_if_in_front(dialog: Screen[Any], result: Any) -> None:
    """Dismiss `dialog` with `result` if it is the active screen. A dialog that already
    closed, or has another screen over it, is left as it is."""
    if dialog.is_active:
        dialog.dismiss(result)
