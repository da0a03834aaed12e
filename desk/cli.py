"""The command line: `desk ls`, `desk add`, `desk demo`... on the same services as the TUI.

Every command prints through `desk.output` (so through `visible()`), and every failure is
one line on standard error with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import shlex
import sys
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from desk import __version__, database_url, output
from desk.errors import DeskError, QueryError
from desk.text import one_line, visible

if TYPE_CHECKING:
    from peewee import Database

    from desk.config import Settings
    from desk.kernel.agents import AgentRef
    from desk.mail.outbox import OutboxMessage
    from desk.work.filters import Context
    from desk.work.orders import ProductRow
    from desk.work.tasks import TaskRow

TASK_COLUMNS = ("id", "status", "priority", "title", "client", "assignees", "due", "tags")
CLIENT_COLUMNS = ("id", "kind", "name", "stage", "account_manager", "lead_score",
                  "last_contact_at", "open_queries", "retainer_amount")
PRODUCT_COLUMNS = ("id", "name", "kind", "unit_price", "active", "checklist_template")
PRODUCT_KINDS = ("product", "service")
TEMPLATE_COLUMNS = ("id", "name", "list", "items")
OUTBOX_COLUMNS = ("id", "status", "attempts", "to_address", "subject", "created_at", "sent_at",
                  "next_attempt_at", "last_error")


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
    _order_parsers(commands)
    _recurrence_parsers(commands)
    _automation_parsers(commands)
    _intake_parsers(commands)
    _report_parser(commands)
    _outbox_parsers(commands)
    return parser


def _order_parsers(commands: argparse._SubParsersAction) -> None:
    """desk products, desk order and desk checklist."""
    products = commands.add_parser("products", help="list or change the product catalogue")
    products.add_argument("--format", choices=output.FORMATS, default="table")
    products.add_argument("--all", action="store_true", help="include inactive products")
    product_commands = products.add_subparsers(dest="products_command", metavar="ACTION")
    product_list = product_commands.add_parser("list", help="list the catalogue (the default)")
    product_list.add_argument("--format", choices=output.FORMATS, default=argparse.SUPPRESS)
    product_list.add_argument("--all", action="store_true", default=argparse.SUPPRESS,
                              help="include inactive products")
    product_add = product_commands.add_parser("add", help="add a product or service")
    product_add.add_argument("name")
    product_add.add_argument("--price", required=True, help="unit price, e.g. 1200.50")
    product_add.add_argument("--kind", choices=PRODUCT_KINDS, default="service")
    product_add.add_argument("--checklist", metavar="TEMPLATE",
                             help="the checklist template its orders get")
    product_edit = product_commands.add_parser("edit", help="change a product")
    product_edit.add_argument("product", metavar="NAME|ID")
    product_edit.add_argument("--name", help="a new name")
    product_edit.add_argument("--price", help="a new unit price")
    product_edit.add_argument("--kind", choices=PRODUCT_KINDS)
    product_edit.add_argument("--active", choices=("yes", "no"),
                              help="no = it can no longer be ordered")
    product_edit.add_argument("--checklist", metavar="TEMPLATE|none",
                              help="the checklist template its orders get (none: no checklist)")

    order = commands.add_parser("order", help="create an order for a client")
    order.add_argument("client", metavar="CLIENT", help="client id or name")
    order.add_argument("product", metavar="PRODUCT", help="product id or name")
    order.add_argument("--qty", required=True, metavar="N", help="how many")
    order.add_argument("--price", help="unit price (default: the product's)")
    order.add_argument("--due", metavar="WHEN", help="e.g. tomorrow, +3d, fri, 2026-12-01 14:00")
    order.add_argument("--format", choices=("table", "json"), default="table")

    checklist = commands.add_parser("checklist", help="list checklist templates or apply one")
    checklist_commands = checklist.add_subparsers(dest="checklist_command", metavar="ACTION",
                                                  required=True)
    checklist_templates = checklist_commands.add_parser("templates",
                                                        help="list the checklist templates")
    checklist_templates.add_argument("--format", choices=output.FORMATS, default="table")
    checklist_apply = checklist_commands.add_parser("apply", help="give a task a checklist")
    checklist_apply.add_argument("task", type=_positive, metavar="TASK", help="task number")
    checklist_apply.add_argument("template", metavar="TEMPLATE", help="template name")


def _recurrence_parsers(commands: argparse._SubParsersAction) -> None:
    """desk recur and desk tick."""
    recur = commands.add_parser(
        "recur", help="make a task recur (shows the next five dates), or stop it",
        description="Without a rule: show the task's series. With one: print the next five "
                    "dates and save (--preview: print only). A new rule replaces the task's "
                    "series; options not given take their defaults.")
    recur.add_argument("task", type=_positive, metavar="TASK", help="task number")
    recur.add_argument("rule", nargs="*", metavar="RULE",
                       help="e.g. daily, 'every 2 weeks on fri', 'monthly on last working "
                            "day', 'yearly on 03-15', or FREQ=MONTHLY;BYMONTHDAY=1")
    recur.add_argument("--anchor", choices=("schedule", "completion"), default="schedule",
                       help="count the next date from the schedule or from completion")
    recur.add_argument("--mode", choices=("new", "reopen"), default="new",
                       help="create a new task each time, or reopen this one")
    recur.add_argument("--skip-weekends", action="store_true",
                       help="move a Saturday or Sunday date to the Monday")
    recur.add_argument("--skip-if-open", action="store_true",
                       help="skip a date while the previous occurrence is not done")
    recur.add_argument("--catch-up", choices=("latest", "all"), default="latest",
                       help="after downtime create only the latest missed date, or all")
    recur.add_argument("--start", metavar="WHEN", help="first date, e.g. mon, 2026-12-01")
    recur.add_argument("--until", metavar="DATE", help="last day, e.g. 2027-06-30")
    recur.add_argument("--count", type=_positive, metavar="N", help="end after N dates")
    recur.add_argument("--preview", action="store_true", help="show the dates, save nothing")
    recur.add_argument("--stop", action="store_true", help="stop the task's series")

    tick = commands.add_parser("tick", help="create the recurring work that is due (for cron)")
    tick.add_argument("--now", metavar="TIME",
                      help="the moment to act for (default: now), e.g. 2026-12-01T09:00")


def _automation_parsers(commands: argparse._SubParsersAction) -> None:
    """desk automations check and desk automations dry-run."""
    automations = commands.add_parser("automations", help="check or try the automation rules")
    automation_commands = automations.add_subparsers(dest="automations_command",
                                                     metavar="ACTION", required=True)
    automation_commands.add_parser(
        "check", help="check the rules: mistakes by rule name, key and line")
    dry_run = automation_commands.add_parser(
        "dry-run", help="show what the rules would do now, changing nothing")
    dry_run.add_argument("--since", metavar="DATE",
                         help="replay every change since DATE, e.g. today, yesterday, "
                              "--since=-7d, 2026-11-01 "
                              "(default: the changes not yet processed)")


def _intake_parsers(commands: argparse._SubParsersAction) -> None:
    """desk intake form|maildir|mbox|eml|imap, desk csat and desk merge."""
    intake = commands.add_parser(
        "intake", help="take in support queries from e-mail or forms",
        description="Each e-mail is taken once (reading a mailbox again creates nothing new): "
                    "a new query, a comment on the query it answers, an automatic reply "
                    "(noted or logged), or failed (kept and reported). One line is printed "
                    "per message, then a summary; the exit status is 1 when a message failed.")
    sources = intake.add_subparsers(dest="intake_command", metavar="SOURCE", required=True)
    sources.add_parser("form", help="read submissions as JSON or YAML on standard input: a "
                                    "mapping or a list of them with name, email, client, "
                                    "product, problem, title, priority, channel")
    maildir = sources.add_parser("maildir", help="read a maildir (its files are left as they are)")
    maildir.add_argument("path", type=Path, metavar="PATH")
    mbox = sources.add_parser("mbox", help="read an mbox file (it is left as it is)")
    mbox.add_argument("path", type=Path, metavar="PATH")
    eml = sources.add_parser("eml", help="read .eml files")
    eml.add_argument("files", type=Path, nargs="+", metavar="FILE")
    sources.add_parser("imap", help="read the IMAP folder of the config's intake.imap and flag "
                                    "or move what was taken")

    csat = commands.add_parser("csat", help="record a satisfaction score given by phone")
    csat.add_argument("task", type=_positive, metavar="ID", help="query number")
    csat.add_argument("score", metavar="SCORE", help="1 (poor) to 5 (excellent)")
    csat.add_argument("comment", nargs="?", default="", metavar="COMMENT")

    merge = commands.add_parser(
        "merge", help="merge support queries into one",
        description="Moves every message, comment, attachment and interaction of the OTHER "
                    "queries to KEEP, then closes them with a note 'merged into #KEEP'.")
    merge.add_argument("keep", type=_positive, metavar="KEEP", help="the query that stays")
    merge.add_argument("others", type=_positive, nargs="+", metavar="OTHER",
                       help="the queries merged into it")


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
    from desk.kernel import agents
    from desk.work import checklists, filters

    database = db.connect(url, settings.sqlite)
    applied = db.migrate(database)
    if "0001_initial" in applied:
        print(f"desk: created a new workspace in {visible(database_url.redact(url))}",
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
    from desk.work import listing

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
    from desk.work import listing

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
    from desk.kernel import audit
    from desk.work import comments, tasks

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
    from desk import dates, sla
    from desk.clock import to_utc
    from desk.crm import clients
    from desk.work import tasks, workspace

    default_list = session.settings.workspace.default_list
    task_list = (workspace.find_list(args.list_name) if args.list_name
                 else workspace.starter_list(session.agent, default_list))
    client_id = clients.find(args.client).id if args.client else None
    due = to_utc(dates.parse_due(args.due, session.context.now)) if args.due else None
    assignees = [session.agent.username if name == "me" else name for name in args.assign]
    detail = tasks.create(
        session.agent, args.title, task_list.id, kind=args.kind, priority=args.priority,
        description=args.description, client_id=client_id, parent_id=args.parent, due_at=due,
        tags=args.tag, assignees=assignees, sla_rules=sla.book(session.settings))
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
    from desk.kernel import agents

    database = db.connect(url, settings.sqlite)
    agents.acting()
    target = db.backup(database, args.path)
    print(f"backed up to {visible(str(target))}")
    return 0


def cmd_agents(args: argparse.Namespace) -> int:
    """desk agents [list|add|role]."""
    session = open_session(args)
    from desk.kernel import agents

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
    from desk import db, demo, sla  # after the URL is known: see workspace_url

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
        summary = demo.build(session.agent, sla_rules=sla.book(session.settings),
                             tasks=args.tasks, progress=progress.update)
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


def cmd_products(args: argparse.Namespace) -> int:
    """desk products [list|add|edit]."""
    session = open_session(args)
    from desk.work import orders

    if args.products_command == "add":
        row = orders.create_product(session.agent, args.name, kind=args.kind,
                                    unit_price=args.price, checklist_template=args.checklist)
        print(f"added product {row.id}: {product_text(row)}")
    elif args.products_command == "edit":
        current = orders.find_product(args.product)
        row = orders.update_product(session.agent, current.id, current.version,
                                    **product_changes(args))
        print(f"product {row.id}: {product_text(row)}")
    else:
        rows = output.records(orders.products(include_inactive=args.all))
        print(output.render(rows, PRODUCT_COLUMNS, args.format, session.settings.tz,
                            flexible=("name", "checklist_template"),
                            width=output.terminal_width(sys.stdout)))
    return 0


def product_changes(args: argparse.Namespace) -> dict[str, object]:
    """The product fields `desk products edit` was asked to change (at least one)."""
    changes: dict[str, object] = {
        field: value for field, value in (("name", args.name), ("unit_price", args.price),
                                          ("kind", args.kind)) if value is not None}
    if args.active is not None:
        changes["active"] = args.active == "yes"
    if args.checklist is not None:
        none = args.checklist.strip().lower() == "none"
        changes["checklist_template"] = None if none else args.checklist
    if not changes:
        raise DeskError("name a change: --name, --price, --kind, --active or --checklist")
    return changes


def product_text(row: ProductRow) -> str:
    """A product on one line: "Website (service, 1200.50, active, checklist: Launch)"."""
    template = visible(row.checklist_template) if row.checklist_template else "none"
    state = "active" if row.active else "inactive"
    return f"{visible(row.name)} ({row.kind}, {row.unit_price}, {state}, checklist: {template})"


def cmd_order(args: argparse.Namespace) -> int:
    """desk order CLIENT PRODUCT --qty N."""
    session = open_session(args)
    # Imported after open_session: see workspace_url.
    from desk import dates
    from desk.clock import to_utc
    from desk.crm import clients
    from desk.work import orders

    client = clients.find(args.client, session.agent)
    due = to_utc(dates.parse_due(args.due, session.context.now)) if args.due else None
    created = orders.place_order(session.agent, session.settings.orders, client.id,
                                 args.product, args.qty, unit_price=args.price, due_at=due)
    row, info = created.task.row, created.order
    record = {**task_record(row), "team": created.task.team, "product": info.product,
              "quantity": info.quantity, "unit_price": info.unit_price, "total": info.total}
    if args.format == "json":
        print(output.render([record], (), "json", session.settings.tz))
        return 0
    print(f"added order {row.id}: {visible(row.title)}")
    zone = session.settings.tz
    print(output.fields([
        ("client", row.client), ("product", info.product), ("quantity", info.quantity),
        ("unit price", info.unit_price), ("total", info.total), ("list", row.list),
        ("team", created.task.team), ("due", output.cell(row.due_at, zone)),
        ("checklist", f"{row.checklist_total} items"),
    ]))
    return 0


def cmd_checklist(args: argparse.Namespace) -> int:
    """desk checklist templates | apply TASK TEMPLATE."""
    session = open_session(args)
    from desk.work import checklists, tasks

    if args.checklist_command == "apply":
        checklist_id = checklists.apply_template(session.agent, args.task, args.template)
        added = next(view for view in checklists.for_task(args.task) if view.id == checklist_id)
        row = tasks.get(args.task).row
        print(f"added checklist {visible(added.name)} ({added.progress[1]} items) to task "
              f"{row.id}: {visible(row.title)}")
        return 0
    rows = [{"id": view.id, "name": view.name, "list": view.list_name, "items": view.item_count}
            for view in checklists.templates()]
    print(output.render(rows, TEMPLATE_COLUMNS, args.format, session.settings.tz,
                        flexible=("name", "list"), width=output.terminal_width(sys.stdout)))
    return 0


def cmd_home(args: argparse.Namespace) -> int:
    """desk with no command: the TUI at a terminal, else the workspace summary."""
    if tui_wanted():
        gc.disable()  # the app's start allocates much and frees little: see DeskApp.on_ready
    session = open_session(args)
    from desk.work import workspace

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


def cmd_recur(args: argparse.Namespace) -> int:
    """desk recur TASK [RULE] [options], or desk recur TASK --stop."""
    session = open_session(args)
    from desk import business_hours, dates  # after open_session: see workspace_url
    from desk.recurrence import series as recurrence
    from desk.work import tasks

    zone, now = session.settings.tz, session.context.now
    calendar = business_hours.calendar(session.settings)
    rule = " ".join(args.rule).strip()
    name = f"task {args.task} ({visible(tasks.get(args.task).row.title)})"
    if args.stop or not rule:
        if args.stop and rule:
            raise DeskError("give a rule or --stop, not both")
        view = (recurrence.stop_series(session.agent, args.task) if args.stop
                else recurrence.series_for(args.task))
        if view is None or not view.active:
            print(f"{name} does not recur" + ("" if args.stop else
                  f"; e.g. desk recur {args.task} 'weekly on mon'"))
            return 0
        print(f"{name} {recurrence.describe(view.spec, zone)}:")
        _print_dates(recurrence.preview(view.spec, view.next_at or now, 5, zone,
                                        calendar=calendar))
        return 0
    starts = (_argument("--start", recurrence.start_from_text, args.start, args.task, now)
              if args.start else recurrence.default_start(args.task, now))
    until = _argument("--until", dates.parse_due, args.until, now) if args.until else None
    spec = recurrence.SeriesSpec(
        rule, anchor=args.anchor, mode=args.mode, skip_weekends=args.skip_weekends,
        skip_if_open=args.skip_if_open, catch_up=args.catch_up, starts_at=starts,
        until=until, count=args.count)
    upcoming = recurrence.upcoming(args.task, spec, zone, calendar=calendar, now=now)
    print(f"{name} {recurrence.describe(recurrence.checked(spec), zone)}:")
    _print_dates(upcoming)
    if args.preview:
        print("preview only: nothing saved")
        return 0
    view = recurrence.set_series(session.agent, args.task, spec, zone, calendar=calendar,
                                 now=now)
    following = (f"next {output.cell(view.next_at, zone)}" if view.next_at
                 else "the next date follows when the current one is done")
    print(f"saved series {view.id}: {following}")
    return 0


def _argument(option: str, read: Callable[..., datetime], *values: object) -> datetime:
    """`read(*values)`, with a mistake reported as the option's."""
    try:
        return read(*values)
    except DeskError as error:
        raise DeskError(f"{option}: {error}") from error


