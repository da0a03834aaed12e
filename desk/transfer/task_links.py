"""What an import links once every record is read: subtasks to their parents (which may come
later in the file, or from an earlier import), dependencies, and recurring series.

- A parent is found among this run's records or by its source key; one not found is a
  problem and the task stays top-level. A link that would make a task its own ancestor is
  refused.
- Dependencies (taskwarrior's depends) become the text field "Depends on" of the task's list,
  naming the desk tasks ("#12, #15").
- A recurring record becomes a series of its task (`recurrence.set_series`); the dates its
  source excluded (EXDATE) are taken as occurrences without a task, so the generator never
  creates them. An instance of a recurring template (taskwarrior) is taken as the occurrence
  of the template's series on its due date, so it is not created a second time.
"""

from __future__ import annotations

from datetime import tzinfo

from desk.business_hours import Calendar
from desk.clock import stored
from desk.errors import DeskError
from desk.kernel import audit
from desk.kernel.agents import AgentRef
from desk.models import Occurrence, RecurringSeries, Task, database
from desk.recurrence import series as recurrence
from desk.transfer import keys
from desk.transfer.plan import Plan
from desk.transfer.records import Problem, TaskRecord
from desk.work import custom_fields

DEPENDS_FIELD = "Depends on"
MAX_DEPTH = 100  # ancestors walked when checking a parent link for a cycle
PER_QUERY = 900


