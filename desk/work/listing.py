"""Pages of tasks and clients for a query: keyset paging on indexed sort orders.

A page asks for `limit` rows after the key of the last row it showed (or at an offset, for
jumps), so the cost of a page does not grow with the size of the table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from msgspec import Struct
from msgspec.structs import replace
from peewee import Field, Model, Node, Select, Tuple

from desk.crm import clients
from desk.errors import InvalidInput
from desk.kernel.agents import AgentRef
from desk.models import Client, Task
from desk.query import Query
from desk.work import filters, tasks, workspace

Row = TypeVar("Row")


class Sort(Struct, frozen=True):
    """An order of rows: columns (or expressions), one direction, and whether keyset paging
    applies. `joins(query)` adds the joins the columns read (the inbox's urgency score reads
    the query data and the client); None when they read the task alone."""

    name: str
    columns: tuple[Field | Node, ...]
    descending: bool = False
    keyset: bool = True
    joins: Callable[[Select], Select] | None = None

    def order_by(self) -> list:
        """The ORDER BY terms."""
        if not self.keyset:
            first, *rest = self.columns
            return [first.asc(nulls="LAST"), *(c.asc() for c in rest)]
        return [c.desc() if self.descending else c.asc() for c in self.columns]

    def after(self, key: Sequence[object]):
        """The condition for rows after `key` (the sort values of the last row shown)."""
        left, right = Tuple(*self.columns), Tuple(*key)
        return left < right if self.descending else left > right


class Page(Struct, Generic[Row], frozen=True):
    """Rows of one page and the key to ask for the next one (None at the end)."""

    rows: list[Row]
    next_key: tuple | None


TASK_SORTS = {
    sort.name: sort for sort in (
        Sort("priority", (Task.priority, Task.id)),
        Sort("position", (Task.position, Task.id)),
        Sort("newest", (Task.id,), descending=True),
        Sort("oldest", (Task.id,)),
        Sort("updated", (Task.updated_at, Task.id), descending=True),
        Sort("title", (Task.title, Task.id)),
        Sort("due", (Task.due_at, Task.id), keyset=False),
    )
}
CLIENT_SORTS = {
    sort.name: sort for sort in (
        Sort("name", (Client.name, Client.id)),
        Sort("newest", (Client.id,), descending=True),
        Sort("score", (Client.lead_score, Client.id), descending=True),
        Sort("contact", (Client.last_contact_at, Client.id), keyset=False),
    )
}


def _sort(sorts: dict[str, Sort], name: str | Sort) -> Sort:
    """The named sort (or a Sort built by the caller, such as the inbox's urgency order), or
    a clear refusal."""
    if isinstance(name, Sort):
        return name
    if name not in sorts:
        raise InvalidInput(f"sort must be one of {', '.join(sorts)}, not {name!r}")
    return sorts[name]


def task_conditions(text: str, context: filters.Context, *, scoped: bool = False) -> list:
    """The conditions of a task query; without a status or `is:` term it shows what is not
    done yet (the default view), and unless it names a list or space (or the caller shows
    one list: `scoped`) it leaves out the tasks of archived lists and spaces."""
    parsed = filters.parse_tasks(text)
    conditions = filters.task_conditions(parsed, context)
    if not filters.mentions(parsed, "status", "is"):
        conditions.append(Task.closed_at.is_null())
    if not scoped:
        conditions += unarchived(parsed)
    return conditions


def unarchived(parsed: Query) -> list:
    """The condition leaving out the tasks of archived lists and spaces, unless the parsed
    query names a list or space (then it finds them); none when nothing is archived."""
    if filters.mentions(parsed, "list", "space") or not (hidden := workspace.hidden_lists()):
        return []
    return [Task.task_list.not_in(hidden)]


def task_ids_query(text: str, context: filters.Context, sort: str = "priority"):
    """The SELECT of matching task ids in order (no limit): for paging and for EXPLAIN."""
    return task_ids_where(task_conditions(text, context), sort)


def task_ids_where(conditions: Sequence, sort: str | Sort = "priority"):
    """The SELECT of the ids of tasks meeting all `conditions`, in `sort` order (no limit).
    Other task lists (the triage inbox) page through this with `task_page_where`."""
    order = _sort(TASK_SORTS, sort)
    query = Task.select(Task.id, *order.columns).where(*conditions)
    if order.joins is not None:
        query = order.joins(query)
    return query.order_by(*order.order_by())


def task_position_where(conditions: Sequence, task_id: int,
                        sort: str | Sort = "priority") -> int | None:
    """Where the task `task_id` stands (0: first) among the tasks meeting all `conditions`
    in `sort` order (a keyset one): how many come before it. None when it does not meet
    them."""
    order = _sort(TASK_SORTS, sort)
    if not order.keyset:
        raise InvalidInput(f"the {order.name!r} order has no positions to tell")
    found = task_ids_where([*conditions, Task.id == task_id], order).tuples().first()
    if found is None:
        return None
    before = replace(order, descending=not order.descending).after(found[1:])
    return task_ids_where([*conditions, before], order).order_by().count()


def task_page(text: str, context: filters.Context, *, sort: str = "priority",
              after: Sequence[object] | None = None, offset: int = 0,
              limit: int = 100) -> Page[tasks.TaskRow]:
    """One page of tasks matching `text`, in `sort` order."""
    return task_page_where(task_conditions(text, context), sort=sort, after=after,
                           offset=offset, limit=limit)


def task_page_where(conditions: Sequence, *, sort: str | Sort = "priority",
                    after: Sequence[object] | None = None, offset: int = 0,
                    limit: int = 100, from_end: int | None = None) -> Page[tasks.TaskRow]:
    """One page of the tasks meeting all `conditions`, in `sort` order. With `from_end` (and
    no `after`) the page ends `from_end` rows before the last one: it is read backwards, so
    a page near the end of a long list costs what one near its start does."""
    order = _sort(TASK_SORTS, sort)
    if from_end is not None and after is None and order.keyset:
        backwards = replace(order, descending=not order.descending)
        keys = _page_keys(task_ids_where(conditions, backwards), backwards, Task, None,
                          from_end, limit)[::-1]
    else:
        keys = _page_keys(task_ids_where(conditions, order), order, Task, after, offset, limit)
    rows = tasks.rows_for([key[0] for key in keys])
    return Page(rows, _next_key(keys, order, limit))


def task_count(text: str, context: filters.Context) -> int:
    """How many tasks match `text`."""
    return Task.select().where(*task_conditions(text, context)).count()


def client_ids_query(text: str, context: filters.Context, sort: str = "name"):
    """The SELECT of matching client ids in order (no limit)."""
    order = _sort(CLIENT_SORTS, sort)
    conditions = filters.client_conditions(filters.parse_clients(text), context)
    query = Client.select(Client.id, *order.columns)
    if conditions:
        query = query.where(*conditions)
    return query.order_by(*order.order_by())


def client_page(text: str, context: filters.Context, *, sort: str = "name",
                after: Sequence[object] | None = None, offset: int = 0, limit: int = 100,
                viewer: AgentRef | None = None) -> Page[clients.ClientRow]:
    """One page of clients matching `text`, in `sort` order, as `viewer` may see them."""
    order = _sort(CLIENT_SORTS, sort)
    keys = _page_keys(client_ids_query(text, context, sort), order, Client, after, offset, limit)
    return Page(clients.rows_for([key[0] for key in keys], viewer), _next_key(keys, order, limit))


def client_count(text: str, context: filters.Context) -> int:
    """How many clients match `text`."""
    return client_ids_query(text, context).order_by().count()


def _page_keys(query, order: Sort, model: type[Model], after, offset: int, limit: int) -> list:
    """(id, *sort values) of the rows of one page."""
    if limit < 1:
        raise InvalidInput("the limit must be at least 1")
    if after is not None:
        if not order.keyset:
            raise InvalidInput(f"sort {order.name!r} pages by offset, not by key")
        query = query.where(order.after(after))
    elif offset:
        query = query.offset(offset)
    return list(query.limit(limit).tuples())


def _next_key(keys: list, order: Sort, limit: int) -> tuple | None:
    """The key after which the next page starts."""
    if len(keys) < limit or not order.keyset:
        return None
    # Each key is (id, *sort columns): the sort values of the last row are the next key.
    return tuple(keys[-1][1:])
