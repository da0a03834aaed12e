"""Keys that arrive together act one after another, in the order they were typed.

Keys typed fast, pasted or batched by SSH reach the app in one batch. Textual hands each
key to the focused widget and goes on with the next at once, while a key acts on its way
back up: a field inserts a letter as soon as it gets it, but tab, backspace, the arrows or
ctrl+u act as bindings only once the key has climbed back to the app. So the letters behind
such a key acted first: "Acme", tab, "Europe/London" put everything in the first field,
and ctrl+u with a name behind it cleared the name just typed (Textual issue 6605).

`KeyQueue` holds a key (or a paste) that arrives while the keys before it may still act (a
message is waiting in the queue of the focused widget, a node above it or the app) until
they have acted, then lets it go: every key acts on the widget, the focus and the screen
its predecessors left. It follows them up the way a key climbs: once the focused widget has
handled what it had been sent, then its parent, and so on to the app; and again while what
they did left messages for the focused widget or above (enter's "open this row", which
pushes the task screen). A key that arrives on its own, as almost every key does, goes at
once.

`wait_for_screen_in_front` also holds each key until the screen in front has mounted: enter
can push a task screen or a dialog whose escape binding, run by the very next key, closed
it before it had composed (Textual then runs its on_mount on a screen with no widgets, and
the NoMatches ended the app, losing the drafts beneath).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App, ScreenStackError
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import AwaitMount, Widget

GIVE_UP_AFTER = 1.0
"""Seconds a held key waits at most: should a widget close before it has handled what it was
sent, or keep sending itself messages, the keys behind still go on."""

ROUNDS = 4
"""How many times a held key follows the keys before it up from the focused widget, while
they leave messages behind."""


async def wait_for_screen_in_front(app: App[Any]) -> None:
    """Return once the screen in front has composed its widgets and run its on_mount (at
    once when it has, or when the app has no screen left)."""
    screen = screen_in_front(app)
    if screen is not None and not screen.is_mounted:
        await AwaitMount(screen, [screen])


def screen_in_front(app: App[Any]) -> Screen[Any] | None:
    """The screen in front; None once the app has no screen left (it is closing: `q` may
    come first in a burst)."""
    try:
        return app.screen
    except ScreenStackError:
        return None


def in_front(app: App[Any]) -> Widget | None:
    """The focused widget, else the screen in front (None once the app is closing)."""
    screen = screen_in_front(app)
    return None if screen is None else screen.focused or screen


class KeyQueue:
    """The keys of one app, let through in order once the keys before them have acted;
    `send` hands a key on (to the app's own handling, which forwards it to the focused
    widget)."""

    def __init__(self, app: App[Any],
                 send: Callable[[events.Key | events.Paste], Awaitable[None]]) -> None:
        self.app = app
        self.send = send
        self.held: deque[events.Key | events.Paste] = deque()
        self.round = 0
        """The number of the latest round of following; a late word from another is
        ignored."""
        self.rounds = 0
        self.guard: Any = None
        """The timer that lets a held key go after GIVE_UP_AFTER; None while none waits."""

    async def arrive(self, key: events.Key | events.Paste) -> None:
        """A key (or a paste) read from the terminal: sent now, or held until the ones
        before it have acted; dropped once the app is closing."""
        if in_front(self.app) is None:
            return
        if self.held or self.guard is not None or not self.quiet(with_app=True):
            self.held.append(key)
            if self.guard is None:
                self.wait_for_the_keys_before()
            return
        await self.hand_on(key)

    def quiet(self, with_app: bool) -> bool:
        """Whether no message waits in the focused widget, a node above it or, `with_app`,
        the app itself."""
        focused = in_front(self.app)
        return focused is None or all(node._message_queue.empty()
                                      for node in focused.ancestors_with_self
                                      if with_app or node is not self.app)

    def follow_from_focus(self) -> None:
        """Start a round of following up from the focused widget."""
        self.round += 1
        self.rounds += 1
        self.follow(in_front(self.app), self.round)

    def follow(self, node: MessagePump | None, round_: int) -> None:
        """Once `node` has handled what it was sent before now, go on to its parent; past
        the app, the round is over."""
        if node is None or node is self.app:
            if not self.app.call_later(self.round_over, round_):
                self.app.call_next(self.round_over, round_)
            return
        if not node.call_later(self.follow, node._parent, round_):
            self.follow(node._parent, round_)  # closed: nothing more comes from it

    async def round_over(self, round_: int) -> None:
        """Another round while the keys before left messages behind; else the next key."""
        if round_ != self.round:
            return
        if not self.quiet(with_app=False) and self.rounds < ROUNDS:
            self.follow_from_focus()
            return
        await self.let_go()

    def give_up(self) -> None:
        """GIVE_UP_AFTER has passed: the next key goes whatever is still under way, handed on
        from the app's own loop (this runs in the timer's task, which ends with it)."""
        self.round += 1
        self.guard = None
        self.app.call_later(self.let_go)

    async def let_go(self) -> None:
        """Hand on the first held key; the rest wait for it in turn."""
        if self.guard is not None:
            self.guard.stop()
            self.guard = None
        if in_front(self.app) is None:  # closing: what is still held goes nowhere
            self.held.clear()
        if not self.held:
            return
        await self.hand_on(self.held.popleft())
        if self.held:
            self.wait_for_the_keys_before()

    def wait_for_the_keys_before(self) -> None:
        """The first held key waits: follow the keys before it up from the focused widget,
        for at most GIVE_UP_AFTER."""
        self.guard = self.app.set_timer(GIVE_UP_AFTER, self.give_up)
        self.rounds = 0
        self.follow_from_focus()

    async def hand_on(self, key: events.Key | events.Paste) -> None:
        """Send `key` once the screen in front is whole."""
        await wait_for_screen_in_front(self.app)
        await self.send(key)