class Links:
    """The links of one import's records, collected while reading and made at the end."""

    def __init__(self, agent: AgentRef, source: str, plan: Plan, zone: tzinfo,
                 calendar: Calendar) -> None:
        """Links for `agent`'s import from `source` into `plan`."""
        self.agent, self.source, self.plan = agent, source, plan
        self.zone, self.calendar = zone, calendar
        self.ids: dict[str, int] = {}
        """Task ids of the records read so far, by source id (new ones: once written)."""
        self._read: set[str] = set()
        self._pending: list[tuple[TaskRecord, int | None]] = []

    def known(self, record: TaskRecord, task_id: int | None, *, changed: bool) -> None:
        """A record read: unchanged or (`changed`) updated, with its task id; or new in a
        dry run (task id None). Only a new or changed record's links are made again."""
        self._read.add(record.source_id)
        if task_id is not None:
            self.ids[record.source_id] = task_id
        if changed:
            self._pending.append((record, task_id))

    def created(self, record: TaskRecord, task_id: int, *, with_parent: bool = False) -> None:
        """A new record written as task `task_id` (`with_parent`: under its parent already,
        which is then not linked again)."""
        self._read.add(record.source_id)
        self.ids[record.source_id] = task_id
        if ((record.parent and not with_parent) or record.depends or record.recurrence
                or record.occurrence_of):
            self._pending.append((record, task_id))

    def apply(self) -> None:
        """Make the links (in a dry run: report those that cannot be made)."""
        wanted = {sid for record, _ in self._pending
                  for sid in (record.parent, record.occurrence_of, *record.depends)
                  if sid and sid not in self._read}
        earlier = {sid: key.entity_id for sid, key in keys.lookup(self.source, wanted).items()}
        self._parents([(record, task_id) for record, task_id in self._pending
                       if record.parent], earlier)
        for record, task_id in self._pending:
            if task_id is not None and record.depends:
                self._depends(record, task_id, earlier)
            if task_id is not None and record.recurrence:
                self._series(record, task_id)
        for record, task_id in self._pending:  # once every series exists
            if task_id is not None and record.occurrence_of:
                self._occurrence(record, task_id, earlier)

    def _find(self, source_id: str, earlier: dict[str, int]) -> int | None:
        """The task id of a source id of this run or an earlier import."""
        return self.ids.get(source_id) or earlier.get(source_id)

    def _parents(self, children: list[tuple[TaskRecord, int | None]],
                 earlier: dict[str, int]) -> None:
        """Link subtasks to their parents, all at once."""
        wanted: dict[int, tuple[int, TaskRecord]] = {}
        for record, task_id in children:
            if record.parent not in self._read and record.parent not in earlier:
                self.plan.problem(Problem(record.place, f"parent {record.parent!r} is not in "
                                                        "the file nor imported before; the "
                                                        "task stays top-level"))
                continue
            parent_id = self._find(record.parent, earlier)
            if task_id is not None and parent_id is not None:
                wanted[task_id] = (parent_id, record)
        parents = _parents_of(list(wanted))
        _add_ancestors(parents, {parent_id for parent_id, _ in wanted.values()})
        changes = []
        for task_id, (parent_id, record) in wanted.items():
            if parents.get(task_id) == parent_id:
                continue
            if _is_ancestor(task_id, parent_id, parents):
                self.plan.problem(Problem(record.place, f"parent {record.parent!r} is this "
                                                        "task or one of its subtasks; not "
                                                        "linked"))
                continue
            changes.append((task_id, {"parent_id": (parents.get(task_id), parent_id)}))
            parents[task_id] = parent_id
        mark = database.param
        database.cursor().executemany(
            f"UPDATE task SET parent_id = {mark} WHERE id = {mark}",
            [(change["parent_id"][1], task_id) for task_id, change in changes])
        audit.record_many("task", changes, self.agent, None, "tasks.imported",
                          {"source": self.source})

    def _depends(self, record: TaskRecord, task_id: int, earlier: dict[str, int]) -> None:
        """Name the tasks this one depends on in its list's "Depends on" field."""
        found = [self._find(sid, earlier) for sid in record.depends]
        names = ", ".join(f"#{found_id}" for found_id in found if found_id)
        missing = [sid for sid, found_id in zip(record.depends, found, strict=True)
                   if not found_id]
        if missing:
            self.plan.problem(Problem(record.place, "depends on tasks not in the file: "
                                                    + ", ".join(missing[:5])))
        if not names:
            return
        task = Task.get_by_id(task_id)
        fields = {row.name.lower() for row in custom_fields.fields_for_list(task.task_list_id)}
        if DEPENDS_FIELD.lower() not in fields:
            custom_fields.define(self.agent, task.task_list_id, DEPENDS_FIELD, "text")
        custom_fields.set_value(self.agent, task_id, task.version, DEPENDS_FIELD, names)

    def _series(self, record: TaskRecord, task_id: int) -> None:
        """Make the task recur by the record's rule, without the dates it excludes."""
        rule = record.recurrence
        spec = recurrence.SeriesSpec(rule.rule, starts_at=rule.starts_at or record.due_at,
                                     until=rule.until, count=rule.count)
        try:
            view = recurrence.set_series(self.agent, task_id, spec, self.zone,
                                         calendar=self.calendar)
        except DeskError as error:
            self.plan.problem(Problem(record.place, f"not made recurring: {error}"))
            return
        for moment in rule.excluded:
            (Occurrence.insert(series=view.id, occurs_at=stored(moment))
             .on_conflict_ignore().execute())

    def _occurrence(self, record: TaskRecord, task_id: int, earlier: dict[str, int]) -> None:
        """Take an instance of a recurring template as its series' occurrence."""
        template = self._find(record.occurrence_of, earlier)
        series_id = (RecurringSeries.select(RecurringSeries.id)
                     .where(RecurringSeries.task == template).scalar() if template else None)
        if series_id is None or record.due_at is None:
            return
        (Occurrence.insert(series=series_id, occurs_at=stored(record.due_at), task=task_id)
         .on_conflict_ignore().execute())


def _parents_of(task_ids: list[int]) -> dict[int, int | None]:
    """The current parent of each task."""
    found: dict[int, int | None] = {}
    for start in range(0, len(task_ids), PER_QUERY):
        found.update(Task.select(Task.id, Task.parent)
                     .where(Task.id.in_(task_ids[start:start + PER_QUERY])).tuples())
    return found


def _add_ancestors(parents: dict[int, int | None], start: set[int]) -> None:
    """Read the parents of the tasks in `start` and of their ancestors, a level at a time,
    into `parents`: what `_is_ancestor` walks, without a query per task."""
    wanted = start - parents.keys()
    for _ in range(MAX_DEPTH):
        if not wanted:
            return
        found = _parents_of(sorted(wanted))
        parents.update(found)
        wanted = {parent for parent in found.values() if parent is not None} - parents.keys()


def _is_ancestor(task_id: int, start: int, parents: dict[int, int | None]) -> bool:
    """Whether `task_id` is `start` or one of its ancestors (`parents` caches what is read)."""
    current: int | None = start
    for _ in range(MAX_DEPTH):
        if current is None:
            return False
        if current == task_id:
            return True
        if current not in parents:
            parents[current] = Task.select(Task.parent).where(Task.id == current).scalar()
        current = parents[current]
    return True
