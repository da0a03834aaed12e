"""The outline's queries are served by indexes (SQLite's EXPLAIN QUERY PLAN over the analysed
workspace of test_query_plans): the roots of a page, the next page by key, the subtask
structure and the counts. The title and client sorts have no index and are left out on
purpose (a page sorts the open tasks of the list)."""

from __future__ import annotations

from collections.abc import Iterator

import test_query_plans
from peewee import fn
from test_query_plans import NOW, plan_of, problems_in

from desk.models import Task
from desk.work import filters, outline

plans_template = test_query_plans.plans_template
"""test_query_plans' analysed workspace as the run filled it once (a fixture)."""
workspace_db = test_query_plans.workspace_db
"""A private copy of it for this module (a fixture)."""
ids = test_query_plans.ids
"""Its ids, with desk's models bound to it (a fixture)."""

INDEXED_SORTS = ("position", "priority", "status", "due", "updated", "newest", "oldest")


def assert_indexed(query, label: str) -> None:
    """Fail with the plan when the query scans a big table or sorts its result."""
    plan, sql = plan_of(query)
    problems = problems_in(plan, sql)
    assert not problems, f"{label}: {problems}\n  " + "\n  ".join(plan) + f"\n{sql}"


def views(ids: dict[str, int]) -> Iterator[outline.View]:
    """A list in each indexed sort, grouped in list order, and the whole workspace."""
    for sort in INDEXED_SORTS:
        yield outline.View(list_id=ids["list"], sort=sort)
    yield outline.View(list_id=ids["list"], grouped=True)
    yield outline.View(sort="priority")
    yield outline.View(sort="updated")


def test_the_roots_of_each_page_are_read_from_an_index(ids):
    context = filters.Context("planner", NOW)
    for view in views(ids):
        lines = outline.Outline(view, context)
        for section in range(len(lines.structure().sections)):
            label = f"{view} section {section}"
            assert_indexed(lines.roots_query(section).limit(100), label)
            first = list(lines.roots_query(section).limit(100).tuples())
            if len(first) == 100:
                assert_indexed(lines.roots_query(section, tuple(first[-1])).limit(100),
                               f"{label}, the next page")


def test_the_subtask_structure_reads_only_subtasks(ids):
    context = filters.Context("planner", NOW)
    for view in (outline.View(list_id=ids["list"]), outline.View()):
        matching = outline.Outline(view, context).conditions()
        kids = (Task.select(Task.parent, fn.COUNT(Task.id))
                .where(*matching, Task.parent.is_null(False)).group_by(Task.parent))
        plan, _ = plan_of(kids)
        assert not [step for step in plan if step.startswith("SCAN")], plan


def test_counts_read_no_row_to_learn_its_parent(ids):
    context = filters.Context("planner", NOW)
    lines = outline.Outline(outline.View(list_id=ids["list"]), context)
    plan, sql = plan_of(lines.counting_query())
    assert plan == ["SEARCH t1 USING INDEX task_open_by_list (task_list_id=?)"]
    assert "parent_id" not in sql  # subtasks under matching parents are counted apart
    structure = lines.structure()
    below = sum(structure.shown[node] for _, node in structure.branching[0])
    assert lines.sizes() == [lines.roots_query(0).count() + below]
