"""desk time: the timer (start, stop), time logged by hand, and the time report."""

from __future__ import annotations

import argparse
import sys

from desk import output
from desk.cli.confirm import agreed, declined
from desk.cli.one_command import OnlyCommand
from desk.cli.options import option_moment, positive
from desk.cli.session import Session, in_session
from desk.errors import InvalidInput

ENTRY_COLUMNS = ("id", "task_id", "task", "agent", "day", "duration", "billable", "note")
REPORT_COLUMNS = ("group", "hours", "billable_hours", "entries")


def register(commands: OnlyCommand) -> None:
    """Add desk time start|stop|log|list|edit|delete|report|statement."""
    time = commands.add_parser("time", help="track time on tasks and report it")
    verbs = time.add_subparsers(dest="verb", metavar="VERB", required=True)

    start = verbs.add_parser("start", help="start your timer on a task (stops a running one)")
    start.add_argument("task", type=positive, help="task number")
    start.add_argument("--format", choices=("table", "json"), default="table")
    start.set_defaults(handler=in_session(start_timer))

    stop = verbs.add_parser("stop", help="stop your timer: the time becomes an entry")
    stop.add_argument("--format", choices=("table", "json"), default="table")
    stop.set_defaults(handler=in_session(stop_timer))

    log = verbs.add_parser("log", help="log time spent on a task")
    log.add_argument("task", type=positive, help="task number")
    log.add_argument("duration", help="e.g. 1h30, 45m, 1.5h or 90 (minutes)")
    log.add_argument("--note", default="", metavar="TEXT")
    log.add_argument("--billable", action=argparse.BooleanOptionalAction, default=True,
                     help="whether the time is billed (default: billable)")
    log.add_argument("--date", metavar="DAY", help="the day worked (default: today), e.g. "
                                                   "yesterday, fri, 2026-12-01")
    log.add_argument("--format", choices=("table", "json"), default="table")
    log.set_defaults(handler=in_session(log_time))

    report = verbs.add_parser("report", help="hours by client, agent, list, week or month")
    report.add_argument("query", nargs="?", default="",
                        help="the tasks to count, in the query language (default: all)")
    report.add_argument("--by", default="client",
                        choices=("client", "agent", "list", "week", "month"))
    report.add_argument("--period", default="30d", metavar="PERIOD",
                        help="30d, 12m, 2026-11, 2026 or 2026-11-01..2026-11-30 "
                             "(default: 30d)")
    report.add_argument("--format", choices=output.FORMATS, default="table")
    report.set_defaults(handler=in_session(print_report, at_least="viewer"),
                        extra_words_are_query=True)

    statement = verbs.add_parser(
        "statement", help="a retainer client's time report for this cycle, as the e-mail it "
                          "would get (--send queues it in the outbox)")
    statement.add_argument("client", metavar="CLIENT", help="the client's name or number")
    statement.add_argument("--send", action="store_true",
                           help="queue it to the billing (else primary) contact")
    statement.set_defaults(handler=in_session(print_statement, at_least="viewer"))

    listed = verbs.add_parser("list", help="a task's time entries, with their numbers")
    listed.add_argument("task", type=positive, help="task number")
    listed.add_argument("--format", choices=("table", "json"), default="table")
    listed.set_defaults(handler=in_session(list_entries, at_least="viewer"))

    edit = verbs.add_parser("edit", help="correct a time entry (desk time list TASK gives "
                                         "its number)")
    edit.add_argument("entry", type=positive, help="entry number")
    edit.add_argument("--duration", help="e.g. 1h30, 45m, 1.5h or 90 (minutes)")
    edit.add_argument("--note", metavar="TEXT")
    edit.add_argument("--billable", action=argparse.BooleanOptionalAction, default=None)
    edit.add_argument("--date", metavar="DAY", help="the day worked, e.g. fri, 2026-12-01")
    edit.add_argument("--format", choices=("table", "json"), default="table")
    edit.set_defaults(handler=in_session(edit_entry))

    delete = verbs.add_parser("delete", help="delete a time entry (asks first)")
    delete.add_argument("entry", type=positive, help="entry number")
    delete.add_argument("--yes", action="store_true", help="do not ask")
    delete.set_defaults(handler=in_session(delete_entry))


