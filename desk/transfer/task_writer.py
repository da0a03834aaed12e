"""Writing new tasks in bulk: one chunk of prepared records at a time, with everything the
services would write for each task.

Per chunk: the task rows (positions after their lists' last), their tags, assignees, custom
values, checklists and comments (kept as internal notes, with their author's name and
time), the search documents of tasks and comments, one activity row per task holding the
fields it was created with (version 1; "source" names the file and row; the history shows
them field by field, as `tasks.create` writes them), the source keys, and one
event "tasks.imported" listing the ids. Imported tasks do not fire "created" automations:
they are history from another tool, not new work (a rule could otherwise e-mail every
client of a 100,000-task export).

The rows are built here and their statements handed to the import's writes
(desk.transfer.chunk_writes), which may run them on another thread while this one goes on.
So the rows carry their ids: the chunk's first step, in its transaction, finds its lists'
last positions and reserves the ids of its tasks, checklists and comments
(`desk.dialect.next_ids`); after it only a tag the import has not met yet waits for the
database (desk.transfer.shaping).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from peewee import fn

from desk.clock import stored, utcnow
from desk.db import insert_tuples
from desk.dialect import bound, next_ids
from desk.kernel import audit, search
from desk.kernel.agents import AgentRef
from desk.models import (
    Checklist,
    ChecklistItem,
    Comment,
    CustomValue,
    Task,
    TaskAssignee,
    TaskTag,
)
from desk.transfer import keys
from desk.transfer.chunk_writes import Writes, at_once
from desk.transfer.records import CommentRecord
from desk.transfer.shaping import Shaper
from desk.transfer.task_rows import PreparedTask

PREVIEW = 200
TASK_COLUMNS = ("id", "task_list", "status", "category", "parent", "kind", "title",
                "description", "priority", "start_at", "due_at", "estimate_minutes", "position",
                "created_by", "created_at", "updated_at", "closed_at", "snoozed_until", "version",
                "inbox_at", "urgency_until")
"""The fields of a task row an import writes, in the order `insert_tasks` gives them: with the
inbox moment its insert trigger would give it (and the same `urgency_until`), which saves the
trigger writing each row again (migration 0032)."""
ITEM_COLUMNS = ("checklist", "parent", "text", "done", "position", "done_at")
"""The same for a checklist item."""
COMMENT_COLUMNS = ("id", "task", "kind", "author", "author_name", "body", "created_at")
"""The same for a comment."""
Send = Callable[..., None]
"""What runs a statement: `send(call, *args)` (desk.transfer.chunk_writes)."""
NewComment = tuple[str, int, CommentRecord]
"""A comment to write: its source key, its task's id and the comment."""


def insert_tasks(agent: AgentRef, source: str, chunk: list[PreparedTask],
                 parents: dict[str, int], shaper: Shaper, writes: Writes
                 ) -> tuple[dict[str, int], set[str]]:
    """Hand over the statements of a chunk of new tasks; returns their ids by source id, and
    the source ids of those written under their parent. `parents` holds the task ids of the
    source ids known so far (a parent in an earlier row or import). A subtask whose parent
    comes before it in the chunk is written after it, with its parent (see `waves`); one
    whose parent is not known yet is linked later (desk.transfer.task_links)."""
    now = bound(utcnow())  # adapted once for the chunk, not per row
    ordered = [task for wave in waves(chunk) for task in wave]
    comment_keys = {task.record.source_id: _comment_keys(task.record.source_id,
                                                         task.record.comments)
                    for task in chunk if task.record.comments}
    imported = keys.lookup(source, [key for listed in comment_keys.values() for key in listed])
    positions, task_ids, checklist_ids, comment_ids = writes.step(
        _reserved, {task.list_id for task in chunk}, len(chunk),
        sum(len(task.record.checklists) for task in chunk),
        sum(map(len, comment_keys.values())) - len(imported))
    position_of: dict[int, int] = {}
    for task in chunk:  # in the file's order, whatever the waves
        position_of[id(task)] = positions[task.list_id]
        positions[task.list_id] += 1
    ids: dict[str, int] = {}
    parent_of: dict[int, int | None] = {}
    rows = []
    for task, task_id in zip(ordered, task_ids, strict=True):
        record = task.record
        parent = ids.get(record.parent) or parents.get(record.parent) if record.parent else None
        ids[record.source_id] = task_id
        parent_of[task_id] = parent
        start, due, created, closed, snoozed, moment = task.moments
        rows.append((task_id, task.list_id, task.status_id, task.category, parent, "task",
                     task.title, task.description, task.priority, start, due,
                     record.estimate_minutes, position_of[id(task)], agent.id, created or now,
                     now, closed, snoozed, 1, moment, moment))
    send = writes.send
    send(insert_tuples, Task, TASK_COLUMNS, rows)
    placed = list(zip(task_ids, ordered, strict=True))
    _links(placed, shaper, send)
    _checklists(placed, checklist_ids, send)
    _comments(agent, source, [(key, task_id, comment) for task_id, task in placed
                              for key, comment in zip(comment_keys.get(task.record.source_id, ()),
                                                      task.record.comments, strict=False)
                              if key not in imported], comment_ids, send)
    send(search.index_many, search.TASK, [(task_id, task_id, None, task.title, task.description)
                                          for task_id, task in placed])
    send(audit.record_created, "task",
         [(task_id, task.created_text if parent_of[task_id] is None
           else task.history_text(source, parent_of[task_id])) for task_id, task in placed],
         agent, 1, "tasks.imported", {"source": source})
    send(keys.remember, source, "task", [(task.record.source_id, task_id, task.digest, 1,
                                          task.given_text) for task_id, task in placed])
    return ids, {task.record.source_id for task_id, task in placed if parent_of[task_id]}


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


