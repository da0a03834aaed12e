"""The command line: `desk ls`, `desk add`, `desk demo`... on the same services as the TUI.

Every command prints through `desk.output` (so through `visible()`), and every failure is
one line on standard error with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desk import __version__, database_url, output
from desk.errors import DeskError, QueryError
from desk.text import one_line, visible

if TYPE_CHECKING:
    from peewee import Database

    from desk.config import Settings
    from desk.services.agents import AgentRef
    from desk.services.filters import Context
    from desk.services.tasks import TaskRow

TASK_COLUMNS = ("id", "status", "priority", "title", "client", "assignees", "due", "tags")
CLIENT_COLUMNS = ("id", "kind", "name", "stage", "account_manager", "lead_score",
                  "last_contact_at", "open_queries", "retainer_amount")


@dataclass
class Session:
    """An open workspace: settings, database, acting agent and query context."""

    settings: Settings
    db: Database
    agent: AgentRef
    context: Context


def _workspace_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--db and --config, accepted before the command and after it."""
    parser.add_argument("--db", metavar="URL", default=default,
                        help="database URL: sqlite:///PATH or postgresql://USER@HOST/NAME "
                             "(default: $DESK_DATABASE, the config's database:, or the file "
                             "in the user data directory)")
    parser.add_argument("--config", metavar="PATH", type=Path, default=default,
                        help="config file (default: $DESK_CONFIG or the user config directory)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="desk", description="A keyboard-driven terminal desk for client work.",
        epilog="Run 'desk COMMAND --help' for the options of a command.")
    parser.add_argument("--version", action="version", version=f"desk {__version__}")
    _workspace_options(parser, None)
    # After the command, the same options must not reset what was given before it.
    shared = argparse.ArgumentParser(add_help=False)
    _workspace_options(shared, argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     parser_class=_parser_with(shared))

    demo = commands.add_parser("demo", help="build and open the demo workspace")
    demo.add_argument("--tasks", type=_positive, metavar="N",
                      help="scale the demo to N tasks in total (up to 1,000,000 and more)")
    demo.add_argument("--reset", action="store_true", help="rebuild an existing demo workspace")
    demo.add_argument("--no-tui", action="store_true", help="print the summary only")

    ls = commands.add_parser("ls", help="list tasks matching a query")
    ls.add_argument("query", nargs="?", default="",
                    help="e.g. 'status:open priority:urgent,high @me #billing due<today'")
    _listing_options(ls, ("priority", "position", "newest", "oldest", "updated", "title", "due"))

    clients = commands.add_parser("clients", help="list clients and customers")
    clients.add_argument("query", nargs="?", default="",
                         help="e.g. 'kind:client stage:active @me score>=50'")
    _listing_options(clients, ("name", "newest", "score", "contact"))

    show = commands.add_parser("show", help="show one task")
    show.add_argument("id", type=_positive, help="task number")
    show.add_argument("--format", choices=("table", "json"), default="table")

    add = commands.add_parser("add", help="add a task")
    add.add_argument("title")
    add.add_argument("--list", dest="list_name", metavar="LIST",
                     help="list name or Space/List (default: the config's workspace.default_list)")
    add.add_argument("--client", metavar="CLIENT", help="client id or name")
    add.add_argument("--priority", default="normal", help="urgent, high, normal, low or none")
    add.add_argument("--due", metavar="WHEN", help="e.g. tomorrow, +3d, fri, 2026-12-01 14:00")
    add.add_argument("--tag", action="append", default=[], metavar="TAG")
    add.add_argument("--assign", action="append", default=[], metavar="AGENT",
                     help="agent user name, or 'me'")
    add.add_argument("--kind", default="task", choices=("task", "query"),
                     help="task or support query (orders come from the product catalogue)")
    add.add_argument("--parent", type=_positive, metavar="ID", help="make it a subtask")
    add.add_argument("--description", default="", metavar="TEXT")
    add.add_argument("--format", choices=("table", "json"), default="table")

    migrate = commands.add_parser("migrate", help="apply pending schema migrations")
    migrate.add_argument("--status", action="store_true", help="list applied and pending")

    backup = commands.add_parser("backup", help="copy the live database to a file")
    backup.add_argument("path", type=Path)

    agents = commands.add_parser("agents", help="list or add the agents of this desk")
    agents.add_argument("--format", choices=output.FORMATS, default="table")
    agent_commands = agents.add_subparsers(dest="agents_command", metavar="ACTION")
    agent_list = agent_commands.add_parser("list", help="list agents (the default)")
    agent_list.add_argument("--format", choices=output.FORMATS, default=argparse.SUPPRESS)
    agent_add = agent_commands.add_parser("add", help="add an agent (admins only)")
    agent_add.add_argument("username", help="their operating-system account name")
    agent_add.add_argument("--role", choices=("admin", "agent", "viewer"))
    agent_add.add_argument("--name", default="")
    agent_add.add_argument("--email", default="")
    agent_add.add_argument("--team", action="append", default=[], metavar="TEAM")
    agent_role = agent_commands.add_parser("role", help="change an agent's role (admins only)")
    agent_role.add_argument("username")
    agent_role.add_argument("role", choices=("admin", "agent", "viewer"))
    return parser


