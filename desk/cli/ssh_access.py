"""What an agent who came in over SSH may run: `desk --ssh-agent AGENT --ssh-key SHA256:...`
as sshd's forced command (identity.mode ssh; see desk.kernel.access.identity and
desk.kernel.access.ssh_keys).

With no command (`ssh desk@host`), the agent gets the app at their terminal, or the
workspace's counts without one. A command they ask for (`ssh desk@host ls '@me'`) reaches desk
in SSH_ORIGINAL_COMMAND: it is split with shlex, never given to a shell, and runs only when
it is one of OVER_SSH, without --db or --config; anything else is refused with one line. desk
spawns no editor, pager or browser anywhere, so none of these can lead to a shell.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Callable, Mapping, Sequence

from desk.errors import PermissionDenied
from desk.text import one_line

OVER_SSH = ("ls", "show", "clients", "report", "add")
"""The commands an agent may run over SSH without the app: look things up, add a task."""


def ssh_options(parser: argparse.ArgumentParser) -> None:
    """--ssh-agent and --ssh-key: given before any command, by sshd's forced command only."""
    parser.add_argument("--ssh-agent", metavar="AGENT",
                        help="(for sshd's forced command, identity mode ssh) act as AGENT, "
                             "who came in with the key --ssh-key")
    parser.add_argument("--ssh-key", metavar="FINGERPRINT", help=argparse.SUPPRESS)


def forced_command(args: argparse.Namespace, environ: Mapping[str, str],
                   parse: Callable[[Sequence[str]], argparse.Namespace]) -> argparse.Namespace:
    """The arguments to run for `args` (a command line with --ssh-agent): the command the
    agent asked sshd for (SSH_ORIGINAL_COMMAND, read with `parse`), or desk alone when they
    asked for none. PermissionDenied for a command line or a command that is not allowed;
    the identity mode still decides whether --ssh-agent is believed at all."""
    if args.command is not None:
        raise PermissionDenied("with --ssh-agent the command comes from the agent's ssh "
                               "(SSH_ORIGINAL_COMMAND), not from the command line")
    original = environ.get("SSH_ORIGINAL_COMMAND")
    if original is None or not original.strip():
        return args
    try:
        words = shlex.split(original)
    except ValueError as error:
        raise PermissionDenied(f"cannot read the command {one_line(original)[:80]!r} "
                               f"({error})") from None
    if words[0] not in OVER_SSH:
        raise PermissionDenied(f"{one_line(words[0])[:40]!r} cannot be run over ssh; what "
                               f"can: {', '.join(OVER_SSH)}, or nothing for the app")
    asked = parse(words)
    if asked.db is not None or asked.config is not None:
        raise PermissionDenied("--db and --config cannot be given over ssh: the service "
                               "account's config names the workspace")
    for name in ("ssh_agent", "ssh_key", "db", "config"):
        setattr(asked, name, getattr(args, name))
    return asked
