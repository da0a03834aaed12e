"""Triage: the inbox of what needs a person now, and one change applied to many tasks.

The inbox holds every task that is not done (`closed_at IS NULL`) and not snoozed
(`snoozed_until` is empty or not after now; a query asking for `is:snoozed` finds instead
the snoozed ones it takes back when their snooze ends), and that is one of:

- a support query (kind "query"), whatever it waits on: queries are the desk's front door
  and leave the inbox once they are resolved or closed (a done status) or snoozed;
- overdue: its due time has passed;
- new and nobody's: its status is in the "open" category and it has neither an assignee nor
  a team.

It comes in three orders: "urgent" (most urgent priority first, then oldest first, so equal
work is served in the order it came), "newest" (newest first) and "score" (the urgency score
of desk.support.urgency as stored, current at the context's moment, highest first, then
oldest first), paged by key with desk.work.listing's machinery, and it can be narrowed by a
query in the query language. A key of a "score" page holds while the scores stand: a
rescore may move a row across it.

Which tasks those are at a moment is stored: each task's `inbox_at` (migration 0023, kept
by the database's triggers on every write) is the moment it enters the inbox while not done
(the start of time for a query or a new task nobody holds, its due time otherwise, the end of
its snooze when later; None: never), so the inbox at `now` is `closed_at IS NULL AND
inbox_at <= now` and time passing rewrites nothing. (A task due at 17:00 is in from 17:00
itself.) The count is a range of the `task_open_inbox` partial index (inbox_at, list), read
without touching a task: 6 ms of SQL for the 132,000 rows of the million-task demo,
against a 0.9 to 1.9 s pass over every open task before. The urgent order walks the
`task_open_by_priority` partial index (not done tasks by priority and id) and the newest
order the primary key backwards, and the score order the stored score's index
`task_open_urgency` (desk.support.urgency_store, which rescores the tasks due first), each
stopping after a page.

`apply` changes many tasks at once: explicit ids, or every row of the inbox (or of a task
query) except some ids, which is what "mark all" means. Each task is changed through
desk.work.tasks and desk.work.comments (activity, versions, events, the client's
relationship clock) at the version it has now: the person acts on what they see. A task the
change does not fit (a status its list lacks, a task deleted meanwhile) is reported as
failed and left as it was; the others go ahead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from msgspec import Struct
from peewee import JOIN, fn

from desk import dates
from desk.clock import to_utc
from desk.config import UrgencySettings
from desk.crm import clients
from desk.errors import DeskError, InvalidInput, NotFound
from desk.kernel import confidential, teams
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import known_fields, storable_text, typed_id
from desk.kernel.tags import changes as tag_changes
from desk.models import (
    Agent,
    Client,
    Comment,
    QueryData,
    Status,
    Tag,
    Task,
    TaskList,
    Team,
    database,
)
from desk.sla import Book
from desk.support import urgency_store
from desk.work import filters, listing, tasks

ORDERS = ("urgent", "newest", "score")
"""The inbox orders, by the name people see."""
_LISTING_SORTS = {"urgent": "priority", "newest": "newest"}
"""The listing sort of each order but "score"."""
SCORE_SORT = listing.Sort("score", (Task.urgency_rank, Task.id))
"""The score order: the stored score, highest first (it is stored negated), then oldest."""
CHANGES = ("priority", "status", "assignee", "round_robin", "team_id", "tags", "client_id",
           "snooze", "reply", "note")
"""What `apply` can change."""
BATCH = 100
"""Tasks changed per transaction by `apply`."""
SNOOZE_HOUR = 9
"""A snooze to a day (`tomorrow`, `fri`, `+3d`) wakes at this local hour."""
EXCERPT = 300
"""Characters of the newest comment or the description shown by `glance`."""
SNOOZE_HINT = "try tomorrow, mon 9:00, in 3 days, in 4 hours, dec 24, next week or off"


# --- the inbox -------------------------------------------------------------------------------


def inbox_conditions(context: filters.Context, text: str = "") -> list:
    """The conditions of the inbox as of `context.now`, narrowed by the task query `text`;
    like the default listing it leaves out archived lists and spaces unless `text` names one."""
    parsed = filters.parse_tasks(text)
    # `is:snoozed` finds the snoozed ones: those the inbox takes back when their snooze ends
    entered = (Task.inbox_at.is_null(False) if filters.asks_for(parsed, "is", "snoozed")
               else Task.inbox_at <= to_utc(context.now))
    return [Task.closed_at.is_null(), entered,
            *filters.task_conditions(parsed, context), *listing.unarchived(parsed)]


def _sort(order: str, context: filters.Context, weights: UrgencySettings | None,
          pause_while_waiting: bool = True) -> str | listing.Sort:
    """The listing sort of an inbox order (the score at `context.now` with the urgency
    settings `weights`, the defaults when None, and sla.pause_while_waiting), or a clear
    refusal."""
    if order not in ORDERS:
        raise InvalidInput(f"the inbox order must be one of {', '.join(ORDERS)}, not {order!r}")
    if order != "score":
        return _LISTING_SORTS[order]
    urgency_store.refresh(weights or UrgencySettings(), context.now,  # the written-to ones
                          pause_while_waiting=pause_while_waiting, clock=False)
    return SCORE_SORT


def inbox_ids_query(context: filters.Context, text: str = "", order: str = "urgent",
                    weights: UrgencySettings | None = None):
    """The SELECT of the inbox's task ids in `order` (no limit): for paging and EXPLAIN."""
    return listing.task_ids_where(inbox_conditions(context, text),
                                  _sort(order, context, weights))


