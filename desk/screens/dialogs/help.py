"""The `?` screen: the key map as it really is right now.

`key_rows` builds the rows from the live bindings of the screen `?` was pressed on. Those are
taken after the user's `keymap:` overrides, so every key shown here is a key that works.
The screen lays them out; j/k, g/G and the arrows move in the table, as on every list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from desk.screens.grammar import nav
from desk.screens.keymap import declared_bindings, node_name
from desk.text import one_line


@dataclass(frozen=True)
class KeyRow:
    """One live binding: the key as bound now, what it does, its id and where it applies."""

    key: str
    description: str
    binding_id: str | None
    scope: str
    enabled: bool = True


def key_rows(app: App[Any], screen: Screen[Any]) -> list[KeyRow]:
    """Every active binding of `screen` and `app`, with the keys bound right now."""
    rows = []
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.system:
            continue
        rows.append(KeyRow(
            key=app.get_key_display(binding.with_key(key)),
            description=binding.description or binding.tooltip or binding.action,
            binding_id=binding.id,
            scope=node_name(active.node),
            enabled=active.enabled,
        ))
    # The app's keys first, then the screen's, then the focused widget's (scrolling...).
    # Within a scope, bindings keep their declared order, even after the keymap moved them.
    scopes = list(dict.fromkeys(row.scope for row in reversed(rows)))
    declared = {binding.id: index
                for index, binding in enumerate(declared_bindings(type(app))) if binding.id}
    rows.sort(key=lambda row: (scopes.index(row.scope),
                               declared.get(row.binding_id, len(declared))))
    return rows


class KeyTable(DataTable[Text]):
    """The table of keys, moved with the list grammar's keys."""

    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.down", "cursor_down"),
        nav("nav.up", "cursor_up"),
        nav("nav.top", "scroll_top"),
        nav("nav.bottom", "scroll_bottom"),
        nav("nav.page_down", "page_down"),
        nav("nav.page_up", "page_up"),
    ]


class HelpScreen(ModalScreen[None]):
    """A modal table of every active key, with its id for the config's `keymap:`."""

    TITLE = "Keys"

    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "close", "Close"),
        Binding("q,question_mark", "close", "Close", id="help.close"),
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
            table = KeyTable(id="help-keys", cursor_type="row", zebra_stripes=True)
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
