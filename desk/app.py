"""The Textual app: modes, key map, themes and command palette, built over the services.

Only desk/app.py and desk/cli.py under desk/ import Textual. `make_app` is the single
factory that both the CLI and the tests use. The settings, the database, the acting agent
and the query context are all passed in, and nothing is looked up globally.

- Modes. Each mode is one screen, switched with a single key from anywhere: 1 inbox,
  2 tasks, 3 clients, 4 dashboard. Screens are imported when first needed (and preloaded
  in a worker a second after start), so that the inbox paints sooner.
- Keys. Every binding has an id. The config's `keymap:` (id -> keys) is applied with
  `App.set_keymap`. Unknown ids, and keys bound twice in one scope, are reported once at
  start in a single notification. They never crash the app.
- Themes. The YAML themes in desk.themes are registered at start. The palette offers
  "Theme: <name>", and the choice is remembered in desk's state file (desk.state), not in
  the user's config. Textual's own "Screenshot" command is removed, because it writes the
  screen, client data included, to disk.
- Palette. ctrl+p also finds tasks and clients by name and runs the keys of the current
  screen (desk.screens.palette).
- Live refresh. About once a second a short worker asks a `ChangeWatcher` whether anyone
  committed a change. If so, each screen in view that defines `data_changed()` is told to
  reload its rows (keeping the cursor and any draft); a screen out of view is told when it
  is shown again. Screens implement `data_changed()`; nothing else is needed.
- Viewers. The header says "viewer: read only", so a viewer knows why write keys refuse.
"""

from __future__ import annotations

import difflib
import gc
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from importlib import import_module, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakKeyDictionary

from textual import constants
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingsMap, InvalidBinding
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from desk import state
from desk.kernel.changes import ChangeWatcher
from desk.screens.actions.background import BackgroundWork
from desk.screens.actions.calls import can_write
from desk.screens.palette import RecordSearch, ScreenActions
from desk.screens.themes import DeskTheme, app_variable_defaults, desk_themes
from desk.text import one_line

if TYPE_CHECKING:
    from peewee import Database
    from textual.driver import Driver

    from desk.config import Settings
    from desk.kernel.agents import AgentRef
    from desk.screens.dialogs.help import KeyRow
    from desk.work.filters import Context

FALLBACK_THEME = "desk-dark"
"""The theme used when the configured one is unknown (Textual's own if even that failed)."""

APP_WIDE = "everywhere"
"""How the help screen and the key map notices name the app's own bindings."""

HIDDEN_SYSTEM_COMMANDS = frozenset({"Screenshot", "Theme"})
"""Textual palette commands desk removes. Screenshot writes client data to disk; Theme is
replaced by one "Theme: <name>" command per desk theme, whose choice is remembered."""


def load_screen(where: type[Screen[Any]] | str) -> type[Screen[Any]]:
    """The screen class `where` names, imported on first use
    ("desk.screens.screens.tasks:TasksScreen").

    Screens are imported when first shown rather than at start: importing all of them made
    the first paint about 0.3 s later (tests/bench/bench_tui.py).
    """
    if not isinstance(where, str):
        return where
    module, _, name = where.partition(":")
    return getattr(import_module(module), name)


@dataclass(frozen=True)
class Mode:
    """One app mode: its name, its screen ("module:Class") and its default key."""

    name: str
    title: str
    key: str
    where: str

    @property
    def binding_id(self) -> str:
        """The binding id that the config's keymap uses for this mode's key."""
        return f"mode.{self.name}"

    @property
    def screen(self) -> type[Screen[Any]]:
        """The mode's screen class (imported now if it was not yet)."""
        return load_screen(self.where)

    def build(self) -> Screen[Any]:
        """A new screen for the mode: what Textual's MODES calls."""
        return self.screen()


MODES_IN_ORDER = (
    Mode("inbox", "Inbox", "1", "desk.screens.screens.inbox:InboxScreen"),
    Mode("tasks", "Tasks", "2", "desk.screens.screens.tasks:TasksScreen"),
    Mode("clients", "Clients", "3", "desk.screens.screens.clients:ClientsScreen"),
    Mode("dashboard", "Dashboard", "4", "desk.screens.screens.dashboard:DashboardScreen"),
)

