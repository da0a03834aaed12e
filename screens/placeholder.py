"""Stand-in screens for the app's modes until the real ones are built (TUI issue #3).

Each one names its mode and says plainly that the mode is not built yet. The dashboard
already shows the workspace counts that `desk` prints on the command line. It loads them
in a thread worker, so the interface never waits on the database.
"""

from __future__ import annotations

from typing import Any

from peewee import PeeweeException
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from desk.errors import DeskError
from desk.screens.key_bar import KeyBar
from desk.screens.safe import safe
from desk.services import workspace
from desk.text import one_line

NOT_BUILT = ("This screen is a placeholder: the {mode} mode comes with the TUI issue. "
             "The footer shows the keys that work now.")


class ModeScreen(Screen[None]):
    """The base screen of one mode: a header, what the mode is for, and the footer keys."""

    TITLE = "Mode"
    PURPOSE = ""
    """One sentence on what the mode will hold."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="mode-body"):
            yield Static(Content(self.TITLE), classes="mode-title")
            yield Static(Content(self.PURPOSE), classes="mode-purpose")
            yield from self.compose_body()
            yield Static(Content(NOT_BUILT.format(mode=self.TITLE.lower())),
                         classes="mode-note")
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        """What a mode shows between its purpose and the note. Nothing by default."""
        yield from ()

    def on_mount(self) -> None:
        # The header reads "desk — Inbox": the app's name, then the mode.
        self.title = self.app.title
        self.sub_title = self.TITLE


class InboxScreen(ModeScreen):
    """Mode 1: triage of support queries and whatever needs a person now."""

    TITLE = "Inbox"
    PURPOSE = ("Triage: new, unassigned, overdue and waiting support queries, newest or most "
               "urgent first.")


class TasksScreen(ModeScreen):
    """Mode 2: the workspace's spaces, lists and tasks."""

    TITLE = "Tasks"
    PURPOSE = "The workspace: spaces, lists and their tasks, as a list or a board."


class ClientsScreen(ModeScreen):
    """Mode 3: clients and customers."""

    TITLE = "Clients"
    PURPOSE = "Clients and customers, their orders, open queries and the relationship clock."


class DashboardScreen(ModeScreen):
    """Mode 4: the workspace at a glance. For now, that means the counts."""

    TITLE = "Dashboard"
    PURPOSE = "The workspace at a glance."

    class Counts(Message):
        """The workspace counts arrived from the worker."""

        def __init__(self, summary: dict[str, Any]) -> None:
            super().__init__()
            self.summary = summary

    class Failed(Message):
        """Loading the counts failed. The message is one line, safe to show."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def compose_body(self) -> ComposeResult:
        yield Static(Content("Loading the workspace counts…"), id="dashboard-counts")

    def on_screen_resume(self) -> None:
        """Fetch fresh counts each time the mode is shown."""
        self.load_counts()

    @work(thread=True, exclusive=True, exit_on_error=False, group="dashboard")
    def load_counts(self) -> None:
        """Read the counts on a worker thread, then post them back to the screen."""
        database = getattr(self.app, "database", None)
        if database is None:
            self.post_message(self.Failed("no database is open"))
            return
        try:
            with database.connection_context():
                summary = workspace.summary()
        except (PeeweeException, DeskError, OSError) as error:
            self.post_message(self.Failed(one_line(str(error), limit=200)))
            return
        self.post_message(self.Counts(summary))

    def on_dashboard_screen_counts(self, message: Counts) -> None:
        self.query_one("#dashboard-counts", Static).update(safe(counts_text(message.summary)))

    def on_dashboard_screen_failed(self, message: Failed) -> None:
        self.query_one("#dashboard-counts", Static).update(
            safe(f"The counts could not be loaded: {message.reason}"))


def counts_text(summary: dict[str, Any]) -> str:
    """The workspace counts as aligned label/value lines, as `desk` prints them."""
    def by_kind(counts: dict[str, int]) -> str:
        parts = [f"{number:,} {kind}" for kind, number in sorted(counts.items())]
        return ", ".join(parts) or "none"

    lines = [("spaces", f"{summary['spaces']:,}"), ("lists", f"{summary['lists']:,}"),
             ("tasks", by_kind(summary["tasks"])), ("not done", by_kind(summary["open"])),
             ("clients", by_kind(summary["clients"]))]
    return "\n".join(f"{label:<9} {value}" for label, value in lines)
