"""Tasks, orders and queries: create, read, change (with optimistic versions) and list.

A description that names people of a confidential client (desk.kernel.confidential) is shown
masked to whoever may not see them, so only those who may see them can change it: saving
the masked text would lose what it hides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from sys import intern

from msgspec import Struct

from desk import sla
from desk.clock import stored, utcnow
from desk.db import bulk_insert, insert_tuples
from desk.dialect import ids_in, row_by_id
from desk.errors import InvalidInput, NotFound, OpenChecklistItems, PermissionDenied
from desk.kernel import audit, confidential, search, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import free_text, known_fields, required_text, storable_text
from desk.kernel.positions import next_position
from desk.kernel.tags import names as tag_names
from desk.kernel.tags import relink as relink_tags
from desk.models import (
    Agent,
    Client,
    QueryData,
    Status,
    Task,
    TaskAssignee,
    TaskTag,
    Team,
    database,
)
from desk.vocabulary import DONE_CATEGORIES, PRIORITIES, PRIORITY_NAMES, TASK_KINDS
from desk.work import checklists, notices

EDITABLE = ("title", "description", "priority", "status", "due_at", "start_at", "client_id",
            "team_id", "estimate_minutes", "tags", "assignees", "snoozed_until")
TITLE_LIMIT = 500
"""The most characters a task's title may have."""
MOMENTS = ("due_at", "start_at", "snoozed_until")  # the datetime fields, stored as naive UTC


class TaskRow(Struct, frozen=True):
    """One task as lists, the CLI and JSON show it."""

    id: int
    title: str
    status: str
    category: str
    priority: str
    kind: str
    list: str
    list_id: int
    client: str | None
    client_id: int | None
    assignees: tuple[str, ...]
    tags: tuple[str, ...]
    due_at: datetime | None
    parent_id: int | None
    version: int
    checklist_done: int = 0
    checklist_total: int = 0
    status_colour: str = ""  # the status's own colour (#rrggbb), "" to draw by category


class TaskDetail(Struct, frozen=True):
    """Everything about one task that its screen and `desk show` need."""

    row: TaskRow
    description: str
    start_at: datetime | None
    estimate_minutes: int | None
    team: str | None
    snoozed_until: datetime | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    subtasks: tuple[TaskRow, ...] = ()


def priority_number(name: str) -> int:
    """The stored number of a priority name (urgent 1 .. none 5)."""
    number = PRIORITIES.get(str(name).strip().lower())
    if number is None:
        raise InvalidInput(f"priority must be one of {', '.join(PRIORITIES)}, not {name!r}")
    return number


