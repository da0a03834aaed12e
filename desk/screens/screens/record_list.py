"""RecordListScreen: a full screen over a short list of records that the keys edit.

The shared frame of the catalogue and checklist template screens: a header, a line of the
keys, a LineList of the records (each drawn by `render_item`) and the KeyBar. `load` is the
service call that reads the records (run in a worker); `show` puts them on screen. Changes go
through `write`: in a worker, then the list is read again, and a refusal (a conflict, a name
taken) is a notice while the list shows what is stored. Enter on a record runs `action_edit`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from desk.screens.actions.calls import run_service
from desk.screens.hints import key_hint
from desk.screens.widgets.key_bar import KeyBar
from desk.screens.widgets.line_list import LineList
from desk.screens.widgets.title_header import TitleHeader


class RecordListScreen(Screen[None]):
    """A short list of records, read in a worker and changed through `write`."""

    HINT = ""
    """The keys of the screen, shown above the list; binding ids in braces name the keys
    bound now ("{nav.open} edits")."""
    EMPTY = ""
    """What the list says when there are no records (binding ids in braces, as in HINT)."""
    LIST_ID = ""
    """The id of the LineList."""

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        yield Static(key_hint(self, self.HINT), classes="dialog-hint")
        yield LineList(self.render_item, empty=self.EMPTY, id=self.LIST_ID)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.title
        self.sub_title = self.TITLE
        self.query_one(LineList).focus()
        self.reload()

    def load(self) -> Any:
        """In a worker: the records (what `show` takes)."""
        raise NotImplementedError

    def show(self, loaded: Any) -> None:
        """Show the records as loaded."""
        self.query_one(LineList).set_items(loaded)

    def render_item(self, item: Any, width: int) -> list[Content]:
        """The lines of one record."""
        raise NotImplementedError

    def reload(self, *_: object) -> None:
        """Read the records again (in a worker)."""
        run_service(self, self.load, done=self.show)

    def data_changed(self) -> None:
        """Someone changed data: show the records as stored."""
        self.reload()

    @property
    def current(self) -> Any | None:
        """The record under the cursor."""
        return self.query_one(LineList).current

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        """Enter on a record edits it."""
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        """Edit the current record."""
        raise NotImplementedError

    def write(self, call: Callable[[], Any]) -> None:
        """Run a change in a worker, then read the records again; a refusal is a notice."""
        def refused(_error: Exception) -> bool:
            self.reload()
            return False  # not handled here: run_service shows the notice

        run_service(self, call, done=self.reload, failed=refused)
