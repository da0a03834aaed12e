"""The Contacts section of the client screen: the client's people as the viewer may see them
(desk.crm.contacts hides a confidential client's from who may not see it), primary first."""

from __future__ import annotations

from desk.crm import contacts
from desk.crm.contacts import ContactRow
from desk.kernel.agents import AgentRef


def load(client_id: int, viewer: AgentRef | None) -> tuple[ContactRow, ...]:
    """The client's contacts for the screen: one query."""
    return tuple(contacts.of_client(client_id, viewer))
