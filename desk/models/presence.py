"""Who has a task open right now: one row per app instance and task (desk.kernel.presence)."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField

from desk.models.base import BaseModel, one_of
from desk.models.people import Agent
from desk.models.tasks import Task
from desk.vocabulary import PRESENCE_STATES


class Presence(BaseModel):
    """An agent's app has `task` open: viewing it, or writing a reply (`state`).

    `instance` names the running app (a random id made at its start), so one agent with two
    terminals has two rows and closing one clears only its own. `heartbeat_at` (naive UTC)
    is renewed while the task stays open; a row not renewed for a while belongs to an app
    that stopped without clearing it (a crash, a dropped connection) and counts as gone.
    Presence is not a change of anything: no history, no version.
    """

    agent = ForeignKeyField(Agent, on_delete="CASCADE")
    task = ForeignKeyField(Task, on_delete="CASCADE")
    state = CharField(max_length=8, constraints=[one_of("state", PRESENCE_STATES)])
    instance = CharField(max_length=32)
    heartbeat_at = DateTimeField()

    class Meta:
        indexes = ((("instance", "task"), True), (("task",), False), (("agent",), False))
