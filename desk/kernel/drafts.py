"""Drafts: the text an agent has typed into an editor and not saved yet, kept in the database
as they type, so that a dropped connection (an SSH session that dies, a closed terminal)
loses nothing and the next start offers it back.

A draft belongs to one agent and one editor: a reply or an internal note on a task, a
task's description, a client's notes (`desk.vocabulary.DRAFT_KINDS`), one per agent, kind
and task or client. Nobody else reads it: every call takes the acting agent and touches
only their rows. Keeping a draft is not a change of the task or client, so it writes no
history row and names no version (the agent is the only writer of their drafts, and the
newest text wins). Exports never include drafts.

`save` and `discard` write, so they follow the session rules of every write: the agent's
role is read from the database first (a viewer or a disabled agent is refused), and the text
must be storable (`desk.kernel.inputs.storable_text`). `load` and `listing` read the agent's
own drafts, as long as they are still an agent of this desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desk.clock import stored, utcnow
from desk.errors import InvalidInput
from desk.kernel.agents import AgentRef, require_writer, standing
from desk.kernel.inputs import storable_text
from desk.models import Client, Draft, Task, database
from desk.vocabulary import DRAFT_KINDS

KIND_WORDS = {"reply": "reply", "note": "internal note", "description": "description",
              "client_notes": "client notes"}
"""How each kind of draft is named to people."""


@dataclass(frozen=True)
class DraftRow:
    """One draft: what it is for, its text, when it was last kept (naive UTC), and where it
    belongs in words ("#12 Printer jams", or the client's name; in listings only)."""

    kind: str
    entity_id: int
    text: str
    updated_at: datetime
    where: str = ""

    @property
    def on_client(self) -> bool:
        """Whether the draft belongs to a client (else to a task)."""
        return self.kind == "client_notes"


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
    """The agent's drafts, newest first, each with where it belongs. A draft whose task or
    client no longer exists is left out (there is nothing left to save it to)."""
    standing(agent)
    drafts = list(Draft.select().where(Draft.agent == agent.id)
                  .order_by(Draft.updated_at.desc(), Draft.id.desc()))
    task_ids = {draft.entity_id for draft in drafts if draft.kind != "client_notes"}
    client_ids = {draft.entity_id for draft in drafts if draft.kind == "client_notes"}
    titles = dict(Task.select(Task.id, Task.title).where(Task.id.in_(task_ids)).tuples())
    names = dict(Client.select(Client.id, Client.name).where(Client.id.in_(client_ids))
                 .tuples())
    rows = []
    for draft in drafts:
        on_client = draft.kind == "client_notes"
        found = (names if on_client else titles).get(draft.entity_id)
        if found is None:
            continue
        where = found if on_client else f"#{draft.entity_id} {found}"
        rows.append(DraftRow(draft.kind, draft.entity_id, draft.text, draft.updated_at, where))
    return rows