def inbox_page(context: filters.Context, text: str = "", *, order: str = "urgent",
               after: Sequence[object] | None = None, offset: int = 0, limit: int = 100,
               weights: UrgencySettings | None = None,
               pause_while_waiting: bool = True,
               from_end: int | None = None) -> listing.Page[tasks.TaskRow]:
    """One page of the inbox in `order`: after the key of the previous page, or at an offset
    (or `from_end` rows before the end: see listing.task_page_where). `weights` are the
    urgency settings of the "score" order (the defaults when None), which leaves out paused
    resolution deadlines with `pause_while_waiting`."""
    return listing.task_page_where(inbox_conditions(context, text),
                                   sort=_sort(order, context, weights, pause_while_waiting),
                                   after=after,
                                   offset=offset, limit=limit, from_end=from_end)


def inbox_position(context: filters.Context, task_id: int, text: str = "", *,
                   order: str = "urgent", weights: UrgencySettings | None = None,
                   pause_while_waiting: bool = True) -> int | None:
    """Where the task `task_id` stands in the inbox under `text` in `order` (0: first), as
    `inbox_page` ranks it; None when it is not in the inbox (any more)."""
    return listing.task_position_where(
        inbox_conditions(context, text), task_id,
        _sort(order, context, weights, pause_while_waiting))


class Arrivals(Struct, frozen=True):
    """The tasks that entered the inbox as new rows since a task id: how many, and the
    newest of them (else the newest of the inbox; None when it is empty)."""

    count: int
    newest: int | None


def arrivals(context: filters.Context, since: int | None, text: str = "") -> Arrivals:
    """The inbox's tasks under `text` newer than the task `since` (None: none is new yet),
    and the id of the newest task in the inbox: a task's id grows with its creation."""
    conditions = inbox_conditions(context, text)
    # newest first, stopping at the first: new tasks are the ones most likely in the inbox
    newest = (Task.select(Task.id).where(*conditions).order_by(Task.id.desc()).limit(1)
              .scalar())
    if since is None or newest is None or newest <= since:
        return Arrivals(0, newest)
    return Arrivals(Task.select().where(*conditions, Task.id > since).count(), newest)


def inbox_count(context: filters.Context, text: str = "") -> int:
    """How many tasks the inbox holds."""
    return Task.select().where(*inbox_conditions(context, text)).count()


class Glance(Struct, frozen=True):
    """What triage needs to see of one task without opening it."""

    id: int
    title: str
    kind: str
    client: str | None
    requester: str
    channel: str | None
    waiting_on: str | None
    latest_kind: str
    """"reply", "note" or "message" for the newest comment, "description" without one."""
    latest_author: str
    latest_at: datetime | None
    excerpt: str


