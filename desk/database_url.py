"""Database URLs: which one a command uses, the file behind a SQLite URL, and a URL fit to
print. Nothing here imports peewee, so the CLI can tell the backend before loading it."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from desk import paths
from desk.errors import DeskError


def resolve_url(flag: str | None, environ: Mapping[str, str], configured: str | None) -> str:
    """Pick the database URL: --db, then DESK_DATABASE, then the config, then the default file."""
    for candidate in (flag, environ.get("DESK_DATABASE"), configured):
        if candidate:
            return candidate
    return f"sqlite:///{paths.default_database_path()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (or a bare path), or None for any other database."""
    if "://" not in url:
        return Path(url).expanduser()
    parts = urlsplit(url)
    if parts.scheme != "sqlite":
        return None
    # sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy and peewee read them.
    raw = unquote(url[len("sqlite://"):])
    if raw.startswith("/"):
        raw = raw[1:]
    if not raw:
        raise DeskError(f"database URL {url!r} names no file")
    return Path(raw).expanduser()


def redact(url: str) -> str:
    """The URL with any password replaced, fit to print."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def skip_postgres_driver(url: str) -> None:
    """For a SQLite `url`, keep peewee from importing the PostgreSQL drivers when it is first
    imported: peewee imports psycopg at import whatever the database, which costs every SQLite
    start about 0.15 s.

    Uses the import system's documented switch (a None entry in sys.modules makes the import
    fail, and peewee then runs without the driver). Call it before anything imports peewee;
    a process that has imported peewee already, or that opens PostgreSQL, is left as it is."""
    if "peewee" in sys.modules or ("://" in url and urlsplit(url).scheme != "sqlite"):
        return
    for name in ("psycopg", "psycopg2", "psycopg2cffi"):
        sys.modules.setdefault(name, None)
