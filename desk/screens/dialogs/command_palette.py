"""desk's command palette: Textual's own, steady under keys that arrive in a burst, and moved
with the list grammar: ctrl+n/ctrl+p always, j/k while nothing is typed yet."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandInput, CommandList, CommandPalette, SearchIcon
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, LoadingIndicator

from desk.screens.grammar import nav
from desk.screens.widgets.letter_moves import LetterMoves

PAGE_MOVES = frozenset({"page_up", "page_down"})
"""The list actions that read where each option is drawn."""


class PaletteInput(CommandInput, LetterMoves):
    """The palette's search field; while empty, j/k move the highlight."""


class DeskPalette(CommandPalette):
    """Textual's command palette. A page key that arrives before the list of matches has been
    laid out does nothing: Textual's page move reads the line of each option, known only once
    the list is drawn, and raised KeyError (ending the app) when keys came in one batch.

    Its search field is a PaletteInput, so j/k/g/G move while nothing is typed (the arrows
    and ctrl+n/ctrl+p always)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "cursor_down", "Next", show=False, id="palette.next"),
        Binding("ctrl+p", "command_list('cursor_up')", "Previous", show=False,
                id="palette.previous"),
        nav("nav.down", "cursor_down"),
        nav("nav.up", "command_list('cursor_up')"),
        nav("nav.top", "command_list('first')"),
        nav("nav.bottom", "command_list('last')"),
    ]

    def compose(self) -> ComposeResult:
        """Textual's palette (CommandPalette.compose), with PaletteInput as its field."""
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield PaletteInput(placeholder=self._placeholder, select_on_focus=False)
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield CommandList()
                yield LoadingIndicator()

    def _action_command_list(self, action: str) -> None:
        """Pass the action on to the list of matches, once the list can carry it out."""
        matches = self.query_one(CommandList)
        laid_out = matches.highlighted is None or matches.highlighted in matches._index_to_line
        if action in PAGE_MOVES and not laid_out:
            return
        super()._action_command_list(action)
