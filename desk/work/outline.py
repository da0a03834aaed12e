"""The task list of the Tasks screen as an outline, paged like any other virtual list.

The outline of a query is made of sections: one section, or (grouped, or sorted by status)
one per status of the list in the list's order (per category for the whole workspace), each
under a heading line that counts its tasks. A section holds its roots in the chosen sort
order; under each root its subtasks follow, indented, in their own order (position), unless
the root or a subtask is folded.

Which tasks are where:

- Every task matching the query is shown once. Subtasks match the query like any task.
- A root is a matching task without a parent, or whose parent does not match (a subtask
  still open under a finished parent is a root of its own, so nothing matching is hidden).
- A matching subtask of a matching parent is shown under that parent, in the parent's
  section, whatever its own status.

Paging stays virtual; the whole outline is never loaded:

- Pages. The first page and every page after a known one are keyset queries on the roots
  (`after` is an outline position: section, the current root's sort key and how many lines
  of that root's subtree were shown), with the subtasks of the roots on the page read by
  parent. Pages never wait for the counts: a status heading read before them has count None.
- Structure. What is read whole is the matching subtasks' structure: how many under each
  parent, and which parents match (one GROUP BY on the parent index and one primary-key
  read, O(matching subtasks); a workspace without subtasks skips both).
- Counts. The matching tasks are counted (per status when grouped) from the list's index,
  less the subtasks under matching parents, so no row is read to ask if it has a parent.
- Jumps. An offset (`G`, the scrollbar, a reload deep in the list) is found by counting the
  roots before the few roots that have subtasks (a binary search over them, counts
  remembered), then an OFFSET from the nearest such root, or from the section's end when
  that is nearer.

The sorts are those of desk.work.listing; the due date (NULLs last) is paged by key too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cmp_to_key
from itertools import islice, pairwise
from typing import Any

from peewee import JOIN, SQL, Expression, Tuple, fn

from desk.errors import InvalidInput
from desk.models import Client, Status, Task
from desk.vocabulary import CATEGORIES
from desk.work import listing, tasks
from desk.work.filters import Context
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

LITERAL_PARENTS = 1000
"""Up to this many orphan parents are named in the root condition; more become a subquery."""
PARENTS_PER_QUERY = 30_000
"""Parents read per query (bound parameters; SQLite allows 32,766). Beyond one query their
order is sorted here, as SQLite's binary collation orders text."""


@dataclass(frozen=True)
class View:
    """What the list shows: a query (the query language) within one list (None: the whole
    workspace), a sort, status grouping, and the parents whose subtasks are folded away."""

    query: str = ""
    list_id: int | None = None
    sort: str = "position"
    grouped: bool = False
    folded: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Heading:
    """The heading line of a status group: its name, category and how many tasks it holds
    (None when the page was read before the counts were: paging never waits for them)."""

    key: str
    name: str
    category: str
    count: int | None


@dataclass(frozen=True)
class Line:
    """One line of the outline: a task at a depth (0 for roots), or a group heading.

    `subtasks` counts the matching subtasks under the task (all levels); `folded` says they
    are hidden.
    """

    task: tasks.TaskRow | None = None
    depth: int = 0
    subtasks: int = 0
    folded: bool = False
    heading: Heading | None = None

    @property
    def id(self) -> int | str:
        """A stable key: the task id, or the heading's key."""
        return self.task.id if self.task is not None else self.heading.key

    @property
    def title(self) -> str:
        """What the line names: the task's title, or the heading's status."""
        return self.task.title if self.task is not None else self.heading.name


@dataclass(frozen=True)
class Page:
    """Lines of one page and the outline position the next page starts at (None at the end)."""

    rows: list[Line]
    next_key: tuple | None


@dataclass(frozen=True)
class _Section:
    """A run of roots sharing a condition (a status, a category, or everything)."""

    key: str
    name: str
    category: str
    condition: Expression | None


@dataclass
class _Structure:
    """What the outline knows before paging: sections, the subtasks and who has them."""

    sections: list[_Section]
    roots: list[Expression]  # the root conditions (query and "is a root")
    kids: dict[int, int]  # parent id -> its matching direct subtasks
    shown: dict[int, int]  # matching parent -> its subtree lines shown (0 when folded)
    total: dict[int, int]  # matching parent -> its matching subtasks, all levels
    parent_of: dict[int, int | None]  # matching parent -> its parent
    rooted: list[list[int]]  # per section: its roots that have matching subtasks
    branching: list[list[tuple[tuple, int]]]  # per section: (key, id) of roots showing some


