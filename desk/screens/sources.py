"""Row sources for the virtual lists: pages of tasks and clients from the listing service.

A source is a frozen query (the text, the query context, the sort) over the open database.
Its methods run in the list's worker threads, each call to the listing service on a connection
of its own (desk.kernel.connections).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import Struct

from desk.kernel.agents import AgentRef
from desk.kernel.connections import on_own_connection
from desk.work import listing
from desk.work.filters import Context

if TYPE_CHECKING:
    from peewee import Database


class TaskSource(Struct, frozen=True):
    """Tasks matching `query` in `sort` order (see desk.work.listing)."""

    database: Database
    query: str
    context: Context
    sort: str = "priority"

    def count(self) -> int:
        """How many tasks match."""
        return on_own_connection(self.database, listing.task_count, self.query, self.context)

    def page(self, number: int, size: int, after: tuple | None) -> Any:
        """One page: after a key when the list has it, else at an offset."""
        return on_own_connection(self.database, listing.task_page, self.query, self.context,
                                 sort=self.sort, after=after,
                                 offset=0 if after else number * size, limit=size)


class ClientSource(Struct, frozen=True):
    """Clients matching `query` in `sort` order, as `viewer` may see them."""

    database: Database
    query: str
    context: Context
    viewer: AgentRef
    sort: str = "name"

    def count(self) -> int:
        """How many clients match."""
        return on_own_connection(self.database, listing.client_count, self.query, self.context)

    def page(self, number: int, size: int, after: tuple | None) -> Any:
        """One page of clients."""
        return on_own_connection(self.database, listing.client_page, self.query, self.context,
                                 sort=self.sort, after=after,
                                 offset=0 if after else number * size, limit=size,
                                 viewer=self.viewer)
