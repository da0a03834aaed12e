"""Opening the workspace of a command: its settings and database URL (a `Workspace`), then the
migrated database and the acting agent (a `Session`).

Finding the workspace tells the database backend, and on SQLite keeps peewee from loading the
PostgreSQL driver when it is first imported (see database_url.skip_postgres_driver). So the
database code (peewee and every desk module that imports it) is imported only by functions given
a Workspace or a Session, or what they read from it, and those import it at the top of their
body: `in_workspace` and `in_session` make a command's handler such a function.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from desk.text import visible

if TYPE_CHECKING:
    from peewee import Database

    from desk.config import Settings
    from desk.kernel.agents import AgentRef
    from desk.work.filters import Context

Handler = Callable[[argparse.Namespace], int]
"""What a command's parser names as its `handler`: it runs the command; returns the exit status."""


@dataclass(frozen=True)
class Workspace:
    """Where a command works: its settings and the URL of its database."""

    settings: Settings
    url: str


@dataclass
class Session:
    """An open workspace: settings, database, acting agent and query context."""

    settings: Settings
    db: Database
    agent: AgentRef
    context: Context


def find_workspace(args: argparse.Namespace, url: str | None = None) -> Workspace:
    """Load the settings (--config) and pick the database URL: `url`, else --db, then
    $DESK_DATABASE, then the config's database:, then the default file. On SQLite, peewee is
    kept from loading the PostgreSQL driver: nothing has imported peewee before this."""
    # YAML, its checks and the user directories: only for a command that opens a workspace.
    from desk import database_url
    from desk.config import load_settings

    settings = load_settings(args.config)
    url = url or database_url.resolve_url(args.db, os.environ, settings.database)
    database_url.skip_postgres_driver(url)
    return Workspace(settings, url)


def open_session(workspace: Workspace) -> Session:
    """Open and migrate the workspace's database, and identify the acting agent."""
    from desk import database_url, db
    from desk.kernel import agents
    from desk.work import checklists, filters

    settings = workspace.settings
    database = db.connect(workspace.url, settings.sqlite)
    applied = db.migrate(database)
    if "0001_initial" in applied:
        print(f"desk: created a new workspace in {visible(database_url.redact(workspace.url))}",
              file=sys.stderr)
    elif applied:
        print(f"desk: upgraded the database schema ({', '.join(applied)})", file=sys.stderr)
    agent = agents.acting()
    seeded = checklists.seed_templates(agent, settings.checklist_templates)
    if seeded:
        print(f"desk: added checklist templates from the config: {visible(', '.join(seeded))}",
              file=sys.stderr)
    context = filters.Context(agent.username, datetime.now(settings.tz),
                              admin=agent.role == "admin")
    return Session(settings, database, agent, context)


def in_workspace(run: Callable[[Workspace, argparse.Namespace], int]) -> Handler:
    """The handler of a command that works on the database as it is, before any migration:
    `run(workspace, args)`."""

    @functools.wraps(run)
    def handler(args: argparse.Namespace) -> int:
        return run(find_workspace(args), args)

    return handler


def in_session(run: Callable[[Session, argparse.Namespace], int]) -> Handler:
    """The handler of a command that works in the open session: `run(session, args)`."""

    @functools.wraps(run)
    def handler(args: argparse.Namespace) -> int:
        return run(open_session(find_workspace(args)), args)

    return handler