PRELOAD_AFTER = 1.0
"""Seconds after start when the screens not shown yet are imported, in a worker thread, so
that the first switch to them does not wait for the import."""


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
             tick_interval: float | None = TICK_INTERVAL) -> DeskApp:
    """Build the app over an open, migrated database. The CLI and the tests both use this.

    `state_file` is where the remembered theme lives. It defaults to desk.state's file in
    the user state folder. `clock` gives the time now (aware); tests pass a fixed one.
    `watch_interval` is how often to look for changes by others (None: never).
    `tick_interval` is how often the background work runs, what `desk tick` does (None:
    never; it never runs for a viewer either).
    """
    return DeskApp(settings, database, agent, context, state_file=state_file, clock=clock,
                   watch_interval=watch_interval, tick_interval=tick_interval)


def _stylesheet() -> str:
    """The app stylesheet, read from the installed desk.themes package."""
    return resources.files("desk.themes").joinpath("desk.tcss").read_text(encoding="utf-8")


class DeskApp(App[None], inherit_bindings=False):
    """The desk terminal app. Build it with `make_app`.

    Declared with inherit_bindings=False: Textual's default ctrl+q quit (a chord that breaks
    over SSH and tmux) is replaced by `q`, and every binding desk has carries an id.
    """

    TITLE = "desk"
    CSS = _stylesheet()
    MODES: ClassVar[dict[str, Any]] = {mode.name: mode.build for mode in MODES_IN_ORDER}
    DEFAULT_MODE = "inbox"
    BINDINGS: ClassVar[list[Any]] = [
        *(Binding(mode.key, f"switch_mode('{mode.name}')", mode.title, id=mode.binding_id)
          for mode in MODES_IN_ORDER),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+p", "command_palette", "Commands", id="app.palette", show=False,
                priority=True, tooltip="Open the command palette"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {RecordSearch, ScreenActions}
    """Textual's system commands (trimmed in get_system_commands), plus desk's providers."""
    KEYMAP_SCREENS: ClassVar[tuple[type[Screen[Any]] | str, ...]] = (
        "desk.screens.dialogs.help:HelpScreen",
        "desk.screens.screens.client_screen:ClientScreen",
        "desk.screens.screens.task_screen:TaskScreen",
        "desk.screens.screens.board:BoardScreen",
        "desk.screens.dialogs.save_view:SaveViewScreen",
        "desk.screens.dialogs.pick_view:PickViewScreen",
        "desk.screens.dialogs.conflict:ConflictScreen",
        "desk.screens.dialogs.pick:PickScreen",
        "desk.screens.dialogs.prompt:PromptScreen",
        "desk.screens.dialogs.write_text:WriteTextScreen",
        "desk.screens.widgets.virtual_list:VirtualList",
        "desk.screens.widgets.outline_list:OutlineList",
        "desk.screens.widgets.sidebar:Sidebar",
        "desk.screens.widgets.new_task_row:NewTaskRow",
        "desk.screens.widgets.line_list:LineList",
        "desk.screens.widgets.checklist_panel:ChecklistPanel",
        "desk.screens.widgets.query_bar:QueryBar",
        "desk.screens.dialogs.order_form:OrderFormScreen",
        "desk.screens.screens.products:ProductsScreen",
        "desk.screens.screens.templates:TemplatesScreen",
        "desk.screens.dialogs.recurrence_form:RecurrenceScreen",
        "desk.screens.screens.drill_down:DrillDownScreen",
        "desk.screens.dialogs.query_form:QueryFormScreen",
        "desk.screens.dialogs.urgency_why:UrgencyScreen",
        "desk.screens.screens.outbox:OutboxScreen",
        "desk.screens.dialogs.outbox_message:OutboxMessageScreen",
    )
    """Screens and widgets beyond the modes whose bindings the start-up key map check covers.
    Add each new screen or widget with bindings here, as "module:Class" (imported only when
    needed) or as the class, so that its binding ids are known to the check and its
    conflicts are reported at start and not on first use."""

    def __init__(self, settings: Settings, database: Database, agent: AgentRef,
                 context: Context, *, state_file: Path | None = None,
                 clock: Callable[[], datetime] | None = None,
                 watch_interval: float | None = WATCH_INTERVAL,
                 tick_interval: float | None = TICK_INTERVAL) -> None:
        super().__init__()
        # The CLI removes TEXTUAL_* debugging variables before Textual is imported. If the app
        # is built some other way, still never connect to devtools.
        self.features = frozenset(self.features - {"devtools", "debug"})
        self.devtools = None
        self.settings = settings
        """The user's settings (read-only)."""
        self.database = database
        """The open database. Screens use it only to open connections in their workers."""
        self.agent = agent
        """Who is acting."""
        self.context = context
        """The query context: @me and the time "now" for queries."""
        self.state_file = state_file
        """Where remembered choices are kept; None means desk.state's default."""
        self.clock = clock or (lambda: datetime.now(context.now.tzinfo))
        """The time now, aware, in the person's time zone."""
        self.watch_interval = watch_interval
        """Seconds between checks for changes by others; None turns live refresh off."""
        self.tick_interval = tick_interval
        """Seconds between runs of the background work; None turns it off."""
        self.background = BackgroundWork(self)
        """Runs the background work (recurring series, automations) in a worker."""
        self.change_watcher = ChangeWatcher(database)
        """Answers, from worker threads, whether anyone changed the data."""
        self.data_generation = 0
        """How many changes have been seen: a screen hidden at an older one is stale."""
        self._checking = False
        """A change check is running; the next tick waits for it."""
        self._shown: Screen[Any] | None = None
        """The screen in view at the last screen change."""
        self._hidden_at: WeakKeyDictionary[Screen[Any], int] = WeakKeyDictionary()
        """Screens out of view, and the data generation when they left it."""
        self._notices: list[tuple[str, str]] = []
        """(message, severity) pairs to show once the app is running."""
        self._reported_clashes: set[tuple[str, str]] = set()
        """(key, binding) pairs already reported, so a clash is reported only once."""
        if leaked := textual_debug_settings():
            self._notices.append((f"Textual debugging settings were read before desk could "
                                  f"remove them ({', '.join(leaked)}); start desk with the "
                                  f"desk command", "warning"))
        self.desk_themes: list[DeskTheme] = self._register_desk_themes()
        """The themes loaded from desk.themes, in file-name order."""
        self.keymap_keys, keymap_notes = normalize_keymap(settings.keymap)
        """The user's keymap: binding id -> key names (long form, e.g. question_mark)."""
        notes = keymap_notes + self._check_keymap()
        if notes:
            self._notices.append(("Key map (the config's keymap:): " + "; ".join(notes),
                                  "warning"))
        if self.COMMAND_PALETTE_BINDING not in self.keymap_keys.get("app.palette", ("ctrl+p",)):
            # The footer shows the palette key by looking up COMMAND_PALETTE_BINDING.
            self.COMMAND_PALETTE_BINDING = self.keymap_keys["app.palette"][0]
        self.theme = self._starting_theme()

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

    # --- start-up ------------------------------------------------------------------------

    def _register_desk_themes(self) -> list[DeskTheme]:
        """Register the packaged themes. A broken file is reported and skipped."""
        themes, errors = desk_themes()
        for loaded in themes:
            self.register_theme(loaded.theme)
        for error in errors:
            self._notices.append((f"Theme skipped: {error}", "error"))
        return themes

    def _starting_theme(self) -> str:
        """The theme picked in the palette, else the configured one, else the fallback.

        A palette choice is remembered together with the config's theme at the time it was
        made. After the user edits `theme:` in the config, the config wins again.
        """
        remembered, problem = state.load(self.state_file)
        if problem:
            self._notices.append((problem, "warning"))
        configured = self.settings.theme
        chosen = remembered.get("theme")
        if isinstance(chosen, str) and remembered.get("config_theme") == configured \
                and chosen in self.available_themes:
            return chosen
        if configured in self.available_themes:
            return configured
        fallback = FALLBACK_THEME if FALLBACK_THEME in self.available_themes else "textual-dark"
        names = ", ".join(theme.theme.name for theme in self.desk_themes)
        self._notices.append((f"Unknown theme {configured!r} in the config; using {fallback} "
                              f"(desk themes: {names})", "warning"))
        return fallback

    def _check_keymap(self) -> list[str]:
        """Unknown ids and conflicting keys in the user's keymap, one phrase each.

        Without a keymap there is nothing to check (desk's own keys do not clash; the tests
        see to that), so the screens are not imported at start for it.
        """
        if not self.keymap_keys:
            return []
        scopes = [Scope(APP_WIDE, declared_bindings(type(self)), is_app=True)]
        screens = [mode.screen for mode in MODES_IN_ORDER] + [
            load_screen(where) for where in self.KEYMAP_SCREENS]
        for screen in screens:
            kind = "screen" if issubclass(screen, Screen) else "widget"
            scopes.append(Scope(f"the {_screen_name(screen)} {kind}", declared_bindings(screen),
                                modal=issubclass(screen, ModalScreen)))
        problems = keymap_problems(self.keymap_keys, scopes, self._key_display)
        for problem in problems:
            self._reported_clashes.update(problem.pairs)
        return [problem.text for problem in problems]

    def on_mount(self) -> None:
        self.set_keymap({binding_id: ",".join(keys)
                         for binding_id, keys in self.keymap_keys.items()})
        for message, severity in self._notices:
            self.notify(message, title="desk", severity=severity, timeout=12, markup=False)
        self._notices.clear()
        self._shown = self.screen
        self.screen_change_signal.subscribe(self, self._screen_changed)
        if self.watch_interval:
            self.check_for_changes()  # the first check only opens the watcher's connection
            self.set_interval(self.watch_interval, self.check_for_changes)
        self.set_timer(PRELOAD_AFTER, self._preload_screens)
        if self.tick_interval and self.agent.can_write:
            self.set_timer(min(FIRST_TICK_AFTER, self.tick_interval), self.background.run)
            self.set_interval(self.tick_interval, self.background.run)

    def on_ready(self) -> None:
        """After the first frame: when desk.cli paused the garbage collector for the start,
        keep what the start built out of later collections (gc.freeze) and resume them."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def _preload_screens(self) -> None:
        """Import the screens not shown yet in a worker thread, after the first paint."""
        def work() -> None:
            for where in (*(mode.where for mode in MODES_IN_ORDER), *self.KEYMAP_SCREENS):
                load_screen(where)

        self.run_worker(work, thread=True, group="preload", exit_on_error=False)

    def on_unmount(self) -> None:
        """Close the change watcher's connection."""
        self.change_watcher.close()

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header: "desk — Inbox", and for a viewer a note that nothing can be changed."""
        formatted = super().format_title(title, sub_title)
        if self.agent.can_write:
            return formatted
        return Content.assemble(formatted, ("  · viewer: read only", "bold"))

    # --- live refresh --------------------------------------------------------------------

    def check_for_changes(self) -> None:
        """Ask the watcher, in a short thread worker, whether anyone changed the data."""
        if self._checking:
            return
        self._checking = True
        self.run_worker(self._ask_watcher, thread=True, group="changes", exit_on_error=False)

    def _ask_watcher(self) -> None:
        """In the worker thread: one cheap check, answered back on the UI thread."""
        changed = self.change_watcher.changed()
        with suppress(RuntimeError):  # the app stopped meanwhile
            self.call_from_thread(self._checked, changed)

    def _checked(self, changed: bool) -> None:
        """On the UI thread: a check finished."""
        self._checking = False
        if changed:
            self.data_changed()

    def data_changed(self) -> None:
        """The data changed: the screens in view reload now, the others when shown again."""
        self.data_generation += 1
        for screen in reversed(self.screen_stack):
            self._reload(screen)
            if not screen.is_modal:
                break  # what lies below a full screen is out of view

    def _reload(self, screen: Screen[Any]) -> None:
        """Tell `screen` to reload its rows, if it knows how."""
        if screen in self._hidden_at:
            self._hidden_at[screen] = self.data_generation
        reload = getattr(screen, "data_changed", None)
        if callable(reload):
            reload()

    def _screen_changed(self, screen: Screen[Any]) -> None:
        """Another screen is in view: reload it if the data changed while it was hidden."""
        previous, self._shown = self._shown, screen
        if previous is not None and previous is not screen:
            self._hidden_at[previous] = self.data_generation
        if self._hidden_at.pop(screen, self.data_generation) < self.data_generation:
            self._reload(screen)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Status and priority colours for themes that do not set them (Textual's own)."""
        return app_variable_defaults(self.current_theme)

    # --- keys ----------------------------------------------------------------------------

    def _key_display(self, key: str) -> str:
        """How a key name is shown to people: question_mark -> ?, ctrl+p -> ^p."""
        return self.get_key_display(Binding(key, ""))

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: DOMNode) -> None:
        """Report, once, a clash that Textual finds at run time and the start-up check missed.

        This covers screens that are not listed in KEYMAP_SCREENS. Textual calls this on
        every key press while the clash lasts, so each clash is reported only once.
        """
        parts = []
        for binding in sorted(clashed_bindings, key=lambda item: item.key):
            label = binding.id or binding.action
            if (binding.key, label) in self._reported_clashes:
                continue
            self._reported_clashes.add((binding.key, label))
            takers = [binding_id for binding_id, keys in self.keymap_keys.items()
                      if binding.key in keys and binding_id != label]
            parts.append(f"key {self._key_display(binding.key)} is bound to both "
                         f"{' and '.join([*takers, label])} ({_node_name(node)}); "
                         f"{label} no longer has it")
        if parts:
            self.notify("Key map (the config's keymap:): " + "; ".join(parts), title="desk",
                        severity="warning", timeout=12, markup=False)

    def key_rows(self, screen: Screen[Any]) -> list[KeyRow]:
        """Every active binding of `screen` and the app, with the keys bound right now."""
        from desk.screens.dialogs.help import KeyRow

        rows = []
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if binding.system:
                continue
            rows.append(KeyRow(
                key=self.get_key_display(binding.with_key(key)),
                description=binding.description or binding.tooltip or binding.action,
                binding_id=binding.id,
                scope=_node_name(active.node),
                enabled=active.enabled,
            ))
        # The app's keys first, then the screen's, then the focused widget's (scrolling...).
        # Within a scope, bindings keep their declared order, even after the keymap moved them.
        scopes = list(dict.fromkeys(row.scope for row in reversed(rows)))
        declared = {binding.id: index
                    for index, binding in enumerate(declared_bindings(type(self))) if binding.id}
        rows.sort(key=lambda row: (scopes.index(row.scope),
                                   declared.get(row.binding_id, len(declared))))
        return rows

    def action_help(self) -> None:
        """Show the live key map of the current screen."""
        help_screen = load_screen("desk.screens.dialogs.help:HelpScreen")
        if isinstance(self.screen, help_screen):
            return
        close = self.keymap_keys.get("help.close", ("escape",))[0]
        hint = ("Rebind a key by its binding id under keymap: in the config file, "
                f"e.g. keymap: {{mode.tasks: f2}}. {self._key_display(close)} closes this.")
        self.push_screen(help_screen(self.key_rows(self.screen), hint))

    # --- the command palette ---------------------------------------------------------------

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
        yield SystemCommand("Outbox", "The e-mail desk sends: what went out, what waits, what "
                            "failed; retry or send now",
                            partial(self.open_screen, "desk.screens.screens.outbox:OutboxScreen"))
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
    """The TEXTUAL_* debugging settings that Textual read when it was imported.

    The CLI removes them from the environment before it imports Textual, so this list is
    empty unless desk was started some other way.
    """
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


