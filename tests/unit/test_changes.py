"""The change watcher: a commit by another connection is noticed once; reads, rolled-back
writes and a closed watcher report nothing. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from desk.kernel.changes import ChangeWatcher
from desk.models import database
from desk.work import workspace


def in_thread(call):
    """Run `call` in a new thread, as the app's workers do, and return its answer."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def noticed(watcher: ChangeWatcher) -> bool:
    """Whether the watcher reports a change (PostgreSQL delivers notifications
    asynchronously, a moment after the commit; the half minute allowed only ends a failing
    test, however slow the machine)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if in_thread(watcher.changed):
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def watcher(db, admin):
    """A watcher over the test database, past its first (baseline) call."""
    watching = ChangeWatcher(db)
    assert in_thread(watching.changed) is False  # the first call only opens the connection
    yield watching
    watching.close()


def test_a_commit_elsewhere_is_noticed_once(watcher, admin):
    assert in_thread(watcher.changed) is False
    workspace.create_space(admin, "Support")  # the test's connection is another agent's
    assert noticed(watcher)
    assert in_thread(watcher.changed) is False


def test_reads_and_rolled_back_writes_are_not_changes(watcher, admin):
    workspace.tree()
    workspace.summary()
    with pytest.raises(RuntimeError), database.atomic():
        workspace.create_space(admin, "Gone")
        raise RuntimeError("roll back")
    assert workspace.tree() == []
    assert in_thread(watcher.changed) is False


def test_a_closed_watcher_reports_nothing(watcher, admin):
    watcher.close()
    workspace.create_space(admin, "Support")
    assert in_thread(watcher.changed) is False
