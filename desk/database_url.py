"""Database URLs: which one a command uses, what it points at (the file behind a SQLite URL,
the connection parameters of a PostgreSQL one, as peewee's `playhouse.db_url` reads them), and
a URL fit to print.

Importing this module does not import peewee: `skip_postgres_driver` has to run before peewee
is first imported, so `playhouse.db_url` is loaded only when a URL is read."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from desk import paths
from desk.errors import DeskError


def resolve_url(flag: str | None, environ: Mapping[str, str], configured: str | None) -> str:
    """Pick the database URL: --db, then DESK_DATABASE, then the config, then the default file."""
    for candidate in (flag, environ.get("DESK_DATABASE"), configured):
        if candidate:
            return candidate
    return f"sqlite:///{paths.default_database_path()}"


POSTGRES_SCHEMES = ("postgresql", "postgres")
"""The schemes of a PostgreSQL URL (postgres is the short form many tools write)."""


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (or a bare path), or None for any other database.

    sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy and peewee read them;
    ~ is the home folder. A URL that names no file is refused (DeskError)."""
    if "://" not in url:
        return Path(url).expanduser()
    if urlsplit(url).scheme != "sqlite":
        return None
    name = _parse(url)["database"]
    if name == ":memory:":  # how playhouse reads a URL without a path
        raise DeskError(f"database URL {url!r} names no file")
    return Path(unquote(name)).expanduser()


def postgres_params(url: str) -> dict[str, Any]:
    """The connection parameters of a postgresql:// (or postgres://) URL: `database` (None
    for the server's default), `user` and `password` (unquoted), `host`, `port`, and the
    options of its query string (?host=/run/postgresql&sslmode=require). DeskError, naming
    the URL without its password, for any other scheme."""
    if urlsplit(url).scheme not in POSTGRES_SCHEMES:
        raise DeskError(
            f"unsupported database URL {redact(url)!r}: use sqlite:///PATH or postgresql://..."
        )
    params = _parse(url)
    params["database"] = unquote(params["database"]) or None
    return params


def _parse(url: str) -> dict[str, Any]:
    """The parts of a database URL as playhouse.db_url reads them."""
    from playhouse.db_url import parse  # here, not above: see the module's docstring

    return parse(url, unquote_password=True, unquote_user=True)


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
