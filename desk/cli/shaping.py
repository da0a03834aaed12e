"""desk spaces and desk lists: the shape of the workspace from the command line (desk
statuses and desk fields are in their own modules). Listing takes a viewer; every change an
admin. Archiving is how a space or list goes away: nothing is deleted."""

from __future__ import annotations

import argparse

from desk.cli import fields, statuses
from desk.cli.one_command import OnlyCommand
from desk.cli.session import Session, in_session
from desk.errors import InvalidInput
from desk.text import counted, visible
from desk.vocabulary import CATEGORIES


def register(commands: OnlyCommand) -> None:
    """Add desk spaces and desk lists here, desk statuses and desk fields from their modules."""
    actions = _tree_command(commands, "spaces", "list, add, rename, reorder or archive the "
                                                "spaces")
    add = actions.add_parser("add", help="add a space (admins only)")
    add.add_argument("name")
    add.set_defaults(handler=in_session(add_space, at_least="admin"))
    rename = actions.add_parser("rename", help="rename a space (admins only)")
    rename.add_argument("old")
    rename.add_argument("new")
    rename.set_defaults(handler=in_session(rename_space, at_least="admin"))
    move = actions.add_parser("move", help="put a space at another place (admins only)")
    move.add_argument("name")
    _position(move, "--to-position", "--position")
    move.set_defaults(handler=in_session(move_space, at_least="admin"))
    _archive_commands(actions, "space", archive_space)

    actions = _tree_command(commands, "lists", "list, add, rename, move, reorder or archive "
                                               "the lists")
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
    move = actions.add_parser("move", help="move a list to another space (admins only)")
    move.add_argument("name", help="the list, as NAME or SPACE/NAME")
    move.add_argument("--space", required=True, help="the space it goes to (at the end)")
    move.set_defaults(handler=in_session(move_list, at_least="admin"))
    reorder = actions.add_parser("reorder", help="put a list at another place in its space "
                                                 "(admins only)")
    reorder.add_argument("name", help="the list, as NAME or SPACE/NAME")
    _position(reorder, "--position")
    reorder.set_defaults(handler=in_session(reorder_list, at_least="admin"))
    _archive_commands(actions, "list", archive_list)

    statuses.register(commands)
    fields.register(commands)


def _tree_command(commands: OnlyCommand, name: str, text: str
                  ) -> argparse._SubParsersAction:
    """A command that lists the spaces with their lists by itself and with `list`; returns
    its actions, for the ones that change something."""
    command = commands.add_parser(name, help=text)
    archived = "also the archived spaces and lists, marked (archived)"
    command.add_argument("--archived", action="store_true", help=archived)
    command.set_defaults(handler=in_session(list_spaces, at_least="viewer"))
    actions = command.add_subparsers(metavar="ACTION")
    listing = actions.add_parser("list", help="the spaces with their lists (the default)")
    listing.add_argument("--archived", action="store_true", help=archived)
    listing.set_defaults(handler=in_session(list_spaces, at_least="viewer"))
    return actions


def _position(parser: argparse.ArgumentParser, *names: str) -> None:
    """The required place option: 1 is the first."""
    parser.add_argument(*names, dest="position", type=int, required=True, metavar="N",
                        help="its place, 1 for the first")


def _archive_commands(actions: argparse._SubParsersAction, what: str, run) -> None:
    """`archive NAME` and `restore NAME` for a space or list (admins only)."""
    for verb, text in (("archive", f"archive a {what}: hidden, its tasks kept"),
                       ("restore", f"bring an archived {what} back")):
        parser = actions.add_parser(verb, help=f"{text} (admins only)")
        parser.add_argument("name", help="the list, as NAME or SPACE/NAME" if what == "list"
                            else None)
        parser.set_defaults(handler=in_session(run, at_least="admin"), restore=verb == "restore")


def list_spaces(session: Session, args: argparse.Namespace) -> int:
    """desk spaces [list] / desk lists [list]: each space, then its lists indented."""
    from desk.work import workspace

    for space in workspace.tree(archived=getattr(args, "archived", False)):
        print(visible(space["name"]) + _archived(space))
        for entry in space["lists"]:
            print(f"  {visible(entry['name'])}{_archived(entry)}")
    return 0


def _archived(entry: dict) -> str:
    """" (archived)" after an archived space or list."""
    return " (archived)" if entry["archived"] else ""


def archive_space(session: Session, args: argparse.Namespace) -> int:
    """desk spaces archive|restore NAME."""
    from desk.work.shaping import arranging

    change = arranging.restore_space if args.restore else arranging.archive_space
    done = change(session.agent, args.name)
    print(f"{'restored' if args.restore else 'archived'} the space {visible(done.name)} "
          f"with its lists and their {counted(done.tasks, 'task')}")
    return 0


def move_space(session: Session, args: argparse.Namespace) -> int:
    """desk spaces move NAME --to-position N."""
    from desk.work.shaping import arranging

    old = arranging.move_space(session.agent, args.name, args.position)
    print(f"moved the space {visible(args.name.strip())} from place {old} to {args.position}")
    return 0


def archive_list(session: Session, args: argparse.Namespace) -> int:
    """desk lists archive|restore NAME."""
    from desk.work.shaping import arranging

    if args.restore:
        done = arranging.restore_list(session.agent, args.name)
        print(f"restored the list {visible(done.name)} with its {counted(done.tasks, 'task')}")
        return 0
    done = arranging.archive_list(session.agent, args.name)
    print(f"archived the list {visible(done.name)} and kept its {counted(done.tasks, 'task')} "
          f"(desk ls list:{done.id} finds them; desk lists restore {done.id} brings it back)")
    return 0


def move_list(session: Session, args: argparse.Namespace) -> int:
    """desk lists move NAME --space SPACE."""
    from desk.work.shaping import arranging

    moved = arranging.move_list(session.agent, args.name, args.space)
    print(f"moved the list to {visible(moved.space)} / {visible(moved.name)}")
    return 0


def reorder_list(session: Session, args: argparse.Namespace) -> int:
    """desk lists reorder NAME --position N."""
    from desk.work.shaping import arranging

    moved = arranging.reorder_list(session.agent, args.name, args.position)
    print(f"put the list {visible(moved.space)} / {visible(moved.name)} at place "
          f"{args.position}")
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
