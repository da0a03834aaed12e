"""Who a message is from: the client of a requester's e-mail address (by a contact's
address, the client's own, or their domain; a new customer when the intake makes them) and
the client's contact with that address. Used by the intake (desk.support.intake)."""

from __future__ import annotations

from collections.abc import Collection

from peewee import fn

from desk.crm import clients, contacts
from desk.errors import InvalidInput
from desk.kernel.agents import AgentRef
from desk.models import Client, Contact, database


def client_of(agent: AgentRef, address: str, name: str, public_domains: Collection[str],
              create_customers: bool) -> int | None:
    """The client of a requester: the one with a contact of this e-mail address (a client's
    before a customer's), else the one whose own address it is, else one whose address or a
    contact's has the same domain (clients before customers; never for one of
    `public_domains`), else a new customer with the requester as its primary contact when
    `create_customers` (None when not, or the address is not one a client can have)."""
    address = address.strip().lower()
    if not address:
        return None
    contact = contacts.by_address(address)
    if contact is not None:
        return contact.client_id
    by_address = _first_client(fn.LOWER(Client.email) == address)
    if by_address is not None:
        return by_address
    domain = address.rpartition("@")[2]
    if domain and domain not in public_domains:
        same_domain = fn.LOWER(Contact.email).endswith(f"@{domain}")
        by_domain = _first_client(fn.LOWER(Client.email).endswith(f"@{domain}")
                                  | Client.id.in_(Contact.select(Contact.client)
                                                  .where(same_domain)))
        if by_domain is not None:
            return by_domain
    if not create_customers:
        return None
    try:
        with database.atomic():  # both or neither
            client_id = clients.create(agent, (name or address)[:200], "customer",
                                       email=address, contact_person=name[:200]).row.id
            contacts.add(agent, client_id, (name or address)[:200], role="decision_maker",
                         email=address)
    except InvalidInput:
        return None  # e.g. an address the client records refuse: the query has no client
    return client_id


def contact_of(client_id: int | None, address: str) -> int | None:
    """The id of the client's contact with this e-mail address (any case), or None."""
    address = address.strip().lower()
    if client_id is None or not address:
        return None
    return (Contact.select(Contact.id)
            .where((Contact.client == client_id) & (fn.LOWER(Contact.email) == address))
            .order_by(Contact.is_primary.desc(), Contact.id).scalar())


def _first_client(condition) -> int | None:
    """The id of the first client matching `condition`: kind client before customer."""
    return (Client.select(Client.id).where(condition)
            .order_by(Client.kind != "client", Client.id).scalar())
