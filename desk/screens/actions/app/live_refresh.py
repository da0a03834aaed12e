"""Live refresh: what other agents change shows within a second or two.

About once a second a short worker asks a `ChangeWatcher` whether anyone committed a change.
If so, each screen in view that defines `data_changed()` is told to reload its rows (keeping
the cursor and any draft); a screen out of view is told when it is shown again. Screens
implement `data_changed()`; nothing else is needed. After a change the acting agent is read
again, so that a new role or a disabled agent reaches the app (desk.screens.actions.app.standing),
and so are the workspace's settings: a new time zone, working hours or company name applies
without a restart (desk.screens.actions.app.workspace_follow), and so is the count of the agent's
unread For me notices in the key bar (desk.screens.actions.app.for_me_count). Each tick also reads
who else has open the tasks the screen in view shows (desk.screens.actions.presence.app), in one
query.
"""

from __future__ import annotations

from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from textual.app import App
from textual.screen import Screen

from desk.kernel.changes import ChangeWatcher
from desk.screens.actions.app.for_me_count import UnreadCount
from desk.screens.actions.app.standing import apply_standing, read_standing
from desk.screens.actions.app.workspace_follow import apply_workspace, read_workspace
from desk.screens.actions.presence.app import AppPresence, Look

if TYPE_CHECKING:
    from desk.kernel.agents import AgentRef
    from desk.kernel.workspace_settings import WorkspaceProfile


class LiveRefresh:
    """Tells an app's screens to reload when the data changed; `check` is what its timer
    calls."""

    def __init__(self, app: App, watcher: ChangeWatcher) -> None:
        self.app = app
        self.watcher = watcher
        """Answers, from worker threads, whether anyone changed the data."""
        self.generation = 0
        """How many changes have been seen: a screen hidden at an older one is stale."""
        self._checking = False
        """A check is running; the next tick waits for it."""
        self._shown: Screen[Any] | None = None
        """The screen in view at the last screen change."""
        self._hidden_at: WeakKeyDictionary[Screen[Any], int] = WeakKeyDictionary()
        """Screens out of view, and the generation when they left it."""
        self.presence = AppPresence(app)
        """What this app shows others it has open, and the marks of what they have open."""
        self.unread = UnreadCount(app)
        """The agent's unread For me notices, for the key bar."""

    def start(self, interval: float | None) -> None:
        """Follow the screens shown, and check every `interval` seconds (None: never; then
        presence is off too)."""
        self._shown = self.app.screen
        self.app.screen_change_signal.subscribe(self.app, self._screen_changed)
        if interval:
            self.check()  # the first check only opens the watcher's connection
            self.app.set_interval(interval, self.check)
            self.presence.start()

    def stop(self) -> None:
        """The app is stopping: close the watcher's connection, take back the presence."""
        self.watcher.close()
        self.presence.stop()

    def check(self) -> None:
        """Ask the watcher, in a short thread worker, whether anyone changed the data."""
        if self._checking:
            return
        self._checking = True
        look = self.presence.ask()
        self.app.run_worker(partial(self._ask_watcher, look), thread=True, group="changes",
                            exit_on_error=False)

    def _ask_watcher(self, look: Look | None) -> None:
        """In the worker thread: one cheap check, answered back on the UI thread. After a
        change the agent is read again too (the change may be to their role), and so are
        the workspace's settings (also at the first check: the header names the company),
        and who else is on the tasks `look` asks about."""
        changed = self.watcher.changed()
        standing = read_standing(self.app) if changed else None
        workspace = (read_workspace(self.app) if changed or self.app.workspace is None
                     else None)
        unread = self.unread.read() if changed or self.unread.count is None else None
        with suppress(RuntimeError):  # the app stopped meanwhile
            self.app.call_from_thread(self._checked, changed, standing, workspace,
                                      self.presence.read(look), unread)

    def _checked(self, changed: bool, standing: AgentRef | str | None,
                 workspace: WorkspaceProfile | None, look: Look | None,
                 unread: int | None = None) -> None:
        """On the UI thread: a check finished. The workspace's settings are taken before the
        screens reload, so that they show the new zone and calendar."""
        self._checking = False
        self.unread.apply(unread)
        apply_standing(self.app, standing)
        apply_workspace(self.app, workspace)
        self.presence.show(look)
        if changed:
            self.changed()

    def changed(self) -> None:
        """The data changed: the screens in view reload now, the others when shown again."""
        self.generation += 1
        for screen in reversed(self.app.screen_stack):
            self._reload(screen)
            if not screen.is_modal:
                break  # what lies below a full screen is out of view

    def _reload(self, screen: Screen[Any]) -> None:
        """Tell `screen` to reload its rows, if it knows how."""
        if screen in self._hidden_at:
            self._hidden_at[screen] = self.generation
        reload = getattr(screen, "data_changed", None)
        if callable(reload):
            reload()

    def _screen_changed(self, screen: Screen[Any]) -> None:
        """Another screen is in view: reload it if the data changed while it was hidden."""
        previous, self._shown = self._shown, screen
        if previous is not None and previous is not screen:
            self._hidden_at[previous] = self.generation
        if self._hidden_at.pop(screen, self.generation) < self.generation:
            self._reload(screen)
