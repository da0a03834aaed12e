"""The modal that recalls a saved view: the agent's own and the shared views of one screen.

Typing filters the list by name or query; up and down (and ctrl+n/ctrl+p, and j/k before
anything is typed) move, enter dismisses with the chosen `ViewRow`. ctrl+d deletes the
highlighted view after a second ctrl+d confirms it. The list is bounded (one agent's views),
so an OptionList is right here.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from desk.errors import DeskError
from desk.screens.actions.calls import can_write, describe, run_service
from desk.screens.dialogs.closing import dismiss_if_in_front
from desk.screens.dialogs.pick import PickFilter
from desk.screens.grammar import nav
from desk.screens.hints import key_hint, key_text
from desk.screens.safe import safe, safe_line
from desk.work import views
from desk.work.views import ViewRow

NAME_WIDTH = 28
"""Cells of the name column of the list."""


class PickViewScreen(ModalScreen[ViewRow | None]):
    """Pick a saved view of `scope`; dismisses with it, or None when cancelled."""

    DEFAULT_CSS = """
    PickViewScreen { align: center middle; }
    PickViewScreen > Vertical {
        width: 80; max-width: 95%; height: auto; max-height: 90%; border: round $primary;
        background: $surface; padding: 0 1;
    }
    PickViewScreen .dialog--title { text-style: bold; color: $primary; }
    PickViewScreen OptionList { height: auto; max-height: 14; }
    PickViewScreen #pick-view-message { color: $warning; }
    PickViewScreen .dialog--keys { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        nav("nav.back", "cancel", "Cancel", show=True),
        nav("nav.down", "move(1)"),
        nav("nav.up", "move(-1)"),
        nav("nav.top", "end(False)"),
        nav("nav.bottom", "end(True)"),
        Binding("ctrl+n", "move(1)", "Next", id="pick_view.next"),
        Binding("ctrl+p", "move(-1)", "Previous", id="pick_view.previous"),
        Binding("ctrl+d", "delete", "Delete", priority=True, id="pick_view.delete"),
    ]

    def __init__(self, scope: str) -> None:
        """The views of the `scope` screen ("tasks", "clients" or "inbox")."""
        super().__init__()
        self.scope = scope
        self._views: list[ViewRow] = []
        self._shown: list[ViewRow] = []
        self._doomed: int | None = None  # the view a first ctrl+d asked about

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(f"Saved {self.scope} views"), classes="dialog--title")
            yield PickFilter(placeholder="type to filter", compact=True, id="pick-view-filter")
            yield OptionList(id="pick-view-list")
            yield Static(id="pick-view-message")
            yield Static(key_hint(self, "enter opens · {pick_view.delete} deletes · "
                                        "{nav.back} closes"), classes="dialog--keys")

    def on_mount(self) -> None:
        """Load the views."""
        self.query_one("#pick-view-filter", Input).focus()
        self._say("Loading…")
        run_service(self, partial(views.for_agent, self.app.agent, self.scope),
                    done=self._loaded)

    def _loaded(self, rows: list[ViewRow]) -> None:
        """Show the views."""
        self._views = list(rows)
        self._say("" if rows else f"No saved {self.scope} views yet.")
        self._fill()

    def _fill(self) -> None:
        """List the views whose name or query holds the filter text."""
        wanted = self.query_one("#pick-view-filter", Input).value.strip().lower()
        self._shown = [view for view in self._views
                       if wanted in view.name.lower() or wanted in view.query.lower()]
        options = self.query_one("#pick-view-list", OptionList)
        options.set_options(Option(self._label(view)) for view in self._shown)
        if self._shown:
            options.highlighted = 0
        self._doomed = None

    @staticmethod
    def _label(view: ViewRow) -> Content:
        """One line: the name, whether it is shared, and its query."""
        name = safe_line(view.name, NAME_WIDTH)
        return Content.assemble(
            name.pad_right(NAME_WIDTH - name.cell_length), " ",
            Content("shared " if view.shared else "       ").stylize("italic"),
            safe_line(view.query or "(all)").stylize("dim"))

    @property
    def highlighted(self) -> ViewRow | None:
        """The view under the highlight."""
        index = self.query_one("#pick-view-list", OptionList).highlighted
        return self._shown[index] if index is not None and index < len(self._shown) else None

    @on(Input.Changed, "#pick-view-filter")
    def _filtered(self) -> None:
        """Typing narrows the list."""
        self._fill()

    @on(Input.Submitted, "#pick-view-filter")
    def _entered(self) -> None:
        """Enter picks the highlighted view."""
        if (view := self.highlighted) is not None:
            dismiss_if_in_front(self, view)  # escape may have closed it first

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        """A click (or enter in the list) picks that view."""
        dismiss_if_in_front(self, self._shown[event.option_index])

    @on(OptionList.OptionHighlighted)
    def _moved(self) -> None:
        """Another view: a pending delete question no longer applies."""
        if self._doomed is not None:
            self._doomed = None
            self._say("")

    def action_move(self, delta: int) -> None:
        """Move the highlight while the filter keeps the focus."""
        options = self.query_one("#pick-view-list", OptionList)
        if delta > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_end(self, last: bool) -> None:
        """Highlight the last view, or the first."""
        options = self.query_one("#pick-view-list", OptionList)
        if last:
            options.action_last()
        else:
            options.action_first()

    def action_delete(self) -> None:
        """Ask, then (on a second ctrl+d) delete the highlighted view."""
        view = self.highlighted
        if view is None or not can_write(self, "delete saved views"):
            return
        if self._doomed != view.id:
            self._doomed = view.id
            kind = "shared view" if view.shared else "view"
            again = key_text(self, "{pick_view.delete} again deletes it.")
            self._say(f"Delete the {kind} {view.name!r}? {again}")
            return
        self._doomed = None  # asked once, deleted once
        run_service(self, partial(views.delete, self.app.agent, self.scope, view.name),
                    done=lambda _: self._deleted(view), failed=self._refused,
                    group="pick-view-delete")

    def _deleted(self, view: ViewRow) -> None:
        """Drop the deleted view from the list."""
        self._views = [row for row in self._views if row.id != view.id]
        self._fill()
        self._say(f"Deleted {view.name!r}.")

    def _refused(self, error: Exception) -> bool:
        """A refusal (only an admin deletes a shared view) is said in place."""
        if isinstance(error, DeskError):
            self._doomed = None
            self._say(describe(error))
            return True
        return False

    def _say(self, text: str) -> None:
        """Show `text` (it may quote a view's name) under the list."""
        self.query_one("#pick-view-message", Static).update(safe(text))

    def action_cancel(self) -> None:
        """Close without a view."""
        self.dismiss(None)
