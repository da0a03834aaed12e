"""desk's command palette: Textual's own, steady under keys that arrive in a burst."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

PAGE_MOVES = frozenset({"page_up", "page_down"})
"""The list actions that read where each option is drawn."""


class DeskPalette(CommandPalette):
    """Textual's command palette. A page key that arrives before the list of matches has been
    laid out does nothing: Textual's page move reads the line of each option, known only once
    the list is drawn, and raised KeyError (ending the app) when keys came in one batch."""

    def _action_command_list(self, action: str) -> None:
        """Pass the action on to the list of matches, once the list can carry it out."""
        matches = self.query_one(CommandList)
        laid_out = matches.highlighted is None or matches.highlighted in matches._index_to_line
        if action in PAGE_MOVES and not laid_out:
            return
        super()._action_command_list(action)