class Outline:
    """The outline of one `View` as of when it was built; safe to share between threads.

    Every method runs inside a database connection (a worker's). Build a new Outline when the
    data changed: what it learnt about the structure is kept for its lifetime.
    """

    def __init__(self, view: View, context: Context) -> None:
        """The outline of `view` for the asker in `context`."""
        if view.sort not in SORTS:
            raise InvalidInput(f"sort must be one of {', '.join(SORTS)}, not {view.sort!r}")
        self.view = view
        self.context = context
        self.grouped = view.grouped
        self.by_status = view.grouped or view.sort == "status"
        name = INNER_SORT if view.sort == "status" else view.sort
        self.order: Sort = OWN_SORTS.get(name) or listing.TASK_SORTS[name]
        self._joined = any(column.model is Client for column in self.order.columns)
        self._learning = threading.Lock()  # one thread learns the structure, others wait
        self._measuring = threading.Lock()  # counting does not hold up the first page
        self._memo = threading.Lock()
        self._conditions: list[Expression] | None = None
        self._structure: _Structure | None = None
        self._sizes: list[int] | None = None  # lines per section, headings included
        self._heads: list[int] | None = None  # tasks per section (folded ones too)
        self._ranks: dict[tuple[int, int], int] = {}
        self._root_counts: list[int] | None = None  # roots per section, once measured

    # --- the public face: count, page, locate ------------------------------------------------

    def count(self) -> int:
        """How many lines the outline has (headings included)."""
        return sum(self.sizes())

    def page(self, offset: int, limit: int, after: tuple | None = None) -> Page:
        """`limit` lines from `after` (a page's next_key) or else from line `offset`."""
        if limit < 1:
            raise InvalidInput("the limit must be at least 1")
        position = self._decode(after) if after is not None else self._position_of(offset)
        if position is None:
            return Page([], None)
        return self._fill(position, limit)

    def locate(self, task_id: int) -> int | None:
        """The line a task is on, or None when it is not shown (no match, or folded away)."""
        structure = self.structure()
        chain = self._chain(task_id, structure)
        if chain is None:
            return None
        root = chain[0]
        if any(node in self.view.folded for node in chain[:-1]):
            return None
        row = (self.select(Task.status, Task.category, *self.order.columns)
               .where(Task.id == root).tuples().first())
        section = self._section_of(structure, row[0], row[1])
        if section is None:
            return None
        key = tuple(row[2:])
        line = sum(self.sizes()[:section]) + (1 if self.grouped else 0)
        before = self._rank(section, key)
        branching = structure.branching[section]
        index = self._branches_before(section, before)
        line += before + sum(structure.shown[node] for _, node in branching[:index])
        for parent, child in pairwise(chain):
            line += 1
            for sibling in self._children(parent):
                if sibling == child:
                    break
                line += 1 + structure.shown.get(sibling, 0)
        return line

    # --- structure --------------------------------------------------------------------------

    def conditions(self) -> list[Expression]:
        """The conditions of a matching task: the query, the list, the default "not done"
        (compiled once: names in the query are looked up once)."""
        if self._conditions is None:
            found = listing.task_conditions(self.view.query, self.context)
            if self.view.list_id is not None:
                found.append(Task.task_list == self.view.list_id)
            self._conditions = found  # two threads may both compile it: the same result
        return list(self._conditions)

    def structure(self) -> _Structure:
        """The sections and the subtask structure, learnt once."""
        with self._learning:
            if self._structure is None:
                self._structure = self._learn()
            return self._structure

    def sizes(self) -> list[int]:
        """Lines per section (its heading, its roots, their shown subtasks), learnt once."""
        structure = self.structure()
        with self._measuring:
            if self._sizes is None:
                self._sizes, self._heads = self._measure(structure)
            return self._sizes

    def headings(self) -> list[int]:
        """Tasks per section, folded subtasks included (what a heading counts)."""
        self.sizes()
        return self._heads or []

    def _learn(self) -> _Structure:
        """Sections, subtask counts, matching parents and the roots' condition."""
        matching = self.conditions()
        kids: dict[int, int] = {}
        if Task.select().where(Task.parent.is_null(False)).exists():  # the parent index only
            kids = dict(Task.select(Task.parent, fn.COUNT(Task.id))
                        .where(*matching, Task.parent.is_null(False))
                        .group_by(Task.parent).tuples())
        parent_of: dict[int, int | None] = {}
        status_of: dict[int, tuple[int, str]] = {}
        keys: dict[int, tuple] = {}
        for chunk in _chunks(list(kids), PARENTS_PER_QUERY):
            found = (self.select(Task.id, Task.parent, Task.status, Task.category,
                                 *self.order.columns)
                     .where(*matching, Task.id.in_(chunk))
                     .order_by(*self.order.order_by()).tuples())
            for task_id, parent, status, category, *key in found:
                parent_of[task_id] = parent
                status_of[task_id] = (status, category)
                keys[task_id] = tuple(key)
        orphans = [parent for parent in kids if parent not in parent_of]
        roots = list(matching)
        if not orphans:
            roots.append(Task.parent.is_null())
        else:
            if len(orphans) <= LITERAL_PARENTS:
                roots.append(Task.parent.is_null() | Task.parent.in_(orphans))
            else:  # the parent is not one of the matching parents
                with_kids = Task.select(Task.parent).where(*matching, Task.parent.is_null(False))
                parents = Task.select(Task.id).where(*matching, Task.id.in_(with_kids))
                roots.append(Task.parent.is_null() | Task.parent.not_in(parents))
        total, shown = _subtree_sizes(kids, parent_of, self.view.folded)
        sections = self._sections()
        structure = _Structure(sections, roots, kids, shown, total, parent_of,
                               [[] for _ in sections], [[] for _ in sections])
        ordered = list(parent_of)  # in the database's sort order when read in one query
        if len(kids) > PARENTS_PER_QUERY:
            ordered.sort(key=cmp_to_key(lambda a, b: _compare_keys(self.order, keys[a],
                                                                   keys[b])))
        for task_id in ordered:
            if parent_of[task_id] in parent_of:
                continue  # a subtask under a matching parent, not a root
            section = self._section_of(structure, *status_of[task_id])
            if section is None:
                continue
            structure.rooted[section].append(task_id)
            if shown[task_id]:
                structure.branching[section].append((keys[task_id], task_id))
        return structure

    def _sections(self) -> list[_Section]:
        """One section, or one per status of the list (per category for the workspace)."""
        if not self.by_status:
            return [_Section("all", "", "", None)]
        if self.view.list_id is None:
            return [_Section(f"category:{category}", category.capitalize(), category,
                             Task.category == category) for category in CATEGORIES]
        statuses = (Status.select(Status.id, Status.name, Status.category)
                    .where(Status.task_list == self.view.list_id)
                    .order_by(Status.position, Status.id).tuples())
        return [_Section(f"status:{status}", name, category, Task.status == status)
                for status, name, category in statuses]

    def _section_of(self, structure: _Structure, status: int, category: str) -> int | None:
        """The index of the section a root with this status is in."""
        if not self.by_status:
            return 0
        wanted = f"category:{category}" if self.view.list_id is None else f"status:{status}"
        for index, section in enumerate(structure.sections):
            if section.key == wanted:
                return index
        return None

    def _measure(self, structure: _Structure) -> tuple[list[int], list[int]]:
        """(lines, tasks) per section: one count, or one GROUP BY, of the matching tasks
        less the subtasks that sit under a matching parent (so no row is read to ask whether
        it has a parent; only the subtasks are)."""
        if self.by_status:
            column = Task.category if self.view.list_id is None else Task.status
            counted = self._grouped_count(column, structure)
            roots = [counted.get(_section_value(section), 0) for section in structure.sections]
        else:
            roots = [sum(self._grouped_count(None, structure).values())]
        self._root_counts = roots
        lines, heads = [], []
        for index, count in enumerate(roots):
            shown = sum(structure.shown[node] for _, node in structure.branching[index])
            heading = 1 if self.grouped and count else 0
            lines.append(count + shown + heading)
            heads.append(count + sum(structure.total[node] for node in structure.rooted[index]))
        return lines, heads

    # --- positions --------------------------------------------------------------------------

    def _decode(self, after: Sequence[Any]) -> tuple[int, tuple | None, int]:
        """An outline position from a page's next_key: (section, root key or None, shown)."""
        section, shown, *key = after
        return int(section), (tuple(key) if key else None), int(shown)

    def _position_of(self, offset: int) -> tuple[int, tuple | None, int] | None:
        """The outline position of line `offset`, or None past the end."""
        if offset <= 0:
            return (0, None, 0)
        sizes = self.sizes()
        structure = self.structure()
        for section, size in enumerate(sizes):
            if offset >= size:
                offset -= size
                continue
            if self.grouped:
                if offset == 0:
                    return (section, None, 0)
                offset -= 1
            branching = structure.branching[section]
            index = self._last_branch_at(section, offset) if branching else -1
            if index < 0:
                return self._root_after(section, None, offset)
            key, node = branching[index]
            start = (self._rank(section, key)
                     + sum(structure.shown[n] for _, n in branching[:index]))
            inside = offset - start
            if inside <= structure.shown[node]:
                return (section, key, inside)
            return self._root_after(section, key, inside - structure.shown[node] - 1)
        return None

    def _last_branch_at(self, section: int, offset: int) -> int:
        """The last root with subtasks in `section` that starts at or before `offset`
        (-1 when none does): a binary search over their starting lines."""
        structure = self.structure()
        branching = structure.branching[section]
        starts: dict[int, int] = {}

        def start(index: int) -> int:
            """The line (within the section) root `index` of the branching roots is on."""
            if index not in starts:
                key, _ = branching[index]
                starts[index] = (self._rank(section, key)
                                 + sum(structure.shown[n] for _, n in branching[:index]))
            return starts[index]

        low, high = 0, len(branching) - 1
        found = -1
        while low <= high:
            middle = (low + high) // 2
            if start(middle) <= offset:
                found, low = middle, middle + 1
            else:
                high = middle - 1
        return found

    def _branches_before(self, section: int, rank: int) -> int:
        """How many roots with shown subtasks sort before the root of rank `rank`."""
        branching = self.structure().branching[section]
        low, high = 0, len(branching)
        while low < high:
            middle = (low + high) // 2
            if self._rank(section, branching[middle][0]) < rank:
                low = middle + 1
            else:
                high = middle
        return low

    def _grouped_count(self, column: Any, structure: _Structure,
                       *extra: Expression) -> dict[Any, int]:
        """Roots matching `extra` per value of `column` (all under None when it is None):
        matching tasks less the subtasks under matching parents."""
        def counts(*more: Expression) -> dict[Any, int]:
            """Matching tasks (and `more`) per value of `column`."""
            return dict(self.counting_query(column, *extra, *more).tuples())

        found = counts()
        for chunk in _chunks(list(structure.parent_of)):
            for value, number in counts(Task.parent.in_(chunk)).items():
                found[value] = found.get(value, 0) - number
        return found

    def counting_query(self, column: Any = None, *extra: Expression):
        """SELECT (value of `column`, how many) over the matching tasks that also meet
        `extra`, one row per value (one row, value None, without a column): for counting and
        for EXPLAIN."""
        select = self.select if extra else Task.select  # `extra` may compare sort keys
        if column is None:
            return select(SQL("NULL"), fn.COUNT(Task.id)).where(*self.conditions(), *extra)
        return (select(column, fn.COUNT(Task.id)).where(*self.conditions(), *extra)
                .group_by(column))

    def select(self, *columns: Any):
        """SELECT `columns` of tasks, joined to the client when the sort names it."""
        query = Task.select(*columns)
        if self._joined:
            query = query.join(Client, JOIN.LEFT_OUTER, on=(Task.client == Client.id))
        return query

    def _rank(self, section: int, key: tuple) -> int:
        """How many roots of `section` sort before `key` (remembered per root)."""
        memo = (section, key[-1])
        with self._memo:
            if memo in self._ranks:
                return self._ranks[memo]
        structure = self.structure()
        condition = structure.sections[section].condition
        extra = [self._before(key)] + ([condition] if condition is not None else [])
        found = sum(self._grouped_count(None, structure, *extra).values())
        with self._memo:
            self._ranks[memo] = found
        return found

    def _root_after(self, section: int, key: tuple | None,
                    skip: int) -> tuple[int, tuple | None, int] | None:
        """The position of the root `skip` roots after `key` (from the section's start when
        None), or None when there is no such root. Past the middle of the section the roots
        are counted from its end, so a jump to the bottom reads few rows."""
        start = 0 if key is None else self._rank(section, key) + 1
        roots = self._root_counts[section] if self._root_counts is not None else None
        if roots is not None and skip > (roots - start) // 2:
            back = roots - 1 - start - skip
            if back < 0:
                return None
            query = self._roots_query(self.structure(), section, columns=self.order.columns)
            row = query.order_by(*_reversed(self.order)).offset(back).limit(1).tuples().first()
        else:
            row = self.roots_query(section, key).offset(skip).limit(1).tuples().first()
        return None if row is None else (section, tuple(row), 0)

    # --- filling a page ---------------------------------------------------------------------

    def _fill(self, position: tuple[int, tuple | None, int], limit: int) -> Page:
        """Lines from `position` on, at most `limit`, and where the next page starts.

        A position is (section, root key, lines of that root's subtree shown). Without a key,
        0 lines means the section's start (its heading is next) and 1 that its heading is
        shown; with a key, 0 means the root itself is next.
        """
        structure = self.structure()
        section, key, shown = position
        found: list[tuple[Any, int]] = []  # (task id, depth), or (("heading", section), 0)

        def where() -> tuple:
            """The next page's key: the position reached."""
            return (section, shown, *(key or ()))

        while section < len(structure.sections):
            heading = key is None and shown == 0 and self.grouped  # once it has roots
            if key is None:
                shown = 1
            if key is not None and shown:
                below = list(islice(self._subtree(key[-1], shown - 1), limit - len(found)))
                found.extend(below)
                shown += len(below)
            if len(found) == limit:
                return self._page(found, where())
            query = self.roots_query(section, key, inclusive=not shown)
            if heading and len(found) + 1 == limit:  # room for the heading alone
                if query.limit(1).exists():
                    found.append((("heading", section), 0))
                    return self._page(found, where())
                heading = False
            for row in query.limit(limit - len(found) - heading).tuples():
                if heading:
                    found.append((("heading", section), 0))
                    heading = False
                key, shown = tuple(row), 1
                found.append((key[-1], 0))
                below = list(islice(self._subtree(key[-1], 0), limit - len(found)))
                found.extend(below)
                shown += len(below)
                if len(found) == limit:
                    return self._page(found, where())
            section, key, shown = section + 1, None, 0
        return self._page(found, None)

    def _page(self, found: list[tuple[Any, int]], next_key: tuple | None) -> Page:
        """Turn (id, depth) pairs into Lines, with the task rows read in one go."""
        structure = self.structure()
        ids = [item for item, _ in found if isinstance(item, int)]
        rows = {row.id: row for row in tasks.rows_for(ids)}
        heads = self._heads  # the counts, when they are known already: never waited for
        lines = []
        for item, depth in found:
            if isinstance(item, tuple):
                section = structure.sections[item[1]]
                count = heads[item[1]] if heads is not None else None
                lines.append(Line(heading=Heading(section.key, section.name, section.category,
                                                  count)))
            elif item in rows:
                lines.append(Line(rows[item], depth, structure.total.get(item, 0),
                                  item in self.view.folded))
        return Page(lines, next_key)

    def _subtree(self, node: int, skip: int, depth: int = 1) -> Iterator[tuple[int, int]]:
        """The shown subtasks under `node` in order, as (id, depth), after the first `skip`."""
        structure = self.structure()
        if not structure.shown.get(node):
            return
        for child in self._children(node):
            span = 1 + structure.shown.get(child, 0)
            if skip >= span:
                skip -= span
                continue
            if skip == 0:
                yield child, depth
            else:
                skip -= 1
            yield from self._subtree(child, skip, depth + 1)
            skip = 0

    def _children(self, node: int) -> list[int]:
        """The matching subtasks right under `node`, in their order."""
        if not self.structure().kids.get(node):
            return []
        return [child for (child,) in Task.select(Task.id)
                .where(*self.conditions(), Task.parent == node)
                .order_by(Task.position, Task.id).tuples()]

    def _chain(self, task_id: int, structure: _Structure) -> list[int] | None:
        """The task and its matching ancestors, root first; None when the task does not match."""
        if not Task.select().where(*self.conditions(), Task.id == task_id).exists():
            return None
        parent = (Task.select(Task.parent).where(Task.id == task_id).scalar())
        chain = [task_id]
        while parent is not None and parent in structure.parent_of and len(chain) < 100:
            chain.append(parent)
            parent = structure.parent_of[parent]
        return list(reversed(chain))

    # --- SQL pieces -------------------------------------------------------------------------

    def roots_query(self, section: int = 0, key: tuple | None = None, *,
                    inclusive: bool = False):
        """The SELECT of a section's roots in order, as their sort keys (no limit): after
        `key` (or from it, `inclusive`), for paging and for EXPLAIN."""
        query = self._roots_query(self.structure(), section, columns=self.order.columns)
        if key is not None:
            query = query.where(self._at_or_after(key) if inclusive else self._after(key))
        return query.order_by(*self.order.order_by())

    def _roots_query(self, structure: _Structure, section: int, columns: Sequence = ()):
        """SELECT the roots of a section (their sort columns, or nothing to count them)."""
        query = self.select(*columns)
        condition = structure.sections[section].condition
        extra = [condition] if condition is not None else []
        return query.where(*structure.roots, *extra)

    def _after(self, key: tuple) -> Expression:
        """Roots that sort after `key`."""
        return _compare(self.order, key, after=True)

    def _at_or_after(self, key: tuple) -> Expression:
        """Roots that sort at `key` or after it."""
        return _compare(self.order, key, after=True) | (self.order.columns[-1] == key[-1])

    def _before(self, key: tuple) -> Expression:
        """Roots that sort before `key`."""
        return _compare(self.order, key, after=False)


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    """`ids` in slices small enough for an IN list of bound parameters."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _reversed(order: Sort) -> list:
    """The ORDER BY terms of `order` read from the end."""
    first, *rest = order.columns
    if not order.keyset:
        return [first.desc(nulls="FIRST"), *(column.desc() for column in rest)]
    return [column.asc() if order.descending else column.desc() for column in order.columns]


def _compare_keys(order: Sort, left: tuple, right: tuple) -> int:
    """-1, 0 or 1 as sort key `left` comes before, with or after `right` in `order`
    (NULLs last for a sort that pages by offset)."""
    for mine, theirs in zip(left, right, strict=True):
        if mine == theirs:
            continue
        if mine is None or theirs is None:
            return 1 if mine is None else -1
        before = mine < theirs
        return -1 if before != order.descending else 1
    return 0


def _section_value(section: _Section) -> object:
    """What the GROUP BY column holds for a section's rows."""
    kind, _, value = section.key.partition(":")
    return value if kind == "category" else int(value)


