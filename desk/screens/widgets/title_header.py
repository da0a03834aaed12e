"""TitleHeader: Textual's header, which first lets go of the headers already closed.

A Header watches the app's title and sub-title, and Textual forgets the watch of a removed
header only when that title next changes. desk's app title changes rarely (a new company
name, a changed role), so every screen closed stayed alive through its header, with all its
widgets and the lines they drew, for as long as the app ran: one more for every task opened.

A TitleHeader, as it is mounted, drops from the app's watches every widget Textual has
closed, as Textual would at the next change. So no more than the screen closed last waits
for the next screen to open.
"""

from __future__ import annotations

from textual.app import App
from textual.widgets import Header


class TitleHeader(Header):
    """The header of a desk screen: the app's title and the screen's sub-title."""

    def _on_mount(self) -> None:
        """Before Header's own mount handler watches the app's titles: forget the closed."""
        forget_closed_watchers(self.app)


def forget_closed_watchers(app: App[object]) -> None:
    """Drop the watches of `app`'s attributes held by widgets that are closed or closing,
    which Textual skips and drops when the attribute next changes (textual.reactive)."""
    watched = getattr(app, "__watchers", None)  # Textual's own name for them, set by setattr
    if not isinstance(watched, dict):
        return
    for watchers in watched.values():
        watchers[:] = [(node, callback) for node, callback in watchers
                       if not (node._closing or node._closed)]