def _print_dates(moments: Sequence[datetime]) -> None:
    """The dates of a preview, one a line, in local time."""
    for moment in moments:
        print(f"  {moment:%a %Y-%m-%d %H:%M %Z}")
    if not moments:
        print("  (no dates left)")


def cmd_tick(args: argparse.Namespace) -> int:
    """desk tick [--now TIME]: do the background work due by now, once (cron, systemd)."""
    session = open_session(args)
    # Imported after open_session: see workspace_url.
    from desk import dates
    from desk.automation import background

    now = (_argument("--now", dates.parse_when, args.now, session.context.now) if args.now
           else session.context.now)

    failed = False
    for report in background.run_due_work(session.settings, now, session.agent):
        print(report.summary)
        for problem in report.problems:
            print(f"desk: {one_line(problem)}", file=sys.stderr)
        failed = failed or bool(report.problems)
    return 1 if failed else 0


def cmd_automations(args: argparse.Namespace) -> int:
    """desk automations check | dry-run [--since DATE]."""
    if args.automations_command == "check":
        return _check_automations(args)
    session = open_session(args)
    # Imported after open_session: see workspace_url.
    from desk import dates, sla
    from desk.automation import processor as automations
    from desk.automation import rules

    now = session.context.now
    since = _argument("--since", dates.parse_when, args.since, now) if args.since else None
    lines = automations.dry_run(rules.parse(session.settings.automations), now, since=since,
                                agent=session.agent, sla_rules=sla.book(session.settings))
    changes = f"changes since {args.since}" if since else "pending changes"
    if not lines:
        print(f"no rule would fire (on {changes} and due dates and birthdays)")
        return 0
    print(f"the rules would do this (on {changes} and due dates and birthdays; nothing was "
          "changed):")
    for line in lines:
        print(f"  {visible(line)}")
    return 0


