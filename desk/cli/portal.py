"""desk portal: serve the client portal (desk.portal), and set a client's portal access."""

from __future__ import annotations

import argparse
import sys

from desk.cli.session import Session, in_session
from desk.errors import DeskError
from desk.text import visible

PORT_RANGE = range(1, 65536)


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


def register(commands: argparse._SubParsersAction) -> None:
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
    app = create_app(session.settings, session.db, session.agent)
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
