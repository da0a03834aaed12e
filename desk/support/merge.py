"""Merging support queries: one conversation that arrived as several queries becomes one.

`merge(agent, keep_id, other_ids)` moves everything the other queries hold to the kept one,
in one transaction: their comments (the requester's messages, replies, notes), attachments,
interactions, the e-mails taken in for them (so that an answer to any of those threads to
the kept query) and their outbox mail; the text each other query opened with (its
description) becomes a message on the kept query, headed by where it came from. A kept
query that waited on the requester waits on us again when a merged one did. The others are
then closed (the first status of their list in the "closed" category, else "done": closing
is not resolving, so no satisfaction survey goes out) with an internal note "merged into
#ID". Every change is recorded (activity rows and events), and the kept query gets one
`task.merged` event naming the merged queries.

`candidates` and `find` give what the TUI offers: the queries named (oldest first, the one
kept by default) and open queries matching a few typed words.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from msgspec import Struct
from peewee import JOIN, fn

from desk.dialect import locking
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit, confidential, search
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import storable_text, typed_id
from desk.models import (
    Attachment,
    Comment,
    Interaction,
    MailMessage,
    Outbox,
    QueryData,
    Status,
    Task,
    database,
)
from desk.sla import Book
from desk.support.intake import add_message, wait_on_us
from desk.work import comments, tasks

CLOSING_CATEGORIES = ("closed", "done")
"""The categories a merged query's status is taken from, in order of preference."""
MOVED = (("attachments", Attachment.task), ("interactions", Interaction.task),
         ("mails", MailMessage.task), ("outbox", Outbox.task))
"""What moves to the kept query besides the comments: (name in `Merged.moved`, column)."""
WORDS = {"comments": "comment", "attachments": "attachment", "interactions": "interaction",
         "mails": "e-mail taken in", "outbox": "outgoing e-mail"}
"""How `Merged.summary` names one of each thing moved (an s is added for more)."""
FIND_LIMIT = 20
"""How many open queries `find` returns."""


class Candidate(Struct, frozen=True):
    """A query that can be merged: id, title, requester, when it came, whether it is done."""

    id: int
    title: str
    requester: str
    created_at: datetime
    done: bool


class Merged(Struct, frozen=True):
    """What a merge did: the kept query, the queries merged into it, and how many of their
    comments, attachments, interactions, e-mails and outbox messages moved."""

    keep_id: int
    merged: tuple[int, ...]
    moved: dict[str, int]

    def summary(self) -> str:
        """What moved, in words: "2 comments, 1 attachment" ("nothing else" for nothing)."""
        parts = []
        for name, count in self.moved.items():
            if count:
                word = WORDS[name]
                plural = word.replace("e-mail", "e-mails") if "e-mail" in word else word + "s"
                parts.append(f"{count} {word if count == 1 else plural}")
        return ", ".join(parts) or "nothing else"


def _candidates(query, viewer: AgentRef | None) -> list[Candidate]:
    """Candidates from a SELECT of tasks (joined here with their query data), as `viewer`
    may see them: the requester of a confidential client's query may be hidden
    (desk.kernel.confidential)."""
    rows = (query.select(Task.id, Task.title, QueryData.requester_name,
                         QueryData.requester_email, Task.created_at, Task.closed_at, Task.kind)
            .join_from(Task, QueryData, JOIN.LEFT_OUTER, on=QueryData.task == Task.id).tuples())
    rows = list(rows)
    masks = confidential.task_masks(viewer, [row[0] for row in rows])
    found = []
    for task_id, title, name, email, created_at, closed_at, kind in rows:
        if kind != "query":
            raise InvalidInput(f"task {task_id} is not a support query; only queries merge")
        requester = name or email or ""
        if task_id in masks:
            requester = masks[task_id].value(requester)
        found.append(Candidate(task_id, title, requester, created_at, closed_at is not None))
    return found


def candidates(task_ids: Iterable[int], viewer: AgentRef | None = None) -> list[Candidate]:
    """The queries `task_ids`, oldest first (the one a merge keeps unless told otherwise), as
    `viewer` may see them (nobody's for None). NotFound for a missing task, InvalidInput for
    a task that is not a query."""
    ids = sorted(set(task_ids))
    found = _candidates(Task.select().where(Task.id.in_(ids))
                        .order_by(Task.created_at, Task.id), viewer)
    missing = sorted(set(ids) - {candidate.id for candidate in found})
    if missing:
        raise NotFound(f"no task {missing[0]}")
    return found