def create(agent: AgentRef, title: str, list_id: int, *, kind: str = "task",
           status: str | None = None, priority: str = "normal", description: str = "",
           client_id: int | None = None, parent_id: int | None = None,
           due_at: datetime | None = None, start_at: datetime | None = None,
           team_id: int | None = None, estimate_minutes: int | None = None,
           tags: Iterable[str] = (), assignees: Iterable[str] = (),
           list_templates: bool = True, sla_rules: sla.Book | None = None,
           now: datetime | None = None) -> TaskDetail:
    """Create a task at the end of its list; returns it as stored.

    The fields are checked as `update` checks them (an aware datetime is stored as naive
    UTC), and every field set is recorded as activity at version 1. A task of kind "query"
    gets its (empty) support data, so replies record the first response, with its SLA due
    times by `sla_rules` (required for a query: ValueError without). Kind "order" is for
    `orders.create_order`, which adds the order data in the same transaction; an order
    created here directly has none.

    A top-level task gets the checklists of the templates of its list, unless
    `list_templates` is False (a caller giving it another checklist: an order its product's).

    `now` is when the task is created (default: the current time); a caller recording
    history, such as the demo workspace, passes the moment it happened.
    """
    require_writer(agent)
    if kind not in TASK_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(TASK_KINDS)}, not {kind!r}")
    if kind == "query" and sla_rules is None:
        raise ValueError("a query is created with its SLA due times, which need the SLA rules")
    values = _normalise({
        "title": title, "description": description, "priority": priority, "due_at": due_at,
        "start_at": start_at, "client_id": client_id, "team_id": team_id,
        "estimate_minutes": estimate_minutes, "tags": tags, "assignees": assignees,
    })
    with database.atomic():
        status_row = _status(list_id, status)
        if parent_id is not None and not Task.select().where(Task.id == parent_id).exists():
            raise NotFound(f"no task {parent_id} to be the parent")
        _check_references(values)
        position = next_position(Task.position, Task.task_list == list_id, f"list {list_id}")
        now = stored(now) or utcnow()
        priority_number = PRIORITIES[values["priority"]]
        closed_at = now if status_row.category in DONE_CATEGORIES else None
        row = {
            "task_list": list_id, "status": status_row.id, "category": status_row.category,
            "parent": parent_id, "kind": kind, "title": values["title"],
            "description": values["description"], "priority": priority_number,
            "team": team_id, "client": client_id, "start_at": values["start_at"],
            "due_at": values["due_at"], "estimate_minutes": values["estimate_minutes"],
            "position": position, "created_by": agent.id, "created_at": now,
            "updated_at": now, "closed_at": closed_at,
        }
        ((task_id,),) = bulk_insert(Task, [row], returning=("id",))
        if values["tags"]:  # a new task has no links to replace: nothing is deleted
            relink_tags(TaskTag, "task", task_id, values["tags"])
        if values["assignees"]:
            _set_assignees(agent, task_id, values["assignees"], now, new_task=True)
        if kind == "query":  # its SLA due times follow from what is set here
            bulk_insert(QueryData, [{"task": task_id, **sla.query_columns(
                sla_rules, now, priority_number, client_id, closed_at)}])
        set_fields = {field: (None, value) for field, value in
                      {"kind": kind, "status": status_row.name, "parent_id": parent_id,
                       **values}.items() if value not in (None, "", ())}
        audit.record("task", task_id, agent, set_fields, 1, "task.created",
                     {"list_id": list_id, "kind": kind, "status": status_row.name}, at=now)
        search.index(search.TASK, task_id, task_id, client_id, values["title"],
                     values["description"])
        if list_templates and parent_id is None:
            checklists.apply_list_templates(agent, task_id, list_id, now=now)
    return get(task_id)


def get(task_id: int) -> TaskDetail:
    """One task with its subtasks."""
    task = row_by_id(Task, task_id)
    if task is None:
        raise NotFound(f"no task {task_id}")
    row = rows_for([task_id])[0]
    subtask_ids = [i for (i,) in database.execute_sql(SUBTASKS.format(mark=database.param),
                                                       (task_id,))]
    team = row_by_id(Team, task.team_id) if task.team_id else None
    return TaskDetail(
        row=row, description=task.description, start_at=task.start_at,
        estimate_minutes=task.estimate_minutes,
        team=team.name if team else None, snoozed_until=task.snoozed_until,
        created_at=task.created_at, updated_at=task.updated_at, closed_at=task.closed_at,
        subtasks=tuple(rows_for(subtask_ids)),
    )


