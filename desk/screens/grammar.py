"""The list grammar: one binding id per gesture, the same on every list, picker, sidebar and help.

DESIGN's keyboard grammar (j/k move, g/G top and bottom, enter open, escape back, / filter,
x mark) is declared with `nav()`, so that a gesture has one id and one set of default keys
wherever it is offered, and one line of the config's `keymap:` rebinds it everywhere
(`nav.down: n`). What the gesture does stays each widget's own action: a list moves its
cursor, the help table its row, a message scrolls. Verbs of one screen keep their own ids
(`task.due`, `triage.snooze`, `prompt.cancel`...).

Escape is `nav.back` where it leaves a screen, closes a picker or a read-only dialog, or drops
a filter. Forms keep their own cancel ids (`prompt.cancel`, `order.cancel`...): there escape
discards what was typed, which is not a step back.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from textual.binding import Binding

NAV: Mapping[str, tuple[str, str]] = MappingProxyType({
    "nav.down": ("j,down", "Down"),
    "nav.up": ("k,up", "Up"),
    "nav.top": ("g,home", "Top"),
    "nav.bottom": ("G,end", "Bottom"),
    "nav.page_down": ("pagedown", "Page down"),
    "nav.page_up": ("pageup", "Page up"),
    "nav.half_page_down": ("ctrl+d", "Half page down"),
    "nav.half_page_up": ("ctrl+u", "Half page up"),
    "nav.left": ("h,left", "Left"),
    "nav.right": ("l,right", "Right"),
    "nav.open": ("enter", "Open"),
    "nav.back": ("escape", "Back"),
    "nav.filter": ("slash", "Filter"),
    "nav.mark": ("x", "Mark"),
    "nav.mark_all": ("X", "Mark all"),
})
"""Each gesture's binding id -> (its default keys, its usual description)."""

RENAMED: Mapping[str, str] = MappingProxyType({
    **dict.fromkeys(("list.down", "lines.down", "sidebar.down", "client.down", "pick.down",
                     "pick_view.down", "outbox_message.down"), "nav.down"),
    **dict.fromkeys(("list.up", "lines.up", "sidebar.up", "client.up", "pick.up",
                     "pick_view.up", "outbox_message.up"), "nav.up"),
    **dict.fromkeys(("list.top", "lines.top", "client.top"), "nav.top"),
    **dict.fromkeys(("list.bottom", "lines.bottom", "client.bottom"), "nav.bottom"),
    "list.page_down": "nav.page_down",
    "list.page_up": "nav.page_up",
    "list.half_page_down": "nav.half_page_down",
    "list.half_page_up": "nav.half_page_up",
    **dict.fromkeys(("board.left", "dashboard.previous"), "nav.left"),
    **dict.fromkeys(("board.right", "dashboard.next"), "nav.right"),
    **dict.fromkeys(("list.open", "lines.select", "sidebar.show", "client.open",
                     "products.edit", "templates.edit", "outbox.show"), "nav.open"),
    **dict.fromkeys(("task.back", "client.back", "products.back", "templates.back",
                     "outbox.back", "drill.back", "board.back", "inbox.clear", "clients.clear",
                     "tasks.clear_query", "outbox_message.close", "pick.cancel",
                     "pick_view.cancel"), "nav.back"),
    **dict.fromkeys(("inbox.filter", "clients.filter", "tasks.query", "board.filter"),
                    "nav.filter"),
    "list.mark": "nav.mark",
    "list.mark_all": "nav.mark_all",
    **dict.fromkeys(("triage.take_back", "task.take_back"), "edit.undo"),
})
"""Binding ids of earlier versions -> the gesture's id now, so that a config naming an old
id is told which one to write."""


def nav(binding_id: str, action: str, description: str = "", *, show: bool = False) -> Binding:
    """The Binding of gesture `binding_id` (a key of NAV) running `action` on this widget.

    `description` is what help and the key bar call it here (the gesture's usual word by
    default); `show` puts it in the key bar.
    """
    keys, usual = NAV[binding_id]
    return Binding(keys, action, description or usual, show=show, id=binding_id)
