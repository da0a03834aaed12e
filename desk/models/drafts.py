"""What agents are writing and have not saved yet: one draft per agent and editor."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from desk.clock import utcnow
from desk.models.base import BaseModel, one_of
from desk.models.people import Agent
from desk.vocabulary import DRAFT_KINDS


class Draft(BaseModel):
    """The text an agent has typed into an editor and not saved yet (desk.kernel.drafts).

    `kind` says which editor (a reply, an internal note, a task's description, a client's
    notes, a checklist template's items) and `entity_id` on what (the task, client or
    template). Private to its agent, kept as they type, so a dropped connection loses
    nothing; deleted once the text is saved or discarded. Drafts are not changes of
    anything: they have no history and no version.
    """

    agent = ForeignKeyField(Agent, backref="drafts", on_delete="CASCADE", index=False)
    kind = CharField(max_length=16, constraints=[one_of("kind", DRAFT_KINDS)])
    entity_id = IntegerField()
    text = TextField()
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("agent", "kind", "entity_id"), True),)
