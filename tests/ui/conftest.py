"""Fixtures for the UI tests: an in-memory row source that records its calls, a tiny app
around a VirtualList, the real app over a copy of the demo workspace at a fixed moment
(`desk_app`), and the ways tests drive an app: `settle()` waits until the app is still
(workers done, screen switches landed), `press()` presses keys one by one as a person does,
and `type_text()` types text into the focused field in one go. Text cursors do not blink,
and the terminal shows 16 million colours."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import attrgetter
from pathlib import Path

import pytest
from built_once import filled_once
from peewee import Database
from textual import events, on
from textual.app import App, ComposeResult
from textual.keys import key_to_character
from textual.notifications import Notify
from textual.widgets import Input, TextArea
from textual.worker import WorkerCancelled, WorkerFailed

from desk import db as desk_db
from desk import demo, sla
from desk.app import DeskApp, make_app
from desk.config import Settings
from desk.kernel import agents
from desk.screens.widgets.list_rows import Page, RenderRow, text_row
from desk.screens.widgets.virtual_list import VirtualList
from desk.work import filters


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch) -> None:
    """Text cursors do not blink in the UI tests: a blink is a timer that wakes the app twice
    a second, and a snapshot taken in the other half-second would differ. `cursor_blink`
    reads False on every Input and TextArea, and setting it changes nothing."""
    for editor in (Input, TextArea):
        monkeypatch.setattr(editor, "cursor_blink", property(lambda self: False,
                                                             lambda self, blink: None))


@pytest.fixture(autouse=True)
def truecolour_terminal(monkeypatch) -> None:
    """The UI tests run as on a terminal of 16 million colours, whatever terminal runs
    pytest: on one of 16 the app would start in desk-16 (desk.screens.themes.for_terminal).
    A test of that choice sets TERM and COLORTERM itself."""
    monkeypatch.setenv("COLORTERM", "truecolor")


@dataclass(frozen=True)
class Item:
    """One row of the fake source."""

    id: int
    title: str


@dataclass
class FakeSource:
    """`n` rows titled "row <i>" (or the given `items`), recording every call (thread-safe).

    `fail` makes page() and count() raise; `count_gate` and `page_gate` (events) hold those
    calls until set. The key of a page is the index of its last row.
    """

    n: int = 0
    items: list[Item] | None = None
    fail: bool = False
    count_gate: threading.Event | None = None
    page_gate: threading.Event | None = None
    pages: list[tuple[int, tuple | None]] = field(default_factory=list)
    counts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        """How many rows."""
        with self.lock:
            self.counts += 1
        if self.count_gate is not None:
            self.count_gate.wait(10)
        if self.fail:
            raise RuntimeError("database is locked [/] \x1b[2J")
        return len(self.items) if self.items is not None else self.n

    def page(self, number: int, size: int, after: tuple | None) -> Page:
        """Rows of page `number`; keyset `after` is checked against the offset."""
        with self.lock:
            self.pages.append((number, after))
        if self.page_gate is not None:
            self.page_gate.wait(10)
        if self.fail:
            raise RuntimeError("database is locked [/] \x1b[2J")
        start = number * size
        if after is not None:
            assert after == (start - 1,), (after, start)
        if self.items is not None:
            rows = self.items[start:start + size]
        else:
            rows = [Item(i, f"row {i}") for i in range(start, min(start + size, self.n))]
        return Page(rows, (start + size - 1,) if len(rows) == size else None)

    @property
    def requested(self) -> list[int]:
        """Page numbers asked for, in order."""
        with self.lock:
            return [number for number, _ in self.pages]


class ListApp(App):
    """A VirtualList over `source`, focused, recording its messages and notices."""

    def __init__(self, source, render_row: RenderRow | None = None) -> None:
        super().__init__()
        self.source = source
        self.render_row = render_row or text_row(attrgetter("title"))
        self.messages: list = []
        self.notices: list[tuple[str, bool]] = []

    def compose(self) -> ComposeResult:
        """Only the list."""
        yield VirtualList(self.source, self.render_row)

    def on_mount(self) -> None:
        """Keys go to the list."""
        self.query_one(VirtualList).focus()

    def notify(self, message: str, **options) -> None:
        """Record each notice (text, markup flag), then show it."""
        self.notices.append((message, options.get("markup", True)))
        super().notify(message, **options)

    @on(VirtualList.CursorMoved)
    @on(VirtualList.Selected)
    @on(VirtualList.MarksChanged)
    def record(self, message) -> None:
        """Keep every message of the list."""
        self.messages.append(message)

    def of(self, kind) -> list:
        """The recorded messages of one kind."""
        return [m for m in self.messages if isinstance(m, kind)]


class Notices(list):
    """A message hook (run_test's `message_hook=`) keeping the text of every notification,
    with whether it would be parsed as markup and its severity."""

    def __init__(self) -> None:
        super().__init__()
        self.markup: list[bool] = []
        self.severity: list[str] = []

    def __call__(self, message) -> None:
        if isinstance(message, Notify):
            self.append(message.notification.message)
            self.markup.append(message.notification.markup)
            self.severity.append(message.notification.severity)


UNSEEN_WORK = {"preload"}
"""Worker groups whose work changes nothing on screen, which `settle` does not wait for:
importing the screens not shown yet, which waits for a pause in the keys
(desk.screens.actions.app.key_quiet) and would hold every test two seconds past its last
key."""


def quiet(app) -> bool:
    """Whether the app and every widget of its screen have handled every message sent, and
    the screen has nothing left to lay out or paint, nor a call waiting for its next paint
    (`call_after_refresh`: the sidebar puts its cursor back that way after a reload).
    Textual keeps all three in private attributes; if a release renames one, every UI test
    fails here with an AttributeError rather than passing on a guess."""
    screen = app.screen
    return (not (screen._layout_required or screen._scroll_required
                 or screen._repaint_required or screen._dirty_widgets or screen._callbacks)
            and all(node._message_queue.empty()
                    for node in (app, *screen.walk_children(with_self=True))))


def working(app) -> list:
    """The app's workers that `settle` waits for: all but UNSEEN_WORK."""
    return [worker for worker in app.workers if worker.group not in UNSEEN_WORK]


async def settle(pilot) -> None:
    """Wait until the app is still, or has ended: no worker running (but UNSEEN_WORK), every
    message handled and the screen painted, and no screen switch under way (a key that opens,
    closes or swaps a screen has landed, and what the new screen started on mounting has
    finished). It waits on the app's own queues, not on the process being idle, so it takes
    as long as the work does. The limit, a minute, only ends a test that fails."""
    app = pilot.app
    deadline = time.monotonic() + 60
    while app.is_running:
        busy = working(app)
        if busy:  # (an empty list would make Textual wait for every worker)
            with suppress(WorkerCancelled, WorkerFailed):  # a cancelled or failed one is done
                await app.workers.wait_for_complete(busy)
        screen = app.screen
        await pilot.pause(0)  # the messages queued now are handled, then the screen painted
        if not working(app) and app.screen is screen and screen.is_mounted:
            await pilot.wait_for_animation()
            await pilot.pause(0)
            if not working(app) and app.screen is screen and quiet(app):
                return
        if time.monotonic() > deadline:
            raise AssertionError("the app kept working: workers kept running or screens "
                                 "switching")


def hold(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> threading.Event:
    """Hold `owner.name` (a service a screen calls in a worker) until the event returned is
    set, as a slow database or a large file would."""
    service = getattr(owner, name)

    def held(*args, **kwargs):
        released.wait(30)
        return service(*args, **kwargs)

    released = threading.Event()
    monkeypatch.setattr(owner, name, held)
    return released


async def wait_until(pilot, condition: Callable[[], object], what: str) -> None:
    """Let the app run, its timers included, until `condition()` holds, then settle: for
    what the app does by itself (live refresh, background work). The limit, a minute, only
    ends a test that fails; a passing one takes as long as the app does, however slow the
    machine."""
    deadline = time.monotonic() + 60
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited a minute for {what}")
        await pilot.pause(0.05)
    await settle(pilot)


async def press(pilot, *keys: str) -> None:
    """Press keys as a person does, each once the work of the one before has landed: the
    key reaches the app as the terminal driver delivers it, then the app settles (where
    `pilot.press` also waits for the process to idle twice per key). Punctuation goes by
    its key name ("slash", "question_mark"), as in bindings; text goes in with type_text."""
    app = pilot.app
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            raise ValueError(f"name the key {key!r} (e.g. 'slash'), or use type_text")
        app.post_message(events.Key(key, key_to_character(key)).set_sender(app))
        await settle(pilot)


async def type_text(pilot, text: str) -> None:
    """Type `text` into the focused Input or TextArea in one go, through the widget's own
    editing API (what each printable key would do, done once), then settle. For tests where
    the typing itself is not what is tested. It settles first: a `focus()` takes effect
    after the call returns."""
    await settle(pilot)
    focused = pilot.app.focused
    if isinstance(focused, Input):
        focused.replace(text, *sorted(focused.selection))
    elif isinstance(focused, TextArea):
        focused.replace(text, *focused.selection)
    else:
        raise AssertionError(f"nothing to type into: the focus is on {focused!r}")
    await settle(pilot)


async def wait_for_count(pilot, widget: VirtualList) -> None:
    """Wait until the list knows how many rows it has (while a worker may still be held)."""
    for _ in range(1000):  # seconds on a busy machine; a few rounds on an idle one
        await pilot.pause()
        if widget.row_count:
            return
    raise AssertionError("the list never learned how many rows it has")


def shown(widget: VirtualList) -> list[str]:
    """The text of every line in view, right-stripped."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


# --- the real app over a demo workspace ---------------------------------------------------------

DEMO_NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
"""The fixed moment the UI tests' demo is built at and their app clock reads."""


@pytest.fixture(scope="session")
def demo_template(sqlite_template, tmp_path_factory) -> Path:
    """A demo workspace built once per test run at DEMO_NOW; tests get a copy."""
    def build(_database: Database, _path: Path) -> None:
        demo.build(agents.acting(), sla_rules=sla.book(Settings()),
                   now=DEMO_NOW.replace(tzinfo=None))

    return filled_once(tmp_path_factory, sqlite_template, "ui-demo.db", build)


@pytest.fixture
def demo_db(demo_template, tmp_path) -> Iterator[Database]:
    """An open copy of the demo workspace, private to the test."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    database = desk_db.connect(f"sqlite:///{path}")
    yield database
    database.close()


@pytest.fixture
def desk_app(demo_db, tmp_path) -> Callable[..., DeskApp]:
    """make_app over the demo copy with a fixed clock; keyword arguments become Settings.

    `agent=` acts as another agent (an AgentRef), e.g. a viewer. Live refresh is off unless
    `watch_interval=` (seconds) is given, so a test's own "other agent" writes land when the
    test says, not a second later. The background work (recurring series, automations) is
    off unless `tick_interval=` is given.
    """
    def build(agent: agents.AgentRef | None = None, watch_interval: float | None = None,
              tick_interval: float | None = None, **settings) -> DeskApp:
        with demo_db.connection_context():
            acting = agent or agents.acting()
        context = filters.Context(acting.username, DEMO_NOW, admin=acting.role == "admin")
        return make_app(Settings(**settings), demo_db, acting, context,
                        state_file=tmp_path / "state.yaml", clock=lambda: DEMO_NOW,
                        watch_interval=watch_interval, tick_interval=tick_interval)

    return build
