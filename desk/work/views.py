"""Saved views: a named query (and sort) for the tasks, clients or inbox screen.

A view is personal (owned by one agent) or shared (no owner, seen by everyone). Saving a name
the same owner already uses replaces that view's query, so a name means one view per owner.
Only admins may replace or delete a shared view once it exists.
"""

from __future__ import annotations

from msgspec import Struct
from peewee import JOIN, fn

from desk.dialect import serialize
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_admin, require_writer
from desk.kernel.inputs import required_text, storable_text
from desk.models import Agent, SavedView, database
from desk.vocabulary import SAVED_VIEW_SCOPES
from desk.work import filters, listing

# `serialize` key: one saver of views at a time, since the unique (scope, owner, name) index
# does not cover shared views on PostgreSQL (NULL owners differ).
SAVES = "views.save"
PARSERS = {"tasks": filters.parse_tasks, "inbox": filters.parse_tasks,
           "clients": filters.parse_clients}
SORTS = {"tasks": listing.TASK_SORTS, "inbox": listing.TASK_SORTS,
         "clients": listing.CLIENT_SORTS}


class ViewRow(Struct, frozen=True):
    """A saved view; `owner` is the owning agent's user name, None for a shared view."""

    id: int
    scope: str
    name: str
    query: str
    sort: str
    owner: str | None

    @property
    def shared(self) -> bool:
        """Whether everyone sees this view."""
        return self.owner is None


def save(agent: AgentRef, scope: str, name: str, query: str, sort: str = "",
         shared: bool = False) -> ViewRow:
    """Save a personal (or shared) view, replacing the query and sort of the owner's view of
    the same name (case-insensitive). A malformed query raises QueryError with its position."""
    require_writer(agent)
    scope = _scope(scope)
    name = _name(name)
    PARSERS[scope](query or "")  # errors point into the query as typed
    query = (query or "").strip()
    sort = _sort(scope, sort)
    owner = None if shared else agent.id
    with database.atomic():
        serialize(SAVES)
        existing = _owned(scope, name, owner).first()
        if existing is None:
            view = SavedView.create(scope=scope, name=name, query=query, sort=sort, owner=owner)
            changes = {"query": (None, query), "sort": (None, sort)}
        else:
            if shared:
                require_admin(agent)
            view = existing
            (SavedView.update(name=name, query=query, sort=sort)
             .where(SavedView.id == view.id).execute())
            changes = {field: (old, new) for field, old, new in (
                ("name", existing.name, name), ("query", existing.query, query),
                ("sort", existing.sort, sort)) if old != new}
        audit.record("view", view.id, agent, changes, None, "view.saved",
                     {"scope": scope, "shared": shared})
    return _row(view.id)


def for_agent(agent: AgentRef, scope: str) -> list[ViewRow]:
    """The agent's own views and the shared ones of a screen, by name (own first on a tie)."""
    query = (_rows().where((SavedView.scope == _scope(scope))
                           & (SavedView.owner.is_null() | (SavedView.owner == agent.id)))
             .order_by(fn.LOWER(SavedView.name), SavedView.owner.is_null(), SavedView.id))
    return [_view_row(row) for row in query]


def get(agent: AgentRef, scope: str, name: str) -> ViewRow:
    """The agent's own view of this name, else the shared one, else NotFound."""
    return _view_row(_visible(agent, _scope(scope), name))


def delete(agent: AgentRef, scope: str, name: str) -> None:
    """Delete the agent's own view of this name, else (admins only) the shared one."""
    require_writer(agent)
    scope = _scope(scope)
    with database.atomic():
        view = _visible(agent, scope, name)
        if view.owner_id is None:
            require_admin(agent)
        SavedView.delete().where(SavedView.id == view.id).execute()
        audit.record("view", view.id, agent, {"query": (view.query, None)}, None, "view.deleted",
                     {"scope": scope, "name": view.name, "shared": view.owner_id is None})


def _visible(agent: AgentRef, scope: str, name: str) -> SavedView:
    """The agent's own view of this name, else the shared one, else NotFound."""
    view = _owned(scope, name, agent.id).first() or _owned(scope, name, None).first()
    if view is None:
        raise NotFound(f"no saved {scope} view named {name!r}")
    return view


def _owned(scope: str, name: str, owner: int | None):
    """The views of one owner (None: shared) with this name, case-insensitively, as `_rows`
    selects them."""
    owned = SavedView.owner.is_null() if owner is None else SavedView.owner == owner
    wanted = storable_text(name.strip(), "a view name").lower()
    return _rows().where((SavedView.scope == scope) & owned
                         & (fn.LOWER(SavedView.name) == wanted))


def _scope(scope: str) -> str:
    """A known scope."""
    word = str(scope).strip().lower()
    if word not in SAVED_VIEW_SCOPES:
        raise InvalidInput(f"scope must be one of {', '.join(SAVED_VIEW_SCOPES)}, not {scope!r}")
    return word


def _name(name: str) -> str:
    """A stripped, non-empty view name of at most 100 characters."""
    return required_text(name, what="a view name", limit=100, empty="a saved view needs a name")


def _sort(scope: str, sort: str) -> str:
    """A sort the scope's screen knows, or "" for its default."""
    word = (sort or "").strip().lower()
    if word and word not in SORTS[scope]:
        raise InvalidInput(f"sort must be one of {', '.join(SORTS[scope])}, not {sort!r}")
    return word


def _rows():
    """Saved views with their owner's user name."""
    return (SavedView.select(SavedView, Agent.username.alias("owner_name"))
            .join(Agent, JOIN.LEFT_OUTER, on=SavedView.owner == Agent.id).objects())


def _view_row(view: SavedView) -> ViewRow:
    """The plain row of a view selected by `_rows`."""
    return ViewRow(view.id, view.scope, view.name, view.query, view.sort, view.owner_name)


def _row(view_id: int) -> ViewRow:
    """One view by id."""
    return _view_row(_rows().where(SavedView.id == view_id).get())
