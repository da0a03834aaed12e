"""desk agents: list the agents of this desk, add one, change one's role, show or change a
profile (display name, e-mail, signature, away), change one's teams, disable or enable one,
or remove one added by mistake.

With identity.mode postgres each agent is a PostgreSQL login role of their name: the
database keeps it in step with the agent's row (desk.kernel.access.pg_roles), so adding one
creates the role, and a role change, disabling or removing changes its group or ends its
access; `add` refuses a name that cannot be such a role."""

from __future__ import annotations

import argparse
import getpass
import os

from desk import output
from desk.cli.one_command import OnlyCommand
from desk.cli.session import Session, in_session
from desk.errors import DeskError, FieldError, InvalidInput
from desk.text import visible
from desk.vocabulary import ROLES

AGENT_COLUMNS = ("username", "name", "role", "teams", "away", "disabled")


def register(commands: OnlyCommand) -> None:
    """Add desk agents [list|add|role|profile|teams|disable|enable|remove]."""
    agents = commands.add_parser("agents", help="list or manage the agents of this desk")
    agents.add_argument("--format", choices=output.FORMATS, default="table")
    agents.set_defaults(handler=in_session(list_agents, at_least="viewer"))
    actions = agents.add_subparsers(metavar="ACTION")
    listing = actions.add_parser("list", help="list agents (the default)")
    listing.add_argument("--format", choices=output.FORMATS, default=argparse.SUPPRESS)
    listing.set_defaults(handler=in_session(list_agents, at_least="viewer"))
    add = actions.add_parser("add", help="add an agent (admins only)")
    add.add_argument("username", help="their operating-system account name (identity.mode "
                     "postgres: their PostgreSQL login role)")
    add.add_argument("--role", choices=ROLES)
    add.add_argument("--name", default="")
    add.add_argument("--email", default="")
    add.add_argument("--team", action="append", default=[], metavar="TEAM")
    add.add_argument("--password-prompt", action="store_true",
                     help="identity.mode postgres: ask for the password their login role "
                          "authenticates with (else pg_hba.conf decides, e.g. peer)")
    add.set_defaults(handler=in_session(add_agent, at_least="admin"))
    role = actions.add_parser("role", help="change an agent's role (admins only)")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(handler=in_session(change_role, at_least="admin"))
    profile = actions.add_parser(
        "profile", help="show or change a profile: yours, or anyone's as an admin")
    profile.add_argument("username", nargs="?", help="whose profile (default: yours)")
    for option, text in (("--name", "display name, shown on replies, notes and history"),
                         ("--email", "e-mail address"),
                         ("--signature", "signature under your replies (\\n for a new line)"),
                         ("--away", "yes or no: away agents get no round-robin work")):
        profile.add_argument(option, help=text)
    profile.set_defaults(handler=in_session(change_profile, at_least="viewer"))
    teams = actions.add_parser("teams", help="put an agent in teams or take them out (admins "
                                             "only)")
    teams.add_argument("username")
    teams.add_argument("--join", action="append", default=[], metavar="TEAM")
    teams.add_argument("--leave", action="append", default=[], metavar="TEAM")
    teams.set_defaults(handler=in_session(change_teams, at_least="admin"))
    for action, text in (("disable", "stop an agent from using this desk; their history stays "
                                     "(admins only)"),
                         ("enable", "let a disabled agent use this desk again (admins only)"),
                         ("remove", "remove an agent who has done nothing yet, e.g. one added "
                                    "by mistake (admins only)")):
        command = actions.add_parser(action, help=text)
        command.add_argument("username")
        command.set_defaults(handler=in_session(change_standing, at_least="admin"),
                             action=action)


def list_agents(session: Session, args: argparse.Namespace) -> int:
    """desk agents [list] [--format F]."""
    from desk.kernel import agents

    print(output.render(agents.listing(), AGENT_COLUMNS, args.format, session.settings.tz))
    return 0