def glance(task_id: int, viewer: AgentRef | None = None) -> Glance:
    """The title, client, requester and the newest comment (or the description) of a task,
    as `viewer` may see them (nobody's for None; see desk.kernel.confidential)."""
    found = (Task.select(Task.title, Task.kind, Task.description, Client.name,
                         QueryData.requester_name, QueryData.requester_email, QueryData.channel,
                         QueryData.waiting_on)
             .join(Client, JOIN.LEFT_OUTER, on=Task.client == Client.id)
             .switch(Task).join(QueryData, JOIN.LEFT_OUTER, on=QueryData.task == Task.id)
             .where(Task.id == task_id).tuples().first())
    if found is None:
        raise NotFound(f"no task {task_id}")
    title, kind, description, client, name, email, channel, waiting_on = found
    requester = f"{name} <{email}>" if name and email else (name or email or "")
    latest = (Comment.select(Comment.kind, fn.COALESCE(Agent.username, Comment.author_name),
                             Comment.body, Comment.created_at, Comment.author.is_null())
              .join(Agent, JOIN.LEFT_OUTER, on=Comment.author == Agent.id)
              .where(Comment.task == task_id).order_by(Comment.id.desc()).tuples().first())
    latest_kind, author, body, at, outside = latest or ("description", "", description, None,
                                                        False)
    mask = confidential.task_masks(viewer, [task_id]).get(task_id)
    if mask is not None:
        requester, body = mask.value(requester), mask.text(body)
        author = mask.value(author) if outside else author
    return Glance(task_id, title, kind, client, requester, channel, waiting_on, latest_kind,
                  author or "", at, body[:EXCERPT])


# --- what a change can be ----------------------------------------------------------------------


class Assignables(Struct, frozen=True):
    """Who work can be given to: agents that may write (username, name), and teams (id, name)."""

    agents: tuple[tuple[str, str], ...]
    teams: tuple[tuple[int, str], ...]


def assignables() -> Assignables:
    """Every agent but viewers, by user name, and every team, by name."""
    agents = (Agent.select(Agent.username, Agent.name).where(Agent.role != "viewer")
              .order_by(Agent.username).tuples())
    teams = Team.select(Team.id, Team.name).order_by(Team.name).tuples()
    return Assignables(tuple(agents), tuple(teams))


def statuses_for(target: Target) -> list[str]:
    """The status names the target's tasks can take: those of their lists, in list order,
    each name once. For "every row of a query" the statuses of every list."""
    query = (Status.select(Status.name).join(TaskList)
             .order_by(TaskList.position, TaskList.id, Status.position))
    if target.every is None:
        lists = Task.select(Task.task_list).where(Task.id.in_(sorted(target.ids)))
        query = query.where(Status.task_list.in_(lists))
    seen: dict[str, str] = {}
    for (name,) in query.tuples():
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def tag_suggestions(limit: int = 500) -> list[str]:
    """Existing tag names, for completion."""
    return [name for (name,) in Tag.select(Tag.name).order_by(Tag.name).limit(limit).tuples()]


def client_choices(text: str, limit: int = 10) -> list[tuple[int, str]]:
    """(id, name) of up to `limit` clients whose name contains `text` (all, by name, when it
    is empty); a client id typed as digits comes first."""
    text = storable_text(str(text).strip(), "a client's name")
    if len(text) > clients.NAME_LIMIT:  # longer than any name: nothing contains it
        return []
    query = Client.select(Client.id, Client.name).order_by(Client.name, Client.id).limit(limit)
    found = list(query.where(fn.LOWER(Client.name).contains(text.lower())).tuples())
    if (client_id := typed_id(text)) is not None:
        by_id = Client.select(Client.id, Client.name).where(Client.id == client_id).tuples()
        found = [*by_id, *(row for row in found if row[0] != client_id)][:limit]
    return found


