"""desk ls and desk clients [list]: the tasks or clients a query finds, as a table, JSON or
CSV."""

from __future__ import annotations

import argparse
import sys

from desk import output
from desk.cli.one_command import OnlyCommand
from desk.cli.options import listing_options
from desk.cli.session import Session, in_session
from desk.cli.tasks import task_record

TASK_COLUMNS = ("id", "status", "priority", "title", "client", "assignees", "due", "tags")
CLIENT_COLUMNS = ("id", "kind", "name", "stage", "account_manager", "lead_score",
                  "last_contact_at", "open_queries", "retainer_amount")


def register(commands: OnlyCommand) -> None:
    """Add desk ls (desk clients is desk.cli.clients'). Its words that look like options are
    the query's (`extra_words_are_query`): a query may start with a negated term such as
    '-#spam'."""
    ls = commands.add_parser("ls", help="list tasks matching a query")
    ls.add_argument("query", nargs="?", default="",
                    help="e.g. 'status:open priority:urgent,high @me #billing due<today'")
    listing_options(ls, ("priority", "position", "newest", "oldest", "updated", "title", "due"))
    ls.set_defaults(handler=in_session(list_tasks, at_least="viewer"), extra_words_are_query=True)


def list_tasks(session: Session, args: argparse.Namespace) -> int:
    """desk ls QUERY."""
    from desk.work import listing

    page = listing.task_page(args.query, session.context, sort=args.sort, limit=args.limit)
    rows = [task_record(row) for row in page.rows]
    print(output.render(rows, TASK_COLUMNS, args.format, session.settings.tz,
                        flexible=("title", "client", "tags", "status"),
                        width=output.terminal_width(sys.stdout)))
    return 0


def list_clients(session: Session, args: argparse.Namespace) -> int:
    """desk clients QUERY."""
    from desk.work import listing

    page = listing.client_page(args.query, session.context, sort=args.sort, limit=args.limit,
                              viewer=session.agent)
    rows = output.records(page.rows)
    print(output.render(rows, CLIENT_COLUMNS, args.format, session.settings.tz,
                        flexible=("name", "account_manager"),
                        width=output.terminal_width(sys.stdout),
                        money=output.Money(("retainer_amount",),
                                           session.settings.money.currency)))
    return 0