def _compare(order: Sort, key: tuple, *, after: bool) -> Expression:
    """Rows after (or before) `key` in `order`, including sorts whose first column is NULL
    for some rows and puts those last (the due date)."""
    if order.keyset:
        left, right = Tuple(*order.columns), Tuple(*key)
        return (left > right) if after != order.descending else (left < right)
    first, *rest = order.columns
    value, *tail = key
    beyond = (Tuple(*rest) > Tuple(*tail)) if after else (Tuple(*rest) < Tuple(*tail))
    if value is None:
        return (first.is_null() & beyond) if after else (first.is_null(False)
                                                          | (first.is_null() & beyond))
    if after:
        return first.is_null() | (first > value) | ((first == value) & beyond)
    return (first < value) | ((first == value) & beyond)


def _subtree_sizes(kids: dict[int, int], parent_of: dict[int, int | None],
                   folded: frozenset[int]) -> tuple[dict[int, int], dict[int, int]]:
    """(all matching subtasks, subtree lines shown) per matching parent, counting nested
    subtasks; a folded parent shows none."""
    children: dict[int, list[int]] = {}
    for node, parent in parent_of.items():
        if parent in parent_of:
            children.setdefault(parent, []).append(node)
    total: dict[int, int] = {}
    shown: dict[int, int] = {}

    def visit(node: int, seen: frozenset[int]) -> None:
        """Sizes of `node` after those of its children (`seen` guards against cycles)."""
        below = [child for child in children.get(node, []) if child not in seen]
        for child in below:
            if child not in total:
                visit(child, seen | {node})
        total[node] = kids.get(node, 0) + sum(total[child] for child in below)
        shown[node] = 0 if node in folded else (
            kids.get(node, 0) + sum(shown[child] for child in below))

    for node in parent_of:
        if node not in total:
            visit(node, frozenset())
    return total, shown

