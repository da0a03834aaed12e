"""Fixtures for the UI tests: an in-memory row source that records its calls, a tiny app
around a VirtualList, `settle()` to wait until every page fetch has landed, and the real app
over a copy of the demo workspace at a fixed moment (`desk_app`)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import attrgetter
from pathlib import Path

import pytest
from peewee import Database
from textual import on
from textual.app import App, ComposeResult
from textual.notifications import Notify
from textual.worker import WorkerCancelled, WorkerFailed

from desk import db as desk_db
from desk import demo, sla
from desk.app import DeskApp, make_app
from desk.config import Settings
from desk.kernel import agents
from desk.screens.widgets.virtual_list import Page, RenderRow, VirtualList, text_row
from desk.work import filters


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


async def settle(pilot) -> None:
    """Wait until no worker runs and every result has been handled (and painted)."""
    for _ in range(200):
        with suppress(WorkerCancelled, WorkerFailed):  # a cancelled or failed worker is done
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not pilot.app.workers:
            await pilot.pause()
            if not pilot.app.workers:
                return
    raise AssertionError("workers kept running")


async def wait_for_count(pilot, widget: VirtualList) -> None:
    """Wait (up to a second) until the list knows how many rows it has."""
    for _ in range(100):
        await pilot.pause(0.01)
        if widget.row_count:
            return


def shown(widget: VirtualList) -> list[str]:
    """The text of every line in view, right-stripped."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


# --- the real app over a demo workspace ---------------------------------------------------------

DEMO_NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
"""The fixed moment the UI tests' demo is built at and their app clock reads."""


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A demo workspace built once per session at DEMO_NOW; tests get a copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = desk_db.connect(f"sqlite:///{path}")
    desk_db.migrate(database)
    with database.connection_context():
        demo.build(agents.acting(), sla_rules=sla.book(Settings()),
                   now=DEMO_NOW.replace(tzinfo=None))
    database.close()
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path) -> Iterator[Database]:
    """An open copy of the demo workspace, private to the test."""
    path = tmp_path / "demo.db"
    source = sqlite3.connect(demo_template)
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
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
