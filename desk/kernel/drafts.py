"""Drafts: the text an agent has typed into an editor and not saved yet, kept in the database
as they type, so that a dropped connection (an SSH session that dies, a closed terminal)
loses nothing and the next start offers it back.

A draft belongs to one agent and one editor: a reply or an internal note on a task, a
task's description, a client's notes, a checklist template's items
(`desk.vocabulary.DRAFT_KINDS`), one per agent, kind and task, client or template. Nobody
else reads it: every call takes the acting agent and touches only their rows. Keeping a
draft is not a change of anything, so it writes no history row and names no version (the
agent is the only writer of their drafts, and the newest text wins). Exports never include
drafts.

`save` and `discard` write, so they follow the session rules of every write: the agent's
role is read from the database first (a viewer or a disabled agent is refused), and the text
must be storable (`desk.kernel.inputs.storable_text`). `load` and `listing` read the agent's
own drafts, as long as they are still an agent of this desk.
"""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from desk.clock import stored, utcnow
from desk.errors import InvalidInput
from desk.kernel.agents import AgentRef, require_writer, standing
from desk.kernel.inputs import storable_text
from desk.models import ChecklistTemplate, Client, Draft, Task, database
from desk.vocabulary import DRAFT_KINDS

KIND_WORDS = {"reply": "reply", "note": "internal note", "description": "description",
              "client_notes": "client notes", "template": "checklist items"}
"""How each kind of draft is named to people."""

NAMED = {"client_notes": (Client, Client.name),
         "template": (ChecklistTemplate, ChecklistTemplate.name)}
"""The kinds of draft that belong to a named record (the others belong to a task)."""


class DraftRow(Struct, frozen=True):
    """One draft: what it is for, its text, when it was last kept (naive UTC), and where it
    belongs in words ("#12 Printer jams", or the client's or template's name; in listings
    only)."""

    kind: str
    entity_id: int
    text: str
    updated_at: datetime
    where: str = ""


def _kind(kind: str) -> str:
    """`kind`, or InvalidInput naming the kinds there are."""
    if kind not in DRAFT_KINDS:
        raise InvalidInput(f"a draft is for one of {', '.join(DRAFT_KINDS)}, not {kind!r}")
    return kind


def _mine(agent: AgentRef, kind: str, entity_id: int):
    """The condition that picks the agent's one draft of `kind` on `entity_id`."""
    return ((Draft.agent == agent.id) & (Draft.kind == _kind(kind))
            & (Draft.entity_id == entity_id))


def save(agent: AgentRef, kind: str, entity_id: int, text: str, *,
         now: datetime | None = None) -> DraftRow:
    """Keep `text` as the agent's draft of `kind` on task or client `entity_id`, replacing
    the one kept before. Refused for a viewer and for text no database stores."""
    text = storable_text(text, f"a draft {KIND_WORDS.get(kind, 'text')}")
    moment = stored(now) or utcnow()
    with database.atomic():
        require_writer(agent)
        (Draft.insert(agent=agent.id, kind=_kind(kind), entity_id=entity_id, text=text,
                      updated_at=moment)
         .on_conflict(conflict_target=[Draft.agent, Draft.kind, Draft.entity_id],
                      update={Draft.text: text, Draft.updated_at: moment})
         .execute())
    return DraftRow(kind, entity_id, text, moment)


def load(agent: AgentRef, kind: str, entity_id: int) -> DraftRow | None:
    """The agent's draft of `kind` on `entity_id`, or None."""
    standing(agent)
    row = Draft.get_or_none(_mine(agent, kind, entity_id))
    return None if row is None else DraftRow(row.kind, row.entity_id, row.text,
                                              row.updated_at)


def discard(agent: AgentRef, kind: str, entity_id: int) -> bool:
    """Delete the agent's draft of `kind` on `entity_id` (the text was saved, or thrown
    away); whether there was one."""
    with database.atomic():
        require_writer(agent)
        return bool(Draft.delete().where(_mine(agent, kind, entity_id)).execute())


def listing(agent: AgentRef) -> list[DraftRow]:
    """The agent's drafts, newest first, each with where it belongs. A draft whose task,
    client or template no longer exists is left out (there is nothing left to save it to)."""
    standing(agent)
    drafts = list(Draft.select().where(Draft.agent == agent.id)
                  .order_by(Draft.updated_at.desc(), Draft.id.desc()))
    ids = {kind: {draft.entity_id for draft in drafts if draft.kind == kind}
           for kind in DRAFT_KINDS}
    task_ids = set().union(*(ids[kind] for kind in DRAFT_KINDS if kind not in NAMED))
    titles = {task_id: f"#{task_id} {title}" for task_id, title
              in Task.select(Task.id, Task.title).where(Task.id.in_(task_ids)).tuples()}
    places = {kind: titles for kind in DRAFT_KINDS if kind not in NAMED}
    for kind, (model, name) in NAMED.items():
        places[kind] = dict(model.select(model.id, name).where(model.id.in_(ids[kind]))
                            .tuples())
    return [DraftRow(draft.kind, draft.entity_id, draft.text, draft.updated_at,
                     places[draft.kind][draft.entity_id])
            for draft in drafts if draft.entity_id in places[draft.kind]]
