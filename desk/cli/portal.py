"""desk portal: serve the client portal (desk.portal), and set a client's portal access."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desk.cli.one_command import OnlyCommand
from desk.cli.session import Session, in_session
from desk.errors import DeskError
from desk.text import visible

PORT_RANGE = range(1, 65536)
PORTAL_ROLE = "desk_portal"
"""The name of the portal's own PostgreSQL role unless --name says another."""


def port(text: str) -> int:
    """A TCP port number from 1 to 65535."""
    if not text.isascii() or not text.isdigit() or int(text) not in PORT_RANGE:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, not {text!r}")
    return int(text)


def yes_no(text: str) -> bool:
    """yes or no, as a bool."""
    if text not in ("yes", "no"):
        raise argparse.ArgumentTypeError(f"expected yes or no, not {text!r}")
    return text == "yes"


def register(commands: OnlyCommand) -> None:
    """Add desk portal [--host H] [--port P] [--behind-proxy] and desk portal access."""
    portal = commands.add_parser(
        "portal", help="serve the client portal, or set a client's access to it",
        description="Serve the client portal (a web app where a client's contacts sign in "
                    "with an e-mailed link) with waitress. Needs the portal extra "
                    "(pip install 'desk[portal]') and portal.enabled: true in the config; "
                    "put it behind a TLS reverse proxy.")
    portal.add_argument("--host", default="127.0.0.1", help="the address to listen on "
                                                            "(default 127.0.0.1)")
    portal.add_argument("--port", type=port, default=8080, help="the port (default 8080)")
    portal.add_argument("--behind-proxy", action="store_true",
                        help="trust the X-Forwarded-* headers of a reverse proxy on 127.0.0.1")
    portal.add_argument("--database-url", metavar="URL",
                        help="connect as the portal's own PostgreSQL role (default: the "
                             "config's portal.database_url, else the workspace's URL)")
    portal.set_defaults(handler=in_session(serve_portal))
    actions = portal.add_subparsers(metavar="ACTION")
    access = actions.add_parser("access", help="show or set a client's portal access: shared "
                                               "(every contact sees all its requests) and "
                                               "enabled")
    access.add_argument("client", metavar="CLIENT", help="the client's id or name")
    access.add_argument("--shared", type=yes_no, metavar="yes|no")
    access.add_argument("--enabled", type=yes_no, metavar="yes|no")
    access.add_argument("--notes-shared", type=yes_no, metavar="yes|no",
                        help="show the client's notes (requirements document) on its portal")
    access.set_defaults(handler=in_session(client_access, at_least="viewer"))
    role = actions.add_parser("role", help="the portal's own PostgreSQL role, with only the "
                                           "rights the portal needs")
    role_actions = role.add_subparsers(metavar="ACTION", required=True)
    create = role_actions.add_parser(
        "create", help="create or update the role (an admin, connected with --db as the "
                       "database's owner or a superuser)")
    create.add_argument("--name", default=PORTAL_ROLE,
                        help=f"the role's name (default {PORTAL_ROLE})")
    create.add_argument("--password-file", type=Path, metavar="FILE",
                        help="set the role's password to this file's first line (default: "
                             "none; pg_hba.conf decides how it logs in)")
    create.set_defaults(handler=in_session(create_role, at_least="admin"))


def serve_portal(session: Session, args: argparse.Namespace) -> int:
    """desk portal: serve until interrupted."""
    if not session.settings.portal.enabled:
        raise DeskError("the portal is off: set portal.enabled: true in the config "
                        "(see config.example.yaml)")
    try:
        from desk.portal.app import create_app
        from desk.portal.serve import serve
    except ImportError as error:
        raise DeskError(f"the portal needs Flask and waitress ({error.name} is missing): "
                        "pip install 'desk[portal]'") from None
    database = session.db
    url = args.database_url or session.settings.portal.database_url
    if url:
        database = _portal_database(session, url)
    app = create_app(session.settings, database, session.agent)
    print(f"desk portal: serving http://{visible(args.host)}:{args.port} for "
          f"{visible(session.settings.portal.public_url)} (ctrl+c stops)", file=sys.stderr)
    serve(app, args.host, args.port, behind_proxy=args.behind_proxy)
    return 0


def client_access(session: Session, args: argparse.Namespace) -> int:
    """desk portal access CLIENT [--shared yes|no] [--enabled yes|no]."""
    from desk.crm import clients
    from desk.support.portal import contacts

    client = clients.find(args.client, session.agent)
    if args.shared is None and args.enabled is None and args.notes_shared is None:
        current = contacts.access(client.id)
    else:
        current = contacts.set_access(session.agent, client.id, shared=args.shared,
                                      enabled=args.enabled, notes_shared=args.notes_shared)
    print(f"{visible(client.name)}: portal {'on' if current.enabled else 'off'}, "
          f"{'shared' if current.shared else 'each contact sees their own requests'}, "
          f"notes {'shared' if current.notes_shared else 'not shared'}")
    return 0


def _portal_database(session: Session, url: str):
    """The workspace's database opened as the portal's own role at `url`, bound to desk's
    models in place of the session's connection; DeskError for a URL that is not
    PostgreSQL's or names another database."""
    from desk import db
    from desk.database_url import POSTGRES_SCHEMES, redact

    if url.partition("://")[0] not in POSTGRES_SCHEMES:
        raise DeskError(f"--database-url {visible(redact(url))}: the portal's own role is a "
                        "PostgreSQL role; expected postgresql://ROLE@HOST/DATABASE")
    (wanted,) = session.db.execute_sql("SELECT current_database()").fetchone()
    session.db.close()
    database = db.connect(url, session.settings.sqlite, create=False)
    (found,) = database.execute_sql("SELECT current_database()").fetchone()
    if found != wanted:
        database.close()
        raise DeskError(f"--database-url {visible(redact(url))} opens the database {found}, "
                        f"not this workspace's {wanted}")
    return database


def create_role(session: Session, args: argparse.Namespace) -> int:
    """desk portal role create [--name NAME] [--password-file FILE]."""
    from desk.support.portal import role
    from desk.work import workspace

    password = None
    if args.password_file is not None:
        try:
            text = args.password_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise DeskError(f"cannot read the password file {args.password_file}: "
                            f"{error}") from None
        password = text.splitlines()[0] if text.strip() else ""
    made = role.create(session.agent, args.name, password)
    # New requests go to the intake list; a workspace without lists gets it now, from the
    # owner's connection, since the role may not create lists.
    workspace.starter_list(session.agent, session.settings.intake.list)
    print(f"desk portal: {'created' if made.created else 'updated'} the PostgreSQL role "
          f"{made.name} with the portal's {made.grants} grants and nothing else; serve with "
          f"portal.database_url: postgresql://{made.name}@HOST/DATABASE")
    return 0
