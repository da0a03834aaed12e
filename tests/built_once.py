"""Files the whole test run shares: built by the first worker that asks, reused by the rest.

pytest-xdist gives each worker a temporary folder of its own under one folder for the run.
A file built there under an exclusive lock is built once per run instead of once per
worker: the migrated SQLite template and the demo workspace cost seconds each.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

import pytest


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], None]) -> Path:
    """The run's file `name`, made by `build(path)` the first time any worker asks.

    `build` writes a file beside the final one, which is then renamed into place,
    so no worker ever copies a half-built file."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    path = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            partial = root / f"{name}.partial"
            build(partial)
            partial.rename(path)
    return path