def find(text: str, exclude: Iterable[int] = (), limit: int = FIND_LIMIT,
         viewer: AgentRef | None = None) -> list[Candidate]:
    """Open queries whose title contains `text` (or whose id it is), newest first, leaving
    out `exclude`, as `viewer` may see them (nobody's for None)."""
    text = storable_text(str(text).strip().lstrip("#"), "a search")
    if len(text) > tasks.TITLE_LIMIT:  # longer than any title: nothing contains it
        return []
    condition = fn.LOWER(Task.title).contains(text.lower())
    if (task_id := typed_id(text)) is not None:
        condition |= Task.id == task_id
    query = (Task.select().where((Task.kind == "query") & Task.closed_at.is_null()
                                 & Task.id.not_in(list(exclude)) & condition)
             .order_by(Task.id.desc()).limit(limit))
    return _candidates(query, viewer)


def merge(agent: AgentRef, keep_id: int, other_ids: Iterable[int], *,
          sla_rules: Book | None = None) -> Merged:
    """Merge the queries `other_ids` into the query `keep_id`, all in one transaction (see
    the module's docstring). The kept query must not be done; the others may be. When it
    then waits on us, `sla_rules` give back the time it waited on the customer."""
    require_writer(agent)
    others = sorted(set(other_ids))
    if keep_id in others:
        raise InvalidInput(f"query {keep_id} cannot be merged into itself")
    if not others:
        raise InvalidInput("name at least one other query to merge")
    with database.atomic():
        rows = {task.id: task for task in locking(
            Task.select().where(Task.id.in_([keep_id, *others])))}
        for task_id in [keep_id, *others]:
            if task_id not in rows:
                raise NotFound(f"no task {task_id}")
            if rows[task_id].kind != "query":
                raise InvalidInput(f"task {task_id} is not a support query; only queries merge")
        if rows[keep_id].closed_at is not None:
            raise InvalidInput(f"query {keep_id} is done: keep an open query, or reopen it first")
        moved = {"comments": 0, **{name: 0 for name, _ in MOVED}}
        for other in others:
            _take_over(agent, rows[other], keep_id, moved)
        _wait_on_us_if_any(agent, keep_id, others, sla_rules)
        for other in others:
            _close(agent, rows[other], keep_id)
        audit.record("task", keep_id, agent,
                     {"merged": (None, ", ".join(f"#{other}" for other in others))}, None,
                     "task.merged", {"task_id": keep_id, "merged": others, "moved": moved})
    return Merged(keep_id, tuple(others), moved)


def _take_over(agent: AgentRef, other: Task, keep_id: int, moved: dict[str, int]) -> None:
    """Move what query `other` holds to `keep_id`, and its opening text as a message."""
    data = QueryData.get_or_none(QueryData.task == other.id)
    requester = (data.requester_name or data.requester_email) if data else ""
    heading = f"[merged from #{other.id}: {other.title}]"
    add_message(agent, keep_id, "message", requester or "requester",
                "\n\n".join(part for part in (heading, other.description.strip()) if part),
                None, other.created_at)
    bodies = list(Comment.select(Comment.id, Comment.body).where(Comment.task == other.id)
                  .tuples())
    Comment.update(task=keep_id).where(Comment.task == other.id).execute()
    for comment_id, body in bodies:
        search.index(search.COMMENT, comment_id, keep_id, None, "", body)
    moved["comments"] += len(bodies)
    for name, column in MOVED:
        moved[name] += (column.model.update({column: keep_id})
                        .where(column == other.id).execute())


def _wait_on_us_if_any(agent: AgentRef, keep_id: int, others: list[int],
                       sla_rules: Book | None) -> None:
    """The kept query waits on us when any merged query did (a message is unanswered)."""
    waiting = QueryData.select().where(QueryData.task.in_(others)
                                       & (QueryData.waiting_on == "us")).exists()
    if waiting:
        wait_on_us(agent, keep_id, sla_rules=sla_rules)


def _close(agent: AgentRef, other: Task, keep_id: int) -> None:
    """Close a merged query (unless it is done already) and note where it went."""
    if other.closed_at is None:
        tasks.update(agent, other.id, other.version, status=closing_status(other.task_list_id))
    comments.note(agent, other.id, f"merged into #{keep_id}")


def closing_status(list_id: int) -> str:
    """The status a merged query of list `list_id` takes: the list's first status in the
    "closed" category, else its first "done" one."""
    for category in CLOSING_CATEGORIES:
        name = (Status.select(Status.name)
                .where((Status.task_list == list_id) & (Status.category == category))
                .order_by(Status.position, Status.id).scalar())
        if name is not None:
            return name
    raise InvalidInput(f"list {list_id} has no closed or done status to close a merged query")
