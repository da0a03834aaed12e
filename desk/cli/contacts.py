"""desk contacts CLIENT: list a client's people (the default), add one, edit one, remove one.

Every change goes through desk.crm.contacts, so the checks are the app's: a bad value is one
line naming its option, and nothing is written. Removing asks yes or no first (`--yes`
does not ask); without a terminal it is refused unless `--yes` is given.
"""

from __future__ import annotations

import argparse
import sys

from desk import output
from desk.cli.confirm import agreed, declined
from desk.cli.one_command import OnlyCommand
from desk.cli.session import Session, in_session
from desk.errors import FieldError, InvalidInput
from desk.text import visible
from desk.vocabulary import CONTACT_ROLES

OPTIONS = (
    ("--email", "email", "e-mail address"),
    ("--phone", "phone", "phone number"),
    ("--title", "title", "job title, e.g. 'Head of IT'"),
    ("--birthday", "birthday", "birthday, YYYY-MM-DD"),
    ("--notes", "notes", "notes"),
)
"""The text options of add and edit: option, the service's field, help."""
COLUMNS = ("id", "name", "role", "title", "email", "phone", "primary")
OPTION_OF = {field: option for option, field, _ in OPTIONS} | {
    "role": "--role", "primary": "--primary", "name": "--name"}
ROLE_HELP = f"role: {', '.join(CONTACT_ROLES)}"


def register(commands: OnlyCommand) -> None:
    """Add desk contacts CLIENT [list|add|edit|remove]."""
    contacts = commands.add_parser("contacts", help="list, add, edit or remove a client's "
                                                    "contacts")
    contacts.add_argument("client", help="the client's id or name")
    contacts.add_argument("--format", choices=output.FORMATS, default="table")
    contacts.set_defaults(handler=in_session(list_contacts, at_least="viewer"))
    actions = contacts.add_subparsers(metavar="ACTION")
    listing = actions.add_parser("list", help="the client's contacts, primary first (the "
                                              "default)")
    listing.add_argument("--format", choices=output.FORMATS, default=argparse.SUPPRESS)
    listing.set_defaults(handler=in_session(list_contacts, at_least="viewer"))

    add = actions.add_parser("add", help="add a contact")
    add.add_argument("name")
    add.add_argument("--role", required=True, help=ROLE_HELP)
    _text_options(add)
    add.add_argument("--primary", action="store_true",
                     help="make it the client's primary contact")
    add.set_defaults(handler=in_session(add_contact))
    edit = actions.add_parser("edit", help="change fields of a contact")
    edit.add_argument("contact", help="the contact's id, name or e-mail address")
    edit.add_argument("--name", help="a new name")
    edit.add_argument("--role", help=ROLE_HELP)
    _text_options(edit)
    edit.add_argument("--primary", metavar="YES|NO", help="make it primary, or not")
    edit.set_defaults(handler=in_session(edit_contact))
    remove = actions.add_parser("remove", help="remove a contact (its history stays)")
    remove.add_argument("contact", help="the contact's id, name or e-mail address")
    remove.add_argument("--yes", action="store_true", help="do not ask first")
    remove.set_defaults(handler=in_session(remove_contact))


def _text_options(parser: argparse.ArgumentParser) -> None:
    """The text field options of add and edit."""
    for option, field, text in OPTIONS:
        parser.add_argument(option, dest=field, metavar=option[2:].upper(), help=text)


def _fields(args: argparse.Namespace, names: tuple[str, ...]) -> dict[str, object]:
    """The service fields of these names the options give (those given only)."""
    return {name: getattr(args, name) for name in names
            if getattr(args, name, None) is not None}


def _named(run):
    """Run a service call; a FieldError is reported with its option ("--email: ...")."""
    try:
        return run()
    except FieldError as error:
        option = OPTION_OF.get(error.field, error.field)
        raise FieldError(error.field, f"{option}: {error}") from None


def _client(session: Session, args: argparse.Namespace) -> int:
    """The id of the client CLIENT names."""
    from desk.crm import clients

    return clients.find(args.client, session.agent).id


def list_contacts(session: Session, args: argparse.Namespace) -> int:
    """desk contacts CLIENT [list] [--format table|json|csv]."""
    from desk.crm import contacts

    rows = output.records(contacts.of_client(_client(session, args), session.agent))
    print(output.render(rows, COLUMNS, args.format, session.settings.tz,
                        flexible=("name", "title", "email"),
                        width=output.terminal_width(sys.stdout)))
    return 0


def add_contact(session: Session, args: argparse.Namespace) -> int:
    """desk contacts CLIENT add NAME --role R [--email E ...] [--primary]."""
    from desk.crm import contacts

    fields = _fields(args, tuple(field for _, field, _ in OPTIONS))
    client_id = _client(session, args)
    added = _named(lambda: contacts.add(session.agent, client_id, args.name, role=args.role,
                                        primary=args.primary, **fields))
    primary = " (primary)" if added.primary else ""
    print(f"added contact {added.id}: {visible(added.name)}{primary}")
    return 0


def edit_contact(session: Session, args: argparse.Namespace) -> int:
    """desk contacts CLIENT edit CONTACT --field value..."""
    from desk.crm import contacts

    row = contacts.find(_client(session, args), args.contact, session.agent)
    fields = _fields(args, ("name", "role", "primary", *(field for _, field, _ in OPTIONS)))
    if not fields:
        raise InvalidInput("name at least one field to change, e.g. --email or --role")
    changed = _named(lambda: contacts.edit(session.agent, row.id, row.version, **fields))
    print(f"changed contact {row.id}: {visible(changed.name)} (version {changed.version})")
    return 0


def remove_contact(session: Session, args: argparse.Namespace) -> int:
    """desk contacts CLIENT remove CONTACT [--yes]."""
    from desk.crm import contacts

    row = contacts.find(_client(session, args), args.contact, session.agent)
    if not agreed(f"remove the contact {visible(row.name)} ({row.id})", args.yes):
        return declined()
    contacts.remove(session.agent, row.id, row.version)
    print(f"removed contact {row.id}: {visible(row.name)}")
    return 0
