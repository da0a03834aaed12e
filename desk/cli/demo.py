"""desk demo: build (or reuse) the demo workspace, then open it or say how to explore it."""

from __future__ import annotations

import argparse
import sys

from desk import output
from desk.cli.options import positive
from desk.cli.session import Workspace, find_workspace, open_session
from desk.cli.tui import run_tui, tui_wanted
from desk.errors import DeskError
from desk.text import visible


def register(commands: argparse._SubParsersAction) -> None:
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
    return run_demo(find_workspace(args, url), args)


def run_demo(workspace: Workspace, args: argparse.Namespace) -> int:
    """Build the demo in `workspace` unless it holds one already (refusing any other
    workspace), then open the TUI at a terminal, else print its summary."""
    import shlex

    from desk import database_url, db, demo, sla

    database = db.connect(workspace.url, workspace.settings.sqlite)
    db.migrate(database)
    fresh = demo.is_empty()
    if not fresh and not demo.is_demo():
        raise DeskError(f"{database_url.redact(workspace.url)} holds a workspace that is not a "
                        "demo; desk demo will not touch it (choose another --db)")
    if not fresh and (args.reset or args.tasks):
        demo.wipe(database)
        fresh = True
    session = open_session(workspace)  # connects again, migrating a wiped database
    if fresh:
        progress = output.ProgressBar(sys.stderr)
        summary = demo.build(session.agent, sla_rules=sla.book(session.settings),
                             tasks=args.tasks, progress=progress.update)
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
