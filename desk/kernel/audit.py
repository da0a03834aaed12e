"""The audit trail and the automation events, written inside the caller's transaction.

Every write passes through `record`, so it also announces the change to the other desks
(desk.kernel.changes). Inside `acting_as` (how automations run the services), every record
names the rule as its actor and gives its event the rule's depth.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, tzinfo
from decimal import Decimal

import msgspec
from peewee import JOIN

from desk.clock import to_local
from desk.db import insert_tuples
from desk.kernel.agent_ref import AgentRef
from desk.kernel.changes import announce
from desk.models import Activity, Agent, Event

CREATED_WITH = "created with"
"""The field of the one history row of a row created in bulk (`record_created`)."""
_CREATED_JSON = msgspec.json.Encoder()
"""What `record_created` writes with: several times faster than the json module's encoder."""

ACTIVITY_COLUMNS = ("agent", "actor", "entity", "entity_id", "field", "old", "new", "version",
                    "via")
"""The fields of an Activity row `record` gives, in the order it gives them (its `at` after
them when the change has a moment of its own)."""
EVENT_COLUMNS = ("kind", "entity", "entity_id", "agent", "data", "depth")
"""The same for an Event row."""

_acting: ContextVar[tuple[str, int] | None] = ContextVar("desk_audit_acting", default=None)


def as_text(value: object) -> str | None:
    """How a field value is written in the activity history."""
    kind = type(value)
    if value is None or kind is str:  # most values, first
        return value
    if kind is datetime:  # then the next most common, by their exact types (an import's)
        return value.isoformat(" ")
    if kind is int:
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def record(entity: str, entity_id: int, agent: AgentRef | None, changes: Mapping[str, tuple],
           version: int | None, event: str, data: Mapping[str, object] | None = None,
           *, actor: str | None = None, depth: int = 0, at: datetime | None = None,
           created: bool = False) -> None:
    """Write one Activity row per changed field and one Event row for the automations.

    `changes` maps a field to its (old, new) pair. Call inside the writing transaction so the
    change, its history and its event commit or roll back together. Inside `acting_as`, the
    actor and depth default to its own. `at` (naive UTC) is when the change happened, by
    default now: a service recording a past moment passes it on. The rows keep how the
    identity mode knew the agent (`AgentRef.via`). With `created` (a row created by an
    import), the new values go into one Activity row, as `record_created` writes it; the
    event is the same.
    """
    acting = _acting.get()
    if acting is not None:
        actor = actor or acting[0]
        depth = max(depth, acting[1])
    who = actor or (agent.username if agent else "system")
    agent_id = agent.id if agent else None
    via = (agent.via or None) if agent else None
    texts = {field: (as_text(old), as_text(new)) for field, (old, new) in changes.items()}
    rows = [(agent_id, who, entity, entity_id, field, old, new, version, via)
            for field, (old, new) in texts.items()]
    if created and rows:
        rows = [(*rows[0][:4], CREATED_WITH, None,
                 created_text({field: new for field, (_, new) in changes.items()}),
                 version, via)]
    moment = (at,) if at is not None else ()
    # written directly (desk.db.insert_tuples): peewee took four fifths of a change's
    # record to build these two small INSERTs
    insert_tuples(Activity, ACTIVITY_COLUMNS + (("at",) if moment else ()),
                  [row + moment for row in rows])
    payload: dict[str, object] = {"fields": {field: list(pair) for field, pair in texts.items()}}
    payload.update(data or {})
    _event(event, entity, entity_id, agent_id, payload, depth, at)
    announce()  # other desks reload their rows once this commits


def record_many(entity: str, changes: Iterable[tuple[int, Mapping[str, tuple]]],
                agent: AgentRef | None, version: int | None, event: str,
                data: Mapping[str, object] | None = None) -> None:
    """Write the Activity rows of many rows changed at once (an import) and one Event for
    all of them, whose data lists their ids ("ids"), inside the caller's transaction.

    `changes` are (row id, field -> (old, new) pairs) as `record` takes them; a row may come
    more than once (several notes added to one task).
    """
    changes = list(changes)
    _write_many(entity, [(entity_id, field, as_text(old), as_text(new))
                         for entity_id, fields in changes for field, (old, new) in fields.items()],
                [entity_id for entity_id, _ in changes], agent, version, event, data)


def record_created(entity: str, created: Iterable[tuple[int, str]], agent: AgentRef | None,
                   version: int | None, event: str,
                   data: Mapping[str, object] | None = None) -> None:
    """Like `record_many` for rows created in bulk (an import): one Activity row per created
    row, field CREATED_WITH, whose new value is the `created_text` of the fields it was
    created with; `history` shows them field by field, as `record` would have written them.
    Creating the row is the one change, so one row records it."""
    created = list(created)
    _write_many(entity, [(entity_id, CREATED_WITH, None, text) for entity_id, text in created],
                [entity_id for entity_id, _ in created], agent, version, event, data)


