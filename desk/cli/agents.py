"""desk agents: list the agents of this desk, add one, or change one's role."""

from __future__ import annotations

import argparse

from desk import output
from desk.cli.session import Session, in_session
from desk.text import visible
from desk.vocabulary import ROLES

AGENT_COLUMNS = ("username", "name", "role", "teams", "away")


def register(commands: argparse._SubParsersAction) -> None:
    """Add desk agents [list|add|role]."""
    agents = commands.add_parser("agents", help="list or add the agents of this desk")
    agents.add_argument("--format", choices=output.FORMATS, default="table")
    agents.set_defaults(handler=in_session(list_agents))
    actions = agents.add_subparsers(metavar="ACTION")
    listing = actions.add_parser("list", help="list agents (the default)")
    listing.add_argument("--format", choices=output.FORMATS, default=argparse.SUPPRESS)
    listing.set_defaults(handler=in_session(list_agents))
    add = actions.add_parser("add", help="add an agent (admins only)")
    add.add_argument("username", help="their operating-system account name")
    add.add_argument("--role", choices=ROLES)
    add.add_argument("--name", default="")
    add.add_argument("--email", default="")
    add.add_argument("--team", action="append", default=[], metavar="TEAM")
    add.set_defaults(handler=in_session(add_agent))
    role = actions.add_parser("role", help="change an agent's role (admins only)")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(handler=in_session(change_role))


def list_agents(session: Session, args: argparse.Namespace) -> int:
    """desk agents [list] [--format F]."""
    from desk.kernel import agents

    print(output.render(agents.listing(), AGENT_COLUMNS, args.format, session.settings.tz))
    return 0


def add_agent(session: Session, args: argparse.Namespace) -> int:
    """desk agents add USERNAME [--role R] [--name N] [--email E] [--team T...]."""
    from desk.kernel import agents

    role = args.role or session.settings.workspace.new_agent_role
    added = agents.add(session.agent, args.username, role=role, name=args.name,
                       email=args.email, teams=tuple(args.team))
    print(f"added {visible(added.username)} as {added.role}")
    return 0


def change_role(session: Session, args: argparse.Namespace) -> int:
    """desk agents role USERNAME ROLE."""
    from desk.kernel import agents

    changed = agents.set_role(session.agent, args.username, args.role)
    print(f"{visible(changed.username)} is now {changed.role}")
    return 0
