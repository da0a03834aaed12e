"""desk clients: list clients and customers (the default: `desk clients QUERY`), add one,
edit one, archive or restore one.

`desk clients add NAME --kind client|customer [--email ...] ...` and `desk clients edit NAME
--field value...` go through desk.crm.clients, so the checks are the app's: a bad value is
one line naming its option, and nothing is written. Archiving (desk.crm.archive) is the way
to remove a client: it keeps everything and leaves the lists; `desk clients 'is:archived'`
finds archived clients and `desk clients restore NAME` brings one back.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeVar

from desk import output
from desk.cli.listings import list_clients
from desk.cli.one_command import OnlyCommand
from desk.cli.options import listing_options, positive
from desk.cli.session import Session, in_session
from desk.errors import FieldError
from desk.text import visible
from desk.vocabulary import CLIENT_KINDS, LIFECYCLE_STAGES, RETAINER_CYCLES

OPTIONS = (
    ("--kind", "kind", "client (a long-term relationship) or customer"),
    ("--email", "email", "e-mail address"),
    ("--contact", "contact_person", "the contact person"),
    ("--phone", "phone", "phone number"),
    ("--stage", "lifecycle_stage", f"lifecycle stage: {', '.join(LIFECYCLE_STAGES)}"),
    ("--score", "lead_score", "lead score, 0 to 100"),
    ("--manager", "account_manager", "the account manager's user name"),
    ("--retainer", "retainer_amount", "retainer amount, e.g. 1500.00"),
    ("--cycle", "retainer_cycle", f"retainer cycle: {', '.join(RETAINER_CYCLES)}"),
    ("--retainer-hours", "retainer_hours", "hours the retainer includes a cycle, e.g. 20"),
    ("--overage-rate", "retainer_overage_rate", "hourly rate beyond them, e.g. 95.00"),
    ("--birthday", "birthday", "birthday, YYYY-MM-DD"),
    ("--acquired", "acquisition_date", "acquisition date, YYYY-MM-DD"),
    ("--cadence", "contact_cadence_days", "contact cadence in days"),
    ("--confidential", "confidential", "yes or no"),
    ("--tags", "tags", "tags, e.g. 'vip,billing'"),
    ("--notes", "notes", "notes"),
)
"""The options of add and edit: option, the service's field, help."""
SORTS = ("name", "newest", "score", "contact")
T = TypeVar("T")
OPTION_OF = {field: option for option, field, _ in OPTIONS} | {
    "name": "--name", "referred_by_id": "--referred-by"}


class _AnyWord(dict):
    """The actions' names as argparse checks a choice: every word passes (one that names no
    action is the query of `list`)."""

    def __contains__(self, word: object) -> bool:
        return True


