"""How many of the agent's For me notices are unread, shown at the right of the key bar
("3 for me") and kept current by the live refresh: its worker reads the count again at its
first check and after every change anyone made (a mention, a reply, a notice marked read).
"""

from __future__ import annotations

from textual.app import App

from desk.kernel.connections import is_database_error, on_own_connection
from desk.work import for_me


class UnreadCount:
    """The agent's unread notices, as last read (None: not read yet)."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.count: int | None = None

    def read(self) -> int | None:
        """In a worker thread: the count now; None when the database could not be asked (the
        next change asks again)."""
        try:
            return on_own_connection(self.app.database, for_me.unread_count, self.app.agent)
        except Exception as error:
            if is_database_error(error):
                return None
            raise

    def apply(self, count: int | None) -> None:
        """On the UI thread: take a count read by `read`."""
        if count is not None:
            self.count = count

    def label(self) -> str:
        """What the key bar shows: "3 for me", or nothing when none is unread."""
        return f"{self.count} for me" if self.count else ""
