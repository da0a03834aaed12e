"""Two rules of the app's own keys, mixed into DeskApp.

- `1`–`4` always go to that mode's main screen: a task, client or board open over it is
  closed (a dialog in front keeps its keys, so nothing typed is lost).
- The palette's key (ctrl+p) is left to a screen in front that binds the same key itself: in
  a picker, ctrl+n/ctrl+p move the highlight, as in a shell.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

from desk.screens.hints import bound_keys


class AppKeys(App[None]):
    """The mode keys and the palette key's yielding; DeskApp inherits them."""

    def action_mode(self, name: str) -> None:
        """Show mode `name` at its main screen, closing the screens opened over it."""
        if name != self.current_mode:
            self.switch_mode(name)
        for _ in range(len(self.screen_stack) - 1):
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The palette opens unless the screen in front binds its key itself."""
        if action != "command_palette":
            return True
        own: Any = next((bindings.key_to_bindings for node, bindings
                         in self.screen._binding_chain if node is self.screen), {})
        return not any(key in own for key in bound_keys(self, "app.palette"))