def _parser_with(shared: argparse.ArgumentParser) -> type[argparse.ArgumentParser]:
    """An ArgumentParser class whose instances (the commands) include `shared`'s options."""

    class CommandParser(argparse.ArgumentParser):
        """A command's parser, with the workspace options."""

        def __init__(self, *args, **kwargs) -> None:
            kwargs.setdefault("parents", [shared])
            super().__init__(*args, **kwargs)

    return CommandParser


def _listing_options(parser: argparse.ArgumentParser, sorts: Sequence[str]) -> None:
    """--format, --limit and --sort for a listing command."""
    parser.add_argument("--format", choices=output.FORMATS, default="table")
    parser.add_argument("--limit", type=_positive, default=100, metavar="N")
    parser.add_argument("--sort", choices=sorts, default=sorts[0])


def _positive(text: str) -> int:
    """A whole number of at least 1 (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


# --- opening the workspace -----------------------------------------------------------------


def open_session(args: argparse.Namespace, url: str | None = None) -> Session:
    """Load settings, open and migrate the database, and identify the acting agent."""
    from desk.config import load_settings

    settings = load_settings(args.config)
    url = url or workspace_url(args, settings)
    from desk import db  # after the URL is known: see workspace_url
    from desk.services import agents, filters

    database = db.connect(url, settings.sqlite)
    applied = db.migrate(database)
    if "0001_initial" in applied:
        print(f"desk: created a new workspace in {visible(database_url.redact(url))}",
              file=sys.stderr)
    elif applied:
        print(f"desk: upgraded the database schema ({', '.join(applied)})", file=sys.stderr)
    agent = agents.acting()
    context = filters.Context(agent.username, datetime.now(settings.tz),
                              admin=agent.role == "admin")
    return Session(settings, database, agent, context)


def workspace_url(args: argparse.Namespace, settings: Settings) -> str:
    """The database URL of the command (see database_url.resolve_url). On SQLite, peewee is
    kept from loading the PostgreSQL driver: nothing on this path has imported it yet."""
    url = database_url.resolve_url(args.db, os.environ, settings.database)
    database_url.skip_postgres_driver(url)
    return url


# --- the TUI -------------------------------------------------------------------------------

# Textual reads TEXTUAL_* variables when it is imported (textual.constants) and when an App is
# built. Some of them connect to devtools on 127.0.0.1:8081, write log files or screenshots
# (client data) to disk, inject key presses, or import a driver class named in the
# variable. Over SSH anyone who can set the environment could set them, so every TEXTUAL*
# variable is removed before Textual is imported, except these display preferences.
TEXTUAL_KEPT = frozenset({"TEXTUAL_ANIMATIONS", "TEXTUAL_COLOR_SYSTEM", "TEXTUAL_FPS",
                          "TEXTUAL_SMOOTH_SCROLL", "TEXTUAL_DISABLE_KITTY_KEY"})


def scrub_textual_environment(environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Remove Textual's debugging variables (TEXTUAL, TEXTUAL_LOG, TEXTUAL_DEVTOOLS_*,
    TEXTUAL_SCREENSHOT*, TEXTUAL_PRESS, TEXTUAL_DRIVER...); returns the names removed."""
    environ = os.environ if environ is None else environ
    removed = sorted(name for name in environ
                     if name.startswith("TEXTUAL") and name not in TEXTUAL_KEPT)
    for name in removed:
        del environ[name]
    return removed


