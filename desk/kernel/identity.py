"""Who is acting: the identity modes, and the one place where each decides it.

desk never takes identity from $USER, $LOGNAME or anything else a client can set: a mode
establishes an `Identity` from what the operating system (or, in later modes, the SSH server
or the database server) vouches for, and `desk.kernel.agents.acting` turns it into the agent.

- os (the personal and trusted-office mode): the operating-system account running desk, by
  uid. Refused inside a user namespace that maps user ids (`unshare -r`, `unshare
  --map-user`, a rootless container), where the uid, and so the account name, is whatever
  the namespace's maker chose.
- postgres (a team on PostgreSQL with database roles): the role this connection logged in as,
  `SELECT session_user`, which the server authenticated (password, peer, certificate) and
  which no client can change in the session (SET ROLE changes current_user, not it).
  Refused on SQLite. desk.kernel.pg_roles sets up the roles that hold each agent to their
  role in the database itself.

Adding a mode: write a function `(settings, database) -> Identity` that raises
PermissionDenied when it cannot vouch for anyone, add it to MODES, and its name to
`identity.mode` in desk.config.schema. What a mode knows beyond the user name (the uid, an
SSH key's fingerprint, a database role) goes in `Identity.via`: the acting agent carries it
(`AgentRef.via`) and every change records it in the audit trail (Activity.via).
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desk.dialect import is_sqlite
from desk.errors import PermissionDenied

if TYPE_CHECKING:
    from peewee import Database

    from desk.config import IdentitySettings

UID_MAP = Path("/proc/self/uid_map")
"""Linux's map of this process's user namespace: "inside outside count" lines."""
WHOLE_RANGE = (0, 0, 4294967295)
"""The one line of the initial user namespace's map: every uid is itself."""


@dataclass(frozen=True)
class Identity:
    """Who a mode says is acting."""

    username: str
    """The agent's user name (Agent.username)."""
    via: str
    """How the mode knows, as recorded with every change: "os uid 1000"."""


def establish(settings: IdentitySettings, database: Database) -> Identity:
    """Who is acting, by the configured mode (`identity.mode`); PermissionDenied when the mode
    cannot vouch for anyone."""
    return MODES[settings.mode](settings, database)


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


def _os_mode(settings: IdentitySettings, database: Database) -> Identity:
    """The os mode: the account running desk."""
    return os_identity()


NEEDS_POSTGRES = ("identity.mode postgres needs a PostgreSQL database, and this workspace is a "
                  "SQLite file: use identity.mode os, or a postgresql:// URL")
"""Why the postgres mode refuses a SQLite workspace."""


def _postgres_mode(settings: IdentitySettings, database: Database) -> Identity:
    """The postgres mode: the role the server authenticated this connection as."""
    if is_sqlite(database):
        raise PermissionDenied(NEEDS_POSTGRES)
    (role,) = database.execute_sql("SELECT session_user").fetchone()
    return Identity(role, f"postgres role {role}")


MODES: dict[str, Callable[[IdentitySettings, Database], Identity]] = {
    "os": _os_mode, "postgres": _postgres_mode}
"""Each identity mode by its name in the config (`identity.mode`)."""
