"""The Textual app: modes, key map, themes and command palette, built over the services.

`make_app` is the single factory that both the CLI and the tests use: the settings, the
database, the acting agent and the query context are passed in, nothing is looked up globally.

- Modes. Each mode is one screen, switched with a single key from anywhere: 1 inbox,
  2 tasks, 3 clients, 4 dashboard. Screens are imported when first needed (and preloaded
  in a worker a second after the first paint), so that the inbox paints sooner.
- Keys. Every binding has an id (the list grammar's are shared: desk.screens.grammar). The
  config's `keymap:` (id -> keys) is applied with `App.set_keymap`. Unknown ids, and keys
  bound twice in one scope, are reported once, in a single notification, by a check that
  runs in a worker after the first paint (desk.screens.keymap). They never crash the app.
- Themes. The YAML themes in desk.themes are registered at start. The palette offers
  "Theme: <name>", and the choice is remembered in desk's state file (desk.state), not in
  the user's config. Textual's own "Screenshot" command is removed, because it writes the
  screen, client data included, to disk.
- Palette. ctrl+p also finds tasks and clients by name and runs the keys of the current
  screen (desk.screens.palette).
- Live refresh. About once a second a short worker asks whether anyone committed a change;
  if so, the screens in view reload their rows, and the others when shown again
  (desk.screens.actions.app.live_refresh). Screens implement `data_changed()`.
- Viewers. The header says "viewer: read only". The live refresh reads the agent again after
  each change: a new role holds within seconds, a disabled agent's app stops (actions.app.standing).
- Drafts and undo. A notice at start names the unsaved drafts (actions.drafts); `u` undoes.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import datetime
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from msgspec.structs import replace
from textual import constants, events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from desk import sla, state
from desk.kernel.changes import ChangeWatcher
from desk.screens.actions.app.background import BackgroundWork
from desk.screens.actions.app.key_quiet import KeyQuiet
from desk.screens.actions.app.keys import AppKeys
from desk.screens.actions.app.live_refresh import LiveRefresh
from desk.screens.actions.app.theme_start import register_desk_themes, starting_theme
from desk.screens.actions.calls import can_write
from desk.screens.actions.drafts import show_drafts, tell_drafts
from desk.screens.actions.set_up_offer import offer_set_up
from desk.screens.actions.timesheet.timer import Timer
from desk.screens.dialogs.command_palette import DeskPalette
from desk.screens.header import header_title
from desk.screens.hints import bound_keys
from desk.screens.key_order import KeyQueue
from desk.screens.keymap import (
    KeyProblem,
    binding_classes,
    binding_scopes,
    clash_phrases,
    keymap_problems,
    normalize_keymap,
)
from desk.screens.modes import Mode, load_screen, on_first_use, preload
from desk.screens.stylesheet import ReusingStylesheet
from desk.screens.themes import DeskTheme, app_variable_defaults
from desk.screens.widgets import partial_renders, styles_cache
from desk.work.undo import Steps

if TYPE_CHECKING:
    from peewee import Database
    from textual.driver import Driver

    from desk.config import Settings
    from desk.kernel.agents import AgentRef
    from desk.kernel.workspace_settings import WorkspaceProfile
    from desk.work.filters import Context

KEYMAP_NOTICE = "Key map (the config's keymap:): "
"""How every notice about the user's keymap starts."""

HIDDEN_SYSTEM_COMMANDS = frozenset({"Screenshot", "Theme"})
"""Textual palette commands desk removes. Screenshot writes client data to disk; Theme is
replaced by one "Theme: <name>" command per desk theme, whose choice is remembered."""

MODES_IN_ORDER = (
    Mode("inbox", "Inbox", "1", "desk.screens.screens.inbox:InboxScreen"),
    Mode("tasks", "Tasks", "2", "desk.screens.screens.tasks:TasksScreen"),
    Mode("clients", "Clients", "3", "desk.screens.screens.clients:ClientsScreen"),
    Mode("dashboard", "Dashboard", "4", "desk.screens.screens.dashboard:DashboardScreen"),
)

PALETTE_PROVIDERS = tuple(on_first_use(where) for where in (
    *(f"desk.screens.palette:{name}"
      for name in ("RecordSearch", "ScreenActions", "ShapingCommands", "FormCommands")),
    "desk.screens.actions.client.sequences:SequenceCommands",
    "desk.screens.actions.client.portal:PortalCommands",
    "desk.screens.actions.task.portal_share:ShareCommentCommands"))
