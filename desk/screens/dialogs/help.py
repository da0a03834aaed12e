"""The `?` screen: desk's own keys where `?` was pressed, grouped, as they are bound now.

`key_rows` builds the rows from the live bindings of the screen `?` was pressed on. Those are
taken after the user's `keymap:` overrides, so every key shown here is a key that works.
Only desk's bindings are listed (each has a binding id; Textual's own, such as tab between
widgets or ctrl+c, have none), one row per binding with all its keys, under a heading for
what they do: Move, Mark, Act on the task, Views, This screen, App. The table moves with the
list grammar's keys: j/k, g/G, ctrl+d/ctrl+u, the page keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from msgspec import Struct
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from desk.screens.grammar import NAV, half_screen, nav
from desk.screens.keymap import declared_bindings
from desk.text import one_line

GROUPS: Sequence[tuple[str, tuple[str, ...]]] = (
    ("Move", ("nav.down", "nav.up", "nav.top", "nav.bottom", "nav.half_page_down",
              "nav.half_page_up", "nav.page_down", "nav.page_up", "nav.left", "nav.right",
              "nav.open", "nav.back")),
    ("Mark", ("nav.mark", "nav.mark_range", "nav.mark_all")),
    ("Act on the task", ("triage.", "task.", "edit.", "checklist.", "board.move_", "inbox.merge",
                         "inbox.why", "suggestions.", "tasks.timer")),
    ("Views", ("nav.filter", "tasks.", "inbox.order", "clients.sort", "dashboard.",
               "outbox.filter")),
    ("App", ("mode.", "app.")),
)
"""Each heading of the table and the binding ids (or id prefixes ending in "." or "_") it
gathers, in the order shown. A binding matching none is under THIS_SCREEN."""

THIS_SCREEN = "This screen"
"""The heading of a screen's own keys (a client's, a list's in the sidebar...)."""

ORDER = [name for name, _ in GROUPS[:-1]] + [THIS_SCREEN, GROUPS[-1][0]]
"""The headings in the order shown: the app's keys come last."""


def key_group(binding_id: str) -> str:
    """The heading `binding_id` is listed under."""
    for name, members in GROUPS:
        if any(binding_id == member or (member[-1] in "._" and binding_id.startswith(member))
               for member in members):
            return name
    return THIS_SCREEN


class KeyRow(Struct, frozen=True):
    """One live binding: its keys as bound now, what it does, its id and its heading."""

    key: str
    description: str
    binding_id: str
    group: str
    enabled: bool = True


def key_rows(app: App[Any], screen: Screen[Any]) -> list[KeyRow]:
    """Every active binding of desk on `screen` and `app`, one per binding id (the focused
    widget's first), its keys joined, grouped and in the order they are declared."""
    keys: dict[str, list[tuple[bool, str]]] = {}  # (not a letter, as shown)
    first: dict[str, KeyRow] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.system or binding.id is None:  # Textual's own, not desk's
            continue
        shown = app.get_key_display(binding.with_key(key))
        if binding.id not in first:
            first[binding.id] = KeyRow(
                key="", binding_id=binding.id, group=key_group(binding.id),
                description=binding.description or NAV.get(binding.id, ("", binding.id))[1],
                enabled=active.enabled)
        keys.setdefault(binding.id, []).append((len(key) > 1, shown))
    declared = {binding.id: index
                for index, binding in enumerate(declared_bindings(type(app))) if binding.id}
    nav_order = {binding_id: index for index, binding_id in enumerate(NAV)}
    rows = [KeyRow(" ".join(shown for _, shown in sorted(keys[binding_id])), row.description,
                   binding_id, row.group, row.enabled) for binding_id, row in first.items()]
    rows.sort(key=lambda row: (ORDER.index(row.group),
                               nav_order.get(row.binding_id, len(nav_order)),
                               declared.get(row.binding_id, len(declared))))
    return rows


class KeyTable(DataTable[Text]):
    """The table of keys, moved with the list grammar's keys."""

    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.down", "cursor_down"),
        nav("nav.up", "cursor_up"),
        nav("nav.top", "scroll_top"),
        nav("nav.bottom", "scroll_bottom"),
        nav("nav.half_page_down", "half_page(1)"),
        nav("nav.half_page_up", "half_page(-1)"),
        nav("nav.page_down", "page_down"),
        nav("nav.page_up", "page_up"),
    ]

    def action_half_page(self, direction: int) -> None:
        """Move the cursor (and the view with it) half a screen down (1) or up (-1)."""
        self.move_cursor(row=self.cursor_row + direction * half_screen(self), scroll=True)


class HelpScreen(ModalScreen[None]):
    """A modal table of desk's active keys, grouped, with each id for the config's
    `keymap:`."""

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
            table.add_columns(Text("Key"), Text("Does"), Text("Binding id"))
            group = None
            for row in self.rows:
                if row.group != group:
                    group = row.group
                    table.add_row(Text(group, style="bold underline"), Text(""), Text(""))
                style = "" if row.enabled else "dim"
                table.add_row(
                    Text(one_line(row.key), style="bold"),
                    Text(one_line(row.description + ("" if row.enabled else " (not now)")),
                         style=style),
                    Text(one_line(row.binding_id), style=style),
                )
            yield table
            yield Static(Content(self.config_hint), id="help-hint")

    def action_close(self) -> None:
        """Close the key map."""
        self.dismiss()
