"""desk fields LIST [list|add|rename|options|remove]: the custom fields of a list. Listing
takes a viewer, every change an admin; removing a field that tasks hold values of asks
first, naming how many."""

from __future__ import annotations

import argparse

from desk import output
from desk.cli.confirm import agreed, declined
from desk.cli.one_command import OnlyCommand
from desk.cli.session import Session, in_session
from desk.cli.statuses import named_list
from desk.text import counted, visible
from desk.vocabulary import FIELD_KINDS


def register(commands: OnlyCommand) -> None:
    """Add desk fields and its actions."""
    command = commands.add_parser("fields", help="list, add, rename, edit or remove a list's "
                                                 "custom fields")
    command.add_argument("list", help="the list, as NAME or SPACE/NAME")
    command.set_defaults(handler=in_session(list_fields, at_least="viewer"))
    actions = command.add_subparsers(metavar="ACTION")
    actions.add_parser("list", help="its fields in order (the default)").set_defaults(
        handler=in_session(list_fields, at_least="viewer"))
    add = _action(actions, "add", "add a field after the others", add_field)
    add.add_argument("--type", dest="kind", required=True, help=", ".join(FIELD_KINDS))
    add.add_argument("--options", metavar="A,B,...", help="a dropdown's options, in order")
    _action(actions, "rename", "rename a field", rename_field).add_argument("new")
    _action(actions, "options", "give a dropdown these options, in order",
            set_options).add_argument("options", metavar="A,B,...")
    remove = _action(actions, "remove", "remove a field and its values", remove_field)
    remove.add_argument("--yes", action="store_true", help="do not ask first")


def _action(actions: argparse._SubParsersAction, name: str, text: str, run
            ) -> argparse.ArgumentParser:
    """An action on one field NAME of the list (admins only)."""
    parser = actions.add_parser(name, help=f"{text} (admins only)")
    parser.add_argument("name", help="the field")
    parser.set_defaults(handler=in_session(run, at_least="admin"))
    return parser


def _options(text: str | None) -> list[str]:
    """"a, b,c" as ["a", "b", "c"] (the service refuses empty or doubled options)."""
    return [] if text is None else [part.strip() for part in text.split(",")]


def list_fields(session: Session, args: argparse.Namespace) -> int:
    """desk fields LIST [list]: its fields in order, with type and options."""
    from desk.work import custom_fields

    list_id, _ = named_list(args)
    rows = [{"field": row.name, "type": row.kind, "options": ", ".join(row.options)}
            for row in custom_fields.fields_for_list(list_id)]
    print(output.render(rows, ("field", "type", "options"), "table", session.settings.tz,
                        flexible=("options",)))
    return 0


def add_field(session: Session, args: argparse.Namespace) -> int:
    """desk fields LIST add NAME --type T [--options a,b]."""
    from desk.work.shaping import fields as field_edits

    list_id, where = named_list(args)
    added = field_edits.add(session.agent, list_id, args.name, args.kind,
                            _options(args.options))
    options = f": {visible(', '.join(added.options))}" if added.options else ""
    print(f"added the field {visible(added.name)} ({added.kind}{options}) to {where}")
    return 0


def rename_field(session: Session, args: argparse.Namespace) -> int:
    """desk fields LIST rename OLD NEW."""
    from desk.work.shaping import fields as field_edits

    list_id, where = named_list(args)
    field_edits.rename(session.agent, list_id, args.name, args.new)
    print(f"renamed the field {visible(args.name)} of {where} to {visible(args.new.strip())}")
    return 0


def set_options(session: Session, args: argparse.Namespace) -> int:
    """desk fields LIST options NAME a,b,c."""
    from desk.work.shaping import fields as field_edits

    list_id, where = named_list(args)
    stored = field_edits.set_options(session.agent, list_id, args.name,
                                     _options(args.options))
    print(f"the field {visible(args.name)} of {where} offers {visible(', '.join(stored))}")
    return 0


def remove_field(session: Session, args: argparse.Namespace) -> int:
    """desk fields LIST remove NAME [--yes]: asks first when tasks hold values."""
    from desk.work.shaping import fields as field_edits

    list_id, where = named_list(args)
    held = field_edits.usage(list_id, args.name)
    if held and not agreed(f"removing the field {visible(args.name)} of {where} clears its "
                           f"value on {counted(held, 'task')}", args.yes):
        return declined()
    cleared = field_edits.remove(session.agent, list_id, args.name)
    said = f"; {counted(cleared, 'value')} cleared (kept in the tasks' " \
        "history)" if cleared else ""
    print(f"removed the field {visible(args.name)} from {where}{said}")
    return 0