def _check_automations(args: argparse.Namespace) -> int:
    """desk automations check: the first mistake of each rule; when they read well, the
    lists, statuses, templates, agents and teams they name that the workspace lacks."""
    from desk.config import read_config

    text, source = read_config(args.config) or ("", "config.yaml")
    # The grammar first, without the database (desk.automation.rules imports none of it): a
    # config with a mistake cannot open the workspace.
    from desk.automation import rules

    rule_set, problems = rules.check(text, source)
    if not problems:
        open_session(args)
        from desk.automation import processor as automations

        problems = automations.check(text, source)
    for problem in problems:
        print(visible(str(problem)))
    if problems:
        return 1
    print(f"{len(rule_set)} {'rule' if len(rule_set) == 1 else 'rules'}: no problems")
    return 0


def cmd_intake(args: argparse.Namespace) -> int:
    """desk intake form | maildir PATH | mbox PATH | eml FILE... | imap."""
    submissions = _form_submissions(sys.stdin) if args.intake_command == "form" else None
    session = open_session(args)
    # Imported after open_session: see workspace_url.
    from desk import sla
    from desk.mail import sources as mail_sources
    from desk.support import forms as intake_forms
    from desk.support import intake

    options = intake.IntakeOptions.from_settings(session.settings.intake,
                                                 sla.book(session.settings))

    def show(outcome: intake.Outcome) -> None:
        print(one_line(outcome.text()), flush=True)

    if submissions is not None:
        report = intake_forms.take_forms(session.agent, submissions, options)
        for outcome in report.outcomes:
            show(outcome)
    elif args.intake_command == "imap":
        with mail_sources.imap(session.settings.intake.imap) as messages:
            report = intake.take_all(session.agent, messages, options, on_outcome=show)
    else:
        messages = {"maildir": lambda: mail_sources.maildir(args.path),
                    "mbox": lambda: mail_sources.mbox(args.path),
                    "eml": lambda: mail_sources.eml_files(args.files)}[args.intake_command]()
        report = intake.take_all(session.agent, messages, options, on_outcome=show)
    print(report.summary())
    return 1 if report.count("failed") else 0


