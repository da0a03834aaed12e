"""The modal that saves the current query as a named view, personal or shared.

Enter saves through desk.work.views in a worker and dismisses with the name. A name the
agent already uses asks for a second enter, since saving replaces that view's query. What
the service refuses (an empty or too long name, a shared view only an admin may replace) is
shown in place, and the modal stays open. Viewers are refused before anything is typed.
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
from textual.widgets import Checkbox, Input, Static

from desk.errors import DeskError
from desk.screens.actions.calls import can_write, describe, run_service
from desk.screens.dialogs.closing import dismiss_if_in_front
from desk.screens.hints import key_hint
from desk.screens.safe import safe, safe_line
from desk.work import views
from desk.work.views import ViewRow

NAME_LIMIT = 100
"""The longest view name the service accepts; the input stops there too."""


class SaveViewScreen(ModalScreen[str | None]):
    """Name the query `query` of the `scope` screen ("tasks", "clients" or "inbox") and save
    it; dismisses with the saved name, or None when cancelled."""

    DEFAULT_CSS = """
    SaveViewScreen { align: center middle; }
    SaveViewScreen > Vertical {
        width: 70; max-width: 95%; height: auto; border: round $primary;
        background: $surface; padding: 0 1;
    }
    SaveViewScreen .dialog--title { text-style: bold; color: $primary; }
    SaveViewScreen .dialog--query { color: $text-muted; margin-bottom: 1; }
    SaveViewScreen #save-view-message { color: $error; }
    SaveViewScreen .dialog--keys { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="save_view.cancel"),
    ]

    def __init__(self, scope: str, query: str, sort: str = "") -> None:
        """Save `query` (and the list's `sort`, "" for its default) for `scope`."""
        super().__init__()
        self.scope = scope
        self.query_text = query
        self.sort = sort
        self._taken: set[str] = set()  # lower-cased names of the agent's own views
        self._replace = ""  # the name the agent confirmed replacing
        self._saving = False  # a save is on its way: enter waits for it

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(f"Save {self.scope} view"), classes="dialog--title")
            yield Static(Content.assemble("Query: ", safe_line(self.query_text or "(all)")),
                         classes="dialog--query")
            yield Input(placeholder="name of the view", max_length=NAME_LIMIT,
                        id="save-view-name")
            yield Checkbox(Content("Shared with everyone"), id="save-view-shared")
            yield Static(id="save-view-message")
            yield Static(key_hint(self, "enter saves · tab moves · {save_view.cancel} cancels"),
                         classes="dialog--keys")

    def on_mount(self) -> None:
        """Refuse a viewer; otherwise load the names in use to warn before replacing one."""
        if not can_write(self, "save views"):
            self.dismiss(None)
            return
        self.query_one("#save-view-name", Input).focus()
        agent = self.app.agent
        run_service(self, partial(views.for_agent, agent, self.scope), done=self._names)

    def _names(self, rows: list[ViewRow]) -> None:
        """Remember the names of the agent's own views."""
        self._taken = {row.name.lower() for row in rows if row.owner == self.app.agent.username}

    @on(Input.Changed, "#save-view-name")
    def _edited(self) -> None:
        """A new name: the old message no longer applies."""
        self._say("")

    @on(Input.Submitted, "#save-view-name")
    def _save(self, event: Input.Submitted) -> None:
        """Save, or first ask to confirm replacing a view of the same name."""
        name = event.value.strip()
        shared = self.query_one("#save-view-shared", Checkbox).value
        if name and not shared and name.lower() in self._taken and self._replace != name.lower():
            self._replace = name.lower()
            self._say(f"You have a view named {name!r}: enter again replaces its query.")
            return
        if self._saving:
            return
        self._saving = True
        agent = self.app.agent
        run_service(self, partial(views.save, agent, self.scope, name, self.query_text,
                                  self.sort, shared),
                    done=self._saved, failed=self._refused, group="save-view")

    def _saved(self, row: ViewRow) -> None:
        """Close with the saved name, unless escape closed the dialog while it saved."""
        self._saving = False
        dismiss_if_in_front(self, row.name)

    def _refused(self, error: Exception) -> bool:
        """What the service refused is said in place; the modal stays open."""
        self._saving = False
        if isinstance(error, DeskError):
            self._say(describe(error))
            return True
        return False

    def _say(self, text: str) -> None:
        """Show `text` (it may quote the name) under the input."""
        self.query_one("#save-view-message", Static).update(safe(text))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
