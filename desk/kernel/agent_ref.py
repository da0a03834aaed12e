"""The acting agent as every service takes it: a plain, frozen reference, free of the
database, that desk.kernel.agents makes and checks (its role is read again before each
write)."""

from __future__ import annotations

from msgspec import Struct


class AgentRef(Struct, frozen=True):
    """The acting agent, as services need it."""

    id: int
    username: str
    name: str
    role: str
    disabled: bool = False
    via: str = ""
    """How the identity mode knew this agent ("os uid 1000"); recorded with every change."""
    ssh_key: str = ""
    """The SSH key the agent came in with (ssh mode): they stand only while it is theirs."""

    @property
    def can_write(self) -> bool:
        """Viewers may look at everything and change nothing; disabled agents do nothing."""
        return self.role != "viewer" and not self.disabled
