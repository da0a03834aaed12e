"""New directories for tests, made in one call each."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest


def new_directory(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A new empty directory under the run's base directory, its name starting with `name`.
    pytest's own (`tmp_path`, `tmp_path_factory.mktemp`) numbers each one after listing every
    directory made before it in the run, which cost a millisecond a test and more as the run
    went on; the tests' tmp_path, home directory and demo copy are made here instead."""
    root = tmp_path_factory.getbasetemp() / "tests"
    root.mkdir(exist_ok=True)
    prefix = "".join(c if c.isalnum() else "_" for c in name)[:30]
    return Path(tempfile.mkdtemp(prefix=f"{prefix}-", dir=root))
