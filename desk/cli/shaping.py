"""desk spaces, desk lists and desk statuses: the shape of the workspace from the command
line. Listing takes a viewer; adding and renaming spaces and lists takes an admin, adding a
status an agent."""

from __future__ import annotations

import argparse

from desk import output
from desk.cli.session import Session, in_session
from desk.errors import InvalidInput
from desk.text import visible
from desk.vocabulary import CATEGORIES


def register(commands: argparse._SubParsersAction) -> None:
    """Add desk spaces, desk lists and desk statuses."""
    actions = _tree_command(commands, "spaces", "list, add or rename the spaces")
    add = actions.add_parser("add", help="add a space (admins only)")
    add.add_argument("name")
    add.set_defaults(handler=in_session(add_space, at_least="admin"))
    rename = actions.add_parser("rename", help="rename a space (admins only)")
    rename.add_argument("old")
    rename.add_argument("new")
    rename.set_defaults(handler=in_session(rename_space, at_least="admin"))

    actions = _tree_command(commands, "lists", "list, add or rename the lists")
    add = actions.add_parser("add", help="add a list to a space (admins only)")
    add.add_argument("name")
    add.add_argument("--space", required=True)
    add.add_argument("--statuses", metavar="NAME:CATEGORY,...",
                     help='its statuses in order, e.g. "To do:open,Doing:active,Done:done" '
                          "(default: To do, In progress, Done, Closed)")
    add.set_defaults(handler=in_session(add_list, at_least="admin"))
    rename = actions.add_parser("rename", help="rename a list (admins only)")
    rename.add_argument("name", help="the list, as NAME or SPACE/NAME")
    rename.add_argument("new")
    rename.set_defaults(handler=in_session(rename_list, at_least="admin"))

    statuses = commands.add_parser("statuses", help="list or add the statuses of a list")
    statuses.add_argument("list", help="the list, as NAME or SPACE/NAME")
    statuses.set_defaults(handler=in_session(list_statuses, at_least="viewer"))
    actions = statuses.add_subparsers(metavar="ACTION")
    add = actions.add_parser("add", help="add a status after the others")
    add.add_argument("name")
    add.add_argument("--category", choices=CATEGORIES, required=True)
    add.set_defaults(handler=in_session(add_status, at_least="agent"))


def _tree_command(commands: argparse._SubParsersAction, name: str, text: str
                  ) -> argparse._SubParsersAction:
    """A command that lists the spaces with their lists by itself and with `list`; returns
    its actions, for the ones that change something."""
    command = commands.add_parser(name, help=text)
    command.set_defaults(handler=in_session(list_spaces, at_least="viewer"))
    actions = command.add_subparsers(metavar="ACTION")
    actions.add_parser("list", help="the spaces with their lists (the default)").set_defaults(
        handler=in_session(list_spaces, at_least="viewer"))
    return actions


def list_spaces(session: Session, args: argparse.Namespace) -> int:
    """desk spaces [list] / desk lists [list]: each space, then its lists indented."""
    from desk.work import workspace

    for space in workspace.tree():
        print(visible(space["name"]))
        for entry in space["lists"]:
            print(f"  {visible(entry['name'])}")
    return 0


def add_space(session: Session, args: argparse.Namespace) -> int:
    """desk spaces add NAME."""
    from desk.work import workspace

    workspace.create_space(session.agent, args.name)
    print(f"added the space {visible(args.name.strip())}")
    return 0


def rename_space(session: Session, args: argparse.Namespace) -> int:
    """desk spaces rename OLD NEW."""
    from desk.work import workspace

    workspace.rename_space(session.agent, args.old, args.new)
    print(f"renamed the space {visible(args.old)} to {visible(args.new.strip())}")
    return 0


def add_list(session: Session, args: argparse.Namespace) -> int:
    """desk lists add NAME --space SPACE [--statuses ...]."""
    from desk.work import workspace

    statuses = (parse_statuses(args.statuses) if args.statuses is not None
                else workspace.DEFAULT_STATUSES)
    created = workspace.create_list(session.agent, args.space, args.name, statuses)
    names = ", ".join(f"{name} ({category})" for name, category in created.statuses)
    print(f"added the list {visible(created.space)} / {visible(created.name)}: "
          f"{visible(names)}")
    return 0


def parse_statuses(text: str) -> tuple[tuple[str, str], ...]:
    """ "To do:open,Done:done" as ((name, category), ...); a part without a known category
    is InvalidInput naming it."""
    pairs = []
    for part in text.split(","):
        name, colon, category = part.rpartition(":")
        if not colon or not name.strip() or category.strip() not in CATEGORIES:
            raise InvalidInput(f"--statuses: {part.strip()!r} is not NAME:CATEGORY with a "
                               f"category of {', '.join(CATEGORIES)}")
        pairs.append((name.strip(), category.strip()))
    return tuple(pairs)


def rename_list(session: Session, args: argparse.Namespace) -> int:
    """desk lists rename LIST NEW."""
    from desk.work import workspace

    renamed = workspace.rename_list(session.agent, args.name, args.new)
    print(f"renamed the list to {visible(renamed.space)} / {visible(renamed.name)}")
    return 0


def list_statuses(session: Session, args: argparse.Namespace) -> int:
    """desk statuses LIST: its statuses in order, with their categories."""
    from desk.work import workspace

    found = workspace.find_list(args.list)
    rows = [{"status": status.name, "category": status.category}
            for status in workspace.statuses(found.id)]
    print(output.render(rows, ("status", "category"), "table", session.settings.tz))
    return 0


def add_status(session: Session, args: argparse.Namespace) -> int:
    """desk statuses LIST add NAME --category C."""
    from desk.work import workspace

    found = workspace.find_list(args.list)
    added = workspace.add_status(session.agent, found.id, args.name, args.category)
    print(f"added the status {visible(added.name)} ({added.category}) to "
          f"{visible(found.space)} / {visible(found.name)}")
    return 0