def snooze_time(text: str, now: datetime) -> datetime | None:
    """When a snooze typed as `text` ends, in `now`'s zone; None for `off` (wake it now).

    Read by desk.dates: a day (`tomorrow`, `fri`, `in 3 days`, `dec 24`, `next week`) means
    SNOOZE_HOUR o'clock that day (next week's Monday); a day and a clock time (`tomorrow
    14:30`, `mon 9:00`) that time; moments (`in 4 hours`, `eod`) as they are. A time that is
    not after `now` is refused.
    """
    if text.strip().lower() == "off":
        return None
    try:
        moment = _snooze_moment(text, now)
    except InvalidInput as error:
        raise InvalidInput(f"cannot read {text.strip()!r} as a snooze time; {SNOOZE_HINT}"
                           ) from error
    if moment <= now:
        raise InvalidInput(f"snooze until {moment:%a %Y-%m-%d %H:%M} has already passed; "
                           f"{SNOOZE_HINT}")
    return moment


def _snooze_moment(text: str, now: datetime) -> datetime:
    """The moment a snooze text names (see `snooze_time`), past or not."""
    try:
        day, _ = dates.parse_range(text, now)
    except InvalidInput:
        return dates.parse_when(text, now)
    return dates.parse_when(f"{day.date().isoformat()} {SNOOZE_HOUR:02d}:00", now)


# --- changing many tasks -----------------------------------------------------------------------


class Listed(Struct, frozen=True):
    """The rows a list shows: the inbox, or the task query `query`, as of `context`.
    For the inbox `query` narrows it further."""

    context: filters.Context
    query: str = ""
    inbox: bool = False

    def ids_query(self):
        """The SELECT of the ids of these rows."""
        if self.inbox:
            return inbox_ids_query(self.context, self.query)
        return listing.task_ids_query(self.query, self.context)


class Target(Struct, frozen=True):
    """The tasks a change applies to: the tasks `ids`, or with `every` each row listed there
    except `ids` (a list's marks after "mark all")."""

    ids: frozenset[int] = frozenset()
    every: Listed | None = None

    def task_ids(self) -> list[int]:
        """The ids of the tasks, in id order; "every row" is read now."""
        if self.every is None:
            return sorted(self.ids)
        listed = {task_id for (task_id, *_) in self.every.ids_query().order_by().tuples()}
        return sorted(listed - self.ids)


class Summary(Struct, frozen=True):
    """What `apply` did: tasks changed, tasks already so, and (id, reason) of the failures."""

    changed: tuple[int, ...] = ()
    unchanged: tuple[int, ...] = ()
    failed: tuple[tuple[int, str], ...] = ()

    @property
    def total(self) -> int:
        """How many tasks the change was tried on."""
        return len(self.changed) + len(self.unchanged) + len(self.failed)


def apply(agent: AgentRef, target: Target, *, now: datetime | None = None,
          sla_rules: Book | None = None, hold_seconds: int = 0, **change: object) -> Summary:
    """Apply one change to every task of `target`, in batches of BATCH per transaction.

    Changes (several may go together): `priority` (name), `status` (name; tasks whose list
    lacks it fail), `assignee` (a user name: that agent becomes the one assignee),
    `round_robin` (a team name: each task goes to the team and to the member whose turn it
    is, skipping people away and viewers; see teams.next_in_team), `team_id`,
    `tags` (text: `vip` adds, `-spam` removes), `client_id` (None unlinks), `snooze` (an
    aware datetime after `now`, or None to wake), `reply` and `note` (text, added as a comment
    after the field changes). Values that are wrong for every task (an unknown priority,
    agent, team or client, a snooze in the past) are refused before anything changes.
    A query's SLA due times move with its priority and client, by `sla_rules` (needed for
    those changes, as desk.work.tasks.update says). A reply's e-mail waits `hold_seconds`
    (its undo window) before it may go out.
    """
    require_writer(agent)
    known_fields(change, CHANGES, "task in triage")
    if not change:
        raise InvalidInput("there is nothing to change")
    fields, notes = _prepare(change, now or datetime.now(UTC))
    changed: list[int] = []
    unchanged: list[int] = []
    failed: list[tuple[int, str]] = []
    ids = target.task_ids()
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        with database.atomic():
            rows = {row.id: row for row in tasks.rows_for(batch)}
            for task_id in batch:
                row = rows.get(task_id)
                if row is None:
                    failed.append((task_id, f"no task {task_id}"))
                    continue
                try:
                    did = _apply_one(agent, row, fields, notes, sla_rules, hold_seconds)
                except DeskError as error:
                    failed.append((task_id, str(error)))
                else:
                    (changed if did else unchanged).append(task_id)
    return Summary(tuple(changed), tuple(unchanged), tuple(failed))