"""desk's own palette providers (see desk.screens.palette), beside Textual's system commands,
each imported when the palette first opens: importing them at start (the shaping, portal and
sequence commands) cost every start 1-3 MiB and some 20 ms of CPU before the first paint."""

PRELOAD_AFTER = 1.0
"""Seconds after the first paint when the screens not shown yet are imported, in a worker
thread, so that the first switch to them does not wait for the import. With a keymap, the
check of the keymap imports them at once instead."""

PRELOADED = (*(mode.where for mode in MODES_IN_ORDER),
             "desk.screens.screens.task_screen:TaskScreen",
             "desk.screens.screens.client_screen:ClientScreen")
"""The screens `PRELOAD_AFTER` imports: the modes and the screens one key opens from a list
(the task screen's import alone takes about 0.1 s of CPU). The dialogs, and the screens
only the palette opens, are imported when first opened (a few milliseconds each): importing
every module of desk.screens kept some 2-3 MiB more in every app that never opens them."""

WATCH_INTERVAL = 1.0
"""Seconds between two checks for changes by other agents (rows refresh within two)."""

TICK_INTERVAL = 60.0
"""Seconds between two runs of the background work (recurring series, automation rules)."""

FIRST_TICK_AFTER = 5.0
"""Seconds after start when the background work first runs (catching up after downtime)."""


def make_app(settings: Settings, database: Database, agent: AgentRef, context: Context,
             *, state_file: Path | None = None,
             clock: Callable[[], datetime] | None = None,
             watch_interval: float | None = WATCH_INTERVAL,
             tick_interval: float | None = TICK_INTERVAL,
             first_start: bool = False) -> DeskApp:
    """Build the app over an open, migrated database. The CLI and the tests both use this.

    `state_file` is where the remembered theme lives. It defaults to desk.state's file in
    the user state folder. `clock` gives the time now (aware); tests pass a fixed one.
    `watch_interval` is how often to look for changes by others (None: never).
    `tick_interval` is how often the background work runs, what `desk tick` does (None:
    never; it never runs for a viewer either). `first_start` offers the admin of a workspace
    without spaces its set-up (desk.screens.actions.set_up_offer); the CLI asks for it.
    """
    return DeskApp(settings, database, agent, context, state_file=state_file, clock=clock,
                   watch_interval=watch_interval, tick_interval=tick_interval,
                   first_start=first_start)


def _stylesheet() -> str:
    """The app stylesheet, read from the installed desk.themes package."""
    return resources.files("desk.themes").joinpath("desk.tcss").read_text(encoding="utf-8")