def start_timer(session: Session, args: argparse.Namespace) -> int:
    """desk time start TASK."""
    from desk.work.time import entries

    timer, stopped = entries.start(session.agent, args.task, session.context.now)
    rows = [_record(row) for row in (stopped, timer) if row is not None]
    _print(session, rows, args.format)
    return 0


def stop_timer(session: Session, args: argparse.Namespace) -> int:
    """desk time stop."""
    from desk.work.time import entries

    stopped = entries.stop(session.agent, session.context.now)
    if stopped is None:
        print("the timer ran under a minute: nothing was logged", file=sys.stderr)
        return 0
    _print(session, [_record(stopped)], args.format)
    return 0


def log_time(session: Session, args: argparse.Namespace) -> int:
    """desk time log TASK DURATION [--note] [--billable/--no-billable] [--date]."""
    from desk import dates, durations
    from desk.work.time import entries

    minutes = option_moment("DURATION", durations.parse_minutes, args.duration)
    now = session.context.now
    day = (option_moment("--date", dates.parse_when, args.date, now).date() if args.date
           else None)
    row = entries.log(session.agent, args.task, minutes, now, day=day, note=args.note,
                      billable=args.billable)
    _print(session, [_record(row)], args.format)
    return 0


def list_entries(session: Session, args: argparse.Namespace) -> int:
    """desk time list TASK."""
    from desk.work.time import entries

    _print(session, [_record(row) for row in entries.for_task(args.task)], args.format)
    return 0


def edit_entry(session: Session, args: argparse.Namespace) -> int:
    """desk time edit ENTRY [--duration] [--note] [--billable/--no-billable] [--date]."""
    from desk import dates, durations
    from desk.work.time import entries

    minutes = (option_moment("--duration", durations.parse_minutes, args.duration)
               if args.duration is not None else None)
    day = (option_moment("--date", dates.parse_when, args.date, session.context.now).date()
           if args.date else None)
    if minutes is None and day is None and args.note is None and args.billable is None:
        raise InvalidInput("say what to correct: --duration, --note, --billable or --date")
    row = entries.correct(session.agent, args.entry, None, minutes=minutes, day=day,
                          note=args.note, billable=args.billable)
    _print(session, [_record(row)], args.format)
    return 0


def delete_entry(session: Session, args: argparse.Namespace) -> int:
    """desk time delete ENTRY [--yes]."""
    from desk import durations
    from desk.work.time import entries

    row = entries.get(args.entry)
    spent = "a running timer" if row.minutes is None else durations.spoken(row.minutes)
    if not agreed(f"delete time entry {row.id} ({spent} on #{row.task_id}, {row.day})",
                  args.yes):
        return declined()
    entries.delete(session.agent, row.id, row.version)
    print(f"deleted time entry {row.id}")
    return 0


def print_report(session: Session, args: argparse.Namespace) -> int:
    """desk time report [QUERY] [--by] [--period] [--format]."""
    from desk.metrics import time_report

    span = time_report.period(args.period, session.context.now.date())
    rows = [row.record() for row in
            time_report.report(args.query, args.by, span, session.context)]
    if args.format == "table":
        rows.append(time_report.total(rows))
    print(output.render(rows, REPORT_COLUMNS, args.format, session.settings.tz,
                        flexible=("group",), width=output.terminal_width(sys.stdout)))
    return 0


def print_statement(session: Session, args: argparse.Namespace) -> int:
    """desk time statement CLIENT [--send]."""
    from desk.crm import clients
    from desk.work.time import statement

    client = clients.find(args.client, session.agent)
    today, currency = session.context.now.date(), session.settings.money.currency
    if args.send:
        sent = statement.send(session.agent, client.id, today, currency)
        print(f"queued in the outbox to {sent.to}: {sent.subject}")
        return 0
    found = statement.statement(client.id, today, session.agent, currency)
    print(f"To: {found.to or '(nobody: the client has no e-mail address)'}\n"
          f"Subject: {found.subject}\n\n{found.body}")
    return 0


def _record(row) -> dict:
    """A time entry as the CLI prints it."""
    from desk import durations

    record = output.records([row])[0]
    record["duration"] = ("running" if row.minutes is None
                          else durations.spoken(row.minutes))
    return record


def _print(session: Session, rows: list[dict], fmt: str) -> None:
    """Entries as a table or JSON."""
    print(output.render(rows, ENTRY_COLUMNS, fmt, session.settings.tz, flexible=("task", "note"),
                        width=output.terminal_width(sys.stdout)))