def update(agent: AgentRef, task_id: int, version: int, *, override_open_items: bool = False,
           sla_rules: sla.Book | None = None, now: datetime | None = None,
           **changes: object) -> TaskDetail:
    """Change fields of a task read at `version`.

    Fields another agent changed meanwhile conflict (ConflictError, nothing written); other
    fields merge. Accepts: title, description, priority (name), status (name), due_at,
    start_at, client_id, team_id, estimate_minutes, tags, assignees, snoozed_until.

    An order moving to a done status with open checklist items is OpenChecklistItems
    (nothing written) unless `override_open_items`; the override is then recorded as
    activity ("checklist_override").

    A query's SLA due times move with its priority and client, by `sla_rules`: a change of
    either on a query needs them (ValueError without). `now` is when the change is made
    (default: the current time), as for `create`.
    """
    require_writer(agent)
    known_fields(changes, EDITABLE, "task")
    wanted = _normalise(changes)
    moment = stored(now) or utcnow()
    with database.atomic():
        task = versions.load_for_update(Task, task_id, "task")
        if "description" in wanted:
            _check_masked(agent, task)
        if "status" in wanted:
            wanted["status"] = _status(task.task_list_id, str(wanted["status"])).name
        current = _snapshot(task)
        effective = versions.effective_changes("task", task_id, version, task.version, current,
                                               wanted)
        if not effective:
            return get(task_id)
        columns = _columns(task, effective, moment)
        override = _closing_override(task, columns, override_open_items)
        new_version = versions.bump(Task, task_id, task.version, "task", columns)
        support = sla.track(sla_rules, task, columns) if task.kind == "query" else {}
        if "tags" in effective:
            relink_tags(TaskTag, "task", task_id, effective["tags"][1])
        if "assignees" in effective:
            _set_assignees(agent, task_id, effective["assignees"][1], moment)
        data: dict[str, object] = {"list_id": task.task_list_id, "kind": task.kind}
        event = "task.updated"
        if "status" in effective:
            event = "task.status_changed"
            data.update({"from": effective["status"][0], "to": effective["status"][1]})
        audit.record("task", task_id, agent, {**effective, **override, **support}, new_version,
                     event, data, at=moment)
        if effective.keys() & {"title", "description", "client_id"}:
            search.index(search.TASK, task_id, task_id, columns.get("client", task.client_id),
                         columns.get("title", task.title),
                         columns.get("description", task.description))
    return get(task_id)


def _check_masked(agent: AgentRef, task: Task) -> None:
    """Refuse a change of a description that `agent` sees masked (see the module)."""
    mask = confidential.task_masks(agent, [task.id]).get(task.id)
    if mask is not None and mask.text(task.description) != task.description:
        raise PermissionDenied(f"the description of task {task.id} names people of a "
                               "confidential client; only admins and its account manager "
                               "can change it")


def _normalise(changes: dict[str, object]) -> dict[str, object]:
    """Changes in the form `_snapshot` uses, validated (for `create` and `update` alike)."""
    wanted = dict(changes)
    if "title" in wanted:
        wanted["title"] = title_text(str(wanted["title"]))
    if "description" in wanted:
        wanted["description"] = free_text(wanted["description"], "a description")
    for name in MOMENTS:
        if name in wanted:
            wanted[name] = _moment(name, wanted[name])
    if "priority" in wanted:
        wanted["priority"] = PRIORITY_NAMES[priority_number(str(wanted["priority"]))]
    if "tags" in wanted:
        wanted["tags"] = tag_names(wanted["tags"])
    if "assignees" in wanted:
        wanted["assignees"] = tuple(sorted({storable_text(str(name), "an assignee")
                                            for name in wanted["assignees"]}))
    if "estimate_minutes" in wanted and wanted["estimate_minutes"] is not None:
        minutes = int(wanted["estimate_minutes"])
        if minutes < 0:
            raise InvalidInput("the estimate cannot be negative")
        wanted["estimate_minutes"] = minutes
    return wanted


def _snapshot(task: Task) -> dict[str, object]:
    """The editable fields of a stored task, in the form updates compare against."""
    one, params = ids_in([task.id])
    tags = tuple(sorted(name for _, name
                        in database.execute_sql(TAGS.format(ids=one), params)))
    assignees = tuple(sorted(name for _, name
                             in database.execute_sql(ASSIGNEES.format(ids=one), params)))
    status = row_by_id(Status, task.status_id)
    return {
        "title": task.title, "description": task.description,
        "priority": PRIORITY_NAMES[task.priority], "status": status.name,
        "due_at": task.due_at, "start_at": task.start_at, "client_id": task.client_id,
        "team_id": task.team_id, "estimate_minutes": task.estimate_minutes, "tags": tags,
        "assignees": assignees, "snoozed_until": task.snoozed_until,
    }


