"""KeyBar: the keys that work now, on one line at the bottom of every screen.

It shows what Textual's Footer shows (each binding marked `show`, one per action, dimmed when
the action is disabled, the palette key at the right end) and reads the same theme variables
($footer-key-foreground...). Footer mounts one widget per key and mounts them all again
whenever the bindings change (focus moves, a screen opens); at start-up that was 0.3 s of the
first paint. KeyBar is one widget that draws one line of Content and repaints when the
screen's bindings change. At the right it shows the agent's running timer and how many For
me notices are unread.
"""

from __future__ import annotations

from msgspec import Struct
from textual import events
from textual.content import Content
from textual.style import Style
from textual.widget import Widget


class KeyHint(Struct, frozen=True):
    """One key as the bar shows it: the key to press, how it is written, what it does."""

    key: str
    display: str
    description: str
    enabled: bool


class KeyBar(Widget):
    """One line of key hints for the current screen, the palette key at the right end."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._places: list[tuple[int, int, str]] = []
        """(first cell, end cell, key) of each hint drawn, for clicks."""
        self._unread_drawn = ""
        """The unread count as last drawn."""

    def on_mount(self) -> None:
        """Repaint whenever the screen's bindings change, and each second while the agent's
        timer runs (its elapsed time shows at the right: desk.screens.actions.timesheet.timer)."""
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh())
        self.set_interval(1, self._tick)
        if (timer := getattr(self.app, "timer", None)) is not None:
            timer.load()  # once per app

    def _tick(self) -> None:
        """Repaint when a timer runs or the unread count changed (nothing is read from the
        database)."""
        if self._timer_label() or self._unread_label() != self._unread_drawn:
            self.refresh()

    def _unread_label(self) -> str:
        """The unread For me notices ("3 for me", desk.screens.actions.app.for_me_count), or ""."""
        refresh = getattr(self.app, "live_refresh", None)
        return refresh.unread.label() if refresh is not None else ""

    def _timer_label(self) -> str:
        """The running timer as the bar shows it, or "" (or when the app has no timer)."""
        timer = getattr(self.app, "timer", None)
        return timer.label(self.app.now()) if timer is not None else ""

    def on_unmount(self) -> None:
        """Stop listening to the screen."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def hints(self) -> tuple[list[KeyHint], KeyHint | None]:
        """The keys shown on the left, in binding order, and the palette key (or None)."""
        active = self.screen.active_bindings
        shown: list[KeyHint] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                shown.append(KeyHint(binding.key, self.app.get_key_display(binding),
                                     binding.description, enabled))
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            palette = KeyHint(binding.key, self.app.get_key_display(binding),
                              binding.description, enabled)
        return shown, palette

    def render(self) -> Content:
        """The hints that fit the width, then the palette key flush right."""
        width = self.size.width
        shown, palette = self.hints()
        end = Content.styled("▏", Style(dim=True)) + self._hint(palette) if palette else Content("")
        if running := self._timer_label():
            end = Content.styled(f" {running} ", Style(bold=True)) + end
        if unread := self._unread_label():
            end = Content.styled(f" {unread} ", Style(bold=True)) + end
        self._unread_drawn = unread
        room = width - end.cell_length
        line = Content("")
        self._places = []
        for hint in shown:
            part = self._hint(hint)
            if line.cell_length + part.cell_length > room:
                break
            self._places.append((line.cell_length, line.cell_length + part.cell_length,
                                 hint.key))
            line += part
        if palette:
            start = width - end.cell_length + 1
            self._places.append((start, width, palette.key))
        return line.pad_right(max(room - line.cell_length, 0)) + end

    def _hint(self, hint: KeyHint) -> Content:
        """` key ` in the key style, then `description ` in the description style."""
        key_style = self.get_visual_style("key-bar--key")
        description_style = self.get_visual_style("key-bar--description")
        if not hint.enabled:
            key_style += Style(dim=True)
            description_style += Style(dim=True)
        return Content.assemble((f" {hint.display} ", key_style),
                                (f"{hint.description} ", description_style))

    def on_click(self, event: events.Click) -> None:
        """A click on a hint presses its key."""
        for start, end, key in self._places:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
