"""desk init: create a new workspace where a person asks for one, optionally shared by a
group of operating-system accounts.

Every other command refuses a database that is not there (only the default file is created
on first use), so this is where a workspace begins: at --db, $DESK_DATABASE, the config's
database: or the default file. The account that runs it becomes the admin. On an existing
workspace it changes nothing but the sharing asked for (which takes an admin), and says so.
`--template` gives a new workspace its spaces, lists, statuses and teams (desk.work.starters),
`--name` sets your display name, and `--company`, `--timezone` and `--hours` save the
workspace's settings (desk.kernel.workspace_settings). With identity.mode postgres, the
database's owner runs it to set up the PostgreSQL roles (desk.kernel.access.pg_roles), again after
an upgrade.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from desk.cli.one_command import OnlyCommand
from desk.cli.session import Session, Workspace, find_workspace, open_session
from desk.errors import DeskError, FieldError
from desk.text import visible

STARTERS = ("support", "agency", "blank")
"""The starter templates (desk.work.starters.NAMES, named here so --help needs no service)."""


def register(commands: OnlyCommand) -> None:
    """Add desk init."""
    init = commands.add_parser(
        "init", help="create a new workspace (a SQLite file, or the schema of a PostgreSQL "
                     "database)",
        description="Creates the workspace at --db (or $DESK_DATABASE, the config's database:, "
                    "the default file); you become its admin. --shared GROUP makes a SQLite "
                    "workspace one that the accounts of GROUP share: its folder becomes the "
                    "group's (mode 2770, setgid) and the database, its -wal and -shm files and "
                    "desk's lock files group read-write (0660). Everyone in GROUP can then "
                    "edit the file directly, whatever their role in desk.")
    init.add_argument("--shared", metavar="GROUP",
                      help="share a SQLite workspace with the operating-system group GROUP")
    init.add_argument("--template", choices=STARTERS,
                      help="start with these spaces, lists, statuses and teams: support (a "
                           "Support inbox), agency (Support, Orders, Billing, Accounts, as "
                           "the shipped automations expect) or blank")
    init.add_argument("--name", metavar="NAME",
                      help="your display name, shown on replies, notes and history")
    init.add_argument("--company", metavar="NAME", help="your company's name")
    init.add_argument("--timezone", metavar="ZONE",
                      help="the workspace's time zone, e.g. Europe/Berlin (over the config's)")
    init.add_argument("--hours", metavar="HOURS",
                      help='working days and hours, e.g. "Mon-Fri 09:00-17:30" (the SLA '
                           "calendar's; over the config's)")
    init.set_defaults(handler=create_workspace)


def create_workspace(args: argparse.Namespace) -> int:
    """desk init [--shared GROUP]."""
    from desk import database_url, shared_folder

    workspace = find_workspace(args, create=True)
    given = checked_workspace_settings(args)
    file = database_url.sqlite_path(workspace.url)
    if args.shared and file is None:
        raise DeskError("--shared is for a SQLite file; a PostgreSQL database is shared "
                        "through its server")
    if args.shared and file.exists():  # sharing a workspace there is: its admin's decision
        session = open_session(workspace, at_least="admin")
        shared_folder.prepare_folder(file.absolute().parent, args.shared)
    else:
        if args.shared:
            shared_folder.prepare_folder(file.absolute().parent, args.shared)
        if workspace.settings.identity.mode == "postgres":
            check_database_owner(workspace, file is None)
        session = open_session(workspace, at_least="viewer")
    where = visible(database_url.redact(workspace.url))
    article = "an" if session.agent.role[0] in "aeiou" else "a"
    print(f"{where} is a desk workspace; you ({visible(session.agent.username)}) are "
          f"{article} {session.agent.role} of it")
    if args.shared:
        shared_folder.share_files(file.absolute(), args.shared)
        print(f"shared with the group {visible(args.shared)}: {file.absolute().parent} is "
              f"2770 (setgid), the database and its lock files 0660")
    if session.settings.identity.mode == "postgres":
        set_up_roles(session)
    if args.name is not None:
        set_display_name(session, args.name)
    save_workspace_settings(session, given)
    if args.template is not None:
        set_up_template(session, args.template)
    print_next_steps(session, workspace.url)
    return 0


def check_database_owner(workspace: Workspace, postgres: bool) -> None:
    """identity.mode postgres: only the owner of a PostgreSQL database may make a workspace
    there, checked before anything is written (whoever runs it first becomes the admin)."""
    from desk.kernel.access import identity, pg_roles

    if not postgres:
        raise DeskError(identity.NEEDS_POSTGRES)
    connected = workspace.connect()
    try:
        if not connected.get_tables():
            pg_roles.check_owner()
    finally:
        connected.close()


def set_up_roles(session: Session) -> None:
    """identity.mode postgres: the group roles, their grants and a login role for each agent
    (desk.kernel.access.pg_roles), which only the database's owner makes; anyone else is told."""
    from desk.kernel.access import pg_roles

    owner = pg_roles.database_owner()
    if session.agent.username != owner:
        print(f"PostgreSQL roles: set up by the database's owner, {visible(owner)}")
        return
    groups, synced, skipped = pg_roles.set_up(session.agent)
    print(f"PostgreSQL roles: {', '.join(visible(groups[role]) for role in groups)} "
          "(viewers read; agents write; admins also manage agents)")
    if synced:
        print(f"agents who log in with a role of their name: {visible(', '.join(synced))}")
    if skipped:
        print(f"no login role for {visible(', '.join(skipped))}: not a PostgreSQL role name "
              "desk manages", file=sys.stderr)


def set_display_name(session: Session, name: str) -> None:
    """--name: the acting agent's display name."""
    from desk.kernel import agents

    agent = agents.set_name(session.agent, session.agent.username, name)
    print(f"your display name: {visible(agent.name)}")


def checked_workspace_settings(args: argparse.Namespace) -> dict[str, str]:
    """--company, --timezone and --hours as given, checked before anything is made: a bad
    one is named by its option."""
    from desk.kernel import workspace_settings

    given = {key: getattr(args, key) for key in workspace_settings.KEYS
             if getattr(args, key) is not None}
    try:
        return workspace_settings.check(given)
    except FieldError as error:
        raise FieldError(error.field, f"--{error.field}: {error}") from None


def save_workspace_settings(session: Session, given: dict[str, str]) -> None:
    """Save the workspace's settings for everyone (admins only) and say what they are."""
    from desk.kernel import workspace_settings

    if given:
        saved = workspace_settings.save(session.agent, given)
        for key, text in workspace_settings.described(saved):
            if key in given:
                print(f"workspace {key}: {visible(text)}")


def set_up_template(session: Session, name: str) -> None:
    """--template: the starter's spaces, lists and teams, listed as they are made."""
    from desk.work import starters

    chosen = starters.set_up(session.agent, name)
    print(f"starter template {name}: {chosen.description}")
    for space, lists in chosen.spaces:
        for list_name, statuses in lists:
            names = ", ".join(status for status, _ in statuses)
            print(f"  {visible(space)} / {visible(list_name)}: {visible(names)}")
    if chosen.teams:
        print(f"  teams (you are in each): {', '.join(chosen.teams)}")


def print_next_steps(session: Session, url: str) -> None:
    """What to do next: add the other agents."""
    from desk import database_url

    if session.agent.role != "admin":
        return
    flag = f"--db {shlex.quote(visible(database_url.redact(url)))}"
    print(f"next: add the other agents, e.g. desk {flag} agents add NAME --role agent")
