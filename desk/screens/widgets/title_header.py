"""TitleHeader: Textual's header, which the app lets go of when its screen closes.

A Header watches the app's title and sub-title, and Textual drops the watch of a removed
header only when that attribute next changes. desk's app title changes rarely (a new company
name, a changed role), so every screen closed kept its header, the header's widgets and the
lines they drew, for as long as the app ran: one more for every task opened. A TitleHeader
that is removed has the app check those two watches once it is gone, which drops it (and
shows the same title again on the headers still open).
"""

from __future__ import annotations

from textual.app import App
from textual.widgets import Header


class TitleHeader(Header):
    """The header of a desk screen: the app's title, the screen's sub-title."""

    def on_unmount(self) -> None:
        """Have the app drop this header's watches of its title once it is removed."""
        self.app.call_later(forget_closed_headers, self.app)


def forget_closed_headers(app: App[object]) -> None:
    """Check the app's title and sub-title watches: Textual drops those of removed widgets."""
    app.mutate_reactive(App.title)
    app.mutate_reactive(App.sub_title)