def _reserved(list_ids: set[int], tasks: int, checklists: int, comments: int
              ) -> tuple[dict[int, int], list[int], list[int], list[int]]:
    """In the chunk's transaction: the first free position at the end of each list, and the
    ids of its tasks, checklists and comments."""
    return (_next_positions(list_ids), next_ids(Task, tasks), next_ids(Checklist, checklists),
            next_ids(Comment, comments))


def _next_positions(list_ids: set[int]) -> dict[int, int]:
    """The first free position at the end of each list: a query a list, each of which reads
    the one last entry of the index by list and position (one grouped query for all the
    lists read every task of them, so each chunk of a large import took longer than the
    one before)."""
    return {list_id: (Task.select(fn.MAX(Task.position)).where(Task.task_list == list_id)
                      .scalar() or 0) + 1
            for list_id in list_ids}


def _links(placed: list[tuple[int, PreparedTask]], shaper: Shaper, send: Send) -> None:
    """Tags (created when new), assignees and custom values of the new tasks."""
    tag_ids = shaper.tag_ids({tag for _, task in placed for tag in task.tags})
    agent_ids = shaper.agent_ids
    send(insert_tuples, TaskTag, ("task", "tag"), [(task_id, tag_ids[tag])
                                                   for task_id, task in placed
                                                   for tag in task.tags])
    # with their task's openness and due time, which their insert trigger would copy (0032)
    send(insert_tuples, TaskAssignee, ("task", "agent", "task_open", "task_due_at"),
         [(task_id, agent_ids[name], task.closed_at is None, task.moments[1])
          for task_id, task in placed for name in task.assignees])
    send(insert_tuples, CustomValue, ("task", "field", "value"),
         [(task_id, task.field_ids[name], value) for task_id, task in placed
          for name, value in task.values.items()])


def _checklists(placed: list[tuple[int, PreparedTask]], checklist_ids: list[int],
                send: Send) -> None:
    """The checklists of the new tasks and their items, in order."""
    if not checklist_ids:
        return
    now = bound(utcnow())
    lists, items, ids = [], [], iter(checklist_ids)
    for task_id, task in placed:
        for position, (name, listed) in enumerate(task.record.checklists):
            checklist_id = next(ids)
            lists.append((checklist_id, task_id, name[:200], position))
            items += [(checklist_id, None, text[:500], bool(done), index, now if done else None)
                      for index, (text, done) in enumerate(listed)]
    send(insert_tuples, Checklist, ("id", "task", "name", "position"), lists)
    send(insert_tuples, ChecklistItem, ITEM_COLUMNS, items)


def add_comments(agent: AgentRef, source: str,
                 comments: list[tuple[int, str, Sequence[CommentRecord]]]) -> int:
    """Add the comments of records to their tasks as internal notes, in the caller's
    transaction: (task id, record source id, comments) each. A comment is keyed by its record
    and number, so one already imported is not added again; returns how many were added."""
    wanted = {key: (task_id, comment) for task_id, source_id, listed in comments
              for key, comment in zip(_comment_keys(source_id, listed), listed, strict=True)}
    for known in keys.lookup(source, wanted):
        del wanted[known]
    _comments(agent, source, [(key, task_id, comment)
                              for key, (task_id, comment) in wanted.items()],
              next_ids(Comment, len(wanted)), at_once)
    return len(wanted)


def _comment_keys(source_id: str, comments: Sequence[CommentRecord]) -> list[str]:
    """The source keys of a record's comments: its id and their numbers."""
    return [f"{source_id}#comment{number}" for number in range(1, len(comments) + 1)]


def _comments(agent: AgentRef, source: str, comments: list[NewComment],
              comment_ids: list[int], send: Send) -> None:
    """Hand over the rows of comments not imported before (with the ids reserved for them):
    the comments, their search documents, activity and source keys."""
    if not comments:
        return
    now = bound(utcnow())
    written = list(zip(comment_ids, comments, strict=True))
    send(insert_tuples, Comment, COMMENT_COLUMNS,
         [(comment_id, task_id, "note", None, (comment.author or agent.name)[:200],
           comment.body, bound(stored(comment.at)) or now)
          for comment_id, (_, task_id, comment) in written])
    send(search.index_many, search.COMMENT, [(comment_id, task_id, None, "", comment.body)
                                             for comment_id, (_, task_id, comment) in written])
    send(audit.record_many, "task", [(task_id, {"note": (None, comment.body[:PREVIEW])})
                                     for _, (_, task_id, comment) in written], agent, None,
         "comments.imported", {"source": source})
    send(keys.remember, source, "comment", [(key, comment_id, "", 1, keys.fingerprints({}))
                                            for comment_id, (key, _, _) in written])
