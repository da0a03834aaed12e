"""The SSH keys that let agents in over SSH (identity.mode ssh): reading a public key and its
SHA256 fingerprint, adding and removing keys (admins; every change audited on the agent),
and the authorized_keys lines that sshd asks `desk ssh-keys authorized` for.

Each line forces the command `DESK --ssh-agent AGENT --ssh-key SHA256:...` (`restrict,pty`:
no forwarding, no user rc, a terminal for the app), so an agent gets desk as themselves and
nothing else; desk.kernel.access.identity believes that command line only as the service account,
and only while the key is still the agent's here. A disabled agent's keys are left out.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from datetime import datetime

from msgspec import Struct
from peewee import JOIN

from desk.clock import stored, utcnow
from desk.errors import InvalidInput, NotFound
from desk.kernel import agents, audit
from desk.kernel.agents import AgentRef
from desk.kernel.inputs import storable_text
from desk.models import Agent, SshKey, database

KEY_KINDS = ("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
             "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-rsa")
"""The public key types OpenSSH offers, as the first word of a .pub file names them."""
SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}")
"""An agent name that goes into a forced command as it is: sshd reads the command inside
double quotes, and the account's shell runs it, so no quotes, spaces or shell characters."""
FINGERPRINT = re.compile(r"SHA256:[A-Za-z0-9+/]{43}")
"""A SHA256 fingerprint as ssh-keygen -l prints it."""
COMMENT_LIMIT = 200


