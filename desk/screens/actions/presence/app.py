"""Presence in the app: what this app shows others, and the marks of what others have open.

`AppPresence` belongs to one running app, with an instance id of its own
(desk.kernel.presence). It finds what the agent has open from the screens of the current
mode, topmost first: the first screen with `presence_open()` (the task screen: its task,
"viewing", or "replying" while a reply is being written) decides. It announces that at once
whenever the screens change (`follow`), renews it every `presence.heartbeat_seconds`, and
clears it when the app stops. Every write runs in a thread worker on a connection of its
own, one at a time, newest state last; a write that fails (a busy database, a viewer) is
dropped, the next heartbeat tries again. A viewer announces nothing.

Reading: on each live-refresh tick (desk.screens.actions.app.live_refresh) `ask()` takes, on the
UI thread, the screen in view that shows presence (`presence_ids()`: the task ids it shows),
`read()` asks the database in the tick's worker, in one query, and `show()` hands the answer
back to the screen (`show_presence(found)`), if it is still there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta
from typing import Any

from msgspec import Struct, field
from textual.app import App
from textual.css.query import NoMatches
from textual.screen import Screen

from desk.config.presence import GONE_AFTER_BEATS
from desk.errors import DeskError
from desk.kernel import presence
from desk.kernel.connections import is_database_error, on_own_connection
from desk.kernel.presence import Seen

Found = dict[int, tuple[Seen, ...]]
"""Task id -> the other agents on it."""


class Look(Struct):
    """A screen's question for the tick's worker (the task ids it shows) and the answer."""

    screen: Screen[Any]
    ids: list[int]
    found: Found = field(default_factory=dict)


def _forgiven(error: Exception) -> bool:
    """Whether a failed presence call is simply dropped (the next heartbeat tries again)."""
    return isinstance(error, DeskError) or is_database_error(error)


class AppPresence:
    """What one app shows others, renewed on a heartbeat; see the module."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.instance = presence.new_instance()
        """This app's id among the presence rows."""
        self.wanted: dict[int, str] = {}
        """Task id -> state: what the agent has open, as last found."""
        self._generation = 0
        """Writes asked for; a write older than the newest is skipped."""
        self._lock = threading.Lock()
        """Held by the write running now, so writes land one at a time."""
        self._stopped = False
        """The app stopped: no more writes."""

    @property
    def gone_after(self) -> timedelta:
        """How old a row may be before it counts as gone: three heartbeats."""
        return timedelta(seconds=self.app.settings.presence.heartbeat_seconds
                         * GONE_AFTER_BEATS)

    def start(self) -> None:
        """Announce on every change of screen, and renew on the heartbeat."""
        self.app.screen_change_signal.subscribe(self.app, lambda _screen: self.follow())
        self.app.set_interval(self.app.settings.presence.heartbeat_seconds, self.beat)

    def follow(self) -> None:
        """On the UI thread: announce now if what the agent has open changed (once the
        screens have settled)."""
        self.app.call_after_refresh(self._follow_now)

    def _follow_now(self) -> None:
        """Announce what is open, if it is not what was announced last."""
        wanted = self.open_now()
        if wanted != self.wanted:
            self.wanted = wanted
            self._write(wanted)

    def beat(self) -> None:
        """The heartbeat: renew what is open (nothing to write when nothing is or was)."""
        wanted = self.open_now()
        if wanted or self.wanted:
            self.wanted = wanted
            self._write(wanted)

    def open_now(self) -> dict[int, str]:
        """What the agent has open: the topmost screen of the mode that says."""
        for screen in reversed(self.app.screen_stack):
            opened: Callable[[], dict[int, str]] | None = getattr(screen, "presence_open",
                                                                   None)
            if callable(opened):
                return opened()
        return {}

    def _write(self, wanted: dict[int, str]) -> None:
        """Announce `wanted` in a thread worker (never for a viewer)."""
        if not self.app.agent.can_write or self._stopped:
            return
        self._generation += 1
        generation, agent = self._generation, self.app.agent
        gone_after, database = self.gone_after, self.app.database

        def send() -> None:
            """In the worker: write, unless a newer write was asked for meanwhile."""
            with self._lock:
                if self._stopped or generation != self._generation:
                    return
                try:
                    on_own_connection(database, presence.announce, agent, self.instance,
                                      wanted, gone_after=gone_after)
                except Exception as error:
                    if not _forgiven(error):
                        raise

        self.app.run_worker(send, thread=True, group="presence", exit_on_error=False)

    def stop(self) -> None:
        """The app is stopping: take back what it showed (waits for a write in flight)."""
        with self._lock:
            self._stopped = True
            if self._generation:
                with suppress(Exception):  # the database went away: the timeout covers it
                    on_own_connection(self.app.database, presence.clear, self.app.agent,
                                      self.instance)

    # --- reading, on the live-refresh tick ----------------------------------------------

    def ask(self) -> Look | None:
        """On the UI thread: the screen in view that shows presence, with its task ids; None
        while that screen is still being put together or taken apart (a mode just switched
        to or away from: its list is not there to ask)."""
        for screen in reversed(self.app.screen_stack):
            ids: Callable[[], list[int]] | None = getattr(screen, "presence_ids", None)
            if callable(ids):
                if not screen.is_mounted:
                    return None
                try:
                    return Look(screen, ids())
                except NoMatches:
                    return None
            if not screen.is_modal:
                return None  # what lies below a full screen is out of view
        return None

    def read(self, look: Look | None) -> Look | None:
        """In the tick's worker: who else is on the asked tasks, in one query."""
        if look is None or not look.ids:
            return look
        try:
            look.found = on_own_connection(self.app.database, presence.who_is_on,
                                           self.app.agent, look.ids,
                                           gone_after=self.gone_after)
        except Exception as error:
            if not _forgiven(error):
                raise
            return None
        return look

    def show(self, look: Look | None) -> None:
        """On the UI thread: give the screen its answer, if it is still shown."""
        if look is not None and look.screen.is_attached:
            look.screen.show_presence(look.found)  # type: ignore[attr-defined]
