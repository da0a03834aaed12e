"""Writing new tasks in bulk: one chunk of prepared records at a time, inside the caller's
transaction, with everything the services would write for each task.

Per chunk: the task rows (positions after their lists' last), their tags, assignees, custom
values, checklists and comments (kept as internal notes, with their author's name and
time), the search documents of tasks and comments, one activity row per task holding the
fields it was created with (version 1; "source" names the file and row; the history shows
them field by field, as `tasks.create` writes them), the source keys, and one
event "tasks.imported" listing the ids. Imported tasks do not fire "created" automations:
they are history from another tool, not new work (a rule could otherwise e-mail every
client of a 100,000-task export).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from peewee import fn

from desk.clock import stored, utcnow
from desk.db import insert_tuples, named_ids
from desk.dialect import bound
from desk.kernel import audit, search
from desk.kernel.agents import AgentRef
from desk.kernel.tags import names as checked_tags
from desk.models import (
    Agent,
    Checklist,
    ChecklistItem,
    Comment,
    CustomValue,
    Tag,
    Task,
    TaskAssignee,
    TaskTag,
)
from desk.support.inbox_entry import inbox_moment
from desk.transfer import keys
from desk.transfer.records import CommentRecord
from desk.transfer.task_rows import PreparedTask

PREVIEW = 200
TASK_COLUMNS = ("task_list", "status", "category", "parent", "kind", "title", "description",
                "priority", "start_at", "due_at", "estimate_minutes", "position", "created_by",
                "created_at", "updated_at", "closed_at", "snoozed_until", "version", "inbox_at",
                "urgency_until")
"""The fields of a task row an import writes, in the order `insert_tasks` gives them: with the
inbox moment its insert trigger would give it (and the same `urgency_until`), which saves the
trigger writing each row again (migration 0032)."""
CREATED_FIELDS = ("status", "title", "description", "priority", "due_at", "start_at",
                  "estimate_minutes", "tags", "assignees", "parent_id", "snoozed_until")
"""The fields an imported task's history row holds after its source, in this order."""


def insert_tasks(agent: AgentRef, source: str, chunk: list[PreparedTask],
                 parents: dict[str, int]) -> tuple[dict[str, int], set[str]]:
    """Insert a chunk of new tasks; returns their ids by source id, and the source ids of
    those written under their parent. `parents` holds the task ids of the source ids known
    so far (a parent in an earlier row or import). A subtask whose parent comes before it in
    the chunk is written after it, with its parent (see `waves`); one whose parent is not
    known yet is linked later (desk.transfer.task_links)."""
    now = bound(utcnow())  # adapted once for the chunk, not per row
    positions = _next_positions({task.list_id for task in chunk})
    position_of: dict[int, int] = {}
    for task in chunk:  # in the file's order, whatever the waves
        position_of[id(task)] = positions[task.list_id]
        positions[task.list_id] += 1
    ids: dict[str, int] = {}
    parent_of: dict[int, int | None] = {}
    placed: list[tuple[int, PreparedTask]] = []
    for wave in waves(chunk):
        rows, by_place = [], {}
        for task in wave:
            record, position = task.record, position_of[id(task)]
            by_place[(task.list_id, position)] = task
            parent = (ids.get(record.parent) or parents.get(record.parent)
                      if record.parent else None)
            parent_of[id(task)] = parent
            due, snoozed = stored(record.due_at), stored(record.snoozed_until)
            # held by nobody yet: its assignees are written after it, and their trigger
            # moves the moment as they come
            moment = bound(inbox_moment("task", task.category, False, due, snoozed))
            rows.append((task.list_id, task.status_id, task.category, parent, "task",
                         task.title, task.description, task.priority,
                         bound(stored(record.start_at)), bound(due), record.estimate_minutes,
                         position, agent.id, bound(stored(record.created_at)) or now, now,
                         bound(task.closed_at), bound(snoozed), 1, moment, moment))
        for task_id, list_id, position in insert_tuples(Task, TASK_COLUMNS, rows,
                                                        ("id", "task_list", "position")):
            task = by_place[(list_id, position)]
            ids[task.record.source_id] = task_id
            placed.append((task_id, task))
    placed.sort(key=lambda pair: pair[0])
    _links(placed)
    _checklists(placed)
    _comments(agent, source, [(task_id, task.record.source_id, task.record.comments)
                              for task_id, task in placed])
    search.index_many(search.TASK, [(task_id, task_id, None, task.title, task.description)
                                    for task_id, task in placed])
    fields = [task.service_fields() for _, task in placed]
    audit.record_created("task", [(task_id, _created_with(source, task, parent_of[id(task)],
                                                          given))
                                  for (task_id, task), given in zip(placed, fields,
                                                                    strict=True)],
                         agent, 1, "tasks.imported", {"source": source})
    keys.remember(source, "task", [(task.record.source_id, task_id, task.digest, 1, given)
                                   for (task_id, task), given in zip(placed, fields,
                                                                     strict=True)])
    return ids, {task.record.source_id for _, task in placed if parent_of[id(task)]}


MAX_WAVES = 8
"""Levels of subtasks written with their parents within a chunk; deeper ones are linked at
the end."""


