"""What an outline is asked to show: a `View` (query, list, sort, grouping, folds) and the
sorts it offers.

The sorts are those of desk.work.listing, plus the outline's own by client name.
"""

from __future__ import annotations

from msgspec import Struct

from desk.models import Client, Task
from desk.work import listing
from desk.work.listing import Sort

SORTS = {
    "position": "list order",
    "priority": "priority",
    "status": "status",
    "due": "due date",
    "client": "client",
    "title": "title",
    "updated": "recently updated",
    "newest": "newest",
    "oldest": "oldest",
}
"""The sorts the outline offers (name -> how the heading names it), in the order `o` cycles."""

OWN_SORTS = {"client": Sort("client", (Client.name, Task.id), keyset=False)}
"""Sorts the outline adds to listing's: by client name (tasks without a client last)."""

INNER_SORT = "position"
"""How the roots are ordered inside each status when the list is sorted by status."""


class View(Struct, frozen=True):
    """What the list shows: a query (the query language) within one list (None: the whole
    workspace), a sort, status grouping, and the parents whose subtasks are folded away."""

    query: str = ""
    list_id: int | None = None
    sort: str = "position"
    grouped: bool = False
    folded: frozenset[int] = frozenset()


def root_order(view: View) -> Sort:
    """The order of the roots within a section: the view's sort, or the list order inside
    each status when it is sorted by status (a name of SORTS)."""
    name = INNER_SORT if view.sort == "status" else view.sort
    return OWN_SORTS.get(name) or listing.TASK_SORTS[name]
