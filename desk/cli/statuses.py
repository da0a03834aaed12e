"""desk statuses LIST [list|add|rename|move|colour|category|remove]: the statuses of a list.
Listing takes a viewer, every change an admin; removing a status that holds tasks asks
first, naming how many move and where."""

from __future__ import annotations

import argparse

from desk import output
from desk.cli.confirm import agreed, declined
from desk.cli.one_command import OnlyCommand
from desk.cli.session import Session, in_session
from desk.text import counted, visible
from desk.vocabulary import CATEGORIES


def register(commands: OnlyCommand) -> None:
    """Add desk statuses and its actions."""
    command = commands.add_parser("statuses", help="list, add, rename, reorder, recolour, "
                                                   "recategorise or remove a list's statuses")
    command.add_argument("list", help="the list, as NAME or SPACE/NAME")
    command.set_defaults(handler=in_session(list_statuses, at_least="viewer"))
    actions = command.add_subparsers(metavar="ACTION")
    actions.add_parser("list", help="its statuses in order (the default)").set_defaults(
        handler=in_session(list_statuses, at_least="viewer"))
    add = _action(actions, "add", "add a status after the others", add_status)
    add.add_argument("--category", required=True, help=", ".join(CATEGORIES))
    _action(actions, "rename", "rename a status", rename_status).add_argument("new")
    move = _action(actions, "move", "put a status at another place (the board's columns "
                                    "follow)", move_status)
    move.add_argument("--position", type=int, required=True, metavar="N",
                      help="its place, 1 for the first")
    _action(actions, "colour", "give a status a colour", colour_status).add_argument(
        "colour", help="#rgb or #rrggbb, or none")
    category = _action(actions, "category", "put a status (and its tasks) in another "
                                            "category", categorise_status)
    category.add_argument("category", help=", ".join(CATEGORIES))
    remove = _action(actions, "remove", "remove a status, moving its tasks", remove_status)
    remove.add_argument("--to", metavar="OTHER", help="the status its tasks move to")
    remove.add_argument("--yes", action="store_true", help="do not ask first")
    for parser in (category, remove):
        parser.add_argument("--force", action="store_true",
                            help="close orders with open checklist items too")


def _action(actions: argparse._SubParsersAction, name: str, text: str, run
            ) -> argparse.ArgumentParser:
    """An action on one status NAME of the list (admins only)."""
    parser = actions.add_parser(name, help=f"{text} (admins only)")
    parser.add_argument("name", help="the status")
    parser.set_defaults(handler=in_session(run, at_least="admin"))
    return parser


def named_list(args: argparse.Namespace) -> tuple[int, str]:
    """The list a shaping command names (`args.list`: its statuses, its fields): its id and
    how messages name it ("Space / List")."""
    from desk.work import workspace

    found = workspace.find_list(args.list)
    return found.id, f"{visible(found.space)} / {visible(found.name)}"


def list_statuses(session: Session, args: argparse.Namespace) -> int:
    """desk statuses LIST [list]: its statuses in order, with category, tasks and colour."""
    from desk.work.shaping import statuses as status_edits

    list_id, _ = named_list(args)
    rows = [{"status": row.name, "category": row.category, "tasks": row.tasks,
             "colour": row.colour} for row in status_edits.rows(list_id)]
    print(output.render(rows, ("status", "category", "tasks", "colour"), "table",
                        session.settings.tz))
    return 0


def add_status(session: Session, args: argparse.Namespace) -> int:
    """desk statuses LIST add NAME --category C."""
    from desk.work.shaping import statuses as status_edits

    list_id, where = named_list(args)
    added = status_edits.add(session.agent, list_id, args.name, args.category)
    print(f"added the status {visible(added.name)} ({added.category}) to {where}")
    return 0


def rename_status(session: Session, args: argparse.Namespace) -> int:
    """desk statuses LIST rename OLD NEW."""
    from desk.work.shaping import statuses as status_edits

    list_id, where = named_list(args)
    status_edits.rename(session.agent, list_id, args.name, args.new)
    print(f"renamed the status {visible(args.name)} of {where} to {visible(args.new.strip())}")
    return 0


def move_status(session: Session, args: argparse.Namespace) -> int:
    """desk statuses LIST move NAME --position N."""
    from desk.work.shaping import statuses as status_edits

    list_id, where = named_list(args)
    status_edits.move(session.agent, list_id, args.name, args.position)
    print(f"put the status {visible(args.name)} of {where} at place {args.position}")
    return 0


def colour_status(session: Session, args: argparse.Namespace) -> int:
    """desk statuses LIST colour NAME COLOUR."""
    from desk.work.shaping import statuses as status_edits

    list_id, where = named_list(args)
    stored = status_edits.recolour(session.agent, list_id, args.name, args.colour)
    print(f"the status {visible(args.name)} of {where} is now {stored or 'uncoloured'}")
    return 0


def categorise_status(session: Session, args: argparse.Namespace) -> int:
    """desk statuses LIST category NAME C [--force]."""
    from desk.work.shaping import statuses as status_edits

    list_id, where = named_list(args)
    moved = status_edits.set_category(session.agent, list_id, args.name, args.category,
                                      force=args.force)
    print(f"the status {visible(args.name)} of {where} is now {args.category}; "
          f"{counted(moved, 'task')} followed")
    return 0


def remove_status(session: Session, args: argparse.Namespace) -> int:
    """desk statuses LIST remove NAME [--to OTHER] [--yes] [--force]: asks first when tasks
    move."""
    from desk.work.shaping import statuses as status_edits

    list_id, where = named_list(args)
    held = status_edits.removal(list_id, args.name, args.to)
    if held and not agreed(
            f"removing the status {visible(args.name)} of {where} moves its "
            f"{counted(held, 'task')} to {visible(args.to)}", args.yes):
        return declined()
    moved = status_edits.remove(session.agent, list_id, args.name, args.to, force=args.force)
    said = f"; {counted(moved, 'task')} moved to {visible(args.to)}" \
        if moved else ""
    print(f"removed the status {visible(args.name)} from {where}{said}")
    return 0
