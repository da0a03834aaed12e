"""Where desk keeps its files, from platformdirs (XDG on Linux)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "desk"


def data_dir() -> Path:
    """The user data directory: the default database, the demo and backups live here."""
    return platformdirs.user_data_path(APP_NAME)


def default_database_path() -> Path:
    """The SQLite file used when no database is configured."""
    return data_dir() / "desk.db"


def demo_database_path() -> Path:
    """The SQLite file `desk demo` builds, kept apart from the real workspace."""
    return data_dir() / "demo.db"