class DeskApp(AppKeys, inherit_bindings=False):
    """The desk terminal app. Build it with `make_app`.

    Declared with inherit_bindings=False: Textual's default ctrl+q quit (a chord that breaks
    over SSH and tmux) is replaced by `q`, and every binding desk has carries an id.
    """

    TITLE = "desk"
    CSS = _stylesheet()
    MODES: ClassVar[dict[str, Any]] = {mode.name: mode.build for mode in MODES_IN_ORDER}
    DEFAULT_MODE = "inbox"
    BINDINGS: ClassVar[list[Any]] = [
        *(Binding(mode.key, f"mode('{mode.name}')", mode.title, id=mode.binding_id)
          for mode in MODES_IN_ORDER),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+p", "command_palette", "Commands", id="app.palette", show=False,
                priority=True, tooltip="Open the command palette"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | set(PALETTE_PROVIDERS)
    """Textual's system commands (trimmed in get_system_commands), plus desk's providers."""
    def __init__(self, settings: Settings, database: Database, agent: AgentRef,
                 context: Context, *, state_file: Path | None = None,
                 clock: Callable[[], datetime] | None = None,
                 watch_interval: float | None = WATCH_INTERVAL,
                 tick_interval: float | None = TICK_INTERVAL,
                 first_start: bool = False) -> None:
        super().__init__()
        styles_cache.cache_by_colour()  # closed widgets' drawn lines are freed
        partial_renders.render_what_overlaps()  # a key draws the rows it changed, no more
        self.stylesheet = ReusingStylesheet(variables=self.get_css_variables())  # parse once
        self.first_start = first_start
        """Whether to offer a new workspace's admin its set-up once the app is ready."""
        # The CLI removes TEXTUAL_* debugging variables before Textual is imported. If the app
        # is built some other way, still never connect to devtools.
        self.features = frozenset(self.features - {"devtools", "debug"})
        self.devtools = None
        self.settings = settings
        """The config's settings with the workspace's over them (the first start updates)."""
        self.workspace: WorkspaceProfile | None = None
        """The workspace's settings as last read (desk.screens.actions.app.workspace_follow)."""
        self.sla_rules = sla.book(settings)
        """The SLA rules of the settings, with their business calendar (`.calendar`): what
        the services that set due times, clocks and working days are given."""
        self.database = database
        """The open database. Screens use it only to open connections in their workers."""
        self.agent = agent
        """Who is acting."""
        self.context = context
        """The query context: @me and the time "now" for queries."""
        self.state_file = state_file
        """Where remembered choices are kept; None means desk.state's default."""
        self.clock = clock or (lambda: datetime.now(self.context.now.tzinfo))
        """The time now, aware, in the person's time zone."""
        self.watch_interval = watch_interval
        """Seconds between checks for changes by others; None turns live refresh off."""
        self.tick_interval = tick_interval
        """Seconds between runs of the background work; None turns it off."""
        self.key_quiet = KeyQuiet()  # the start-up work waits while keys are arriving
        self.key_queue = KeyQueue(self, super().on_event)  # one key at a time, in order
        self.background = BackgroundWork(self)
        """Runs the background work (recurring series, automations) in a worker."""
        self.timer = Timer(self)  # the agent's running timer, shown in the key bar
        self.undo_steps = Steps()  # this session's changes that `u` undoes, newest last
        self.live_refresh = LiveRefresh(self, ChangeWatcher(database))
        """Tells the screens to reload when anyone changed the data."""
        self._notices: list[tuple[str, str]] = []
        """(message, severity) pairs to show once the app is running."""
        self._reported_clashes: set[tuple[str, str]] = set()
        """(key, binding) pairs already reported, so a clash is reported only once."""
        if leaked := textual_debug_settings():
            self._notices.append((f"Textual debugging settings were read before desk could "
                                  f"remove them ({', '.join(leaked)}); start desk with the "
                                  f"desk command", "warning"))
        self.desk_themes: list[DeskTheme] = register_desk_themes(self, self._notices)
        """The themes loaded from desk.themes, in file-name order."""
        self.keymap_keys, self._keymap_notes = normalize_keymap(settings.keymap)
        """The user's keymap: binding id -> key names (long form, e.g. question_mark)."""
        if self._keymap_notes and not self.keymap_keys:  # nothing to check: say it at start
            self._notices.append((KEYMAP_NOTICE + "; ".join(self._keymap_notes), "warning"))
        if self.COMMAND_PALETTE_BINDING not in self.keymap_keys.get("app.palette", ("ctrl+p",)):
            # The footer shows the palette key by looking up COMMAND_PALETTE_BINDING.
            self.COMMAND_PALETTE_BINDING = self.keymap_keys["app.palette"][0]
        self.theme = starting_theme(self, settings, state_file, self.desk_themes,
                                    self._notices)

    def now(self) -> datetime:
        """The time now in the person's time zone (fixed in tests)."""
        return self.clock()

    def query_context(self) -> Context:
        """The query context as of now: `today` and `overdue` move with the clock."""
        return replace(self.context, now=self.now())

    def open_task(self, task_id: int) -> None:
        """Open the task screen over the current mode."""
        self.push_screen(load_screen("desk.screens.screens.task_screen:TaskScreen")(task_id))

    def open_client(self, client_id: int) -> None:
        """Open the client screen over the current mode."""
        self.push_screen(load_screen("desk.screens.screens.client_screen:ClientScreen")(client_id))

    def open_screen(self, path: str) -> None:
        """Open the screen class at `path` ("module:Class") over the current mode."""
        self.push_screen(load_screen(path)())

    def new_order(self, client: tuple[int, str] | None = None) -> None:
        """The order form, with `client` (id, name) chosen when given; the new order opens
        once created."""
        if can_write(self, "create orders"):
            form = load_screen("desk.screens.dialogs.order_form:OrderFormScreen")(client)
            self.push_screen(form, lambda task_id: task_id is None or self.open_task(task_id))

    def new_query(self) -> None:
        """The new-query form (a query by phone or at the desk); the query opens once
        created."""
        if can_write(self, "create queries"):
            form = load_screen("desk.screens.dialogs.query_form:QueryFormScreen")()
            self.push_screen(form, lambda task_id: task_id is None or self.open_task(task_id))

    def start_import(self) -> None:
        """Ask for a file to import, preview it, import once confirmed."""
        from desk.screens.actions.importing import start_import  # imported on first use

        start_import(self)

    # --- start-up ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.set_keymap({binding_id: ",".join(keys)
                         for binding_id, keys in self.keymap_keys.items()})
        for message, severity in self._notices:
            self.notify(message, title="desk", severity=severity, timeout=12, markup=False)
        self._notices.clear()
        self.live_refresh.start(self.watch_interval)
        if self.tick_interval:  # each run first asks whether the agent may write
            self.set_timer(min(FIRST_TICK_AFTER, self.tick_interval), self.background.run)
            self.set_interval(self.tick_interval, self.background.run)

    def on_ready(self) -> None:
        """After the first frame: when desk.cli paused the garbage collector for the start,
        keep what the start built out of later collections (gc.freeze) and resume them."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
        if self.first_start:
            offer_set_up(self)
        tell_drafts(self)
        if self.keymap_keys:
            self.run_worker(self._check_keymap, thread=True, group="keymap",
                            exit_on_error=False)
        else:
            self.set_timer(PRELOAD_AFTER, self._preload_screens)

    def _check_keymap(self) -> None:
        """In a worker thread: import every screen and widget, check the user's keymap
        against their bindings, and report on the UI thread.

        Without a keymap there is nothing to check (desk's own keys do not clash; the tests
        see to that), and the screens are imported later by `_preload_screens`.
        """
        classes = [mode.screen for mode in MODES_IN_ORDER] + binding_classes()
        problems = keymap_problems(self.keymap_keys, binding_scopes(type(self), classes),
                                   self._key_display)
        with suppress(RuntimeError):  # the app stopped meanwhile
            self.call_from_thread(self._report_keymap, problems)

    def _report_keymap(self, problems: list[KeyProblem]) -> None:
        """On the UI thread: one notice with the dropped entries and the problems found,
        leaving out clashes already reported while the check ran."""
        fresh = [problem for problem in problems if not problem.pairs & self._reported_clashes]
        for problem in fresh:
            self._reported_clashes.update(problem.pairs)
        phrases = self._keymap_notes + [problem.text for problem in fresh]
        if phrases:
            self.notify(KEYMAP_NOTICE + "; ".join(phrases), title="desk", severity="warning",
                        timeout=12, markup=False)

    def _preload_screens(self) -> None:
        """Import the screens of PRELOADED in a worker thread, after the first paint, each
        once no key has come for a while (desk.screens.actions.app.key_quiet)."""
        self.run_worker(partial(preload, PRELOADED, between=self.key_quiet.wait), thread=True,
                        group="preload", exit_on_error=False)

    def on_unmount(self) -> None:
        """Close the change watcher's connection, take back this app's presence, and let
        the work waiting for a pause in the keys go."""
        self.key_quiet.close()
        self.live_refresh.stop()

    format_title = header_title  # the company's name, a viewer's note (desk.screens.header)

    # --- live refresh --------------------------------------------------------------------

    def check_for_changes(self) -> None:
        """Ask, in a short thread worker, whether anyone changed the data (the timer does
        this about once a second)."""
        self.live_refresh.check()

    def data_changed(self) -> None:
        """The data changed: the screens in view reload now, the others when shown again."""
        self.live_refresh.changed()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Status and priority colours for themes that do not set them (Textual's own)."""
        return app_variable_defaults(self.current_theme)

    # --- keys ----------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """A key or a paste from the terminal waits for the keys before it
        (desk.screens.key_order)."""
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            self.key_quiet.key()
            await self.key_queue.arrive(event)
        else:
            await super().on_event(event)

    def _key_display(self, key: str) -> str:
        """How a key name is shown to people: question_mark -> ?, ctrl+p -> ^p."""
        return self.get_key_display(Binding(key, ""))

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: DOMNode) -> None:
        """Report, once, a clash that Textual meets at run time before (or beyond) the check.

        Textual calls this on every key press while the clash lasts, so each clash is
        reported only once.
        """
        phrases = clash_phrases(clashed_bindings, node, self.keymap_keys,
                                self._reported_clashes, self._key_display)
        if phrases:
            self.notify(KEYMAP_NOTICE + "; ".join(phrases), title="desk", severity="warning",
                        timeout=12, markup=False)

    def action_help(self) -> None:
        """Show the live key map of the current screen."""
        from desk.screens.dialogs.help import HelpScreen, key_rows  # imported on first use

        if isinstance(self.screen, HelpScreen):
            return
        close = bound_keys(self, "nav.back")[0]
        hint = ("Rebind a key by its binding id under keymap: in the config file, "
                f"e.g. keymap: {{mode.tasks: f2}}. {self._key_display(close)} closes this.")
        self.push_screen(HelpScreen(key_rows(self, self.screen), hint))

    # --- the command palette ---------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Open desk's command palette (desk.screens.dialogs.command_palette)."""
        if self.use_command_palette and not DeskPalette.is_open(self):
            self.push_screen(DeskPalette(id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands without Screenshot and its theme picker, plus desk's own."""
        for command in super().get_system_commands(screen):
            if command.title not in HIDDEN_SYSTEM_COMMANDS:
                yield command
        yield SystemCommand("Help: key map", "Every key that works here, with its binding id",
                            self.action_help)
        for mode in MODES_IN_ORDER:
            keys = self.keymap_keys.get(mode.binding_id, (mode.key,))
            yield SystemCommand(f"Go to {mode.title}",
                                f"Switch to the {mode.title.lower()} mode "
                                f"(key {', '.join(map(self._key_display, keys))})",
                                partial(self.switch_mode, mode.name))
        yield SystemCommand("New query", "A support query taken by phone or at the desk",
                            self.new_query)
        yield SystemCommand("New order", "Order a product or service for a client: the order "
                            "task gets the product's checklist", self.new_order)
        yield SystemCommand("Products and services", "The catalogue: add, edit, retire",
                            partial(self.open_screen,
                                    "desk.screens.screens.products:ProductsScreen"))
        yield SystemCommand("Checklist templates", "Write and edit the checklists that orders, "
                            "lists and tasks get",
                            partial(self.open_screen,
                                    "desk.screens.screens.templates:TemplatesScreen"))
        yield SystemCommand("Import…", "Bring in tasks or contacts from ClickUp, taskwarrior, "
                            "iCalendar, vCard or contacts CSV, after a preview",
                            self.start_import)
        yield SystemCommand("Outbox", "The e-mail desk sends: what went out, what waits, what "
                            "failed; retry or send now",
                            partial(self.open_screen, "desk.screens.screens.outbox:OutboxScreen"))
        yield SystemCommand("Drafts…", "Texts you have not saved yet", partial(show_drafts, self))
        for loaded in self.desk_themes:
            name = loaded.theme.name
            current = " (current)" if name == self.theme else ""
            yield SystemCommand(f"Theme: {name}", (loaded.description or name) + current,
                                partial(self.choose_theme, name))

    def choose_theme(self, name: str) -> None:
        """Apply a theme and remember it for the next start (the config is never written)."""
        self.theme = name
        try:
            state.remember({"theme": name, "config_theme": self.settings.theme},
                           self.state_file)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            self.notify(f"Theme {name} is applied, but desk could not remember it: {reason}",
                        title="desk", severity="warning", markup=False)

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal; in place of its Linux driver (Linux, macOS,
        SSH) the one that reads a paste only as text (desk.screens.paste)."""
        driver = super().get_driver_class()
        if driver.__name__ != "LinuxDriver":  # Windows, the web, or a TEXTUAL_DRIVER
            return driver
        from desk.screens.paste import PasteDriver  # imports termios: POSIX only
        return PasteDriver

    # --- things desk never does --------------------------------------------------------------

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Refuse: a screenshot would write client data to disk."""
        self.notify("Screenshots are turned off in desk: they would write client data to disk.",
                    title="desk", severity="warning", markup=False)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """Refuse to write a screenshot file (see action_screenshot)."""
        self.action_screenshot()
        return None

    def save_screenshot(self, filename: str | None = None, path: str | None = None,
                        time_format: str | None = None) -> str:
        """Refuse to write a screenshot file, even when TEXTUAL_SCREENSHOT asks for one.

        Tests and snapshots use `export_screenshot`, which returns the SVG and writes nothing.
        """
        self.action_screenshot()
        return ""


def textual_debug_settings() -> list[str]:
    """The TEXTUAL_* debugging settings that Textual read when it was imported: none
    unless desk was started some other way than the CLI (which removes them first)."""
    leaked = []
    if constants.LOG_FILE:
        leaked.append("TEXTUAL_LOG")
    if constants.PRESS:
        leaked.append("TEXTUAL_PRESS")
    if constants.SCREENSHOT_DELAY >= 0:
        leaked.append("TEXTUAL_SCREENSHOT")
    if constants.DRIVER:
        leaked.append("TEXTUAL_DRIVER")
    return leaked
