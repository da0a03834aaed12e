"""Pick one of a few choices, or search for one: statuses, priorities, people, clients.

`PickScreen(title, choices)` lists (label, value) pairs and filters them as you type. With
`search=` the choices come from a service called (in a worker) with what is typed, for
sets too large to list, such as clients. Enter picks, escape closes with None. The arrows,
ctrl+n/ctrl+p and ctrl+d/ctrl+u move the highlight while typing goes on; j/k move it while
nothing is typed yet (a J or K filters as j and k would). With
`quick=True` (for short fixed sets: priorities, statuses) the choice is taken as soon as what
is typed starts exactly one label, so `1` picks "1 urgent" without an enter. Labels are
stored text: they are shown through `safe_line`, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from desk.screens.actions.calls import run_service
from desk.screens.dialogs.closing import dismiss_if_in_front
from desk.screens.grammar import nav
from desk.screens.safe import safe_line
from desk.screens.widgets.letter_moves import LetterMoves
from desk.screens.widgets.safe_input import SafeInput

Choice = tuple[str, Any]
"""(label shown, value returned)."""


class PickFilter(SafeInput, LetterMoves):
    """The picker's filter: shows stored text safely; while empty, j/k move the highlight."""


class PickScreen(ModalScreen[Any]):
    """Choose one value: type to filter, the arrows move, enter picks."""

    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "cancel", "Cancel", show=True),
        nav("nav.down", "move(1)"),
        nav("nav.up", "move(-1)"),
        nav("nav.top", "move(-1000000)"),
        nav("nav.bottom", "move(1000000)"),
        Binding("ctrl+n", "move(1)", "Next", id="pick.next"),
        Binding("ctrl+p", "move(-1)", "Previous", id="pick.previous"),
        nav("nav.half_page_down", "move(5)", priority=True),  # ahead of the field's own
        nav("nav.half_page_up", "move(-5)", priority=True),
        nav("nav.page_down", "move(10)"),
        nav("nav.page_up", "move(-10)"),
    ]

    def __init__(self, title: str, choices: Sequence[Choice] = (), *,
                 search: Callable[[str], Sequence[Choice]] | None = None,
                 hint: str = "", quick: bool = False) -> None:
        """`search(text)` runs in a worker (with a database connection) and returns choices."""
        super().__init__()
        self.pick_title, self.choices, self.search, self.hint = title, list(choices), search, hint
        self.quick = quick
        self.typed = ""
        self.shown: list[Choice] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(safe_line(self.pick_title), classes="dialog-title")
            yield PickFilter(placeholder="type to filter", id="pick-filter")
            yield OptionList(id="pick-options")
            yield Static(safe_line(self.hint), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#pick-filter", Input).focus()
        self.refilter("")

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter (or search again) as the person types."""
        event.stop()
        self.refilter(event.value)

    def refilter(self, text: str) -> None:
        """Show the choices matching `text`."""
        self.typed = text
        if self.search is not None:
            search = self.search
            run_service(self, lambda: list(search(text)), done=self.show, group="pick-search",
                        newest=True)
            return
        wanted = text.strip().casefold()
        self.show([choice for choice in self.choices if wanted in choice[0].casefold()])

    def show(self, choices: list[Choice]) -> None:
        """Replace the options with `choices`; the first one is highlighted."""
        self.shown = choices
        options = self.query_one("#pick-options", OptionList)
        options.clear_options()
        options.add_options([Option(safe_line(label, 60)) for label, _ in choices])
        if choices:
            options.highlighted = 0
        wanted = self.typed.strip().casefold()
        starting = [index for index, (label, _) in enumerate(choices)
                    if label.casefold().startswith(wanted)]
        if self.quick and wanted and len(starting) == 1:
            self.pick(starting[0])

    def action_move(self, delta: int) -> None:
        """Move the highlight while typing continues in the filter."""
        options = self.query_one("#pick-options", OptionList)
        if self.shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(current + delta, len(self.shown) - 1))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter picks the highlighted choice."""
        event.stop()
        self.pick(self.query_one("#pick-options", OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click on an option picks it."""
        event.stop()
        self.pick(event.option_index)

    def pick(self, index: int | None) -> None:
        """Close with the value at `index`, if there is one."""
        if index is not None and 0 <= index < len(self.shown):
            dismiss_if_in_front(self, self.shown[index][1])  # escape may have closed it first

    def action_cancel(self) -> None:
        """Close without a choice."""
        self.dismiss(None)
