"""A task record made ready to write: its list, status and agents found (or shaped), and its
values checked by desk's own rules. What cannot be stored as it is is kept another way and
reported: a title over 500 characters is cut, and its whole text opens the description; a
tag with spaces gets hyphens; a custom value the field refuses is left out.
"""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct, field

from desk.clock import stored, utcnow
from desk.dialect import bound
from desk.errors import InvalidInput
from desk.kernel import audit
from desk.kernel.tags import MAX_LENGTH as TAG_LENGTH
from desk.support.inbox_entry import inbox_moment
from desk.transfer import keys
from desk.transfer.plan import Plan
from desk.transfer.records import Place, Problem, TaskRecord
from desk.transfer.shaping import Shaper
from desk.vocabulary import DONE_CATEGORIES, PRIORITIES, PRIORITY_NAMES
from desk.work import custom_fields

TITLE_LENGTH = 500
CREATED_FIELDS = ("status", "title", "description", "priority", "due_at", "start_at",
                  "estimate_minutes", "tags", "assignees", "parent_id", "snoozed_until")
"""The fields an imported task's history row holds after its source, in this order."""


class PreparedTask(Struct):
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
    texts: dict[str, object] = field(default_factory=dict)
    """Its `service_fields` as its source key and history keep them: times as their text
    (`finish`)."""
    given_text: str = ""
    """Their `keys.fingerprints`, as the task's source key keeps them."""
    created_text: str = ""
    """Its history row's text (`audit.created_text`) when it is written without a parent."""
    moments: tuple = ()
    """Its start, due, created, closed and snoozed times and its inbox moment, as the
    driver binds them (created None when the record has none)."""

    def service_fields(self, *, times_as_text: bool = False) -> dict[str, object]:
        """The task's values as `tasks.update` takes them, with custom values as
        "custom:NAME": what an update compares with the last import. With `times_as_text`,
        its times as their text: a stored time's text is its source-key fingerprint and its
        history value (desk.kernel.audit.as_text)."""
        record = self.record
        due, start, snoozed = (stored(record.due_at), stored(record.start_at),
                               stored(record.snoozed_until))
        if times_as_text:
            due, start, snoozed = (None if moment is None else moment.isoformat(" ")
                                   for moment in (due, start, snoozed))
        found: dict[str, object] = {
            "title": self.title, "description": self.description,
            "priority": PRIORITY_NAMES[self.priority], "status": self.status,
            "due_at": due, "start_at": start,
            "estimate_minutes": record.estimate_minutes, "tags": self.tags,
            "assignees": self.assignees, "snoozed_until": snoozed}
        found.update({f"custom:{name}": value for name, value in self.values.items()})
        return found

    def finish(self, source: str) -> None:
        """Work out what the task's rows hold besides its ids: `texts`, `given_text`,
        `created_text` and `moments` (while the chunk before is written:
        desk.transfer.chunk_writes)."""
        record = self.record
        self.texts = self.service_fields(times_as_text=True)
        self.given_text = keys.fingerprints(self.texts)
        self.created_text = self.history_text(source, None)
        due, snoozed = stored(record.due_at), stored(record.snoozed_until)
        # held by nobody yet: its assignees are written after it, and their trigger moves
        # the moment as they come
        moment = bound(inbox_moment("task", self.category, False, due, snoozed))
        self.moments = (bound(stored(record.start_at)), bound(due),
                        bound(stored(record.created_at)), bound(self.closed_at),
                        bound(snoozed), moment)

    def history_text(self, source: str, parent_id: int | None) -> str:
        """The text of the task's one history row (desk.kernel.audit.record_created): the
        fields it was created with but its custom values, with where it came from and its
        parent."""
        record, texts = self.record, self.texts
        fields = {"source": f"{source} {record.source_id} ({record.place})"}
        for name in CREATED_FIELDS:
            value = texts[name] if name != "parent_id" else parent_id
            if value is not None and value != "" and value != ():
                fields[name] = value
        return audit.created_text(fields)


def prepare(source: str, record: TaskRecord, shaper: Shaper, plan: Plan) -> PreparedTask:
    """Find or shape where the record goes and check its values (problems into `plan`);
    in a real run, the task of an import from `source`, `finish`ed."""
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
    if not plan.dry_run:  # what only writing needs
        prepared.finish(source)
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
