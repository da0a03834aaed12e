"""Who is acting: the identity modes, and the one place where each decides it.

desk never takes identity from $USER, $LOGNAME or anything else a client can set: a mode
establishes an `Identity` from what the operating system (or, in later modes, the SSH server
or the database server) vouches for, and `desk.kernel.agents.acting` turns it into the agent.

- os (the personal and trusted-office mode): the operating-system account running desk, by
  uid. Refused inside a user namespace that maps user ids (`unshare -r`, `unshare
  --map-user`, a rootless container), where the uid, and so the account name, is whatever
  the namespace's maker chose.
- ssh (one service account over SSH): one OS account (`identity.ssh.account`) owns the data
  and runs desk for every agent. sshd verifies an agent's key and runs the forced command
  its authorized_keys line names, `desk --ssh-agent AGENT --ssh-key SHA256:...`
  (desk.kernel.access.ssh_keys serves those lines from the database); desk believes that command
  line only when it runs as the service account, by uid, and only for a key the database
  still gives that agent. The account itself may run only its own maintenance commands
  (SERVICE_COMMANDS) without --ssh-agent.
- postgres (a team on PostgreSQL with database roles): the role this connection logged in as,
  `SELECT session_user`, which the server authenticated (password, peer, certificate) and
  which no client can change in the session (SET ROLE changes current_user, not it).
  Refused on SQLite. desk.kernel.access.pg_roles sets up the roles that hold each agent to their
  role in the database itself.

What the command line says about who is acting (--ssh-agent, and which command runs) is a
`Claim` that each mode verifies or refuses: the os mode refuses every --ssh-agent.

Adding a mode: write a function `(settings, database, claim) -> Identity` that raises
PermissionDenied when it cannot vouch for anyone, add it to MODES, and its name to
`identity.mode` in desk.config.schema. What a mode knows beyond the user name (the uid, an
SSH key's fingerprint, a database role) goes in `Identity.via`: the acting agent carries it
(`AgentRef.via`) and every change records it in the audit trail (Activity.via).
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct

from desk.errors import PermissionDenied

if TYPE_CHECKING:
    from peewee import Database

    from desk.config import IdentitySettings

UID_MAP = Path("/proc/self/uid_map")
"""Linux's map of this process's user namespace: "inside outside count" lines."""
WHOLE_RANGE = (0, 0, 4294967295)
"""The one line of the initial user namespace's map: every uid is itself."""


class Identity(Struct, frozen=True):
    """Who a mode says is acting."""

    username: str
    """The agent's user name (Agent.username)."""
    via: str
    """How the mode knows, as recorded with every change: "os uid 1000"."""
    ssh_key: str = ""
    """The fingerprint of the SSH key the agent came in with (ssh mode), "" for none: the
    agent may act only while the database gives them this key."""


class Claim(Struct, frozen=True):
    """What the command line says about who is acting, for the mode to verify or refuse."""

    ssh_agent: str | None = None
    """--ssh-agent: the agent sshd's forced command names (ssh mode only)."""
    ssh_key: str | None = None
    """--ssh-key: the fingerprint of the key sshd verified, as the forced command names it."""
    command: str | None = None
    """The command being run ("ls", "ssh-keys"...; None for desk alone)."""


NO_CLAIM = Claim()
"""A command line that claims nothing: `desk ls` run by an account on the machine."""

SERVICE_COMMANDS = frozenset({"init", "ssh-keys", "agents", "migrate", "backup", "tick"})
"""In ssh mode, the commands the service account may run itself, without --ssh-agent: making
the workspace, serving and managing keys and agents, the schema, backups, and cron's tick."""


def establish(settings: IdentitySettings, database: Database,
              claim: Claim = NO_CLAIM) -> Identity:
    """Who is acting, by the configured mode (`identity.mode`) and what the command line
    claims; PermissionDenied when the mode cannot vouch for anyone."""
    return MODES[settings.mode](settings, database, claim)


def os_identity(uid_map: Path = UID_MAP) -> Identity:
    """The operating-system account running this process, refused inside a user namespace
    that maps user ids (see `check_namespace`)."""
    uid = os.getuid()
    check_namespace(uid, uid_map)
    return Identity(os_account(uid), f"os uid {uid}")


def os_account(uid: int | None = None) -> str:
    """The account name of `uid` (default: this process's) in the password database, never
    $USER, which anyone can set."""
    uid = os.getuid() if uid is None else uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        raise PermissionDenied(f"uid {uid} has no account in the password database; desk "
                               "acts only for a named account") from None


def check_namespace(uid: int, uid_map: Path = UID_MAP) -> None:
    """Refuse to vouch for `uid` unless this process runs where every uid is itself.

    Only the initial user namespace (or one that root made identical) maps the whole range
    0-4294967295 onto itself. A namespace an ordinary user made maps a few uids, often onto
    other ones (`unshare -r` makes the user root inside); even a map that keeps this uid
    may sit inside one that does not, so any other map is refused. Without the file (not
    Linux, or no user namespaces) there is nothing to check.
    """
    try:
        text = uid_map.read_text(encoding="ascii")
    except FileNotFoundError:
        return
    except OSError as error:
        raise PermissionDenied(f"cannot read {uid_map} to check the account running desk: "
                               f"{error.strerror}") from None
    try:
        ranges = [tuple(int(part) for part in line.split()) for line in text.splitlines()
                  if line.strip()]
    except ValueError:
        ranges = []
    if ranges == [WHOLE_RANGE]:
        return
    outside = next((start + uid - first for first, start, count in ranges
                    if first <= uid < first + count), None)
    seen = f"uid {uid} here is uid {outside} outside it" if outside is not None else \
        f"uid {uid} here is not mapped"
    raise PermissionDenied(
        f"desk is running inside a user namespace that maps user ids ({seen}), such as "
        "unshare -r or a rootless container makes: the account name there says nothing about "
        "who is acting, so desk refuses. Run desk outside the namespace.")


