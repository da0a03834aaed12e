"""Work that gives way while keys are arriving.

Soon after start desk imports the screens not shown yet and runs the background work once:
a few hundred milliseconds of Python in worker threads, just when a person starts moving
through the inbox. A worker thread still holds the interpreter's lock 5 ms at a time, so
every key typed meanwhile waited for it (a move inside the view cost 9 ms of CPU instead of
3, and 18 ms at p95 instead of 11, at 100k tasks). `KeyQuiet` remembers when the last key
came; `wait`, called from a worker thread between two pieces of such work, returns once no
key has come for QUIET seconds.
"""

from __future__ import annotations

import threading
import time

QUIET = 2.0
"""Seconds without a key after which work that gives way goes on: a person who has paused
this long is reading, and likely to go on reading while the work runs (a shorter pause was
followed by keys that met the work halfway: one import can take 0.1 s)."""
PATIENCE = 5.0
"""Seconds a wait lasts at most: a key held down for long does not hold the work back."""


class KeyQuiet:
    """When the last key came, and a wait for a pause in the keys."""

    def __init__(self) -> None:
        """No key yet."""
        self.last = float("-inf")
        self._closing = threading.Event()

    def key(self) -> None:
        """A key has come (on the UI thread)."""
        self.last = time.monotonic()

    def close(self) -> None:
        """The app is closing: every wait returns at once, now and later, so no worker is
        left sleeping behind it."""
        self._closing.set()

    def wait(self) -> None:
        """In a worker thread: return once no key has come for QUIET seconds (or PATIENCE
        seconds have passed, or the app is closing)."""
        give_up = time.monotonic() + PATIENCE
        while (left := min(self.last + QUIET, give_up) - time.monotonic()) > 0:
            if self._closing.wait(left):
                return
