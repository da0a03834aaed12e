"""desk import and desk export: bring tasks and clients in from other tools, take them out.

`desk import KIND FILE... [--dry-run]` prints what it would do (or did): a summary line, the
spaces, lists, statuses and fields it creates, the people no agent matched, then every
problem as FILE:ROW:COLUMN: message on standard error. A large file shows a progress bar
on a terminal. The exit status is 0 without problems, 2 when some rows or values had
problems and the rest was (or would be) imported, and 1 when nothing could be: the same for a
dry run, so a script can check a file first.

`desk export tasks|clients [QUERY] --format ...` writes to standard output or `--output`.
Unlike `desk ls`, an export without a status term includes done and closed tasks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desk import output
from desk.cli.one_command import OnlyCommand
from desk.cli.session import Session, in_session
from desk.errors import DeskError
from desk.text import visible

IMPORT_HELP = {
    "clickup": "ClickUp's task CSV export",
    "taskwarrior": "`task export` output (a JSON array or one object per line)",
    "ical": "iCalendar files with to-dos (VTODO)",
    "contacts": "contacts from Google, Outlook, LinkedIn, Thunderbird (CSV) or vCard files",
    "desk": "desk's own JSON export of tasks or clients",
}
TASK_FORMATS = ("csv", "json", "ical")
CLIENT_FORMATS = ("csv", "json", "vcard")


def register(commands: OnlyCommand) -> None:
    """Add desk import KIND and desk export tasks|clients."""
    importing = commands.add_parser(
        "import", help="import tasks or contacts from another tool (try --dry-run first)",
        description="Import a file of another tool. Importing the same file again creates "
                    "nothing new; a changed row updates its task or client.")
    kinds = importing.add_subparsers(metavar="KIND", required=True)
    for kind, help_text in IMPORT_HELP.items():
        parser = kinds.add_parser(kind, help=help_text, description=help_text)
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--dry-run", action="store_true",
                            help="write nothing; print what would be created, updated and "
                                 "skipped, with every problem")
        if kind in ("contacts", "desk"):
            parser.add_argument("--kind", choices=("customer", "client"), default="customer",
                                dest="client_kind",
                                help="import contacts as customers (default) or clients")
        parser.set_defaults(handler=in_session(import_files), import_kind=kind)

    exporting = commands.add_parser("export", help="export tasks or clients to a file")
    targets = exporting.add_subparsers(metavar="WHAT", required=True)
    for what, formats in (("tasks", TASK_FORMATS), ("clients", CLIENT_FORMATS)):
        parser = targets.add_parser(what, help=f"export {what} matching a query")
        parser.add_argument("query", nargs="?", default="", help="e.g. 'list:Onboarding'")
        parser.add_argument("--format", choices=formats, default="csv")
        parser.add_argument("--output", "-o", type=Path, metavar="FILE",
                            help="write here instead of standard output")
        parser.set_defaults(handler=in_session(export_records, at_least="viewer"), export_what=what,
                            extra_words_are_query=True)


def import_files(session: Session, args: argparse.Namespace) -> int:
    """desk import KIND FILE... [--dry-run]."""
    from desk.transfer.run import count_lines, run_import
    from desk.transfer.task_import import TaskOptions

    bar = output.ProgressBar(sys.stderr)
    totals: dict[str, int] = {}

    def progress(name: str, line: int) -> None:
        """Move the bar to `line` of file `name`."""
        if bar.active:
            if name not in totals:
                totals[name] = count_lines(Path(name))
            bar.update(Path(name).name, min(line, totals[name]), totals[name])

    options = TaskOptions(session.settings.tz, session.settings.business_calendar())
    plan = run_import(args.import_kind, args.files, session.agent, dry_run=args.dry_run,
                      options=options, client_kind=getattr(args, "client_kind", "customer"),
                      progress=progress)
    bar.finish(complete=True)
    lines = plan.lines()
    shown = len(lines) - len(plan.problems) - len(plan.notes) - (1 if plan.more_problems
                                                                   else 0)
    for line in lines[:shown]:
        print(visible(line))
    for line in lines[shown:]:
        print(visible(line), file=sys.stderr)
    if plan.created + plan.updated + plan.unchanged == 0 and plan.problems:
        return 1
    return 2 if plan.problems or plan.more_problems else 0


def export_records(session: Session, args: argparse.Namespace) -> int:
    """desk export tasks|clients [QUERY] --format F [--output FILE]."""
    from desk.transfer import exports

    chunks = exports.export(args.export_what, args.format, args.query, session.context,
                            session.agent, session.settings.tz)
    if args.output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return 0
    try:
        with open(args.output, "w", encoding="utf-8", newline="") as stream:
            for chunk in chunks:
                stream.write(chunk)
    except OSError as error:
        raise DeskError(f"cannot write {visible(str(args.output))}: "
                        f"{error.strerror or error}") from None
    return 0