def check_claim(settings: IdentitySettings, claim: Claim, uid: int | None = None,
                uid_map: Path = UID_MAP) -> None:
    """Refuse, before any database is opened, a command line the mode cannot stand behind:
    --ssh-agent outside ssh mode; in ssh mode, desk run by any account but the service
    account (`uid`, default this process's), or run by it without --ssh-agent for a command
    not in SERVICE_COMMANDS, or with --ssh-agent but no --ssh-key."""
    if settings.mode != "ssh":
        if claim.ssh_agent is not None:
            raise PermissionDenied(
                f"--ssh-agent is trusted only when the config's identity.mode is ssh (here it "
                f"is {settings.mode}); desk acts for the account running it instead")
        return
    uid = os.getuid() if uid is None else uid
    check_namespace(uid, uid_map)
    account = settings.ssh.account
    if service_uid(account) != uid:
        raise PermissionDenied(
            f"identity.mode is ssh: desk runs only as the service account {account!r}, not as "
            f"{os_account(uid)!r} (uid {uid}); agents reach the desk with ssh {account}@HOST")
    if claim.ssh_agent is None and claim.command not in SERVICE_COMMANDS:
        raise PermissionDenied(
            "identity.mode is ssh: agents reach the desk over ssh, where sshd runs desk "
            "--ssh-agent AGENT for their key; the service account itself runs only these "
            f"commands: {', '.join(sorted(SERVICE_COMMANDS))}")
    if claim.ssh_agent is not None and not claim.ssh_key:
        raise PermissionDenied("--ssh-agent needs --ssh-key SHA256:... (the key sshd "
                               "verified), as desk ssh-keys authorized writes it")


def service_uid(account: str | None) -> int:
    """The uid of the service account `identity.ssh.account`, from the password database."""
    if not account:
        raise PermissionDenied("identity.mode is ssh but identity.ssh.account is not set")
    try:
        return pwd.getpwnam(account).pw_uid
    except KeyError:
        raise PermissionDenied(f"identity.ssh.account {account!r} has no account in the "
                               "password database") from None


def key_holds(username: str, fingerprint: str) -> bool:
    """Whether the database gives the agent `username` the SSH key `fingerprint` now."""
    from desk.models import Agent, SshKey

    return (SshKey.select().join(Agent, on=SshKey.agent == Agent.id)
            .where((Agent.username == username) & (SshKey.fingerprint == fingerprint))
            .exists())


def key_refused(username: str, fingerprint: str) -> str:
    """Why an agent with a key the database does not (or no longer) give them is refused."""
    return (f"the SSH key {fingerprint} is not one of {username}'s keys on this desk (never "
            "added, or removed); an admin can add it with: desk ssh-keys add")


def _os_mode(settings: IdentitySettings, database: Database, claim: Claim) -> Identity:
    """The os mode: the account running desk; a command line claiming anyone else is
    refused."""
    check_claim(settings, claim)
    return os_identity()


NEEDS_POSTGRES = ("identity.mode postgres needs a PostgreSQL database, and this workspace is a "
                  "SQLite file: use identity.mode os, or a postgresql:// URL")
"""Why the postgres mode refuses a SQLite workspace."""


def _postgres_mode(settings: IdentitySettings, database: Database, claim: Claim) -> Identity:
    """The postgres mode: the role the server authenticated this connection as; a command
    line claiming anyone else is refused."""
    # Here, not at the top: the command line checks claims (check_claim) before it knows
    # the database, and peewee must not be imported before then (desk.cli.session).
    from desk.dialect import is_sqlite

    check_claim(settings, claim)
    if is_sqlite(database):
        raise PermissionDenied(NEEDS_POSTGRES)
    (role,) = database.execute_sql("SELECT session_user").fetchone()
    return Identity(role, f"postgres role {role}")


def _ssh_mode(settings: IdentitySettings, database: Database, claim: Claim) -> Identity:
    """The ssh mode: the agent of the key sshd verified, when desk runs as the service
    account and the key is still theirs; the service account itself for its own commands."""
    check_claim(settings, claim)
    if claim.ssh_agent is None:
        return os_identity()
    if not key_holds(claim.ssh_agent, claim.ssh_key or ""):
        raise PermissionDenied(key_refused(claim.ssh_agent, claim.ssh_key or ""))
    return Identity(claim.ssh_agent, f"ssh key {claim.ssh_key}", claim.ssh_key or "")


MODES: dict[str, Callable[[IdentitySettings, Database, Claim], Identity]] = {
    "os": _os_mode, "ssh": _ssh_mode, "postgres": _postgres_mode}
"""Each identity mode by its name in the config (`identity.mode`)."""