def _form_submissions(stream) -> list[object]:
    """The submissions on standard input: JSON, or YAML (one or more documents), each a
    mapping or a list of mappings."""
    import json

    import yaml

    text = stream.read()
    try:
        documents = [json.loads(text)]
    except json.JSONDecodeError:
        try:
            documents = list(yaml.safe_load_all(text))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f", line {mark.line + 1}" if mark is not None else ""
            raise DeskError(f"standard input{where}: not valid JSON or YAML: "
                            f"{getattr(error, 'problem', None) or error}") from None
    submissions = [item for document in documents if document is not None
                   for item in (document if isinstance(document, list) else [document])]
    if not submissions:
        raise DeskError("standard input: no submission (expected a mapping of name, email, "
                        "problem... or a list of them)")
    return submissions


def cmd_csat(args: argparse.Namespace) -> int:
    """desk csat ID SCORE [COMMENT]."""
    session = open_session(args)
    from desk.support import csat
    from desk.work import tasks

    recorded = csat.record(session.agent, args.task, args.score, args.comment)
    title = tasks.get(args.task).row.title
    print(f"recorded CSAT {recorded.score} on query {args.task}: {visible(title)}"
          + (f" ({visible(recorded.comment)})" if recorded.comment else ""))
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    """desk merge KEEP OTHER..."""
    session = open_session(args)
    from desk.support import merge

    merged = merge.merge(session.agent, args.keep, args.others)
    print(f"merged {', '.join(f'#{other}' for other in merged.merged)} into #{merged.keep_id}"
          f" (moved {merged.summary()}) and closed them")
    return 0