# --- the key map check (pure functions over Binding lists) -------------------------------------


@dataclass(frozen=True)
class Scope:
    """Bindings that are active together: the app's, or one screen's."""

    name: str
    bindings: list[Binding]
    is_app: bool = False
    modal: bool = False


@dataclass(frozen=True)
class KeyProblem:
    """One reported key map problem, and the (key, binding) pairs it covers."""

    text: str
    pairs: frozenset[tuple[str, str]] = frozenset()


def normalize_keymap(keymap: Mapping[str, str]) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The keymap as binding id -> Textual key names, plus a phrase per entry that was dropped.

    "?, t" becomes ("question_mark", "t"): spaces are removed and single characters get
    their long names, as Textual's own bindings have.
    """
    normalized: dict[str, tuple[str, ...]] = {}
    notes: list[str] = []
    for binding_id, text in keymap.items():
        names = [name.strip() for name in text.split(",") if name.strip()]
        try:
            keys = tuple(dict.fromkeys(key for name in names for key in _key_names(name)))
        except InvalidBinding:
            keys = ()
        if not keys:
            notes.append(f"{binding_id}: no usable key in {text!r}, so it keeps its default")
            continue
        normalized[binding_id] = keys
    return normalized, notes


def _key_names(name: str) -> list[str]:
    """Textual's long name(s) for one key as a person writes it ("?" -> "question_mark")."""
    return list(BindingsMap([Binding(name, "")]).key_to_bindings)


