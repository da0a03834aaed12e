"""Everything the client screen shows about one client, gathered in one call.

The profile (as the viewer may see it: desk.kernel.confidential, which also masks the hidden
values in the interactions' summaries), the relationship clock as of the caller's "now", the
client's recent orders with their order data, its open support queries and open tasks, and
its newest interactions. Each part is one query (plus `tasks.rows_for`'s few), so opening a
client costs the same for a client with five tasks as for one with five thousand.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from decimal import Decimal

from msgspec import Struct
from msgspec.structs import replace
from peewee import fn

from desk.automation.suggestions.base import Suggestion
from desk.clock import stored
from desk.config.schema import Settings
from desk.crm import clients, contacts, interactions, retainers
from desk.crm.clients import ClientRow
from desk.errors import NotFound
from desk.kernel import audit, confidential
from desk.kernel.agents import AgentRef
from desk.models import Client, OrderData, Product, Task
from desk.pages import (
    client_contacts,
    client_loyalty,
    client_retainer,
    client_sequences,
    client_suggestions,
)
from desk.pages.client_feedback import LastNps, last_nps
from desk.pages.task import ConflictRow, value_text
from desk.work import tasks

SECTION_LIMIT = 50
"""At most this many rows per section (orders, queries, tasks); the rest are counted."""
LOG_LIMIT = 30
"""How many of the newest interactions the page carries."""


class OrderLine(Struct, frozen=True):
    """One order of the client: its task row and what was ordered (None without order data)."""

    task: tasks.TaskRow
    product: str | None
    quantity: int | None
    total: Decimal | None
    fulfilled_at: datetime | None
    invoiced_at: datetime | None


class Section(Struct, frozen=True):
    """Some rows of a section, newest first, and how many there are in all."""

    rows: tuple
    total: int


class ClientPage(Struct, frozen=True):
    """The client screen's data. `full` says whether the viewer sees the contact details and
    notes (and may change the client): see desk.kernel.confidential.can_see."""

    detail: clients.ClientDetail
    full: bool
    clock: interactions.Clock
    orders: Section
    queries: Section
    tasks: Section
    interactions: tuple[interactions.InteractionRow, ...]
    contacts: tuple[contacts.ContactRow, ...]
    next_actions: tuple[Suggestion, ...] = ()
    sequences: client_sequences.SequenceSection | None = None
    loyalty: client_loyalty.LoyaltyPart | None = None
    retainer: retainers.Usage | None = None
    nps: LastNps | None = None


def load(client_id: int, viewer: AgentRef | None, now: datetime,
         settings: Settings | None = None) -> ClientPage:
    """The client screen's data for `viewer`, with the clock as of `now` (aware or naive
    UTC), and what `settings` adds: the next best actions, the Sequences section and the
    loyalty part (none without settings). NotFound for an unknown client."""
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no client {client_id}")
    detail = clients.get(client_id, viewer)
    mask = confidential.masks(viewer, [client_id]).get(client_id)
    logged = interactions.for_client(client_id, LOG_LIMIT)
    if mask is not None:
        logged = [replace(row, summary=mask.text(row.summary)) for row in logged]
    return ClientPage(
        detail=detail,
        full=confidential.can_see(viewer, client.account_manager_id, client.confidential),
        clock=interactions.clock(client.last_contact_at, client.contact_cadence_days,
                                 stored(now)),
        orders=_orders(client_id),
        queries=_section(Task.client == client_id, Task.kind == "query",
                         Task.closed_at.is_null()),
        tasks=_section(Task.client == client_id, Task.kind == "task", Task.closed_at.is_null()),
        interactions=tuple(logged),
        contacts=client_contacts.load(client_id, viewer),
        next_actions=client_suggestions.load(client_id, now, settings),
        sequences=None if settings is None else client_sequences.load(client_id,
                                                                      settings.sequences),
        loyalty=client_loyalty.load(client_id, settings.loyalty, now) if settings else None,
        retainer=client_retainer.load(client_id, now),
        nps=last_nps(client_id, viewer),
    )


def _section(*conditions) -> Section:
    """The newest SECTION_LIMIT task rows matching `conditions`, and their count."""
    query = Task.select(Task.id).where(*conditions)
    ids = [task_id for (task_id,) in
           query.order_by(Task.id.desc()).limit(SECTION_LIMIT).tuples()]
    total = len(ids) if len(ids) < SECTION_LIMIT else query.count()
    return Section(tuple(tasks.rows_for(ids)), total)


def _orders(client_id: int) -> Section:
    """The client's newest orders (done ones too) with their order data."""
    section = _section(Task.client == client_id, Task.kind == "order")
    ids = [row.id for row in section.rows]
    data = {values["task"]: values for values in
            OrderData.select(OrderData.task, Product.name.alias("product"), OrderData.quantity,
                             OrderData.total, OrderData.fulfilled_at, OrderData.invoiced_at)
            .join(Product).where(OrderData.task.in_(ids)).dicts()} if ids else {}
    lines = []
    for row in section.rows:
        values = data.get(row.id, {})
        lines.append(OrderLine(task=row, product=values.get("product"),
                               quantity=values.get("quantity"), total=values.get("total"),
                               fulfilled_at=values.get("fulfilled_at"),
                               invoiced_at=values.get("invoiced_at")))
    return Section(tuple(lines), section.total)


def clients_named(text: str, exclude: int | None = None, limit: int = 20) -> list[ClientRow]:
    """Up to `limit` clients whose name contains `text` (case-insensitive), by name; for
    choosing a referrer. `exclude` leaves one client out (a client cannot refer itself)."""
    query = Client.select(Client.id).order_by(Client.name, Client.id).limit(limit)
    if text.strip():
        query = query.where(fn.LOWER(Client.name).contains(text.strip().lower()))
    if exclude is not None:
        query = query.where(Client.id != exclude)
    return clients.rows_for([client_id for (client_id,) in query.tuples()])


def conflict_rows(conflicts: Mapping[str, tuple[object, object]], client_id: int,
                  read_version: int, zone: tzinfo, labels: Mapping[str, str],
                  currency: str) -> list[ConflictRow]:
    """Each conflicting client field (named by `labels`) with their value and yours as text
    (times in `zone`, amounts in `currency`), and who saved it after `read_version`
    ("someone" if not recorded)."""
    who = audit.saved_by("client", client_id, read_version, conflicts, zone)
    return [ConflictRow(field, labels.get(field, field),
                        value_text(field, theirs, zone, currency=currency),
                        value_text(field, yours, zone, currency=currency),
                        who.get(field, "someone"))
            for field, (theirs, yours) in conflicts.items()]
