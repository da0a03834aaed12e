"""desk forme: what is for me (mentions, assignments, news on followed tasks), unread first;
desk follow / desk unfollow: follow a task or stop."""

from __future__ import annotations

import argparse
import sys

from desk import output
from desk.cli.one_command import OnlyCommand
from desk.cli.options import positive
from desk.cli.session import Session, in_session

COLUMNS = ("new", "task", "kind", "by", "at", "title", "preview")


def register(commands: OnlyCommand) -> None:
    """Add desk forme [--all] and desk follow|unfollow TASK."""
    forme = commands.add_parser(
        "forme", help="your mentions, assignments and news on tasks you follow",
        description="What is for you: notes that @mention you, tasks assigned to you, and "
                    "replies, messages and notes on tasks you follow; unread first, newest "
                    "first. Without --all, read ones stay listed for a week.")
    forme.add_argument("--all", action="store_true", help="every notice, also those read long ago")
    forme.add_argument("--format", choices=("table", "json"), default="table")
    forme.add_argument("--limit", type=positive, default=200, metavar="N")
    forme.set_defaults(handler=in_session(show, at_least="viewer"))
    for name, follow, what in (("follow", True, "follow a task: its news is for you"),
                               ("unfollow", False, "stop following a task")):
        parser = commands.add_parser(name, help=what, description=what.capitalize() + ".")
        parser.add_argument("task", type=positive, metavar="TASK", help="the task's number")
        parser.set_defaults(handler=in_session(
            lambda session, args, follow=follow: set_following(session, args, follow)))


def show(session: Session, args: argparse.Namespace) -> int:
    """desk forme [--all] [--format table|json] [--limit N]."""
    from desk.work import for_me

    found = for_me.rows(session.agent, everything=args.all, limit=args.limit)
    rows = [{"new": "" if row.read else "*", "task": row.task_id, "kind": row.kind,
             "by": row.by, "at": row.at, "title": row.title, "preview": row.preview}
            for row in found] if args.format == "table" else output.records(found)
    if not rows and args.format == "table":
        print("Nothing for you." if args.all else "Nothing new for you (--all lists it all).")
        return 0
    print(output.render(rows, COLUMNS, args.format, session.settings.tz,
                        flexible=("title", "preview"), width=output.terminal_width(sys.stdout)))
    return 0


def set_following(session: Session, args: argparse.Namespace, follow: bool) -> int:
    """desk follow|unfollow TASK."""
    from desk.work import notices

    changed = notices.set_following(session.agent, args.task, follow)
    said = {(True, True): "now follow", (True, False): "already follow",
            (False, True): "no longer follow", (False, False): "do not follow"}
    print(f"You {said[follow, changed]} task {args.task}.")
    return 0
