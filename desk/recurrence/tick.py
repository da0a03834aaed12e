"""The generator: creates the occurrences of recurring series that are due (`generate`, run
by `desk tick` and the app's background worker).

Decided here (see also desk.recurrence.series):
- Mode "new" creates a task copying the template's title, description, checklists (every
  item not done), assignees, client, tags, team, list, parent, priority and estimate; due at
  the occurrence, its start keeping the template's start-to-due offset. Mode "reopen" gives
  the task itself the new due date (start keeping its offset) and, when it is done or
  closed, moves it back to its list's first open status and unticks its checklist items; a
  task still open only gets the new due date.
- The occurrence's row is inserted first, with INSERT .. ON CONFLICT DO NOTHING on its
  unique (series, occurs_at) key, in the same transaction as the task it creates, and each
  series is handled in a transaction that locks its row: two generators at once, or a
  restart, never create an occurrence twice. On SQLite generators also take turns (a lock
  file beside the database), since there a waiting writer can starve.
- skip_if_open: while the previous occurrence's task is not done, an occurrence that comes
  due is skipped (no occurrence row) and next_at moves on.
- catch_up "latest" (the default) creates only the newest of the occurrences missed while no
  generator ran ("passed over" in the report); "all" creates every one. Mode "reopen" always
  takes the newest alone: there is only the one task.
- Anchor "completion": each occurrence after the first is computed once the previous
  occurrence's task is done, counted from the day it was done
  (Schedule.after_completion); until then next_at is empty.
- until ends a series by date; count after that many dates of the rule (anchor schedule) or
  that many occurrences (anchor completion). An ended series becomes inactive.
- Tasks are created and changed through desk.work.tasks and checklists (activity rows,
  events) acting as the series' creator, or as the agent running the generator when the
  creator is gone or may no longer write.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from msgspec import Struct, field

from desk.business_hours import Calendar
from desk.clock import stored
from desk.dialect import taking_turns
from desk.errors import DeskError
from desk.kernel.agents import AgentRef, ref
from desk.models import Agent, Occurrence, RecurringSeries, Status, Task, database
from desk.recurrence.series import (
    advance,
    last_occurrence,
    locked,
    previous_task,
    stored_schedule,
)
from desk.sla import Book
from desk.vocabulary import DONE_CATEGORIES
from desk.work import checklists, tasks


class TickReport(Struct):
    """What one run of the generator did."""

    created: int = 0
    reopened: int = 0
    skipped: int = 0  # due while the previous occurrence was still open
    missed: int = 0  # passed over by catch_up "latest" after downtime
    ended: int = 0  # series that reached their until or count
    task_ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for `desk tick` and the app's log."""
        parts = []
        if self.created:
            ids = ", ".join(str(i) for i in self.task_ids[:10])
            parts.append(f"created {_plural(self.created, 'task')}" + (f" ({ids})" if ids else ""))
        if self.reopened:
            parts.append(f"reopened {_plural(self.reopened, 'task')}")
        if self.skipped:
            parts.append(f"skipped {self.skipped} (previous still open)")
        if self.missed:
            parts.append(f"passed over {self.missed} missed")
        if self.ended:
            parts.append(f"ended {_plural(self.ended, 'series', 'series')}")
        if self.errors:
            parts.append(f"{_plural(len(self.errors), 'error')}")
        return "recurring work: " + ("; ".join(parts) if parts else "nothing due")

    def add(self, other: TickReport) -> None:
        """Count what `other` did too."""
        for name in ("created", "reopened", "skipped", "missed", "ended"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.task_ids.extend(other.task_ids)
        self.errors.extend(other.errors)


def _plural(number: int, one: str, many: str | None = None) -> str:
    """'1 task', '2 tasks'."""
    return f"{number} {one if number == 1 else many or one + 's'}"


def generate(now: datetime, tz: tzinfo, agent: AgentRef | None = None, *,
             sla_rules: Book) -> TickReport:
    """Create every occurrence due by `now` (aware, or naive UTC); see the module docstring.
    `sla_rules` are the SLA rules of the queries it creates, and their business calendar
    the working days of the series.

    Each series is handled in its own transaction; one that fails is reported in `errors`
    and left as it was, and the others go on.
    """
    # On SQLite generators take turns: a writer that commits one transaction after another
    # starves a waiting one past its busy timeout. PostgreSQL queues row locks fairly, so
    # there they run side by side.
    with taking_turns("tick"):
        return _generate(stored(now), tz, sla_rules, agent)


def _generate(moment: datetime, tz: tzinfo, rules: Book, agent: AgentRef | None
              ) -> TickReport:
    """`generate` for `moment` (naive UTC)."""
    report = TickReport()
    # The ids are read in full first: on SQLite a cursor still open would keep this
    # connection on an old snapshot, and its next write transaction could not begin.
    waiting = list(RecurringSeries.select(RecurringSeries.id)
                   .where(RecurringSeries.active & RecurringSeries.next_at.is_null()
                          & (RecurringSeries.anchor == "completion"))
                   .order_by(RecurringSeries.id).tuples())
    for (series_id,) in waiting:
        _guarded(report, series_id, _after_completion, series_id, tz, rules.calendar, agent)
    due = list(RecurringSeries.select(RecurringSeries.id)
               .where(RecurringSeries.active & (RecurringSeries.next_at <= moment))
               .order_by(RecurringSeries.next_at, RecurringSeries.id).tuples())
    for (series_id,) in due:
        _guarded(report, series_id, _run, series_id, moment, tz, rules, agent)
    return report


def _guarded(report: TickReport, series_id: int, step: Callable[..., None],
             *args: object) -> None:
    """Run `step(*args, part)`, one series' transaction, and count its part of the report
    once it has committed; a DeskError (rolled back) becomes a line of the report."""
    part = TickReport()
    try:
        step(*args, part)
    except DeskError as error:
        report.errors.append(f"series {series_id}: {error}")
    else:
        report.add(part)


def _after_completion(series_id: int, zone: tzinfo, calendar: Calendar,
                      agent: AgentRef | None, report: TickReport) -> None:
    """Anchor completion: once the previous occurrence's task is done, set next_at from when
    it was done (or end the series when the rule has no date left)."""
    with database.atomic():
        row = locked(series_id)
        if not row.active or row.next_at is not None:
            return
        previous = previous_task(row, row.task_id, row.mode)
        if previous is not None and previous.closed_at is None:
            return
        schedule = stored_schedule(row, zone, calendar)
        done_at = previous.closed_at if previous is not None else row.starts_at
        next_at = schedule.after_completion(done_at, last_occurrence(row))
        report.ended += 1 if next_at is None else 0
        advance(row, _acting(row, agent), next_at, active=next_at is not None)


def _run(series_id: int, now: datetime, zone: tzinfo, rules: Book, agent: AgentRef | None,
         report: TickReport) -> None:
    """Create the occurrences of one series due by `now` and move its next_at on."""
    with database.atomic():
        row = locked(series_id)
        if not row.active or row.next_at is None or row.next_at > now:
            return  # another generator got here first
        actor = _acting(row, agent)
        schedule = stored_schedule(row, zone, rules.calendar)
        if row.anchor == "completion":
            due, following = [row.next_at], None
        else:
            upcoming = schedule.dates(row.next_at)
            due = []
            following = next(upcoming, None)
            while following is not None and following <= now:
                due.append(following)
                following = next(upcoming, None)
        chosen = due if row.catch_up == "all" and row.mode == "new" else due[-1:]
        report.missed += len(due) - len(chosen)
        for occurs_at in chosen:
            _occur(row, occurs_at, actor, rules, report)
        if row.anchor == "completion" and row.count is not None:
            active = _occurrence_count(row.id) < row.count
        else:
            active = row.anchor == "completion" or following is not None
        report.ended += 0 if active else 1
        advance(row, actor, following, active=active)


def _occur(row: RecurringSeries, occurs_at: datetime, actor: AgentRef, rules: Book,
           report: TickReport) -> None:
    """One occurrence: skip it while the previous is open, else claim its (series, occurs_at)
    key and create or reopen its task."""
    previous = previous_task(row, row.task_id, row.mode)
    if row.skip_if_open and previous is not None and previous.closed_at is None:
        report.skipped += 1
        return
    claimed = (Occurrence.insert(series=row.id, occurs_at=occurs_at).on_conflict_ignore()
               .returning(Occurrence.id).execute())
    occurrence_ids = [occurrence.id for occurrence in claimed]
    if not occurrence_ids:
        return  # created before, by another generator or an earlier run
    if row.mode == "new":
        task_id = _copy(row.task_id, occurs_at, actor, rules)
        report.created += 1
    else:
        task_id = _reopen(row.task_id, occurs_at, actor)
        report.reopened += 1
    report.task_ids.append(task_id)
    Occurrence.update(task=task_id).where(Occurrence.id == occurrence_ids[0]).execute()


def _copy(template_id: int, due_at: datetime, actor: AgentRef, rules: Book) -> int:
    """A new task copying the template, due at `due_at`, with its checklists unticked (a
    query with its due times by the SLA `rules`)."""
    template = tasks.get(template_id)
    task = Task.get_by_id(template_id)
    created = tasks.create(
        actor, template.row.title, template.row.list_id, kind=template.row.kind,
        priority=template.row.priority, description=template.description,
        client_id=template.row.client_id, parent_id=template.row.parent_id, due_at=due_at,
        start_at=_start(task, due_at), team_id=task.team_id,
        estimate_minutes=template.estimate_minutes, tags=template.row.tags,
        assignees=template.row.assignees, sla_rules=rules)
    for checklist in checklists.for_task(template_id):
        checklist_id = checklists.add_checklist(actor, created.row.id, checklist.name)
        _copy_items(actor, checklist_id, checklist.items, None)
    return created.row.id


def _copy_items(actor: AgentRef, checklist_id: int, items: tuple[checklists.ItemView, ...],
                parent_id: int | None) -> None:
    """Add the items (not done) and their children to a checklist."""
    for item in items:
        item_id = checklists.add_item(actor, checklist_id, item.text, parent_id)
        _copy_items(actor, checklist_id, item.children, item_id)


def _reopen(task_id: int, due_at: datetime, actor: AgentRef) -> int:
    """Give the task the new due date; if it is done, back to its first open status with
    its checklist items unticked."""
    task = Task.get_by_id(task_id)
    changes: dict[str, object] = {"due_at": due_at, "start_at": _start(task, due_at)}
    if task.category in DONE_CATEGORIES:
        changes["status"] = _first_open_status(task.task_list_id)
        for checklist in checklists.for_task(task_id):
            for item in _done_items(checklist.items):
                checklists.set_done(actor, item.id, item.version, False)
        task = Task.get_by_id(task_id)
    tasks.update(actor, task_id, task.version, **changes)
    return task_id


def _done_items(items: tuple[checklists.ItemView, ...]) -> list[checklists.ItemView]:
    """The ticked items of a tree."""
    found = []
    for item in items:
        found.extend([item] if item.done else [])
        found.extend(_done_items(item.children))
    return found


def _start(task: Task, due_at: datetime) -> datetime | None:
    """The start date that keeps the task's start-to-due offset for a new due date."""
    if task.start_at is None or task.due_at is None:
        return task.start_at
    return due_at - (task.due_at - task.start_at)


def _first_open_status(list_id: int) -> str:
    """The name of the list's first status of category open (else its first status)."""
    statuses = list(Status.select().where(Status.task_list == list_id)
                    .order_by(Status.position, Status.id))
    return next((s.name for s in statuses if s.category == "open"), statuses[0].name)


def _occurrence_count(series_id: int) -> int:
    """How many occurrences the series has had."""
    return Occurrence.select().where(Occurrence.series == series_id).count()


def _acting(row: RecurringSeries, fallback: AgentRef | None) -> AgentRef:
    """Who the generator acts as for this series: its creator, else `fallback`."""
    creator = Agent.get_or_none(Agent.id == row.created_by_id) if row.created_by_id else None
    if creator is not None and ref(creator).can_write:
        return ref(creator)
    if fallback is not None and fallback.can_write:
        return fallback
    raise DeskError("its creator is gone or may not write, and no agent runs the generator")

