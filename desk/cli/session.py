"""Opening the workspace of a command: its settings and database URL (a `Workspace`), then the
migrated database and the acting agent (a `Session`).

A command creates a new database only where a person asked for one (`desk init`, `desk demo`)
or at the default file; anywhere else a missing file, or a database that is not desk's, is
refused with one line (desk.db.connect). The acting agent comes from the identity mode
(desk.kernel.access.identity), which also judges what the command line claims (`--ssh-agent`, and
which command runs: a `Claim`) before the database is opened, and a command that changes
anything says so (`at_least="agent"`, the default of `in_session`): a viewer is refused before
it has written a thing.

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
from datetime import datetime
from typing import TYPE_CHECKING

from msgspec import Struct

from desk.text import visible

if TYPE_CHECKING:
    from peewee import Database

    from desk.config import Settings
    from desk.kernel.access.identity import Claim
    from desk.kernel.agents import AgentRef
    from desk.work.filters import Context

Handler = Callable[[argparse.Namespace], int]
"""What a command's parser names as its `handler`: it runs the command; returns the exit status."""


class Workspace(Struct, frozen=True):
    """Where a command works: its settings and the URL of its database."""

    settings: Settings
    url: str
    may_create: bool = False
    """Whether opening it may create the database (desk init, desk demo, the default file)."""
    claim: Claim | None = None
    """What the command line claims about who is acting (None: nothing)."""

    def connect(self) -> Database:
        """Open the database (not migrated); DeskError for a missing one it may not create,
        or one that is not desk's."""
        from desk import db

        return db.connect(self.url, self.settings.sqlite, create=self.may_create)


class Session(Struct):
    """An open workspace: settings, database, acting agent and query context."""

    settings: Settings
    db: Database
    agent: AgentRef
    context: Context


def find_workspace(args: argparse.Namespace, url: str | None = None, *,
                   create: bool = False) -> Workspace:
    """Load the settings (--config) and pick the database URL: `url`, else --db, then
    $DESK_DATABASE, then the config's database:, then the default file. It may be created if
    `create` (the command makes workspaces) or if it is the default file. On SQLite, peewee is
    kept from loading the PostgreSQL driver: nothing has imported peewee before this. What
    the command line claims about who is acting is judged here, before the database is
    opened (desk.kernel.access.identity.check_claim)."""
    # YAML, its checks and the user directories: only for a command that opens a workspace.
    from desk import database_url
    from desk.config import load_settings
    from desk.kernel.access import identity

    settings = load_settings(args.config)
    claim = identity.Claim(getattr(args, "ssh_agent", None), getattr(args, "ssh_key", None),
                           getattr(args, "command", None))
    identity.check_claim(settings.identity, claim)
    url = url or database_url.resolve_url(args.db, os.environ, settings.database)
    database_url.skip_postgres_driver(url)
    return Workspace(settings, url, create or url == database_url.default_url(), claim)


def open_session(workspace: Workspace, *, at_least: str) -> Session:
    """Open and migrate the workspace's database, and identify the acting agent, who must have
    the role `at_least` (viewer, agent or admin) or a higher one. The session's settings are
    the config's with what the workspace saved put over them (desk.kernel.workspace_settings)."""
    from desk import database_url, db
    from desk.kernel import agents, workspace_settings
    from desk.work import checklists, filters

    settings = workspace.settings
    database = workspace.connect()
    applied = db.migrate(database)
    if "0001_initial" in applied:
        print(f"desk: created a new workspace in {visible(database_url.redact(workspace.url))}",
              file=sys.stderr)
    elif applied:
        print(f"desk: upgraded the database schema ({', '.join(applied)})", file=sys.stderr)
    agent = agents.require(identify(settings, database, workspace.claim), at_least)
    settings = workspace_settings.apply(settings, workspace_settings.current())
    seeded = checklists.seed_templates(agent, settings.checklist_templates)
    if seeded:
        print(f"desk: added checklist templates from the config: {visible(', '.join(seeded))}",
              file=sys.stderr)
    context = filters.Context(agent.username, datetime.now(settings.tz),
                              admin=agent.role == "admin")
    return Session(settings, database, agent, context)


def identify(settings: Settings, database: Database, claim: Claim | None = None) -> AgentRef:
    """The acting agent, by the identity mode of the settings (desk.kernel.access.identity) and what
    the command line claims."""
    from desk.kernel import agents
    from desk.kernel.access import identity

    established = identity.establish(settings.identity, database, claim or identity.NO_CLAIM)
    return agents.acting(established.username, via=established.via,
                         ssh_key=established.ssh_key)


def in_workspace(run: Callable[[Workspace, argparse.Namespace], int]) -> Handler:
    """The handler of a command that works on the database as it is, before any migration:
    `run(workspace, args)`."""

    @functools.wraps(run)
    def handler(args: argparse.Namespace) -> int:
        return run(find_workspace(args), args)

    return handler


def in_session(run: Callable[[Session, argparse.Namespace], int], *,
               at_least: str = "agent") -> Handler:
    """The handler of a command that works in the open session: `run(session, args)`, for an
    agent with the role `at_least` or a higher one. A command that only reads says
    at_least="viewer"; one that may write in some of its forms does so too, and its writing
    services refuse a viewer before they write."""

    @functools.wraps(run)
    def handler(args: argparse.Namespace) -> int:
        return run(open_session(find_workspace(args), at_least=at_least), args)

    return handler
