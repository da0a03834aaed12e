"""The outline of the Tasks screen: every page, offset and located line agrees with a plain
in-memory outline of the same workspace, for each sort, grouping, folding and query."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from built_once import rows_built_once

from desk.errors import InvalidInput
from desk.models import Client, Status, Task
from desk.work import filters, listing, outline, tasks, workspace

NOW = datetime(2026, 11, 18, 10, 30)
STATUSES = ("To do", "In progress", "Done", "Closed")


def build_board(admin) -> dict[str, int]:
    """Two lists; the first has nested subtasks, a finished parent with an open subtask and
    a subtask whose parent lives in the other list."""
    rnd = random.Random(7)
    workspace.create_space(admin, "Work")
    main = workspace.create_list(admin, "Work", "Main")
    other = workspace.create_list(admin, "Work", "Other")
    made: list[int] = []
    clients = [Client.create(name=name, kind="client").id for name in ("Mole", "acme", "Zed")]

    def add(title: str, list_id: int, parent: int | None = None, **options) -> int:
        """Create a task with random priority, status and due date unless given."""
        options.setdefault("priority", rnd.choice(["urgent", "high", "normal", "low"]))
        options.setdefault("status", rnd.choice(STATUSES[:3] if rnd.random() < 0.9 else
                                                STATUSES))
        if rnd.random() < 0.6:
            options.setdefault("due_at", NOW + timedelta(hours=rnd.randint(-200, 200)))
        if rnd.random() < 0.6:
            options.setdefault("client_id", rnd.choice(clients))
        task_id = tasks.create(admin, title, list_id, parent_id=parent, **options).row.id
        made.append(task_id)
        return task_id

    for n in range(30):
        add(f"Task {n:02d} {rnd.choice(['alpha', 'beta', 'gamma'])}", main.id)
    tops = list(made)
    for parent in rnd.sample(tops, 6):
        for n in range(rnd.randint(1, 4)):
            child = add(f"Sub {parent}.{n}", main.id, parent, status="To do")
            if rnd.random() < 0.4:
                add(f"Subsub {child}", main.id, child, status="In progress")
    finished = add("Finished parent", main.id, status="Done", priority="high")
    add("Still open under a finished parent", main.id, finished, status="To do")
    elsewhere = add("Parent in another list", other.id, status="To do")
    add("Child of a parent elsewhere", main.id, elsewhere, status="In progress")
    add("Other list task", other.id, status="To do")
    return {"main": main.id, "other": other.id, "finished": finished}


@pytest.fixture
def board(request, db) -> dict[str, int]:
    """The workspace of `build_board` (built once per run on SQLite): its ids by name."""
    return rows_built_once(request, db, "outline-board", build_board)


def expected(view: outline.View, context: filters.Context) -> list[tuple]:
    """The outline computed the plain way: every matching task loaded, roots in the SQL sort
    order, subtasks depth first by position."""
    lines = outline.Outline(view, context)
    matching = lines.conditions()
    order = lines.order
    ordered = [i for (i,) in lines.select(Task.id).where(*matching)
               .order_by(*order.order_by()).tuples()]
    info = {task.id: task for task in Task.select().where(Task.id.in_(ordered))}
    children: dict[int, list[int]] = {}
    for task_id in sorted(ordered, key=lambda i: (info[i].position, i)):
        parent = info[task_id].parent_id
        if parent in info:
            children.setdefault(parent, []).append(task_id)
    roots = [i for i in ordered if info[i].parent_id not in info]
    if lines.by_status and view.list_id is None:
        sections = [(f"category:{c}", lambda t, c=c: t.category == c)
                    for c in ("open", "active", "done", "closed")]
    elif lines.by_status:
        sections = [(f"status:{s.id}", lambda t, s=s: t.status_id == s.id)
                    for s in Status.select().where(Status.task_list == view.list_id)
                    .order_by(Status.position)]
    else:
        sections = [("all", lambda t: True)]

    def below(node: int, depth: int) -> list[tuple]:
        """The subtree lines under `node`."""
        found = []
        for child in children.get(node, []):
            found.append((child, depth))
            if child not in view.folded:
                found.extend(below(child, depth + 1))
        return found

    def size(node: int) -> int:
        """All matching subtasks under `node`."""
        return sum(1 + size(child) for child in children.get(node, []))

    result: list[tuple] = []
    for key, belongs in sections:
        members = [root for root in roots if belongs(info[root])]
        if view.grouped and members:
            result.append((key, sum(1 + size(root) for root in members)))
        for root in members:
            result.append((root, 0))
            if root not in view.folded:
                result.extend(below(root, 1))
    return result


def as_tuples(lines: list[outline.Line]) -> list[tuple]:
    """Lines as (task id, depth) or (heading key, count)."""
    return [(line.heading.key, line.heading.count) if line.heading else
            (line.task.id, line.depth) for line in lines]


def walk(lines: outline.Outline, size: int) -> list[tuple]:
    """Every line, page after page by key, as the virtual list asks for them."""
    found: list[tuple] = []
    after, offset = None, 0
    for _ in range(1000):
        page = lines.page(offset, size, after)
        found.extend(as_tuples(page.rows))
        if page.next_key is None or len(page.rows) < size:
            return found
        after, offset = page.next_key, offset + size
    raise AssertionError("paging did not end")


def orphans(board: dict[str, int]) -> set[int]:
    """Open subtasks of the main list whose parent is finished or in another list."""
    parent = Task.alias()
    return {i for (i,) in Task.select(Task.id).join(parent, on=(Task.parent == parent.id))
            .where(Task.task_list == board["main"], Task.closed_at.is_null(),
                   parent.closed_at.is_null(False) | (parent.task_list != board["main"]))
            .tuples()}


def views(board: dict[str, int]) -> list[outline.View]:
    """The views every check runs over."""
    main, finished = board["main"], board["finished"]
    parents = frozenset(i for (i,) in Task.select(Task.parent).where(Task.parent.is_null(False))
                        .distinct().tuples())
    folded = frozenset(sorted(parents)[:2])
    found = [outline.View(list_id=main, sort=sort) for sort in outline.SORTS]
    found += [outline.View(list_id=main, sort=sort, grouped=True)
              for sort in ("position", "priority", "due")]
    found += [
        outline.View(list_id=main, folded=folded),
        outline.View(list_id=main, grouped=True, folded=folded | {finished}),
        outline.View(query="priority:urgent,high", list_id=main),
        outline.View(query="is:open", list_id=main, grouped=True),
        outline.View(query="status:done,open", list_id=main, sort="due"),
        outline.View(),
        outline.View(grouped=True, sort="title"),
        outline.View(query="text:gamma", sort="newest"),
    ]
    return found


def test_paging_by_key_and_by_offset_matches_the_plain_outline(board, admin):
    context = filters.Context(admin.username, NOW.astimezone())
    for view in views(board):
        want = expected(view, context)
        lines = outline.Outline(view, context)
        assert lines.count() == len(want), view
        for size in (3, 100):
            assert walk(lines, size) == want, (view, size)
        unmeasured = walk(outline.Outline(view, context), 7)  # pages never wait for counts
        assert unmeasured == [(item, None) if isinstance(item, str) else (item, depth)
                              for item, depth in want], view
        fresh = outline.Outline(view, context)
        fresh.count()
        for offset in range(len(want) + 1):
            page = fresh.page(offset, 4)
            assert as_tuples(page.rows) == want[offset:offset + 4], (view, offset)


def test_parents_read_in_several_queries_keep_the_sort_order(board, admin, monkeypatch):
    monkeypatch.setattr("desk.work.outline.structure.PARENTS_PER_QUERY", 2)
    context = filters.Context(admin.username, NOW.astimezone())
    for view in views(board)[:8]:
        want = expected(view, context)
        fresh = outline.Outline(view, context)
        fresh.count()
        assert walk(fresh, 5) == want, view
        assert [as_tuples(fresh.page(offset, 1).rows) for offset in range(len(want))] == [
            [line] for line in want], view


def test_many_orphans_are_found_by_a_subquery(board, admin, monkeypatch):
    monkeypatch.setattr("desk.work.outline.structure.LITERAL_PARENTS", 0)
    context = filters.Context(admin.username, NOW.astimezone())
    for view in views(board)[8:14]:
        lines = outline.Outline(view, context)
        want = expected(view, context)
        assert lines.count() == len(want) and walk(lines, 4) == want, view
        assert orphans(board) <= {item for item, depth in want if depth == 0}, view


def test_every_task_line_is_located(board, admin):
    context = filters.Context(admin.username, NOW.astimezone())
    for view in views(board):
        want = expected(view, context)
        lines = outline.Outline(view, context)
        for index, (item, _) in enumerate(want):
            if isinstance(item, int):
                assert lines.locate(item) == index, (view, item)
        hidden = {i for (i,) in Task.select(Task.id).tuples()} - {i for i, _ in want}
        for task_id in hidden:
            assert lines.locate(task_id) is None, (view, task_id)


def test_a_finished_parent_leaves_its_open_subtask_as_a_root(board, admin):
    context = filters.Context(admin.username, NOW.astimezone())
    lines = outline.Outline(outline.View(list_id=board["main"]), context)
    rows = walk(lines, 100)
    child = Task.get(Task.parent == board["finished"]).id
    assert (child, 0) in rows
    assert board["finished"] not in {item for item, _ in rows}


def test_folding_hides_the_subtree_and_says_so(board, admin):
    context = filters.Context(admin.username, NOW.astimezone())
    shown = outline.Outline(outline.View(list_id=board["main"]), context)
    # the first parent the outline shows (a done one is not shown, nor one in the other
    # list), whatever order the database keeps its rows in
    visible = {line.task.id for line in shown.page(0, 500).rows}
    parent = min(parent for (parent,) in Task.select(Task.parent).where(
        Task.parent.is_null(False), Task.task_list == board["main"],
        Task.parent != board["finished"]).tuples() if parent in visible)
    folded = outline.Outline(outline.View(list_id=board["main"], folded=frozenset({parent})),
                             context)
    line = next(line for line in folded.page(0, 500).rows if line.task.id == parent)
    assert line.folded and line.subtasks > 0
    assert folded.count() == shown.count() - line.subtasks


def test_grouped_headings_follow_the_list_status_order(board, admin):
    context = filters.Context(admin.username, NOW.astimezone())
    lines = outline.Outline(outline.View(list_id=board["main"], grouped=True), context)
    headings = [line.heading.name for line in lines.page(0, 500).rows if line.heading]
    assert headings == ["To do", "In progress"]  # done and closed are not shown by default


def test_an_unknown_sort_is_refused(admin):
    context = filters.Context(admin.username, NOW.astimezone())
    with pytest.raises(InvalidInput, match="sort must be one of"):
        outline.Outline(outline.View(sort="colour"), context)


def test_a_list_without_subtasks_needs_no_structure(board, admin):
    context = filters.Context(admin.username, NOW.astimezone())
    lines = outline.Outline(outline.View(list_id=board["other"], query="parent:none"), context)
    assert lines.structure().kids == {}
    first = lines.page(0, 100)
    assert [line.task.title for line in first.rows] == [
        row.title for row in listing.task_page(f"list:{board['other']} parent:none", context,
                                               sort="position").rows]

