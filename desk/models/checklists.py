"""Checklists on tasks and the reusable templates they are made from; items nest."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from desk.models.base import BaseModel
from desk.models.people import Agent
from desk.models.tasks import Task, TaskList


class ChecklistTemplate(BaseModel):
    """A named, reusable checklist; applied to new tasks of a list or orders of a product."""

    name = CharField(unique=True, max_length=200)
    task_list = ForeignKeyField(TaskList, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)


class ChecklistTemplateItem(BaseModel):
    """An item of a checklist template; items nest through `parent`."""

    template = ForeignKeyField(ChecklistTemplate, backref="items", on_delete="CASCADE", index=False)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="CASCADE")
    text = CharField(max_length=500)
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("template", "position"), False),)


class Checklist(BaseModel):
    """A checklist on a task."""

    task = ForeignKeyField(Task, backref="checklists", on_delete="CASCADE", index=False)
    name = CharField(max_length=200)
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("task", "position"), False),)


class ChecklistItem(BaseModel):
    """An item of a checklist; items nest through `parent`."""

    checklist = ForeignKeyField(Checklist, backref="items", on_delete="CASCADE", index=False)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="CASCADE")
    text = CharField(max_length=500)
    done = BooleanField(default=False)
    position = IntegerField(default=0)
    done_at = DateTimeField(null=True)
    done_by = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("checklist", "position"), False),)
