"""TitleHeader: Textual's header, which the app stops watching once it is removed.

A Header watches the app's title and sub-title, and Textual forgets the watch of a removed
header only when that title next changes. desk's app title changes rarely (a new company
name, a changed role), so every screen closed kept its header alive, with the lines it drew,
for as long as the app ran: one more for every task opened.

A TitleHeader, as it is unmounted, drops from the app's watches every widget on its way out:
closed, closing, or being removed (Textual marks the whole subtree it removes at once, before
any of it is closed, and counts such a widget as no longer displayed). Its own watches go
with them, as Textual would drop them at the next change of the title.
"""

from __future__ import annotations

from textual.app import App
from textual.widgets import Header


class TitleHeader(Header):
    """The header of a desk screen: the app's title and the screen's sub-title."""

    def _on_unmount(self) -> None:
        """Removed (its screen closed) or the app ending: the app lets go of it."""
        forget_removed_watchers(self.app)


def forget_removed_watchers(app: App[object]) -> None:
    """Drop the watches of `app`'s attributes held by widgets that are closed, closing or
    being removed, which Textual skips and drops when the attribute next changes
    (textual.reactive)."""
    watched = getattr(app, "__watchers", None)  # Textual's own name for them, set by setattr
    if not isinstance(watched, dict):
        return
    for watchers in watched.values():
        watchers[:] = [(node, callback) for node, callback in watchers
                       if not (node._closing or node._closed or node._pruning)]
