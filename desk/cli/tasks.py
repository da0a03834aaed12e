"""desk show and desk add: one task in full, and a new task; and a task as the CLI prints it."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from desk import output
from desk.cli.one_command import OnlyCommand
from desk.cli.options import positive
from desk.cli.session import Session, in_session
from desk.text import visible

if TYPE_CHECKING:
    from desk.work.tasks import TaskRow

SHOWN_FIELDS = ("id", "title", "kind", "list", "status", "priority", "client", "assignees",
                "tags", "due", "start", "team", "checklist", "subtasks", "version")


def register(commands: OnlyCommand) -> None:
    """Add desk show and desk add."""
    show = commands.add_parser("show", help="show one task")
    show.add_argument("id", type=positive, help="task number")
    show.add_argument("--format", choices=("table", "json"), default="table")
    show.set_defaults(handler=in_session(show_task, at_least="viewer"))

    add = commands.add_parser("add", help="add a task")
    add.add_argument("title")
    add.add_argument("--list", dest="list_name", metavar="LIST",
                     help="list name or Space/List (default: the config's workspace.default_list)")
    add.add_argument("--client", metavar="CLIENT", help="client id or name")
    add.add_argument("--priority", default="normal", help="urgent, high, normal, low or none")
    add.add_argument("--due", metavar="WHEN",
                      help="e.g. fri 15:00, tomorrow, in 3 days, dec 24, next week, eod")
    add.add_argument("--tag", action="append", default=[], metavar="TAG")
    add.add_argument("--assign", action="append", default=[], metavar="AGENT",
                     help="agent user name, or 'me'")
    add.add_argument("--kind", default="task", choices=("task", "query"),
                     help="task or support query (orders come from the product catalogue)")
    add.add_argument("--parent", type=positive, metavar="ID", help="make it a subtask")
    add.add_argument("--description", default="", metavar="TEXT")
    add.add_argument("--format", choices=("table", "json"), default="table")
    add.set_defaults(handler=in_session(add_task))


def task_record(row: TaskRow) -> dict:
    """A task row as the CLI prints it (JSON has every key; the table picks columns)."""
    record = output.records([row])[0]
    record["due"] = record.pop("due_at")
    record["checklist"] = (f"{row.checklist_done}/{row.checklist_total}"
                           if row.checklist_total else None)
    return record


def show_task(session: Session, args: argparse.Namespace) -> int:
    """desk show ID: the task's fields, description, comments and recent history, as the
    acting agent may see them."""
    from desk.pages import task as task_page

    text = task_page.read(args.id, session.agent, history_limit=20)
    detail = text.detail
    zone = session.settings.tz
    record = task_record(detail.row)
    record.update({
        "description": detail.description, "start": detail.start_at, "team": detail.team,
        "estimate_minutes": detail.estimate_minutes, "created_at": detail.created_at,
        "updated_at": detail.updated_at, "closed_at": detail.closed_at,
        "subtasks": [s.id for s in detail.subtasks],
        "comments": output.records(text.comments),
        "activity": list(text.history),
    })
    if args.format == "json":
        print(output.render([record], (), "json", zone))
        return 0
    print(output.fields([(label, output.cell(record.get(label), zone))
                         for label in SHOWN_FIELDS]))
    if record["description"]:
        print(f"\n{visible(record['description'])}")
    for comment in record["comments"]:
        print(f"\n--- {comment['kind']} by {visible(comment['author'])} at "
              f"{output.cell(comment['created_at'], zone)}")
        print(visible(comment["body"]))
    if record["activity"]:
        print("\nHistory (newest first):")
        rows = [[output.cell(entry["at"], zone), entry["actor"], entry["field"],
                 *(output.cell(task_page.history_value(entry["field"], entry[side], zone,
                                                       session.settings.money.currency), zone)
                   for side in ("old", "new"))]
                for entry in record["activity"]]
        print(output.table(rows, ("at", "who", "field", "old", "new"), flexible=("old", "new"),
                           width=output.terminal_width(sys.stdout)))
    return 0


def add_task(session: Session, args: argparse.Namespace) -> int:
    """desk add TITLE."""
    from desk import dates, sla
    from desk.clock import to_utc
    from desk.crm import clients
    from desk.work import tasks, workspace

    default_list = session.settings.workspace.default_list
    task_list = (workspace.open_list(args.list_name) if args.list_name
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