class PublicKey(Struct, frozen=True):
    """One OpenSSH public key, as a .pub file holds it."""

    kind: str
    """Its type: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa..."""
    blob: str
    """The key itself, base64 as in the file."""
    comment: str
    """The words after it (often user@host)."""

    @property
    def fingerprint(self) -> str:
        """The SHA256 fingerprint sshd logs and ssh-keygen -l prints: SHA256:base64."""
        digest = hashlib.sha256(base64.b64decode(self.blob)).digest()
        return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def parse(text: str) -> PublicKey:
    """The public key in `text` (the contents of a .pub file); InvalidInput saying what is
    wrong with anything else, a private key included."""
    if "PRIVATE KEY" in text:
        raise InvalidInput("this is a private key: give the public one (the .pub file), and "
                           "keep the private key where it is")
    lines = [line.strip() for line in text.splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    if len(lines) != 1:
        raise InvalidInput(f"expected one public key line (ssh-ed25519 AAAA... comment), "
                           f"found {len(lines)} lines")
    words = lines[0].split(None, 2)
    kind = words[0]
    if kind not in KEY_KINDS:
        raise InvalidInput(f"{kind[:40]!r} is not a public key type OpenSSH offers (expected "
                           f"{', '.join(KEY_KINDS[:2])}...); give the .pub file's line as it is")
    if len(words) < 2:
        raise InvalidInput(f"the {kind} key has no key data after its type")
    try:
        raw = base64.b64decode(words[1], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"the {kind} key's data is not base64: the line is damaged") from None
    if _first_string(raw) != kind.encode("ascii"):
        raise InvalidInput(f"the key's data is not a {kind} key: the line is damaged")
    comment = storable_text(words[2].strip() if len(words) > 2 else "", "a key comment")
    return PublicKey(kind, words[1], comment[:COMMENT_LIMIT])


def _first_string(raw: bytes) -> bytes:
    """The first string of an SSH wire-format key (a 4-byte length, then the bytes): its
    type, which must match the type the line names."""
    if len(raw) < 4:
        return b""
    length = int.from_bytes(raw[:4], "big")
    return raw[4:4 + length] if 4 + length <= len(raw) else b""


def add(actor: AgentRef, username: str, text: str, *, now: datetime | None = None) -> str:
    """Give the agent `username` the public key in `text` (admins only); returns its
    fingerprint. A key is one agent's: a key another agent (or this one) has is refused.
    Recorded as activity of the agent ("ssh_key")."""
    key = parse(text)
    fingerprint = key.fingerprint
    with database.atomic():
        agents.require_admin(actor)
        agent = agents.find(username)
        if not SAFE_NAME.fullmatch(agent.username):
            raise InvalidInput(
                f"the agent name {agent.username!r} cannot go into sshd's forced command; SSH "
                "keys are for agents named with letters, digits and . _ @ - only")
        holder = (Agent.select(Agent.username).join(SshKey, on=SshKey.agent == Agent.id)
                  .where(SshKey.fingerprint == fingerprint).scalar())
        if holder is not None:
            raise InvalidInput(f"the key {fingerprint} is {holder}'s already; a key lets in "
                               "one agent only")
        SshKey.create(agent=agent.id, kind=key.kind, public_key=key.blob,
                      fingerprint=fingerprint, comment=key.comment,
                      added_at=stored(now) or utcnow(), added_by=actor.id)
        audit.record("agent", agent.id, actor, {"ssh_key": (None, fingerprint)}, None,
                     "agent.updated", at=stored(now))
    return fingerprint


def remove(actor: AgentRef, target: str) -> list[str]:
    """Take away one key (`target` a fingerprint, SHA256:...) or every key of an agent
    (`target` their name), admins only; returns the fingerprints removed. An open session of
    such a key ends within seconds (desk.kernel.agents.standing). Recorded as activity of
    the agent ("ssh_key")."""
    with database.atomic():
        agents.require_admin(actor)
        query = SshKey.select(SshKey.id, SshKey.agent, SshKey.fingerprint)
        if target.startswith("SHA256:"):
            rows = list(query.where(SshKey.fingerprint == target))
            if not rows:
                raise NotFound(f"no agent has the key {target}")
        else:
            agent = agents.find(target)
            rows = list(query.where(SshKey.agent == agent.id))
            if not rows:
                raise NotFound(f"{agent.username} has no SSH keys")
        for row in rows:
            audit.record("agent", row.agent_id, actor, {"ssh_key": (row.fingerprint, None)},
                         None, "agent.updated")
        SshKey.delete().where(SshKey.id.in_([row.id for row in rows])).execute()
    return [row.fingerprint for row in rows]


def listing() -> list[dict]:
    """Every key, by agent then when it was added, as plain dicts."""
    added_by = Agent.alias()
    query = (SshKey.select(Agent.username, SshKey.fingerprint, SshKey.kind, SshKey.comment,
                           SshKey.added_at, added_by.username.alias("added_by"),
                           Agent.disabled)
             .join(Agent, on=SshKey.agent == Agent.id)
             .switch(SshKey).join(added_by, on=SshKey.added_by == added_by.id,
                                  join_type=JOIN.LEFT_OUTER)
             .order_by(Agent.username, SshKey.added_at, SshKey.id))
    return [{"agent": username, "fingerprint": fingerprint, "kind": kind, "comment": comment,
             "added_at": added_at, "added_by": by, "disabled": disabled}
            for username, fingerprint, kind, comment, added_at, by, disabled in query.tuples()]


def authorized_lines(command: str) -> list[str]:
    """The authorized_keys lines of every enabled agent's keys, each forcing `command` (the
    desk command, identity.ssh.command) with the agent and the key's fingerprint."""
    query = (SshKey.select(Agent.username, SshKey.fingerprint, SshKey.kind, SshKey.public_key)
             .join(Agent, on=SshKey.agent == Agent.id)
             .where(~Agent.disabled)
             .order_by(Agent.username, SshKey.id))
    return [f'restrict,pty,command="{command} --ssh-agent {username} --ssh-key {fingerprint}" '
            f"{kind} {blob}"
            for username, fingerprint, kind, blob in query.tuples()
            if SAFE_NAME.fullmatch(username) and FINGERPRINT.fullmatch(fingerprint)]