def _columns(task: Task, effective: dict[str, tuple], now: datetime) -> dict[str, object]:
    """The task columns to write for the effective changes made at `now`."""
    columns: dict[str, object] = {"updated_at": now}
    for name, (_, new) in effective.items():
        if name in ("tags", "assignees"):
            continue
        if name == "priority":
            columns["priority"] = PRIORITIES[new]
        elif name == "status":
            status = _status(task.task_list_id, new)
            columns["status"] = status.id
            columns["category"] = status.category
            done = status.category in DONE_CATEGORIES
            columns["closed_at"] = (task.closed_at or now) if done else None
        elif name in ("client_id", "team_id"):
            columns[name.removesuffix("_id")] = new
        else:
            columns[name] = new
    _check_references({name: new for name, (_, new) in effective.items()})
    return columns


def _closing_override(task: Task, columns: Mapping[str, object],
                      confirmed: bool) -> dict[str, tuple]:
    """When `columns` close an order (a done status) that has open checklist items: the
    activity recording the confirmed override, or OpenChecklistItems; else nothing."""
    closing = task.closed_at is None and columns.get("category") in DONE_CATEGORIES
    count = checklists.open_items(task.id) if closing and task.kind == "order" else 0
    if not count:
        return {}
    if not confirmed:
        raise OpenChecklistItems(task.id, count)
    items = "item" if count == 1 else "items"
    return {"checklist_override": (None, f"closed with {count} open {items}")}


def _check_references(values: Mapping[str, object]) -> None:
    """NotFound for a client_id or team_id among `values` that names no row."""
    for name, model in (("client_id", Client), ("team_id", Team)):
        target = values.get(name)
        if target is not None and not model.select().where(model.id == target).exists():
            raise NotFound(f"no {model.__name__.lower()} {target}")


def _moment(name: str, value: object) -> datetime | None:
    """A date and time in the stored form (an aware one converted to naive UTC), or None."""
    if value is not None and not isinstance(value, datetime):
        raise InvalidInput(f"{name.replace('_', ' ')} must be a date and time, not {value!r}")
    return stored(value)


def _status(list_id: int, name: str | None) -> Status:
    """A status of the list by name (case-insensitive), or the list's first status. The
    statement is written out (FIRST_STATUS, NAMED_STATUS): every task created reads one."""
    mark = database.param
    if name is None:
        status = next(iter(Status.raw(FIRST_STATUS.format(mark=mark), list_id)), None)
        if status is None:
            raise NotFound(f"list {list_id} does not exist or has no statuses")
        return status
    wanted = storable_text(name.strip(), "a status").lower()
    status = next(iter(Status.raw(NAMED_STATUS.format(mark=mark), list_id, wanted)), None)
    if status is None:
        names = ", ".join(s.name for s in Status.select(Status.name)
                          .where(Status.task_list == list_id).order_by(Status.position))
        raise InvalidInput(f"status must be one of {names}, not {name!r}")
    return status


FIRST_STATUS = ('SELECT * FROM "status" WHERE "task_list_id" = {mark} '
                'ORDER BY "position" LIMIT 1')
"""The first status of a list (`_status`)."""
NAMED_STATUS = ('SELECT * FROM "status" WHERE "task_list_id" = {mark} '
                'AND LOWER("name") = {mark} ORDER BY "position" LIMIT 1')
"""A list's status of a name in lower case (`_status`)."""


def title_text(title: str) -> str:
    """A task title as typed: stripped, not empty, at most 500 characters."""
    return required_text(title, what="a title", limit=TITLE_LIMIT, empty="a task needs a title")


def _set_assignees(agent: AgentRef, task_id: int, usernames: Iterable[str],
                   at: datetime, *, new_task: bool = False) -> None:
    """Replace the task's assignees; every name must be an agent. Those new to it are told
    and follow it (desk.work.notices). A `new_task` has none to replace."""
    names = sorted(set(usernames))
    agents = dict(Agent.select(Agent.username, Agent.id)
                  .where(Agent.username.in_(names)).tuples())
    missing = [name for name in names if name not in agents]
    if missing:
        raise NotFound(f"no agent named {', '.join(missing)}")
    before = set() if new_task else {
        agent_id for (agent_id,) in TaskAssignee.select(TaskAssignee.agent)
        .where(TaskAssignee.task == task_id).tuples()}
    notices.on_assigned(agent, task_id, set(agents.values()) - before, at)
    if not new_task:
        TaskAssignee.delete().where(TaskAssignee.task == task_id).execute()
    if agents:
        insert_tuples(TaskAssignee, ("task", "agent"), [(task_id, agents[n]) for n in names])


