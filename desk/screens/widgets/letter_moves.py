"""The search field of a picker or the palette: while it is empty, j/k/g/G move the highlight.

A dialog that is searched by typing still follows the list grammar: before anything is
typed, the letter keys bound to `nav.down`, `nav.up`, `nav.top` and `nav.bottom` (as the
config's `keymap:` has them now) are left to the dialog's bindings instead of being typed.
Once a letter is typed they type again (and J or K filters as j or k would: the filters
ignore case; a name that starts with g is found by any other letter of it).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from desk.screens.hints import bound_keys

MOVES = ("nav.down", "nav.up", "nav.top", "nav.bottom")
"""The gestures whose letter keys move the highlight while the field is empty."""


class LetterMoves(Input):
    """Mixed into an Input (after its own class, so that its CSS and queries stay the
    class's): an empty field lets the list grammar's letters by."""

    def moves(self, key: str) -> bool:
        """Whether `key` moves the highlight now rather than being typed."""
        return not self.value and len(key) == 1 and any(
            key in bound_keys(self, gesture) for gesture in MOVES)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """A moving key is left to the dialog's bindings."""
        return not self.moves(key) and super().check_consume_key(key, character)

    def _on_key(self, event: events.Key) -> None:
        """A moving key is not typed (Input's handler is the default this prevents); it goes
        on to the dialog's bindings."""
        if self.moves(event.key):
            event.prevent_default()