def add_agent(session: Session, args: argparse.Namespace) -> int:
    """desk agents add USERNAME [--role R] [--name N] [--email E] [--team T...]
    [--password-prompt]."""
    from desk.kernel import agents

    details = {"role": args.role or session.settings.workspace.new_agent_role,
               "name": args.name, "email": args.email, "teams": tuple(args.team)}
    if session.settings.identity.mode != "postgres":
        if args.password_prompt:
            raise DeskError("--password-prompt sets a PostgreSQL login's password: it is for "
                            "identity.mode postgres")
        added = agents.add(session.agent, args.username, **details)
        print(f"added {visible(added.username)} as {added.role}")
        return 0
    from desk.database_url import resolve_url
    from desk.kernel.access import pg_roles

    pg_roles.check_role_name(args.username)  # before asking for a password
    password = read_password(args.username) if args.password_prompt else None
    added = pg_roles.add(session.agent, args.username, password, **details)
    print(f"added {visible(added.username)} as {added.role}")
    url = pg_roles.login_url(resolve_url(args.db, os.environ, session.settings.database),
                             added.username)
    print(f"they log in as the PostgreSQL role {visible(added.username)}"
          f"{' with the password given' if password else ''}: desk --db {visible(url)}")
    return 0


def read_password(username: str) -> str:
    """Ask twice for the password of `username`'s login, without echo; DeskError when the
    two differ."""
    first = getpass.getpass(f"password for {visible(username)}: ")
    if getpass.getpass("again: ") != first:
        raise DeskError("the two passwords differ; nothing was changed")
    return first


def change_role(session: Session, args: argparse.Namespace) -> int:
    """desk agents role USERNAME ROLE."""
    from desk.kernel import agents

    changed = agents.set_role(session.agent, args.username, args.role)
    print(f"{visible(changed.username)} is now {changed.role}")
    return 0


def change_standing(session: Session, args: argparse.Namespace) -> int:
    """desk agents disable|enable|remove USERNAME."""
    from desk.kernel import agents

    name = visible(args.username)
    if args.action == "remove":
        agents.remove(session.agent, args.username)
        print(f"removed {name}")
        return 0
    agents.set_disabled(session.agent, args.username, args.action == "disable")
    print(f"{name} is {args.action}d" + (": their open desk stops within seconds"
                                        if args.action == "disable" else ""))
    return 0


PROFILE_FIELDS = ("name", "email", "signature", "away")


def change_profile(session: Session, args: argparse.Namespace) -> int:
    """desk agents profile [USERNAME] [--name N] [--email E] [--signature S] [--away yes|no]:
    without options, show it."""
    from desk.kernel import profiles

    username = args.username or session.agent.username
    changes = {field: getattr(args, field) for field in PROFILE_FIELDS
               if getattr(args, field) is not None}
    if "signature" in changes:
        changes["signature"] = changes["signature"].replace("\\n", "\n")
    if changes:
        current = profiles.profile(username)
        try:
            shown = profiles.update(session.agent, username, current.version, **changes)
        except FieldError as error:
            raise FieldError(error.field, f"--{error.field}: {error}") from None
    else:
        shown = profiles.profile(username)
    print(f"username   {visible(shown.username)}\nname       {visible(shown.name)}\n"
          f"email      {visible(shown.email)}\naway       {'yes' if shown.away else 'no'}\n"
          f"teams      {visible(', '.join(shown.teams))}")
    lines = shown.signature.splitlines() or [""]
    print("\n".join(f"{'signature' if n == 0 else '':<11}{visible(line)}"
                    for n, line in enumerate(lines)).rstrip())
    return 0


def change_teams(session: Session, args: argparse.Namespace) -> int:
    """desk agents teams USERNAME [--join TEAM...] [--leave TEAM...]."""
    from desk.kernel import profiles

    if not args.join and not args.leave:
        raise InvalidInput("name a team to --join or --leave")
    joined, left = profiles.change_teams(session.agent, args.username, tuple(args.join),
                                         tuple(args.leave))
    name = visible(args.username)
    for verb, teams in (("joined", joined), ("left", left)):
        if teams:
            print(f"{name} {verb} {visible(', '.join(teams))}")
    return 0
