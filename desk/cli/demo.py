"""desk demo: build (or reuse) the demo workspace, then open it or say how to explore it."""

from __future__ import annotations

import argparse
import sys

from desk import output
from desk.cli.one_command import OnlyCommand
from desk.cli.options import positive
from desk.cli.session import Workspace, find_workspace, open_session
from desk.cli.tui import run_tui, tui_wanted
from desk.errors import DeskError
from desk.text import visible


def register(commands: OnlyCommand) -> None:
    """Add desk demo."""
    demo = commands.add_parser("demo", help="build and open the demo workspace")
    demo.add_argument("--tasks", type=positive, metavar="N",
                      help="scale the demo to N tasks in total (up to 1,000,000 and more)")
    demo.add_argument("--reset", action="store_true", help="rebuild an existing demo workspace")
    demo.add_argument("--no-tui", action="store_true", help="print the summary only")
    demo.set_defaults(handler=open_demo)


def open_demo(args: argparse.Namespace) -> int:
    """desk demo: the demo workspace is --db, else its own file in the user data directory
    (never $DESK_DATABASE or the config's database:)."""
    from desk import paths

    url = args.db or f"sqlite:///{paths.demo_database_path()}"
    return run_demo(find_workspace(args, url, create=True), args)


def run_demo(workspace: Workspace, args: argparse.Namespace) -> int:
    """Build the demo in `workspace` unless it holds one already, then open the TUI at a
    terminal, else print its summary.

    Only a brand-new database (no agents, no work) becomes a demo, and it is marked as one
    before anything else; any other workspace is refused untouched. Rebuilding a demo
    (--reset, --tasks) takes an admin of that demo.
    """
    import shlex

    from desk import database_url, db, demo, sla
    from desk.kernel import agents
    from desk.models import Agent

    database = workspace.connect()
    db.migrate(database)
    if demo.is_empty() and not Agent.select().exists():
        demo.mark_demo()  # this database is desk's demo from its first moment
    elif not demo.is_demo():
        raise DeskError(f"{database_url.redact(workspace.url)} holds a workspace that is not a "
                        "demo; desk demo will not touch it (choose another --db)")
    session = open_session(workspace, at_least="viewer")
    fresh = demo.is_empty()
    if not fresh and (args.reset or args.tasks):
        agents.require_admin(session.agent)
        demo.wipe(session.db)
        db.migrate(workspace.connect())
        demo.mark_demo()
        session = open_session(workspace, at_least="viewer")  # the new demo's first admin
        fresh = True
    if fresh:
        progress = output.ProgressBar(sys.stderr)
        summary = demo.build(session.agent, sla_rules=sla.book(session.settings),
                             tasks=args.tasks, progress=progress.update,
                             urgency=session.settings.urgency)
        progress.finish()
    else:
        summary = demo.current_summary()
    if not args.no_tui and tui_wanted():
        return run_tui(session)
    print(demo.summary_text(summary))
    flag = f"--db {shlex.quote(visible(database_url.redact(workspace.url)))}"
    print(f"\nExplore it from the command line:\n  desk {flag} ls 'kind:query is:open'\n"
          f"  desk {flag} clients 'kind:client'\n  desk {flag} show 1")
    return 0
