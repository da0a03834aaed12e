"""Start-up work that gives way while keys are arriving (desk.screens.actions.app.key_quiet).

Each wait runs in a thread of its own; the tests check whether it has returned, never how
long it took: the pauses are made long (a minute) where a wait must hold, and the checks
give a returning wait ten seconds, so a slow machine changes nothing."""

from __future__ import annotations

import threading
import time

import pytest

from desk.app import PRELOADED
from desk.screens.actions.app import key_quiet
from desk.screens.actions.app.key_quiet import KeyQuiet
from desk.screens.modes import preload

RETURNS = 10.0
"""Seconds a wait that must return is given to do so."""


def waiting(quiet: KeyQuiet) -> threading.Thread:
    """`quiet.wait()` running in a thread of its own."""
    thread = threading.Thread(target=quiet.wait, daemon=True)
    thread.start()
    return thread


@pytest.fixture(autouse=True)
def long_pauses(monkeypatch) -> None:
    """A pause in the keys is a minute, and a wait gives up after one: a wait that holds
    still holds when the test looks."""
    monkeypatch.setattr(key_quiet, "QUIET", 60.0)
    monkeypatch.setattr(key_quiet, "PATIENCE", 60.0)


def test_with_no_key_the_work_goes_on_at_once():
    thread = waiting(KeyQuiet())
    thread.join(RETURNS)
    assert not thread.is_alive()


def test_after_a_key_the_work_waits_until_the_app_closes():
    quiet = KeyQuiet()
    quiet.key()
    thread = waiting(quiet)
    thread.join(0.2)
    assert thread.is_alive(), "the work went on while the pause had not come"
    quiet.close()
    thread.join(RETURNS)
    assert not thread.is_alive()
    later = waiting(quiet)  # and every wait after the close returns too
    later.join(RETURNS)
    assert not later.is_alive()


def test_keys_that_keep_coming_hold_the_work_back_only_so_long(monkeypatch):
    monkeypatch.setattr(key_quiet, "PATIENCE", 0.3)
    quiet, stop = KeyQuiet(), threading.Event()

    def held_key() -> None:
        """A key repeating at 30 Hz until the test ends."""
        while not stop.is_set():
            quiet.key()
            time.sleep(1 / 30)

    typist = threading.Thread(target=held_key)
    typist.start()
    try:
        thread = waiting(quiet)
        thread.join(RETURNS)
        assert not thread.is_alive(), "a held key held the work back for good"
    finally:
        stop.set()
        typist.join()


def test_the_preload_can_wait_before_each_screen_it_imports():
    calls: list[float] = []
    preload(PRELOADED, between=lambda: calls.append(time.monotonic()))
    assert len(calls) == len(PRELOADED) >= 6  # once per screen: the modes, task and client