def tui_wanted() -> bool:
    """Whether to open the TUI: only when a person is at a terminal (stdin and stdout)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_tui(session: Session) -> int:
    """Open the full-screen app on the session; returns the exit status."""
    scrub_textual_environment()  # before the first import of Textual
    from desk.app import make_app

    app = make_app(session.settings, session.db, session.agent, session.context)
    app.run()
    return app.return_code or 0


# --- commands ------------------------------------------------------------------------------


def cmd_ls(args: argparse.Namespace) -> int:
    """desk ls QUERY."""
    session = open_session(args)
    from desk.services import listing  # after open_session: see workspace_url

    page = listing.task_page(args.query, session.context, sort=args.sort, limit=args.limit)
    rows = [task_record(row) for row in page.rows]
    print(output.render(rows, TASK_COLUMNS, args.format, session.settings.tz,
                        flexible=("title", "client", "tags", "status"),
                        width=output.terminal_width(sys.stdout)))
    return 0


def task_record(row: TaskRow) -> dict:
    """A task row as the CLI prints it (JSON has every key; the table picks columns)."""
    record = output.records([row])[0]
    record["due"] = record.pop("due_at")
    record["checklist"] = (f"{row.checklist_done}/{row.checklist_total}"
                           if row.checklist_total else None)
    return record


def cmd_clients(args: argparse.Namespace) -> int:
    """desk clients QUERY."""
    session = open_session(args)
    from desk.services import listing  # after open_session: see workspace_url

    page = listing.client_page(args.query, session.context, sort=args.sort, limit=args.limit,
                              viewer=session.agent)
    rows = output.records(page.rows)
    print(output.render(rows, CLIENT_COLUMNS, args.format, session.settings.tz,
                        flexible=("name", "account_manager"),
                        width=output.terminal_width(sys.stdout)))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """desk show ID."""
    session = open_session(args)
    from desk.services import audit, comments, tasks  # after open_session: see workspace_url

    detail = tasks.get(args.id)
    zone = session.settings.tz
    record = task_record(detail.row)
    record.update({
        "description": detail.description, "start": detail.start_at, "team": detail.team,
        "estimate_minutes": detail.estimate_minutes, "created_at": detail.created_at,
        "updated_at": detail.updated_at, "closed_at": detail.closed_at,
        "subtasks": [s.id for s in detail.subtasks],
        "comments": output.records(comments.for_task(args.id)),
        "activity": audit.history("task", args.id, limit=20),
    })
    if args.format == "json":
        print(output.render([record], (), "json", zone))
        return 0
    labels = ("id", "title", "kind", "list", "status", "priority", "client", "assignees",
              "tags", "due", "start", "team", "checklist", "subtasks", "version")
    print(output.fields([(label, output.cell(record.get(label), zone)) for label in labels]))
    if record["description"]:
        print(f"\n{visible(record['description'])}")
    for comment in record["comments"]:
        print(f"\n--- {comment['kind']} by {visible(comment['author'])} at "
              f"{output.cell(comment['created_at'], zone)}")
        print(visible(comment["body"]))
    if record["activity"]:
        print("\nHistory (newest first):")
        rows = [[output.cell(entry["at"], zone), entry["actor"], entry["field"],
                 output.cell(entry["old"], zone), output.cell(entry["new"], zone)]
                for entry in record["activity"]]
        print(output.table(rows, ("at", "who", "field", "old", "new"), flexible=("old", "new"),
                           width=output.terminal_width(sys.stdout)))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """desk add TITLE."""
    session = open_session(args)
    # Imported after open_session: see workspace_url.
    from desk import dates
    from desk.clock import to_utc
    from desk.services import clients, tasks, workspace

    default_list = session.settings.workspace.default_list
    task_list = (workspace.find_list(args.list_name) if args.list_name
                 else workspace.starter_list(session.agent, default_list))
    client_id = clients.find(args.client).id if args.client else None
    due = to_utc(dates.parse_due(args.due, session.context.now)) if args.due else None
    assignees = [session.agent.username if name == "me" else name for name in args.assign]
    detail = tasks.create(
        session.agent, args.title, task_list.id, kind=args.kind, priority=args.priority,
        description=args.description, client_id=client_id, parent_id=args.parent, due_at=due,
        tags=args.tag, assignees=assignees)
    if args.format == "json":
        print(output.render([task_record(detail.row)], (), "json", session.settings.tz))
    else:
        print(f"added task {detail.row.id}: {visible(detail.row.title)} "
              f"({visible(task_list.space)}/{visible(task_list.name)})")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """desk migrate [--status]."""
    from desk.config import load_settings

    settings = load_settings(args.config)
    url = workspace_url(args, settings)
    from desk import db  # after the URL is known: see workspace_url

    database = db.connect(url, settings.sqlite)
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


def cmd_backup(args: argparse.Namespace) -> int:
    """desk backup PATH."""
    from desk.config import load_settings

    # No migration first: a backup is what you want of a database this desk cannot use.
    settings = load_settings(args.config)
    url = workspace_url(args, settings)
    from desk import db  # after the URL is known: see workspace_url
    from desk.services import agents

    database = db.connect(url, settings.sqlite)
    agents.acting()
    target = db.backup(database, args.path)
    print(f"backed up to {visible(str(target))}")
    return 0


def cmd_agents(args: argparse.Namespace) -> int:
    """desk agents [list|add|role]."""
    session = open_session(args)
    from desk.services import agents  # after open_session: see workspace_url

    if args.agents_command == "add":
        role = args.role or session.settings.workspace.new_agent_role
        added = agents.add(session.agent, args.username, role=role, name=args.name,
                           email=args.email, teams=tuple(args.team))
        print(f"added {visible(added.username)} as {added.role}")
    elif args.agents_command == "role":
        changed = agents.set_role(session.agent, args.username, args.role)
        print(f"{visible(changed.username)} is now {changed.role}")
    else:
        fmt = args.format
        columns = ("username", "name", "role", "teams", "away")
        print(output.render(agents.listing(), columns, fmt, session.settings.tz))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """desk demo: build (or reuse) the demo workspace and show how to explore it."""
    from desk import paths
    from desk.config import load_settings

    settings = load_settings(args.config)
    url = args.db or f"sqlite:///{paths.demo_database_path()}"
    database_url.skip_postgres_driver(url)
    from desk import db, demo  # after the URL is known: see workspace_url

    database = db.connect(url, settings.sqlite)
    db.migrate(database)
    fresh = demo.is_empty()
    if not fresh and not demo.is_demo():
        raise DeskError(f"{database_url.redact(url)} holds a workspace that is not a demo; "
                        "desk demo will not touch it (choose another --db)")
    if not fresh and (args.reset or args.tasks):
        demo.wipe(database)
        fresh = True
    session = open_session(args, url)  # connects again, migrating a wiped database
    if fresh:
        progress = output.ProgressBar(sys.stderr)
        summary = demo.build(session.agent, tasks=args.tasks, progress=progress.update)
        progress.finish()
    else:
        summary = demo.current_summary()
    if not args.no_tui and tui_wanted():
        return run_tui(session)
    print(demo.summary_text(summary))
    flag = f"--db {shlex.quote(visible(database_url.redact(url)))}"
    print(f"\nExplore it from the command line:\n  desk {flag} ls 'kind:query is:open'\n"
          f"  desk {flag} clients 'kind:client'\n  desk {flag} show 1")
    return 0


def cmd_home(args: argparse.Namespace) -> int:
    """desk with no command: the TUI at a terminal, else the workspace summary."""
    session = open_session(args)
    from desk.services import workspace  # after open_session: see workspace_url

    if tui_wanted():
        return run_tui(session)
    print(summary_text(workspace.summary()))
    print("\nTry: desk ls, desk clients 'kind:client', desk add TITLE, desk --help")
    return 0


def summary_text(summary: dict) -> str:
    """The workspace counts as label/value lines."""
    def counts(by_kind: dict) -> str:
        return ", ".join(f"{number:,} {kind}" for kind, number in sorted(by_kind.items())) or "none"

    return output.fields([
        ("spaces", f"{summary['spaces']:,}"), ("lists", f"{summary['lists']:,}"),
        ("tasks", counts(summary["tasks"])), ("not done", counts(summary["open"])),
        ("clients", counts(summary["clients"])),
    ])


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_home, "demo": cmd_demo, "ls": cmd_ls, "clients": cmd_clients, "show": cmd_show,
    "add": cmd_add, "migrate": cmd_migrate, "backup": cmd_backup, "agents": cmd_agents,
}


def is_database_error(error: Exception) -> bool:
    """Whether `error` is peewee's, asked without importing peewee (see workspace_url)."""
    peewee = sys.modules.get("peewee")
    return peewee is not None and isinstance(error, peewee.PeeweeException)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command in ("ls", "clients"):
        # A query may start with a negated term ('-#spam'), which looks like an option.
        args.query = " ".join([args.query, *extra]).strip()
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return COMMANDS[args.command](args)
    except QueryError as error:
        print(f"desk: {one_line(error.message)}\n{error.pointer()}", file=sys.stderr)
        return 1
    except DeskError as error:
        print(f"desk: {one_line(str(error))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (desk ls | head): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("desk: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the last line of defence: one line, never a traceback
        if is_database_error(error):
            print(f"desk: database error: {one_line(str(error))}", file=sys.stderr)
            return 1
        if os.environ.get("DESK_DEBUG"):
            raise
        kind = type(error).__name__
        print(f"desk: unexpected {kind}: {one_line(str(error))} (set DESK_DEBUG=1 for the "
              "details)", file=sys.stderr)
        return 70
