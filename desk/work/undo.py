"""Undoing the agent's last change (`u`): read back from the history, reverted through the
services.

A change is remembered as a `Step`: the span of the audit trail (desk.models.Activity ids)
its service call wrote, which `recorded` measures around the call. Only the agent's own rows
in that span belong to it (not another agent's, not an automation's). `undo` reads them back
and reverts them as a normal change: the task fields (status, priority, assignees, team,
tags, client, dates, snooze, title, description, estimate) through `tasks.update`, custom
fields through `custom_fields.set_value`, and a reply still in its undo window through
`take_back` (it is cancelled and its comment removed). Every task reverted gets one more
history row, field "undo", whose new value names the fields undone, at the version the
revert produced. A change to many tasks (a bulk verb) is undone in one transaction, all or
nothing: when someone changed one of its tasks since, nothing is undone and the error says
who changed what.

`Steps` is one app session's stack of steps, newest last; the app keeps one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from msgspec import Struct
from peewee import fn

from desk.errors import ConflictError, InvalidInput, NotFound
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_writer
from desk.models import Activity, Task, database
from desk.sla import Book
from desk.work import custom_fields, tasks

if TYPE_CHECKING:
    from desk.work import take_back

T = TypeVar("T")

UNDO = "undo"
"""The history field of the row that marks a revert as an undo."""
CUSTOM = "custom:"
"""The history field prefix of a custom field (desk.work.custom_fields)."""
LISTED = frozenset({"tags", "assignees"})
"""The task fields whose history value is a list written "a, b"."""
NUMBERS = frozenset({"client_id", "team_id", "estimate_minutes"})
MOMENTS = frozenset(tasks.MOMENTS)
KEPT = 20
"""How many steps a session remembers."""


class Step(Struct, frozen=True):
    """One change the agent made: the activity rows with ids in (`after`, `upto`]."""

    after: int
    upto: int


class Steps:
    """One app session's changes that `u` can undo, newest last (at most KEPT).

    Pushed from a worker thread and popped on the UI thread: a deque's append and pop are
    atomic."""

    def __init__(self) -> None:
        self._steps: deque[Step] = deque(maxlen=KEPT)

    def push(self, step: Step) -> None:
        """Remember a change."""
        self._steps.append(step)

    def pop(self) -> Step | None:
        """The newest change, forgotten; None when there is none."""
        return self._steps.pop() if self._steps else None

    def __len__(self) -> int:
        return len(self._steps)


class ChangedSince(ConflictError):
    """A task of the change was changed since (by `who`): nothing was undone."""

    def __init__(self, task_id: int, conflicts: dict[str, tuple[object, object]],
                 current_version: int, who: str) -> None:
        super().__init__("task", task_id, conflicts, current_version)
        self.who = who

    def __str__(self) -> str:
        fields = ", ".join(self.conflicts) or "a field"
        return f"#{self.entity_id} was changed by {self.who} since ({fields}); nothing was undone"


class Reverted(Struct, frozen=True):
    """What was undone on one task: (field, value it had, value it has again) per field."""

    task_id: int
    fields: tuple[tuple[str, str | None, str | None], ...]


class Undone(Struct, frozen=True):
    """What `undo` did: the tasks reverted and the replies taken back."""

    reverted: tuple[Reverted, ...] = ()
    replies: tuple[take_back.Held, ...] = ()


class _Edit(Struct):
    """One task's part of a step: the version it produced last (then the version it is
    reverted at) and, per field, the value before the step and after it."""

    version: int
    fields: dict[str, tuple[str | None, str | None]]


def latest() -> int:
    """The id of the newest activity row (0 when there is none)."""
    return Activity.select(fn.MAX(Activity.id)).scalar() or 0


def recorded(agent: AgentRef, call: Callable[[], T]) -> tuple[T, Step | None]:
    """Run a service call; returns its result and the step it wrote (None when it wrote
    nothing of the agent's, such as a change to nothing)."""
    before = latest()
    result = call()
    after = latest()
    mine = (Activity.select().where((Activity.id > before) & (Activity.id <= after)
                                    & (Activity.agent == agent.id)).exists())
    return result, Step(before, after) if mine else None


def undo(agent: AgentRef, step: Step, *, sla_rules: Book | None = None,
         now: datetime | None = None) -> Undone:
    """Revert `step` (see the module); InvalidInput when nothing of it can be undone (a note,
    a reply whose e-mail went out), ConflictError naming who changed a task since."""
    # Imported here: the task lists import this module at start, and taking a reply back
    # brings the comments and the outbox, which the first paint does not need.
    from desk.work import take_back

    require_writer(agent)
    with database.atomic():
        rows = list(Activity.select()
                    .where((Activity.id > step.after) & (Activity.id <= step.upto)
                           & (Activity.agent == agent.id) & (Activity.actor == agent.username)
                           & (Activity.entity == "task"))
                    .order_by(Activity.id))
        edits = _edits(rows)
        replied = {row.entity_id for row in rows if row.field == "reply" and row.version is None}
        if not edits and not replied:
            raise InvalidInput(f"your last change ({_what(rows)}) cannot be undone")
        for task_id, edit in edits.items():
            edit.version = _check_current(agent, task_id, edit)
        replies = tuple(_taken_back(take_back.take_back(agent), replied) for _ in replied)
        reverted = tuple(_revert(agent, task_id, edit, sla_rules, now)
                         for task_id, edit in sorted(edits.items()))
    return Undone(reverted, replies)


def _edits(rows: list[Activity]) -> dict[int, _Edit]:
    """The revertable field changes of `rows`, per task (the first old and last new value
    of each field)."""
    edits: dict[int, _Edit] = {}
    for row in rows:
        if row.version is None or not (row.field in tasks.EDITABLE
                                       or row.field.startswith(CUSTOM)):
            continue
        edit = edits.setdefault(row.entity_id, _Edit(row.version, {}))
        edit.version = max(edit.version, row.version)
        old = edit.fields.get(row.field, (row.old, None))[0]
        edit.fields[row.field] = (old, row.new)
    return edits


def _what(rows: list[Activity]) -> str:
    """What a step that cannot be undone was, in words: "note on #12"."""
    if not rows:
        return "nothing of it is left"
    return f"{rows[0].field.replace('_', ' ')} on #{rows[0].entity_id}"


def _check_current(agent: AgentRef, task_id: int, edit: _Edit) -> int:
    """The task's version now; ChangedSince when someone else changed it after the step, or
    when a field of the step no longer has the value the step left (changed again)."""
    version = Task.select(Task.version).where(Task.id == task_id).scalar()
    if version is None:
        raise NotFound(f"task {task_id} no longer exists; nothing was undone")
    since = list(Activity.select(Activity.field, Activity.actor, Activity.old, Activity.new)
                 .where((Activity.entity == "task") & (Activity.entity_id == task_id)
                        & (Activity.version > edit.version) & (Activity.field != UNDO))
                 .order_by(Activity.id).tuples())
    latest_new = {field: new for field, _, _, new in since}
    conflicts = {field: (new, old) for field, actor, old, new in since
                 if actor != agent.username
                 or (field in edit.fields and latest_new[field] != edit.fields[field][1])}
    if conflicts:
        who = [actor for field, actor, _, _ in since if field in conflicts]
        raise ChangedSince(task_id, conflicts, version, ", ".join(dict.fromkeys(who)))
    return version


def _taken_back(reply: take_back.Held, task_ids: set[int]) -> take_back.Held:
    """The reply just taken back (the agent's newest still held), which must be one of
    this step's (else InvalidInput, and the transaction rolls back)."""
    if reply.task_id not in task_ids:
        raise InvalidInput(f"your newest reply waiting to go out is on #{reply.task_id}, "
                           "not one of this change's; nothing was undone")
    return reply


def _revert(agent: AgentRef, task_id: int, edit: _Edit, sla_rules: Book | None,
            now: datetime | None) -> Reverted:
    """Put the fields of one task back as they were before the step, with the undo row."""
    wanted = {field: _value(field, old) for field, (old, _) in edit.fields.items()
              if not field.startswith(CUSTOM)}
    version = edit.version
    if wanted:
        version = tasks.update(agent, task_id, version, sla_rules=sla_rules, now=now,
                               **wanted).row.version
    for field, (old, _) in edit.fields.items():
        if field.startswith(CUSTOM):
            custom_fields.set_value(agent, task_id, version, field.removeprefix(CUSTOM), old)
            version = Task.select(Task.version).where(Task.id == task_id).scalar()
    names = ", ".join(edit.fields)
    audit.record("task", task_id, agent, {UNDO: (None, names)}, version, "task.undone",
                 {"fields": {field: [new, old] for field, (old, new) in edit.fields.items()}})
    return Reverted(task_id, tuple((field, new, old) for field, (old, new)
                                   in edit.fields.items()))


def _value(field: str, text: str | None) -> object:
    """A task field's value as `tasks.update` takes it, from its history text."""
    if field in LISTED:
        return tuple(text.split(", ")) if text else ()
    if text is None:
        return None
    if field in NUMBERS:
        return int(text)
    if field in MOMENTS:
        return datetime.fromisoformat(text)
    return text

