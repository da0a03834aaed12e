"""desk suggestions: the next best action for every client or one, and acting on one
(create its task, snooze it, dismiss it with a reason)."""

from __future__ import annotations

import argparse
import sys

from desk import output
from desk.cli.one_command import OnlyCommand
from desk.cli.session import Session, in_session
from desk.errors import InvalidInput

COLUMNS = ("id", "client", "rule", "reason", "title", "due", "assignee")
ACTIONS = ("act", "snooze", "dismiss")


def register(commands: OnlyCommand) -> None:
    """Add desk suggestions [CLIENT] and desk suggestions act|snooze|dismiss ID."""
    parser = commands.add_parser(
        "suggestions", help="the next best action for each client, and acting on one",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Each rule of the config's suggestions: (renewal, check_in, win_back, "
                    "cross_sell, birthday) suggests a task with its reason.\n\n"
                    "  desk suggestions [CLIENT]              list them (all clients, or one)\n"
                    "  desk suggestions act ID                create the suggested task\n"
                    "  desk suggestions snooze ID --until D   hide it until a day\n"
                    "  desk suggestions dismiss ID --reason T hide it, with a reason\n\n"
                    "A snoozed or dismissed suggestion comes back when its data changes.")
    parser.add_argument("words", nargs="*", metavar="CLIENT | ACTION ID",
                        help="a client (id or name), or act|snooze|dismiss and a suggestion id")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--until", metavar="WHEN", help="snooze: the day it comes back "
                                                        "(mon, +2w, 2027-01-15...)")
    parser.add_argument("--reason", metavar="TEXT", help="dismiss: why")
    parser.set_defaults(handler=in_session(run, at_least="viewer"))


def run(session: Session, args: argparse.Namespace) -> int:
    """List, or act on one suggestion (an agent or admin only: the services check)."""
    words = args.words
    if words and words[0] in ACTIONS:
        if len(words) != 2:
            raise InvalidInput(f"desk suggestions {words[0]} takes one suggestion id, "
                               f"like 12:check_in:cadence")
        return decide(session, args, words[0], words[1])
    if len(words) > 1:
        raise InvalidInput("desk suggestions takes at most one client; quote a name with "
                           "spaces, or use act|snooze|dismiss ID")
    return show(session, args, words[0] if words else None)


def show(session: Session, args: argparse.Namespace, client: str | None) -> int:
    """desk suggestions [CLIENT] [--format table|json]."""
    from desk.automation.suggestions.listing import suggestions
    from desk.crm import clients

    client_id = clients.find(client, session.agent).id if client is not None else None
    found = suggestions(session.settings, session.context.now, client_id)
    if args.format == "json":
        rows = [{"id": s.key, **output.plain(s), "facts": dict(s.facts)} for s in found]
    else:
        rows = [{"id": s.key, "client": s.client, "rule": s.rule, "reason": s.reason,
                 "title": s.title, "due": s.due, "assignee": s.assignee} for s in found]
    print(output.render(rows, COLUMNS, args.format, session.settings.tz,
                        flexible=("client", "reason", "title"),
                        width=output.terminal_width(sys.stdout)))
    return 0


def decide(session: Session, args: argparse.Namespace, action: str, key: str) -> int:
    """desk suggestions act|snooze|dismiss ID."""
    from desk import dates
    from desk.automation.suggestions import acting

    settings, agent, now = session.settings, session.agent, session.context.now
    if action == "act":
        decision = acting.act(agent, settings, key, now)
        said = f"created task {decision.task_id}"
    elif action == "snooze":
        if not args.until:
            raise InvalidInput("desk suggestions snooze needs --until WHEN (mon, +2w, "
                               "2027-01-15...)")
        until = dates.parse_when(args.until, now).date()
        decision = acting.snooze(agent, settings, key, until, now)
        said = f"snoozed until {until}"
    else:
        if not args.reason:
            raise InvalidInput("desk suggestions dismiss needs --reason TEXT")
        decision = acting.dismiss(agent, settings, key, args.reason, now)
        said = "dismissed"
    if args.format == "json":
        print(output.render([output.plain(decision)], (), "json", settings.tz))
    else:
        print(f"Suggestion {key}: {said}.")
    return 0