ROWS = ("SELECT t.id, t.title, s.name, t.category, t.priority, t.kind, l.name, l.id, c.name, "
        "c.id, t.due_at, t.parent_id, t.version, s.colour FROM task t "
        "JOIN status s ON s.id = t.status_id JOIN task_list l ON l.id = t.task_list_id "
        "LEFT OUTER JOIN client c ON c.id = t.client_id WHERE t.id {ids}")
TAGS = ("SELECT tt.task_id, g.name FROM task_tag tt JOIN tag g ON g.id = tt.tag_id "
        "WHERE tt.task_id {ids}")
ASSIGNEES = ("SELECT a.task_id, g.username FROM task_assignee a JOIN agent g ON g.id = a.agent_id "
             "WHERE a.task_id {ids}")
PROGRESS = ("SELECT c.task_id, SUM(CAST(i.done AS INTEGER)), COUNT(i.id) FROM checklist_item i "
            "JOIN checklist c ON c.id = i.checklist_id WHERE c.task_id {ids} "
            "GROUP BY c.task_id")
"""The four queries of `rows_for`, written out (`{ids}` is the condition `dialect.ids_in`
gives, the ids its parameters): peewee took longer to build them than the database took to
run them, on every task shown, saved or opened."""
IDS_PER_STATEMENT = 500
"""The most ids one of those queries takes (a page holds 100): within the parameters a
statement may have on either database, whatever a caller asks for."""
SUBTASKS = "SELECT id FROM task WHERE parent_id = {mark} ORDER BY position, id"
"""The ids of a task's subtasks, in their order (`get`)."""


def rows_for(task_ids: Sequence[int]) -> list[TaskRow]:
    """TaskRows for these ids, in the same order, with names, tags, assignees and checklist
    progress filled in by one query each (ROWS, TAGS, ASSIGNEES, PROGRESS) for every
    IDS_PER_STATEMENT of them."""
    ids = list(task_ids)
    found: dict[int, TaskRow] = {}
    for start in range(0, len(ids), IDS_PER_STATEMENT):
        found.update(_rows_by_id(ids[start:start + IDS_PER_STATEMENT]))
    return [found[i] for i in ids if i in found]


def _rows_by_id(ids: list[int]) -> dict[int, TaskRow]:
    """The TaskRows of these ids (at most IDS_PER_STATEMENT) that exist, by id."""
    condition, params = ids_in(ids)

    def run(statement: str):
        return database.execute_sql(statement.format(ids=condition), params)

    # One object for each text the rows repeat (a status, a list, a client, a tag): the
    # database gives a new one for every cell, and a list keeps 64 pages of these rows.
    tags = _grouped(run(TAGS))
    assignees = _grouped(run(ASSIGNEES))
    progress = {task: (done or 0, total) for task, done, total in run(PROGRESS)}
    moment = Task.due_at.python_value  # SQLite gives the text it keeps
    found = {}
    for (task_id, title, status, category, priority, kind, list_name, list_id, client,
         client_id, due_at, parent_id, version, colour) in run(ROWS):
        done, total = progress.get(task_id, (0, 0))
        found[task_id] = TaskRow(
            id=task_id, title=title, status=intern(status), category=intern(category),
            priority=PRIORITY_NAMES[priority], kind=intern(kind), list=intern(list_name),
            list_id=list_id, client=client and intern(client), client_id=client_id,
            assignees=tuple(sorted(assignees.get(task_id, ()))),
            tags=tuple(sorted(tags.get(task_id, ()))), due_at=moment(due_at),
            parent_id=parent_id, version=version, checklist_done=int(done),
            checklist_total=total, status_colour=intern(colour),
        )
    return found


def _grouped(pairs: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    """(key, value) pairs grouped into lists by key, each value interned (one object for
    equal texts)."""
    grouped: dict[int, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(intern(value))
    return grouped
