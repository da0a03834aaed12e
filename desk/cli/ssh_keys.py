"""desk ssh-keys: the SSH keys that let agents in over SSH (identity.mode ssh).

`add`, `list` and `remove` are the admins' (in ssh mode: the service account's own, run on
the machine); `authorized [USER]` is what sshd's AuthorizedKeysCommand runs: every enabled
agent's key as an authorized_keys line that forces desk as that agent (README: "One service
account over SSH").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desk import output
from desk.cli.one_command import OnlyCommand
from desk.cli.session import Session, in_session
from desk.errors import DeskError
from desk.text import visible

KEY_COLUMNS = ("agent", "fingerprint", "kind", "comment", "added_at", "added_by", "disabled")
KEYFILE_LIMIT = 64 * 1024
"""The most of a key file read: a public key is a line of at most a few kilobytes."""


def register(commands: OnlyCommand) -> None:
    """Add desk ssh-keys [list|add|remove|authorized]."""
    keys = commands.add_parser(
        "ssh-keys", help="the SSH keys agents come in with (identity mode ssh)",
        description="In the ssh identity mode agents reach desk with ssh SERVICE@HOST; each "
                    "of their public keys is stored here and served to sshd by desk "
                    "ssh-keys authorized.")
    keys.add_argument("--format", choices=output.FORMATS, default="table")
    keys.set_defaults(handler=in_session(list_keys, at_least="admin"))
    actions = keys.add_subparsers(metavar="ACTION")
    listing = actions.add_parser("list", help="list every agent's keys (the default; admins)")
    listing.add_argument("--format", choices=output.FORMATS, default=argparse.SUPPRESS)
    listing.set_defaults(handler=in_session(list_keys, at_least="admin"))
    add = actions.add_parser("add", help="give an agent a public key (admins only)")
    add.add_argument("username", metavar="AGENT")
    add.add_argument("keyfile", metavar="KEYFILE", help="their public key (.pub), or - to read "
                                                        "it from standard input")
    add.set_defaults(handler=in_session(add_key, at_least="admin"))
    remove = actions.add_parser("remove", help="take away one key, or every key of an agent "
                                               "(admins only); their open session ends")
    remove.add_argument("target", metavar="AGENT|FINGERPRINT")
    remove.set_defaults(handler=in_session(remove_keys, at_least="admin"))
    authorized = actions.add_parser(
        "authorized", help="print the authorized_keys lines (sshd's AuthorizedKeysCommand)")
    authorized.add_argument("user", nargs="?", metavar="USER",
                            help="the account sshd asks for (%%u); lines only for the service "
                                 "account")
    authorized.set_defaults(handler=in_session(print_authorized, at_least="viewer"))


def list_keys(session: Session, args: argparse.Namespace) -> int:
    """desk ssh-keys [list] [--format F]."""
    from desk.kernel.access import ssh_keys

    print(output.render(ssh_keys.listing(), KEY_COLUMNS, args.format, session.settings.tz,
                        flexible=("comment",), width=output.terminal_width(sys.stdout)))
    return 0


def add_key(session: Session, args: argparse.Namespace) -> int:
    """desk ssh-keys add AGENT KEYFILE."""
    from desk.kernel.access import ssh_keys

    fingerprint = ssh_keys.add(session.agent, args.username, read_keyfile(args.keyfile))
    print(f"{visible(args.username)} can now come in with the key {fingerprint}")
    return 0


def read_keyfile(name: str) -> str:
    """The text of a public key file (or of standard input, for "-"); DeskError naming the
    file when it cannot be read."""
    try:
        if name == "-":
            return sys.stdin.read(KEYFILE_LIMIT)
        with Path(name).open(encoding="utf-8", errors="replace") as file:
            return file.read(KEYFILE_LIMIT)
    except OSError as error:
        raise DeskError(f"cannot read the key file {visible(name)}: "
                        f"{error.strerror or error}") from None


def remove_keys(session: Session, args: argparse.Namespace) -> int:
    """desk ssh-keys remove AGENT|FINGERPRINT."""
    from desk.kernel.access import ssh_keys

    for fingerprint in ssh_keys.remove(session.agent, args.target):
        print(f"removed the key {fingerprint}")
    return 0


def print_authorized(session: Session, args: argparse.Namespace) -> int:
    """desk ssh-keys authorized [USER]: one authorized_keys line per key, for sshd; nothing
    for another USER than the service account."""
    from desk.kernel.access import ssh_keys

    identity = session.settings.identity
    if identity.mode != "ssh":
        raise DeskError(f"the keys let agents in only in the ssh identity mode; the config's "
                        f"identity.mode is {identity.mode}")
    if args.user is not None and args.user != identity.ssh.account:
        return 0
    for line in ssh_keys.authorized_lines(identity.ssh.command):
        print(line)
    return 0