def _prepare(change: dict[str, object], now: datetime) -> tuple[dict[str, object], list]:
    """The task fields to update and the comments to add, checked once for all tasks."""
    fields: dict[str, object] = {}
    if "priority" in change:
        fields["priority"] = str(change["priority"])
        tasks.priority_number(fields["priority"])
    if "status" in change:
        fields["status"] = str(change["status"])
    if "assignee" in change:
        username = str(change["assignee"])
        if not Agent.select().where(Agent.username == username).exists():
            raise NotFound(f"no agent named {username!r}")
        fields["assignees"] = (username,)
    if "round_robin" in change:
        name = str(change["round_robin"]).strip()
        team = Team.select(Team.id, Team.name).where(fn.LOWER(Team.name) == name.lower()).first()
        if team is None:
            raise NotFound(f"no team named {name!r}")
        fields["round_robin"] = team.name
    for name, model in (("team_id", Team), ("client_id", Client)):
        if name in change:
            value = change[name]
            if value is not None and not model.select().where(model.id == value).exists():
                raise NotFound(f"no {model.__name__.lower()} {value}")
            fields[name] = value
    if "tags" in change:
        add, remove = tag_changes(str(change["tags"]))
        fields["tags"] = (_spelled(add), {name.casefold() for name in remove})
    if "snooze" in change:
        until = change["snooze"]
        if until is not None:
            if not isinstance(until, datetime) or until.tzinfo is None:
                raise InvalidInput(f"snooze needs a date and time with a zone, not {until!r}")
            if until <= now:
                raise InvalidInput(f"snooze until {until:%Y-%m-%d %H:%M} has already passed")
        fields["snoozed_until"] = until
    notes = [(kind, change[kind]) for kind in ("reply", "note") if kind in change]
    for kind, body in notes:
        if not isinstance(body, str) or not body.strip():
            raise InvalidInput(f"a {kind} needs some text")
    return fields, notes


def _spelled(names: Iterable[str]) -> tuple[str, ...]:
    """Tag names as the existing tags spell them (ignoring case), new ones as typed."""
    wanted = list(names)
    known = {name.casefold(): name for (name,) in Tag.select(Tag.name)
             .where(fn.LOWER(Tag.name).in_([name.lower() for name in wanted])).tuples()}
    return tuple(known.get(name.casefold(), name) for name in wanted)


def _apply_one(agent: AgentRef, row: tasks.TaskRow, fields: dict[str, object],
               notes: list, sla_rules: Book | None, hold_seconds: int = 0) -> bool:
    """Change one task at its current version, all or nothing; whether anything changed."""
    # Imported here, not with the module: the inbox list imports this module and needs
    # neither, and they would add some 30 ms to the app's first paint.
    from desk.work import comments

    changes = dict(fields)
    if "tags" in changes:
        add, remove = changes["tags"]
        kept = [tag for tag in row.tags if tag.casefold() not in remove]
        changes["tags"] = tuple(dict.fromkeys([*kept, *add]))
    with database.atomic():
        did = False
        if "round_robin" in changes:  # whose turn it is, taken in this task's transaction
            team = changes.pop("round_robin")
            changes["assignees"] = (teams.next_in_team(team),)
            changes["team_id"] = Team.select(Team.id).where(Team.name == team).scalar()
        if changes:
            did = (tasks.update(agent, row.id, row.version, sla_rules=sla_rules, **changes)
                   .row.version != row.version)
        for kind, body in notes:
            if kind == "reply":
                comments.reply(agent, row.id, body, hold_seconds=hold_seconds)
            else:
                comments.note(agent, row.id, body)
            did = True
    return did
