"""What the shaping operations stand on: the list or space under the sidebar's cursor, the
admin check, and the prompt, picker and yes-or-no dialogs they ask with.

A question that hides or moves tasks offers "no" first, highlighted, so enter changes
nothing; `y` or `n` answers at once. The answers arrive on the UI thread; the services run
in workers (`run_service`), and after a change the sidebar loads the tree again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.widget import Widget

from desk.errors import InvalidInput
from desk.screens.actions.calls import run_service
from desk.screens.dialogs.pick import Choice, PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.hints import key_text
from desk.screens.widgets.places import Place, SpaceEntry
from desk.text import one_line


def quoted(name: str) -> str:
    """A stored name as one safe line inside a message."""
    return f"“{one_line(name, 60)}”"


def position_of(text: str) -> int:
    """A typed place (1 = first)."""
    if not text.strip().isdigit():
        raise InvalidInput(f"a position is a whole number from 1, not {text.strip()!r}")
    return int(text)


class ShapingBase:
    """The current list or space, and the dialogs and worker calls of every operation."""

    def __init__(self, sidebar: Widget) -> None:
        """`sidebar` is the tasks screen's Sidebar: its cursor says what is current."""
        self.sidebar = sidebar
        self.app: Any = sidebar.app
        self.target: Place | SpaceEntry | None = sidebar.current()

    def _admin(self) -> bool:
        """Whether the agent is an admin; otherwise say who can do this."""
        if self.app.agent.role == "admin":
            return True
        self.app.notify("Only an admin can shape the workspace (lists, statuses, fields).",
                        title="desk", severity="warning", markup=False)
        return False

    def _current(self) -> Place | SpaceEntry | None:
        """The current list or space, if the agent is an admin (else None, said why)."""
        if not self._admin():
            return None
        if self.target is None:
            self.app.notify("Put the sidebar's cursor on a list or space first.",
                            title="Workspace", severity="warning", markup=False)
        return self.target

    def _call(self, call: Callable[[], Any], said: Callable[[Any], str]) -> None:
        """Run `call` in a worker; then say what happened and load the tree again."""
        def done(result: Any) -> None:
            """On the UI thread."""
            self.app.notify(said(result), title="Workspace", markup=False)
            self.sidebar.load()
            changed = getattr(self.sidebar.screen, "data_changed", None)
            if changed is not None:
                changed()

        run_service(self.sidebar, call, done=done, group="shaping")

    def _ask(self, title: str, then: Callable[[Any], None], *, value: str = "",
             parse: Callable[[str], Any] = str.strip, hint: str = "") -> None:
        """A prompt; `then(answer)` unless it was cancelled."""
        self.app.push_screen(PromptScreen(title, parse=parse, value=value, hint=hint),
                             lambda answer: None if answer in (None, "") else then(answer))

    def _pick(self, title: str, choices: Sequence[Choice], then: Callable[[Any], None],
              *, quick: bool = False) -> None:
        """A picker; `then(choice)` unless it was cancelled."""
        hint = key_text(self.sidebar, "type to filter · enter picks · {nav.back} cancels")
        self.app.push_screen(PickScreen(title, choices, hint=hint, quick=quick),
                             lambda choice: None if choice is None else then(choice))

    def _confirm(self, question: str, yes: str, then: Callable[[], None]) -> None:
        """Yes or no, with no highlighted; `then()` only on yes."""
        hint = key_text(self.sidebar, "y or n · enter takes the highlighted · {nav.back} "
                                      "cancels")
        choices = [("no, leave it as it is", False), (f"yes, {yes}", True)]
        self.app.push_screen(PickScreen(question, choices, hint=hint, quick=True),
                             lambda agreed: then() if agreed else None)

    def _load(self, call: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Read something (statuses, fields) in a worker, then `then(result)`."""
        run_service(self.sidebar, call, done=then, group="shaping-read")

    def _list(self) -> Place | None:
        """The current list, if the agent is an admin (else None, said why)."""
        if not self._admin():
            return None
        if isinstance(self.target, Place):
            return self.target
        self.app.notify("Put the sidebar's cursor on a list first.", title="Workspace",
                        severity="warning", markup=False)
        return None

    def _space_name(self) -> str | None:
        """The space of the current list or space (else the first space)."""
        if isinstance(self.target, SpaceEntry):
            return self.target.name
        if isinstance(self.target, Place):
            return self.target.space
        shape = self.sidebar.shape
        return shape[0]["name"] if shape else None
