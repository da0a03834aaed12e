"""A task record made ready to write: its list, status and agents found (or shaped), and its
values checked by desk's own rules. What cannot be stored as it is is kept another way and
reported: a title over 500 characters is cut, and its whole text opens the description; a
tag with spaces gets hyphens; a custom value the field refuses is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from desk.clock import stored, utcnow
from desk.errors import InvalidInput
from desk.kernel.tags import MAX_LENGTH as TAG_LENGTH
from desk.transfer.plan import Plan
from desk.transfer.records import Place, Problem, TaskRecord
from desk.transfer.shaping import Shaper
from desk.vocabulary import DONE_CATEGORIES, PRIORITIES, PRIORITY_NAMES
from desk.work import custom_fields

TITLE_LENGTH = 500


@dataclass
class PreparedTask:
    """A record with the ids and checked values a task row needs."""

    record: TaskRecord
    digest: str
    list_id: int
    status_id: int
    status: str
    category: str
    title: str
    description: str
    priority: int
    tags: tuple[str, ...]
    assignees: tuple[str, ...]
    closed_at: datetime | None
    values: dict[str, str] = field(default_factory=dict)
    """Custom values by field name, in canonical text."""
    field_ids: dict[str, int] = field(default_factory=dict)
    """The ids of those fields, by name."""

    def service_fields(self) -> dict[str, object]:
        """The task's values as `tasks.update` takes them, with custom values as
        "custom:NAME": what an update compares with the last import."""
        record = self.record
        found: dict[str, object] = {
            "title": self.title, "description": self.description,
            "priority": PRIORITY_NAMES[self.priority], "status": self.status,
            "due_at": stored(record.due_at), "start_at": stored(record.start_at),
            "estimate_minutes": record.estimate_minutes, "tags": self.tags,
            "assignees": self.assignees, "snoozed_until": stored(record.snoozed_until)}
        found.update({f"custom:{name}": value for name, value in self.values.items()})
        return found


def prepare(record: TaskRecord, shaper: Shaper, plan: Plan) -> PreparedTask:
    """Find or shape where the record goes and check its values (problems into `plan`)."""
    first = (record.status, record.category or "open") if record.status else None
    list_id = shaper.list_id(record.space, record.list, first)
    status_id, status, category = shaper.status(list_id, record.status, record.category)
    title, description = record.title.strip(), record.description
    if len(title) > TITLE_LENGTH:
        plan.problem(Problem(record.place, f"title of {len(title)} characters cut to "
                                           f"{TITLE_LENGTH}; the whole title opens the "
                                           "description"))
        description = f"{title}\n\n{description}" if description else title
        title = title[:TITLE_LENGTH - 1] + "…"
    closed = None
    if category in DONE_CATEGORIES:
        closed = stored(record.closed_at) or stored(record.created_at) or utcnow()
    prepared = PreparedTask(
        record=record, digest=record.digest(), list_id=list_id, status_id=status_id,
        status=status, category=category, title=title, description=description,
        priority=PRIORITIES.get(record.priority, PRIORITIES["none"]),
        tags=tags(record.tags), assignees=shaper.people(record.people), closed_at=closed)
    for name, (kind, value) in record.fields.items():
        row = shaper.field(list_id, name, kind)
        try:
            text = custom_fields.canonical(row, value)
        except InvalidInput as error:
            plan.problem(Problem(Place(record.place.file, record.place.row, name),
                                 f"{error}; left out"))
            continue
        if text is not None:
            prepared.values[row.name] = text
            prepared.field_ids[row.name] = row.id
    return prepared


def tags(names: tuple[str, ...]) -> tuple[str, ...]:
    """Tag names as desk keeps them: one word (spaces become hyphens), without a leading #,
    at most 100 characters, each once, sorted."""
    found = set()
    for name in names:
        word = "-".join(str(name).strip().lstrip("#").split())
        if word:
            found.add(word[:TAG_LENGTH])
    return tuple(sorted(found))
