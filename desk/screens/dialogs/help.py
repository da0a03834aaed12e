"""The `?` screen: the key map as it really is right now.

The app builds the rows from the live bindings of the screen `?` was pressed on. Those are
taken after the user's `keymap:` overrides, so every key shown here is a key that works.
This screen only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from desk.text import one_line


@dataclass(frozen=True)
class KeyRow:
    """One live binding: the key as bound now, what it does, its id and where it applies."""

    key: str
    description: str
    binding_id: str | None
    scope: str
    enabled: bool = True


class HelpScreen(ModalScreen[None]):
    """A modal table of every active key, with its id for the config's `keymap:`."""

    TITLE = "Keys"

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, rows: Sequence[KeyRow], config_hint: str) -> None:
        super().__init__()
        self.rows = list(rows)
        """The bindings to list, in the order they are shown."""
        self.config_hint = config_hint
        """Where the user rebinds keys, e.g. the config file's path."""

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(Content("Keys"), id="help-title")
            # rich Text cells, not Content: with Content cells Textual 8.2.8's DataTable drew
            # every column one character wide. one_line() keeps the text plain and visible.
            table: DataTable[Text] = DataTable(id="help-keys", cursor_type="row",
                                               zebra_stripes=True)
            table.add_columns(Text("Key"), Text("Does"), Text("Binding id"), Text("Where"))
            for row in self.rows:
                style = "" if row.enabled else "dim"
                table.add_row(
                    Text(one_line(row.key), style="bold"),
                    Text(one_line(row.description + ("" if row.enabled else " (not now)")),
                         style=style),
                    Text(one_line(row.binding_id or "-"), style=style),
                    Text(one_line(row.scope), style=style),
                )
            yield table
            yield Static(Content(self.config_hint), id="help-hint")

    def action_close(self) -> None:
        """Close the key map."""
        self.dismiss()
