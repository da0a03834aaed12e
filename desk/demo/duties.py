"""The demo's hand-written account, billing and internal tasks (some with subtasks), and its
recurring series, through the task and recurrence services: each task created by a manager at
the moment it came up, and closed when it was done; each series set on its task."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from dateutil.rrule import rrulestr

from desk.demo.content import TaskSpec
from desk.demo.context import Demo
from desk.kernel.agents import AgentRef
from desk.recurrence import series
from desk.vocabulary import DONE_CATEGORIES
from desk.work import tasks

ESTIMATES = (None, 30, 60, 120, 240)  # minutes a hand-written task may be estimated at
SERIES_AGE = timedelta(days=182)  # the series started about half a year ago


def write_tasks(demo: Demo) -> None:
    """The hand-written tasks, each created two to forty days ago, with their subtasks."""
    for spec in demo.content.tasks:
        _write(demo, spec)


def _write(demo: Demo, spec: TaskSpec) -> None:
    """One task and its subtasks: everything about them is drawn first (always in the same
    order, which keeps the seed's workspace what it is), then written."""
    rng = demo.rng
    task_list = demo.lists[spec.list]
    created_at = demo.days_ago(2, 40)
    done = task_list.categories[spec.status] in DONE_CATEGORIES
    closed_at = demo.after(created_at, 1440, 10 * 1440) if done else None
    creator = demo.agent(rng.choice(demo.content.workspace.managers))
    people = (demo.agent(spec.assignee).username,) if spec.assignee else ()
    due_at = (datetime.combine(demo.today + timedelta(days=spec.due), time(17))
              if spec.due is not None else None)
    estimate = rng.choice(ESTIMATES)
    subtasks = []
    for title, status in spec.subtasks:
        sub_created = demo.after(created_at, 5, 60)
        sub_done = task_list.categories[status] in DONE_CATEGORIES
        subtasks.append((title, status, sub_created,
                         demo.after(created_at, 120, 3 * 1440) if sub_done else None))

    client_id = demo.by_name[spec.client].id if spec.client else None
    fields = {"client_id": client_id, "due_at": due_at, "assignees": people,
              "team_id": task_list.team_id}
    parent = _create(demo, creator, spec.title, spec.list, spec.status, created_at, closed_at,
                     priority=spec.priority, description=spec.description,
                     estimate_minutes=estimate, tags=spec.tags, **fields)
    for title, status, sub_created, sub_closed in subtasks:
        _create(demo, creator, title, spec.list, status, sub_created, sub_closed,
                parent_id=parent, **fields)


def _create(demo: Demo, creator: AgentRef, title: str, list_name: str, status: str,
            created_at: datetime, closed_at: datetime | None, **fields: object) -> int:
    """Create a task in `status` at `created_at`; one that is done or dropped is created in
    its list's first status and moved there at `closed_at`, by its assignee when they may."""
    task_list = demo.lists[list_name]
    detail = tasks.create(creator, title, task_list.id,
                          status=task_list.first_status if closed_at else status,
                          now=created_at, **fields)
    if closed_at is not None:
        closer = _closer(demo, creator, fields["assignees"])
        tasks.update(closer, detail.row.id, detail.row.version, now=closed_at, status=status)
    return detail.row.id


def _closer(demo: Demo, creator: AgentRef, assignees: tuple[str, ...]) -> AgentRef:
    """Who marks a task done: its assignee, unless a viewer (then whoever created it)."""
    for username in assignees:
        agent = demo.agents[username]
        if agent.can_write:
            return agent
    return creator


def write_series(demo: Demo) -> None:
    """Four recurring series started half a year ago, each on a task of its own that is due
    at the series' next date (working days are those of the SLA rules' business calendar)."""
    base = datetime.combine(demo.today - SERIES_AGE, time(9))
    for spec in demo.content.series:
        starts_at = rrulestr(spec.rule, dtstart=base).after(base, inc=True)
        next_at = rrulestr(spec.rule, dtstart=starts_at).after(demo.now)
        owner = demo.agent(spec.assignee)
        created_at = starts_at - timedelta(days=demo.rng.randint(1, 14))
        task_list = demo.lists[spec.list]
        detail = tasks.create(
            owner, spec.title, task_list.id, description=spec.description, due_at=next_at,
            assignees=(owner.username,), tags=("invoice",) if "invoice" in spec.title else (),
            team_id=task_list.team_id, now=created_at)
        series.set_series(owner, detail.row.id, series.SeriesSpec(spec.rule, starts_at=starts_at),
                          UTC, calendar=demo.sla_rules.calendar, now=demo.now)
