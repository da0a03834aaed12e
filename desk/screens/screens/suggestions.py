"""The Suggestions screen: the next best action for every client, to act on.

`SuggestionsScreen` (palette: "Suggestions…") lists what the rules of the config's
`suggestions:` suggest, in the order of those rules (there is no score), each with its
client, reason and the task it proposes. `enter` opens the menu of actions; `c` creates the
task, `z` snoozes until a day, `d` dismisses with a reason, `w` says why (the rule and its
data). Escape goes back.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding
from textual.content import Content

from desk.automation.suggestions.base import Suggestion
from desk.automation.suggestions.listing import suggestions
from desk.screens.actions import suggestions as actions
from desk.screens.grammar import nav
from desk.screens.renderers.suggestion_lines import suggestion_lines
from desk.screens.screens.record_list import RecordListScreen


class SuggestionsScreen(RecordListScreen):
    """Every client's suggested next best action: create the task, snooze, dismiss, why."""

    TITLE = "Suggestions"
    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "app.pop_screen", show=True),
        nav("nav.open", "edit", "Actions", show=True),
        Binding("c", "do('act')", "Create task", id="suggestions.act"),
        Binding("z", "do('snooze')", "Snooze", id="suggestions.snooze"),
        Binding("d", "do('dismiss')", "Dismiss", id="suggestions.dismiss"),
        Binding("w", "do('why')", "Why", id="suggestions.why"),
    ]

    HINT = ("{nav.open} actions · {suggestions.act} creates the task · {suggestions.snooze} "
            "snoozes · {suggestions.dismiss} dismisses · {suggestions.why} why · {nav.back} back")
    EMPTY = "Nothing to suggest now: every rule of the config's suggestions: is quiet."
    LIST_ID = "suggestions-list"

    def load(self) -> list[Suggestion]:
        """In a worker: the suggestions as of now."""
        return suggestions(self.app.settings, self.app.now())

    def render_item(self, item: Suggestion, width: int) -> list[Content]:
        """A suggestion: rule, client and reason; the task it proposes."""
        return suggestion_lines(item, width, self.app.now().date())

    def action_edit(self) -> None:
        """The menu of actions for the current suggestion."""
        item = self.current
        if item is not None:
            actions.choose_in(self, [item], item.key, self.reload)

    def action_do(self, what: str) -> None:
        """Act on, snooze, dismiss or explain the current suggestion."""
        item = self.current
        if item is not None:
            actions.run(self, what, item, self.reload)