def waves(chunk: list[PreparedTask]) -> list[list[PreparedTask]]:
    """The chunk's tasks in the order they can be written with their parents known: a task
    whose parent comes before it in the chunk goes in the wave after its parent's (up to
    MAX_WAVES), so most subtasks need no second write; the others go first."""
    level: dict[str, int] = {}
    found: list[list[PreparedTask]] = [[] for _ in range(MAX_WAVES)]
    for task in chunk:
        above = level.get(task.record.parent) if task.record.parent else None
        depth = 0 if above is None or above + 1 >= MAX_WAVES else above + 1
        level[task.record.source_id] = depth
        found[depth].append(task)
    return [wave for wave in found if wave]


def _next_positions(list_ids: set[int]) -> dict[int, int]:
    """The first free position at the end of each list: a query a list, each of which reads
    the one last entry of the index by list and position (one grouped query for all the
    lists read every task of them, so each chunk of a large import took longer than the
    one before)."""
    return {list_id: (Task.select(fn.MAX(Task.position)).where(Task.task_list == list_id)
                      .scalar() or 0) + 1
            for list_id in list_ids}


def _links(placed: list[tuple[int, PreparedTask]]) -> None:
    """Tags (created when new), assignees and custom values of the new tasks."""
    tag_ids, _ = named_ids(Tag, checked_tags({tag for _, task in placed for tag in task.tags}))
    agent_ids = dict(Agent.select(Agent.username, Agent.id)
                     .where(Agent.username.in_(sorted({name for _, task in placed
                                                       for name in task.assignees}))).tuples())
    insert_tuples(TaskTag, ("task", "tag"), [(task_id, tag_ids[tag]) for task_id, task in placed
                                             for tag in task.tags])
    # with their task's openness and due time, which their insert trigger would copy (0032)
    insert_tuples(TaskAssignee, ("task", "agent", "task_open", "task_due_at"),
                  [(task_id, agent_ids[name], task.closed_at is None,
                    bound(stored(task.record.due_at)))
                   for task_id, task in placed for name in task.assignees])
    insert_tuples(CustomValue, ("task", "field", "value"),
                  [(task_id, task.field_ids[name], value) for task_id, task in placed
                   for name, value in task.values.items()])


def _checklists(placed: list[tuple[int, PreparedTask]]) -> None:
    """The checklists of the new tasks and their items, in order."""
    lists = [(task_id, name[:200], position) for task_id, task in placed
             for position, (name, _) in enumerate(task.record.checklists)]
    if not lists:
        return
    items_of = {(task_id, position): items for task_id, task in placed
                for position, (_, items) in enumerate(task.record.checklists)}
    now = bound(utcnow())
    items = []
    for checklist_id, task_id, position in insert_tuples(
            Checklist, ("task", "name", "position"), lists, ("id", "task", "position")):
        items += [(checklist_id, None, text[:500], bool(done), index,
                   now if done else None)
                  for index, (text, done) in enumerate(items_of[(task_id, position)])]
    insert_tuples(ChecklistItem, ("checklist", "parent", "text", "done", "position", "done_at"),
                  items)


def add_comments(agent: AgentRef, source: str,
                 comments: list[tuple[int, str, Sequence[CommentRecord]]]) -> int:
    """Add the comments of records to their tasks as internal notes: (task id, record source
    id, comments) each. A comment is keyed by its record and number, so one already imported
    is not added again; returns how many were added."""
    return _comments(agent, source, comments)


def _comments(agent: AgentRef, source: str,
              comments: list[tuple[int, str, Sequence[CommentRecord]]]) -> int:
    """Write the comments not imported before, with their search documents, activity and
    source keys. Ids are given in the order of the rows inserted, so a task's comments are
    matched with their ids by sorting them."""
    wanted = {f"{source_id}#comment{number}": (task_id, comment)
              for task_id, source_id, listed in comments
              for number, comment in enumerate(listed, start=1)}
    if not wanted:
        return 0
    for known in keys.lookup(source, wanted):
        del wanted[known]
    now = bound(utcnow())
    rows = [(task_id, "note", None, (comment.author or agent.name)[:200], comment.body,
             bound(stored(comment.at)) or now)
            for task_id, comment in wanted.values()]
    ids_of: dict[int, list[int]] = defaultdict(list)
    for comment_id, task_id in insert_tuples(
            Comment, ("task", "kind", "author", "author_name", "body", "created_at"), rows,
            ("id", "task")):
        ids_of[task_id].append(comment_id)
    for listed in ids_of.values():
        listed.sort(reverse=True)
    written = [(key, ids_of[task_id].pop(), task_id, comment)
               for key, (task_id, comment) in wanted.items()]
    search.index_many(search.COMMENT, [(comment_id, task_id, None, "", comment.body)
                                       for _, comment_id, task_id, comment in written])
    audit.record_many("task", [(task_id, {"note": (None, comment.body[:PREVIEW])})
                               for _, _, task_id, comment in written], agent, None,
                      "comments.imported", {"source": source})
    keys.remember(source, "comment", [(key, comment_id, "", 1, {})
                                      for key, comment_id, _, _ in written])
    return len(written)


def _created_with(source: str, task: PreparedTask, parent_id: int | None,
                  given: dict[str, object]) -> dict[str, object]:
    """The fields a new task was created with, for its one history row
    (desk.kernel.audit.record_created): its `service_fields` (`given`) but the custom values,
    with where it came from and its parent."""
    record = task.record
    fields = {"source": f"{source} {record.source_id} ({record.place})"}
    for name in CREATED_FIELDS:
        value = given[name] if name != "parent_id" else parent_id
        if value is not None and value != "" and value != ():
            fields[name] = value
    return fields