def created_text(fields: Mapping[str, object]) -> str:
    """The new value of a CREATED_WITH row: the fields (field -> value) as JSON, each value
    as `as_text` writes it."""
    return _CREATED_JSON.encode({field: value if type(value) is str else as_text(value)
                                 for field, value in fields.items()}).decode()


def _write_many(entity: str, rows: list[tuple[int, str, str | None, str | None]],
                ids: list[int], agent: AgentRef | None, version: int | None, event: str,
                data: Mapping[str, object] | None) -> None:
    """Insert Activity rows (row id, field, old, new) and one Event naming the `ids`."""
    acting = _acting.get()
    who = acting[0] if acting else (agent.username if agent else "system")
    agent_id = agent.id if agent else None
    insert_tuples(Activity, ACTIVITY_COLUMNS[:-1],  # a bulk change's rows keep no `via`
                  [(agent_id, who, entity, entity_id, field, old, new, version)
                   for entity_id, field, old, new in rows])
    if ids:
        _event(event, entity, ids[0], agent_id, {"ids": list(dict.fromkeys(ids)), **(data or {})},
               acting[1] if acting else 0)
    announce()


def _event(kind: str, entity: str, entity_id: int, agent_id: int | None,
           payload: Mapping[str, object], depth: int, at: datetime | None = None) -> None:
    """Insert the Event row of a change (its `data` the JSON of `payload`), at `at` or now."""
    moment = (at,) if at is not None else ()
    insert_tuples(Event, EVENT_COLUMNS + (("at",) if moment else ()),
                  [(kind, entity, entity_id, agent_id, json.dumps(payload), depth, *moment)])


@contextmanager
def acting_as(actor: str, depth: int) -> Iterator[None]:
    """Within the block (in this thread or task), the changes the services record are by
    `actor` (e.g. "rule:invoice a fulfilled order") and their events have `depth`: how the
    automations make their own changes through the ordinary services."""
    token = _acting.set((actor, depth))
    try:
        yield
    finally:
        _acting.reset(token)


def saved_by(entity: str, entity_id: int, version: int, fields: Iterable[str],
             zone: tzinfo) -> dict[str, str]:
    """Who last saved each of `fields` after `version`, as "who at YYYY-MM-DD HH:MM" in
    `zone`: for a conflict dialog. Fields the history does not mention are left out."""
    changes = (Activity.select(Activity.field, Activity.actor, Activity.at)
               .where((Activity.entity == entity) & (Activity.entity_id == entity_id)
                      & (Activity.version > version) & Activity.field.in_(list(fields)))
               .order_by(Activity.id).tuples())
    return {field: f"{actor} at {to_local(at, zone):%Y-%m-%d %H:%M}"
            for field, actor, at in changes}


def changed_since(entity: str, entity_id: int, version: int) -> set[str]:
    """The fields of a row changed by saves that produced versions after `version`."""
    query = (Activity.select(Activity.field)
             .where((Activity.entity == entity) & (Activity.entity_id == entity_id)
                    & (Activity.version > version)))
    return {field for (field,) in query.tuples()}


def history(entity: str, entity_id: int, limit: int = 200) -> list[dict]:
    """The newest activity of one row, newest first, as plain dicts: `actor` is who the row
    names (a username, "rule:NAME", "system"), `by` how people are shown it (the display
    name, as it is now, of the agent who acted themself; else the actor). A row created in
    bulk (`record_created`) gives an entry per field it was created with, as `record` would
    have written them (old None), the first field last."""
    query = (Activity.select(Activity.at, Activity.actor, Activity.field, Activity.old,
                             Activity.new, Agent.username, Agent.name)
             .join(Agent, JOIN.LEFT_OUTER, on=Activity.agent == Agent.id)
             .where((Activity.entity == entity) & (Activity.entity_id == entity_id))
             .order_by(Activity.id.desc()).limit(limit))
    entries = []
    for at, actor, field, old, new, username, name in query.tuples():
        by = name if actor == username and name else actor
        for shown, before, after in _fields_of(field, old, new):
            entries.append({"at": at, "actor": actor, "by": by, "field": shown,
                            "old": before, "new": after})
    return entries


def _fields_of(field: str, old: str | None, new: str | None) -> list[tuple]:
    """The (field, old, new) changes one Activity row records: itself, or for a
    CREATED_WITH row each field it holds, newest (last written) first."""
    if field != CREATED_WITH:
        return [(field, old, new)]
    try:
        fields = json.loads(new or "{}")
    except ValueError:
        return [(field, old, new)]
    if not isinstance(fields, dict):
        return [(field, old, new)]
    return [(name, None, value) for name, value in reversed(fields.items())]