def _report_parser(commands: argparse._SubParsersAction) -> None:
    """desk report."""
    report = commands.add_parser(
        "report", help="print the dashboard metrics (for scripts and e-mailed reports)")
    report.add_argument("--period", default="30d", metavar="PERIOD",
                        help="30d, 90d or 12m (default: 30d)")
    report.add_argument("--format", choices=("table", "json"), default="table")
    report.add_argument("--now", metavar="TIME",
                        help="the moment to report for (default: now), e.g. 2026-12-01T09:00")


def cmd_report(args: argparse.Namespace) -> int:
    """desk report [--period 30d|90d|12m] [--format table|json] [--now TIME]."""
    session = open_session(args)
    # Imported after open_session: see workspace_url.
    from desk import dates
    from desk.metrics import dashboard as metrics
    from desk.metrics import report as metrics_report

    if args.period not in metrics.PERIODS:
        raise DeskError(f"--period must be one of {', '.join(metrics.PERIODS)}, "
                        f"not {args.period!r}")
    now = (_argument("--now", dates.parse_when, args.now, session.context.now) if args.now
           else session.context.now)
    print(metrics_report.render(metrics.dashboard(args.period, now), args.format,
                                session.settings.tz))
    return 0


def _outbox_parsers(commands: argparse._SubParsersAction) -> None:
    """desk outbox [list|show|send|retry]."""
    mail = commands.add_parser(
        "outbox", help="list the outgoing e-mail, send it now, or retry a failed one",
        description="The outbox holds the e-mail desk sends (replies, automation e-mails). "
                    "The background work (desk tick, the running app) sends what is due over "
                    "the config's smtp: server; without one, mail waits here.")
    _outbox_listing_options(mail, (None, "table", 100))
    actions = mail.add_subparsers(dest="outbox_command", metavar="ACTION")
    listing = actions.add_parser("list", help="list the newest messages (the default)")
    _outbox_listing_options(listing, (argparse.SUPPRESS,) * 3)
    show = actions.add_parser("show", help="print one message: its headers and text")
    show.add_argument("id", type=_positive, metavar="ID", help="the message's number")
    actions.add_parser("send", help="send every queued message now, even one waiting to be "
                                    "tried again")
    retry = actions.add_parser("retry", help="queue a failed message again (or send a "
                                             "waiting one at the next run)")
    retry.add_argument("id", type=_positive, metavar="ID", help="the message's number")


