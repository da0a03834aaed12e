"""The workspace: spaces, lists with their statuses, tasks (with their partial indexes),
their assignees, tags and custom fields."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    Check,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from desk.clock import utcnow
from desk.models.base import BaseModel, one_of
from desk.models.clients import Client, Tag
from desk.models.people import Agent, Team
from desk.vocabulary import CATEGORIES, FIELD_KINDS, TASK_KINDS


class Space(BaseModel):
    """The top of the workspace: a space holds lists."""

    name = CharField(unique=True, max_length=200)
    position = IntegerField(default=0)
    archived_at = DateTimeField(null=True)  # hidden from the sidebar and default listings
    version = IntegerField(default=1)


class TaskList(BaseModel):
    """A list of tasks inside a space, with its own ordered statuses."""

    space = ForeignKeyField(Space, backref="lists", on_delete="RESTRICT", index=False)
    name = CharField(max_length=200)
    position = IntegerField(default=0)
    archived_at = DateTimeField(null=True)  # hidden from the sidebar and default listings
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("space", "name"), True),)


class Status(BaseModel):
    """One status of a list, in display order, belonging to a category."""

    task_list = ForeignKeyField(TaskList, backref="statuses", on_delete="CASCADE", index=False)
    name = CharField(max_length=100)
    category = CharField(max_length=8, constraints=[one_of("category", CATEGORIES)])
    position = IntegerField(default=0)
    colour = CharField(max_length=7, default="")  # "#rrggbb", or "" for the category's own
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("task_list", "name"), True), (("task_list", "position"), False))


class Task(BaseModel):
    """A task, order or support query on a list; subtasks point at their parent.

    `category` copies the status's category and `closed_at` is set while the task is done or
    closed, so that the "not done" views have a partial index (`closed_at IS NULL`).
    """

    task_list = ForeignKeyField(TaskList, backref="tasks", on_delete="RESTRICT")
    status = ForeignKeyField(Status, on_delete="RESTRICT")
    category = CharField(max_length=8, constraints=[one_of("category", CATEGORIES)])
    parent = ForeignKeyField("self", null=True, backref="subtasks", on_delete="CASCADE",
                             index=False)
    kind = CharField(max_length=8, default="task", constraints=[one_of("kind", TASK_KINDS)])
    title = CharField(max_length=500)
    description = TextField(default="")
    priority = SmallIntegerField(default=3, constraints=[Check("priority BETWEEN 1 AND 5")])
    team = ForeignKeyField(Team, null=True, on_delete="SET NULL")
    client = ForeignKeyField(Client, null=True, backref="tasks", on_delete="SET NULL", index=False)
    start_at = DateTimeField(null=True)
    due_at = DateTimeField(null=True)
    estimate_minutes = IntegerField(null=True)
    position = IntegerField(default=0)
    created_by = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    closed_at = DateTimeField(null=True)
    snoozed_until = DateTimeField(null=True)
    version = IntegerField(default=1)
    inbox_at = DateTimeField(null=True)
    """When the task enters the inbox while not done (None: never). Kept by the database's
    triggers (migration 0023): see desk.support.triage. An import gives a new row the moment
    they would, which saves them writing it again (0032, desk.support.inbox_entry)."""
    urgency_rank = FloatField(null=True)
    """The urgency score negated, as of the latest rescore (desk.support.urgency_store);
    1e300 (the database's default: ranked last) until the task is first scored."""
    urgency_until = DateTimeField(null=True)
    """Until when `urgency_rank` holds (None: until a write; migration 0029's triggers make
    it the start of time on a write that changes the score)."""

    class Meta:
        indexes = (
            (("task_list", "position", "id"), False),
            (("category", "priority", "id"), False),
            (("client", "priority", "id"), False),
            (("client", "kind"), False),  # a client's queries or orders (the portal)
            (("parent", "position", "id"), False),
            (("status",), False),
        )


# Partial indexes for the default "not done" views; the migration creates them by name.
Task.add_index(
    Task.index(Task.priority, Task.id, name="task_open_by_priority").where(
        Task.closed_at.is_null()
    )
)
Task.add_index(
    Task.index(Task.task_list, Task.position, Task.id, name="task_open_by_list").where(
        Task.closed_at.is_null()
    )
)
Task.add_index(
    Task.index(Task.kind, Task.priority, Task.id, name="task_open_by_kind").where(
        Task.closed_at.is_null()
    )
)
Task.add_index(
    Task.index(Task.due_at, Task.id, name="task_open_by_due").where(Task.closed_at.is_null())
)
Task.add_index(
    Task.index(Task.updated_at, Task.id, name="task_open_by_updated").where(
        Task.closed_at.is_null()
    )
)
Task.add_index(
    Task.index(Task.priority, Task.id, name="task_done_by_priority").where(
        Task.closed_at.is_null(False)
    )
)
Task.add_index(
    Task.index(Task.team, Task.due_at, Task.closed_at, name="task_open_by_team").where(
        Task.closed_at.is_null()
    )
)
Task.add_index(
    Task.index(Task.team, Task.priority, Task.id, Task.closed_at,
               name="task_open_by_team_priority").where(Task.closed_at.is_null())
)


class TaskAssignee(BaseModel):
    """An agent assigned to a task."""

    task = ForeignKeyField(Task, backref="assignee_links", on_delete="CASCADE", index=False)
    agent = ForeignKeyField(Agent, on_delete="CASCADE", index=False)
    task_open = BooleanField(default=False)
    task_due_at = DateTimeField(null=True)
    """Copies of the task's openness and due time, kept by the database's triggers
    (migration 0023) for the workload's counts per agent. An import gives a new row those
    values, which saves the trigger writing it again (0032)."""

    class Meta:
        indexes = ((("task", "agent"), True), (("agent", "task"), False))


class TaskTag(BaseModel):
    """A tag on a task."""

    task = ForeignKeyField(Task, backref="tag_links", on_delete="CASCADE", index=False)
    tag = ForeignKeyField(Tag, on_delete="CASCADE", index=False)

    class Meta:
        indexes = ((("task", "tag"), True), (("tag", "task"), False))


class CustomField(BaseModel):
    """A field defined on a list (dropdown, number, text, date, money or checkbox)."""

    task_list = ForeignKeyField(TaskList, backref="custom_fields", on_delete="CASCADE", index=False)
    name = CharField(max_length=100)
    kind = CharField(max_length=10, constraints=[one_of("kind", FIELD_KINDS)])
    options = TextField(default="[]")  # JSON list of the dropdown's choices
    position = IntegerField(default=0)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("task_list", "name"), True),)


class CustomValue(BaseModel):
    """The value of a custom field on one task, stored as canonical text."""

    task = ForeignKeyField(Task, backref="custom_values", on_delete="CASCADE", index=False)
    field = ForeignKeyField(CustomField, on_delete="CASCADE", index=False)
    value = TextField()

    class Meta:
        indexes = ((("task", "field"), True), (("field", "value"), False))
Task.add_index(
    Task.index(Task.inbox_at, Task.task_list, Task.closed_at, name="task_open_inbox").where(
        Task.closed_at.is_null()
    )
)
Task.add_index(
    Task.index(Task.urgency_rank, Task.id, Task.inbox_at, Task.closed_at,
               name="task_open_urgency").where(Task.closed_at.is_null()
                                               & Task.inbox_at.is_null(False))
)
TaskAssignee.add_index(
    TaskAssignee.index(TaskAssignee.agent, TaskAssignee.task_open, TaskAssignee.task_due_at,
                       name="task_assignee_open")
)