def declared_bindings(node_class: type[DOMNode]) -> list[Binding]:
    """The bindings a class declares, with inherited ones, one Binding per key.

    This follows Textual's rule that a subclass's binding for a key replaces its bases'
    bindings for that key. Bindings of textual's App base are left out, because DeskApp
    does not inherit them.
    """
    by_key: dict[str, list[Binding]] = {}
    for base in reversed(node_class.__mro__):
        if not issubclass(base, DOMNode) or base is App or "BINDINGS" not in vars(base):
            continue
        for key, bindings in BindingsMap(vars(base)["BINDINGS"]).key_to_bindings.items():
            by_key[key] = list(bindings)
    return [binding for bindings in by_key.values() for binding in bindings]


def _effective(scope: Scope, keymap: Mapping[str, tuple[str, ...]]) -> dict[str, list[Binding]]:
    """key -> the bindings on it once `keymap` is applied (one per id or action)."""
    by_key: dict[str, dict[str, Binding]] = {}
    for binding in scope.bindings:
        keys = keymap.get(binding.id, (binding.key,)) if binding.id else (binding.key,)
        for key in keys:
            by_key.setdefault(key, {}).setdefault(binding.id or binding.action, binding)
    return {key: list(bindings.values()) for key, bindings in by_key.items()}