def _outbox_listing_options(parser: argparse.ArgumentParser,
                            defaults: tuple[object, object, object]) -> None:
    """--status, --format and --limit of `desk outbox [list]`, with their `defaults` (all
    SUPPRESS after `list`, so that options given before it stay)."""
    status, fmt, limit = defaults
    parser.add_argument("--status", choices=("queued", "sent", "failed"), default=status)
    parser.add_argument("--format", choices=("table", "json"), default=fmt)
    parser.add_argument("--limit", type=_positive, default=limit, metavar="N")


def cmd_outbox(args: argparse.Namespace) -> int:
    """desk outbox [list] [--status S] [--format F] | show ID | send | retry ID."""
    session = open_session(args)
    from desk.mail import delivery, outbox

    settings = session.settings
    if args.outbox_command == "show":
        print(outbox_message_text(outbox.get(args.id), settings.tz))
    elif args.outbox_command == "send":
        if not settings.smtp.host:
            raise DeskError(f"cannot send: {outbox.NOT_CONFIGURED}; mail waits in the outbox")
        report = delivery.deliver(settings, session.context.now, waiting_too=True)
        print(report.summary())
        for problem in report.problems():
            print(f"desk: {one_line(problem)}", file=sys.stderr)
        return 1 if report.failed or report.deferred else 0
    elif args.outbox_command == "retry":
        row = outbox.retry(session.agent, args.id)
        print(f"e-mail {row.id} to {visible(row.to_address)} is queued: it goes out with the "
              "next background run (desk tick, the running app) or desk outbox send")
    else:
        rows = output.records(outbox.rows(args.status, args.limit))
        print(output.render(rows, OUTBOX_COLUMNS, args.format, settings.tz,
                            flexible=("subject", "last_error"),
                            width=output.terminal_width(sys.stdout)))
    if not settings.smtp.host and args.outbox_command != "show":
        waiting = outbox.counts()["queued"]
        print(f"desk: {waiting} e-mail{'s' if waiting != 1 else ''} waiting: nothing is sent "
              f"because {outbox.NOT_CONFIGURED}", file=sys.stderr)
    return 0


def outbox_message_text(message: OutboxMessage, zone: tzinfo) -> str:
    """One outbox message as `desk outbox show` prints it: its state, headers and text."""
    from desk.mail import outbox

    lines = [f"{label}: {one_line(value)}" for label, value in outbox.headers(message, zone)]
    return "\n".join([*lines, "", visible(message.body)])


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_home, "demo": cmd_demo, "ls": cmd_ls, "clients": cmd_clients, "show": cmd_show,
    "add": cmd_add, "migrate": cmd_migrate, "backup": cmd_backup, "agents": cmd_agents,
    "products": cmd_products, "order": cmd_order, "checklist": cmd_checklist,
    "recur": cmd_recur, "tick": cmd_tick, "automations": cmd_automations,
    "intake": cmd_intake, "csat": cmd_csat, "report": cmd_report, "outbox": cmd_outbox,
    "merge": cmd_merge,
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
