"""Who a portal contact is, and what they may see.

A contact is an address the desk knows for a client: the client's own e-mail address or its
primary contact's (desk.crm.contacts), the address of another of its contacts, or the
requester's address of one of the client's queries. A contact sees
the queries they asked; on a client marked shared (`PortalClient.shared`) every contact sees
all of the client's queries, and its orders. A confidential client's people are hidden from
everyone but admins and its manager (desk.kernel.confidential), so the portal never shows one
of its contacts what another asked: it is treated as not shared. A client whose portal is
turned off (`PortalClient.enabled` False) has no contacts.
"""

from __future__ import annotations

from msgspec import Struct
from msgspec.structs import replace
from peewee import Expression, fn

from desk.crm import contacts as people
from desk.email_address import check_address
from desk.errors import ConflictError, InvalidInput, NotFound
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_writer
from desk.models import Client, PortalClient, QueryData, Task, database
from desk.vocabulary import PORTAL_PREFIX


class Contact(Struct, frozen=True):
    """A signed-in (or signing-in) contact of a client."""

    address: str
    """The address, lower-case."""
    client_id: int
    client_name: str
    primary: bool
    """Whether it is the client's own e-mail address or its primary contact's."""
    sees_all: bool
    """Whether the client is shared (and not confidential): every contact sees everything."""

    @property
    def actor(self) -> str:
        """How the history names what the contact does: "portal: ada@example.com"."""
        return f"{PORTAL_PREFIX}{self.address}"

    @property
    def sees_orders(self) -> bool:
        """Orders belong to the client, not to a requester: its own address sees them, and
        every contact of a shared client."""
        return self.primary or self.sees_all


def normal_address(text: str) -> str | None:
    """An address as typed, stripped and lower-case, or None when it is not one."""
    address = text.strip().lower()
    if len(address) > 254 or not address.isprintable():
        return None
    try:
        return check_address(address)
    except ValueError:
        return None


def find(address: str) -> Contact | None:
    """The contact with this address (any case), or None: the client one of whose contacts
    has it (clients before customers), else the first client whose own address it is, else
    the client of the newest query it asked; None too when that client's portal is off."""
    address = normal_address(address) or ""
    if not address:
        return None
    person = people.by_address(address)
    client_id = person.client_id if person is not None else (
        Client.select(Client.id).where(fn.LOWER(Client.email) == address)
        .order_by(Client.kind != "client", Client.id).scalar())
    if client_id is None:
        client_id = (QueryData.select(Task.client).join(Task, on=QueryData.task == Task.id)
                     .where((fn.LOWER(QueryData.requester_email) == address)
                            & Task.client.is_null(False))
                     .order_by(Task.id.desc()).scalar())
    return None if client_id is None else of_client(address, client_id)


def of_client(address: str, client_id: int) -> Contact | None:
    """The contact `address` of the client `client_id` as things stand now (a session
    checks it on every page), or None: the client is gone, its portal is off, or the
    address is no longer its own, a contact's, nor a requester of its queries."""
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        return None
    access = PortalClient.get_or_none(PortalClient.client == client_id)
    if access is not None and not access.enabled:
        return None
    known = people.addresses(client_id)
    primary = client.email.strip().lower() == address or known.get(address, False)
    asked = (QueryData.select().join(Task, on=QueryData.task == Task.id)
             .where((Task.client == client_id)
                    & (fn.LOWER(QueryData.requester_email) == address)))
    if not primary and address not in known and not asked.exists():
        return None
    shared = access is not None and access.shared and not client.confidential
    return Contact(address, client_id, client.name, primary, shared)


def queries(contact: Contact) -> Expression:
    """Which tasks are the contact's queries (select from Task joined to QueryData)."""
    condition = (Task.kind == "query") & (Task.client == contact.client_id)
    if not contact.sees_all:
        condition &= fn.LOWER(QueryData.requester_email) == contact.address
    return condition


def orders(contact: Contact) -> Expression:
    """Which tasks are orders the contact sees (select from Task)."""
    condition = (Task.kind == "order") & (Task.client == contact.client_id)
    return condition if contact.sees_orders else condition & (Task.id.is_null())


def visible_query(contact: Contact, task_id: int) -> Task:
    """The query `task_id` if the contact may see it; NotFound otherwise, the same for a
    query of another client as for one that does not exist."""
    task = (Task.select(Task).join(QueryData, on=QueryData.task == Task.id)
            .where((Task.id == task_id) & queries(contact)).first())
    if task is None:
        raise NotFound(f"no request {task_id}")
    return task


def visible_order(contact: Contact, task_id: int) -> Task:
    """The order `task_id` if the contact may see it; NotFound otherwise."""
    task = Task.select().where((Task.id == task_id) & orders(contact)).first()
    if task is None:
        raise NotFound(f"no order {task_id}")
    return task


class Access(Struct, frozen=True):
    """A client's portal settings."""

    client_id: int
    shared: bool
    enabled: bool
    version: int
    notes_shared: bool = False
    """Whether the client's notes show on its portal."""


SETTINGS = (("shared", "portal_shared"), ("enabled", "portal_enabled"),
            ("notes_shared", "portal_notes_shared"))
"""Each portal setting of a client and the field its changes are recorded as."""


def access(client_id: int) -> Access:
    """The portal settings of a client (enabled, not shared, notes not shared when never
    set)."""
    if not Client.select().where(Client.id == client_id).exists():
        raise NotFound(f"no client {client_id}")
    row = PortalClient.get_or_none(PortalClient.client == client_id)
    if row is None:
        return Access(client_id, False, True, 0)
    return Access(client_id, row.shared, row.enabled, row.version, row.notes_shared)


def set_access(agent: AgentRef, client_id: int, *, version: int | None = None,
               **wanted: bool | None) -> Access:
    """Change a client's portal settings (`shared`, `enabled`, `notes_shared`; None keeps
    one): recorded on the client ("portal_shared", "portal_enabled", "portal_notes_shared").
    Turning the portal off signs its contacts out at once. With `version` (the
    Access.version read) a change made meanwhile is a ConflictError."""
    require_writer(agent)
    wanted = {name: value for name, value in wanted.items() if value is not None}
    if unknown := set(wanted) - {name for name, _ in SETTINGS}:
        raise InvalidInput(f"no portal setting {', '.join(sorted(unknown))}")
    if not wanted:
        raise InvalidInput("say what to change: shared, enabled, notes_shared")
    with database.atomic():
        before = access(client_id)
        if version is not None and version != before.version:
            raise ConflictError("client", client_id, {}, before.version)
        after = replace(before, version=before.version + 1, **wanted)
        changes = {field: (getattr(before, name), getattr(after, name))
                   for name, field in SETTINGS if getattr(before, name) != getattr(after, name)}
        if not changes:
            return before
        values = {name: getattr(after, name) for name, _ in SETTINGS}
        (PortalClient.insert(client=client_id, version=after.version, **values)
         .on_conflict(conflict_target=[PortalClient.client],
                      update={getattr(PortalClient, name): value
                              for name, value in [*values.items(), ("version", after.version)]})
         .execute())
        audit.record("client", client_id, agent, changes, None, "client.portal_changed")
    return after
