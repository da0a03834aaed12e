"""The command line: `desk ls`, `desk add`, `desk demo`... on the same services as the TUI.

Each command group is a module here that adds its parsers (`register`) beside the handlers
they name; `main` parses, then runs the handler of the chosen command. Every command prints
through `desk.output` (so through `visible()`), and every failure is one line on standard
error with a non-zero exit, never a traceback.

Building the parser imports every group module, so their top-level imports stay light: a
handler imports the services it uses in its body, once its workspace is open (see
desk.cli.session).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from desk import __version__
from desk.cli import (
    agents,
    automations,
    clients,
    contacts,
    demo,
    feedback,
    for_me,
    init,
    listings,
    loyalty,
    maintenance,
    orders,
    outbox,
    portal,
    recurrence,
    report,
    sequences,
    shaping,
    ssh_keys,
    suggestions,
    support,
    tasks,
    timesheet,
    transfer,
)
from desk.cli.home import show_home
from desk.cli.one_command import OnlyCommand, commands_needed
from desk.cli.options import parser_with, workspace_options
from desk.cli.ssh_access import forced_command, ssh_options
from desk.errors import DeskError, QueryError
from desk.text import one_line

GROUPS = (init, demo, listings, clients, contacts, tasks, shaping, maintenance, agents,
          ssh_keys, orders, recurrence, automations, sequences, support, feedback, report,
          outbox, transfer, portal, loyalty, suggestions,
          timesheet)
"""The command groups, in the order `desk --help` lists their commands."""
GROUPS += (for_me,)  # desk forme, follow, unfollow (issue 16)


def top_options(parser: argparse.ArgumentParser) -> None:
    """The options given before any command: the workspace's and sshd's forced command's."""
    workspace_options(parser, None)
    ssh_options(parser)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser `argv` needs (desk.cli.one_command): with the parser of the command
    it names, of none when it names none (the app), or of every command for the help or an
    unknown word; `handler` in the parsed arguments runs the command. Without `argv`, every
    command's."""
    wanted = None if argv is None else commands_needed(argv, top_options)
    parser = argparse.ArgumentParser(
        prog="desk", description="A keyboard-driven terminal desk for client work.",
        epilog="Run 'desk COMMAND --help' for the options of a command.")
    parser.add_argument("--version", action="version", version=f"desk {__version__}")
    top_options(parser)
    parser.set_defaults(handler=show_home)
    # After the command, the same options must not reset what was given before it.
    shared = argparse.ArgumentParser(add_help=False)
    workspace_options(shared, argparse.SUPPRESS)
    commands = OnlyCommand(parser.add_subparsers(dest="command", metavar="COMMAND",
                                                 parser_class=parser_with(shared)), wanted)
    for group in GROUPS:
        group.register(commands)
    return parser if commands.built else build_parser()


def is_database_error(error: Exception) -> bool:
    """Whether `error` is peewee's, asked without importing peewee (see desk.cli.session)."""
    peewee = sys.modules.get("peewee")
    return peewee is not None and isinstance(error, peewee.PeeweeException)


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments of one command line (argparse exits on a mistake)."""
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "extra_words_are_query", False):
        # A query may start with a negated term ('-#spam'), which looks like an option.
        args.query = " ".join([args.query, *extra]).strip()
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status. Under sshd's forced command (--ssh-agent)
    the command is the one the agent asked ssh for, if it is allowed (desk.cli.ssh_access)."""
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(words)
    args = parse(parser, words)
    try:
        if args.ssh_agent is not None:
            args = forced_command(args, os.environ,
                                  lambda words: parse(build_parser(words), words))
        return args.handler(args)
    except QueryError as error:
        print(f"desk: {one_line(error.message)}\n{error.pointer()}", file=sys.stderr)
        return 1
    except DeskError as error:
        print(f"desk: {one_line(str(error))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (desk ls | head): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("desk: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the last line of defence: one line, never a traceback
        if is_database_error(error):
            print(f"desk: database error: {one_line(str(error))}", file=sys.stderr)
            return 1
        if os.environ.get("DESK_DEBUG"):
            raise
        kind = type(error).__name__
        print(f"desk: unexpected {kind}: {one_line(str(error))} (set DESK_DEBUG=1 for the "
              "details)", file=sys.stderr)
        return 70
