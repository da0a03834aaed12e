"""Start-up work that gives way while keys are arriving (desk.screens.actions.app.key_quiet)."""

from __future__ import annotations

import threading
import time

from desk.screens.actions.app import key_quiet
from desk.screens.actions.app.key_quiet import KeyQuiet
from desk.screens.keymap import binding_classes


def timed(call) -> float:
    """Seconds `call()` took."""
    start = time.monotonic()
    call()
    return time.monotonic() - start


def test_with_no_key_the_work_goes_on_at_once():
    assert timed(KeyQuiet().wait) < 0.01


def test_after_a_key_the_work_waits_for_a_pause(monkeypatch):
    monkeypatch.setattr(key_quiet, "QUIET", 0.1)
    quiet = KeyQuiet()
    quiet.key()
    assert 0.09 <= timed(quiet.wait) < 0.5


def test_keys_that_keep_coming_hold_the_work_back_only_so_long(monkeypatch):
    monkeypatch.setattr(key_quiet, "QUIET", 0.1)
    monkeypatch.setattr(key_quiet, "PATIENCE", 0.4)
    quiet, stop = KeyQuiet(), threading.Event()

    def held_key() -> None:
        """A key repeating at 30 Hz until the test ends."""
        while not stop.is_set():
            quiet.key()
            time.sleep(1 / 30)

    typist = threading.Thread(target=held_key)
    typist.start()
    try:
        assert 0.35 <= timed(quiet.wait) < 0.6
    finally:
        stop.set()
        typist.join()


def test_the_preload_can_wait_before_each_module_it_imports():
    calls: list[float] = []
    classes = binding_classes(between=lambda: calls.append(time.monotonic()))
    assert classes and len(calls) >= 20  # once per module of desk.screens