def keymap_problems(keymap: Mapping[str, tuple[str, ...]], scopes: Sequence[Scope],
                    display=lambda key: key) -> list[KeyProblem]:
    """Unknown binding ids, keys bound twice in one scope, and rebound keys that a screen hides.

    `display` turns a key name into what people read (question_mark -> ?).
    """
    problems: list[KeyProblem] = []
    known = sorted({binding.id for scope in scopes for binding in scope.bindings if binding.id})
    for binding_id in keymap:
        if binding_id not in known:
            guesses = difflib.get_close_matches(binding_id, known, n=1)
            hint = f" (did you mean {guesses[0]!r}?)" if guesses else ""
            problems.append(KeyProblem(f"unknown binding id {binding_id!r}{hint}"))
    effective = [(scope, _effective(scope, keymap)) for scope in scopes]
    conflicts: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for scope, by_key in effective:
        for key, bindings in by_key.items():
            if len(bindings) > 1:
                labels = tuple(binding.id or binding.action for binding in bindings)
                conflicts.setdefault((key, labels), []).append(scope.name)
    for (key, labels), where in conflicts.items():
        problems.append(KeyProblem(
            f"key {display(key)} is bound to both {' and '.join(labels)} ({', '.join(where)})",
            frozenset((key, label) for label in labels)))
    app_keys = next((by_key for scope, by_key in effective if scope.is_app), {})
    hidden: dict[tuple[str, str, str], list[str]] = {}
    for scope, by_key in effective:
        if scope.is_app or scope.modal:
            continue
        for key, screen_bindings in by_key.items():
            for app_binding in app_keys.get(key, []):
                for screen_binding in screen_bindings:
                    if not (app_binding.id in keymap or screen_binding.id in keymap):
                        continue  # only what the user's keymap caused
                    winner, loser = ((app_binding, screen_binding) if app_binding.priority
                                     else (screen_binding, app_binding))
                    names = (winner.id or winner.action, loser.id or loser.action)
                    hidden.setdefault((key, *names), []).append(scope.name)
    for (key, winner, loser), where in hidden.items():
        problems.append(KeyProblem(
            f"key {display(key)}: {loser} does not work on {', '.join(where)}, "
            f"where {winner} has that key", frozenset({(key, loser)})))
    return problems


def _screen_name(screen: type[Screen[Any]]) -> str:
    """A screen class as people call it: its TITLE, or its class name."""
    return getattr(screen, "TITLE", None) or screen.__name__


def _node_name(node: DOMNode) -> str:
    """Where a binding lives, in words: "the Inbox screen", "DataTable"."""
    if isinstance(node, Screen):
        return f"the {_screen_name(type(node))} screen"
    if isinstance(node, App):
        return APP_WIDE
    return one_line(type(node).__name__)
