"""desk migrate and desk backup: the database's schema and copies, on the database as it is."""

from __future__ import annotations

import argparse
from pathlib import Path

from desk.cli.one_command import OnlyCommand
from desk.cli.session import Workspace, identify, in_workspace
from desk.text import visible


def register(commands: OnlyCommand) -> None:
    """Add desk migrate and desk backup."""
    migrate = commands.add_parser("migrate", help="apply pending schema migrations")
    migrate.add_argument("--status", action="store_true", help="list applied and pending")
    migrate.set_defaults(handler=in_workspace(migrate_schema))

    backup = commands.add_parser("backup", help="copy the live database to a file")
    backup.add_argument("path", type=Path)
    backup.set_defaults(handler=in_workspace(back_up))


def migrate_schema(workspace: Workspace, args: argparse.Namespace) -> int:
    """desk migrate [--status]."""
    from desk import db

    database = workspace.connect()
    if args.status:
        applied, pending = db.migration_status(database)
        for name in applied:
            print(f"applied  {name}")
        for name in pending:
            print(f"pending  {name}")
        return 0
    applied = db.migrate(database)
    print(f"applied {', '.join(applied)}" if applied else "the database is up to date")
    return 0


def back_up(workspace: Workspace, args: argparse.Namespace) -> int:
    """desk backup PATH. No migration first: a backup is what you want of a database this desk
    cannot use."""
    from desk import db

    database = workspace.connect()
    # only an agent of this desk may copy it
    identify(workspace.settings, database, workspace.claim)
    target = db.backup(database, args.path)
    print(f"backed up to {visible(str(target))}")
    return 0