class _ListByDefault(argparse._SubParsersAction):
    """The actions of desk clients, where a first word that names no action starts the
    query of `list` (`desk clients kind:client` lists)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.choices = _AnyWord()

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        if values and values[0] not in self._name_parser_map:
            values = ["list", *values]
        super().__call__(parser, namespace, values, option_string)


def register(commands: OnlyCommand) -> None:
    """Add desk clients [list] QUERY, add, edit, archive and restore."""
    clients = commands.add_parser("clients", help="list, add or edit clients and customers")
    listing_options(clients, SORTS)
    clients.set_defaults(handler=in_session(list_clients, at_least="viewer"), query="",
                         extra_words_are_query=True)
    actions = clients.add_subparsers(metavar="ACTION", action=_ListByDefault)
    listing = actions.add_parser("list", help="clients a query finds (the default)")
    listing.add_argument("query", nargs="?", default="",
                         help="e.g. 'kind:client stage:active @me score>=50', 'is:archived'")
    # After `list` the same options must not reset what was given before it.
    listing.add_argument("--format", choices=output.FORMATS, default=argparse.SUPPRESS)
    listing.add_argument("--limit", type=positive, default=argparse.SUPPRESS, metavar="N")
    listing.add_argument("--sort", choices=SORTS, default=argparse.SUPPRESS)
    listing.set_defaults(handler=in_session(list_clients, at_least="viewer"))

    add = actions.add_parser("add", help="add a client or customer")
    add.add_argument("name")
    _field_options(add, required_kind=True)
    add.set_defaults(handler=in_session(add_client))
    edit = actions.add_parser("edit", help="change fields of a client")
    edit.add_argument("client", help="the client's id or name")
    edit.add_argument("--name", help="a new name")
    _field_options(edit, required_kind=False)
    edit.set_defaults(handler=in_session(edit_client))
    for action, text in (("archive", "archive a client: kept with its history, out of the "
                                     "lists"),
                         ("restore", "bring an archived client back into the lists")):
        command = actions.add_parser(action, help=text)
        command.add_argument("client", help="the client's id or name")
        command.set_defaults(handler=in_session(archive_client), action=action)


def _field_options(parser: argparse.ArgumentParser, *, required_kind: bool) -> None:
    """The field options of add and edit."""
    for option, field, text in OPTIONS:
        if option == "--kind":
            parser.add_argument(option, dest=field, choices=CLIENT_KINDS,
                                required=required_kind, help=text)
        else:
            parser.add_argument(option, dest=field, metavar=option[2:].upper(), help=text)
    parser.add_argument("--referred-by", metavar="CLIENT", help="the referring client")


def _fields(args: argparse.Namespace) -> dict[str, object]:
    """The service fields the options give (those given only)."""
    names = [field for _, field, _ in OPTIONS]
    fields = {field: getattr(args, field) for field in names
              if getattr(args, field, None) is not None}
    if getattr(args, "name", None) is not None and hasattr(args, "client"):
        fields["name"] = args.name
    return fields


def _named(run: Callable[[], T], options: dict[str, str] = OPTION_OF) -> T:
    """Run a service call; a FieldError is reported with its option ("--email: ...")."""
    try:
        return run()
    except FieldError as error:
        option = options.get(error.field, error.field)
        raise FieldError(error.field, f"{option}: {error}") from None


def _referrer(session: Session, args: argparse.Namespace, fields: dict) -> None:
    """--referred-by CLIENT as the referring client's id."""
    if args.referred_by is not None:
        fields["referred_by_id"] = (_named_client(session, args.referred_by, "--referred-by")
                                    if args.referred_by.strip() else None)


def _named_client(session: Session, text: str, option: str) -> int:
    """The id of the client `text` names, or an error naming `option`."""
    from desk.crm import clients
    from desk.errors import DeskError

    try:
        return clients.find(text, session.agent).id
    except DeskError as error:
        raise DeskError(f"{option}: {error}") from None


def add_client(session: Session, args: argparse.Namespace) -> int:
    """desk clients add NAME --kind K [--field value...]."""
    from desk.crm import clients

    fields = _fields(args)
    kind = fields.pop("kind")
    _referrer(session, args, fields)
    created = _named(lambda: clients.create(session.agent, args.name, kind, **fields),
                     {**OPTION_OF, "name": "NAME"})
    print(f"added {created.row.kind} {created.row.id}: {visible(created.row.name)}")
    return 0


def edit_client(session: Session, args: argparse.Namespace) -> int:
    """desk clients edit CLIENT --field value..."""
    from desk.crm import clients
    from desk.errors import InvalidInput

    row = clients.find(args.client, session.agent)
    fields = _fields(args)
    _referrer(session, args, fields)
    if not fields:
        raise InvalidInput("name at least one field to change, e.g. --email or --stage")
    changed = _named(lambda: clients.update(session.agent, row.id, row.version, **fields))
    print(f"changed {changed.row.kind} {row.id}: {visible(changed.row.name)} "
          f"(version {changed.row.version})")
    return 0


def archive_client(session: Session, args: argparse.Namespace) -> int:
    """desk clients archive|restore CLIENT."""
    from desk.crm import archive, clients

    row = clients.find(args.client, session.agent)
    change = archive.archive if args.action == "archive" else archive.restore
    change(session.agent, row.id, row.version)
    done = "archived" if args.action == "archive" else "restored"
    print(f"{done} {row.kind} {row.id}: {visible(row.name)}")
    return 0
