"""The query language compiled to SQL conditions, for tasks and for clients.

`desk.query` reads the syntax; this module gives each field its meaning. Every condition is
an indexed-friendly peewee expression; free text goes through the full-text index.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from msgspec import Struct
from msgspec.structs import replace
from peewee import Expression, Field, fn

from desk import dates, query
from desk.clock import to_utc
from desk.dialect import days_before
from desk.errors import InvalidInput, QueryError
from desk.kernel import confidential, search
from desk.models import (
    Agent,
    Client,
    ClientTag,
    Space,
    Status,
    Tag,
    Task,
    TaskAssignee,
    TaskList,
    TaskTag,
    Team,
)
from desk.money import finite_decimal
from desk.vocabulary import CATEGORIES, CLIENT_KINDS, LIFECYCLE_STAGES, PRIORITIES, TASK_KINDS
from desk.work.links import linked

MAX_INTEGER = 2**63 - 1  # the largest integer SQLite and PostgreSQL bigint hold
COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}

TASK_FIELDS = {
    "status": "status", "st": "status", "is": "is", "priority": "priority", "p": "priority",
    "assignee": "assignee", "tag": "tag", "client": "client", "kind": "kind", "list": "list",
    "space": "space", "team": "team", "due": "due", "start": "start", "created": "created",
    "updated": "updated", "parent": "parent", "id": "id", "text": "text",
}
CLIENT_FIELDS = {
    "kind": "kind", "stage": "stage", "lifecycle": "stage", "manager": "manager",
    "assignee": "manager", "am": "manager", "score": "score", "tag": "tag", "name": "name",
    "email": "email", "contact": "contact", "acquired": "acquired", "retainer": "retainer",
    "confidential": "confidential", "is": "is", "id": "id", "text": "text",
}

TASK_IS = ("open", "done", "closed", "overdue", "unassigned", "snoozed", "subtask", "top")
"""The words `is:` takes in a task query."""
CLIENT_IS = ("overdue", "confidential", "retained", "archived")
"""The words `is:` takes in a client query."""


class Context(Struct, frozen=True):
    """What a query's words depend on: who is asking (@me) and when (today)."""

    username: str
    now: datetime  # aware, in the person's time zone
    admin: bool = False  # admins see confidential clients in full

    @property
    def asker(self) -> confidential.Asker:
        """Who is asking, as the confidentiality rule needs it."""
        return confidential.Asker(self.username, self.admin)


def parse_tasks(text: str) -> query.Query:
    """Parse a task query."""
    return query.parse(text, TASK_FIELDS)


def parse_clients(text: str) -> query.Query:
    """Parse a client query."""
    return query.parse(text, CLIENT_FIELDS)


def task_conditions(parsed: query.Query, context: Context) -> list[Expression]:
    """One condition per term of a task query (terms are ANDed)."""
    return [_negate(term, _term(term, parsed.text, context, TASK_HANDLERS))
            for term in parsed.terms]


def client_conditions(parsed: query.Query, context: Context) -> list[Expression]:
    """One condition per term of a client query (terms are ANDed); archived clients are
    left out unless a term asks about them (`is:archived`)."""
    conditions = [_negate(term, _term(term, parsed.text, context, CLIENT_HANDLERS))
                  for term in parsed.terms]
    if not any(term.field == "is" and "archived" in {value.lower() for value in term.values}
               for term in parsed.terms):
        conditions.append(Client.archived_at.is_null())
    return conditions


def mentions(parsed: query.Query, *names: str) -> bool:
    """Whether the query uses any of these fields."""
    return bool(parsed.fields() & set(names))


def asks_for(parsed: query.Query, field: str, value: str) -> bool:
    """Whether the query asks for `field:value` (not negated), e.g. `is:snoozed`."""
    return any(term.field == field and not term.negated
               and value in {word.lower() for word in term.values} for term in parsed.terms)


def _negate(term: query.Term, condition: Expression) -> Expression:
    """NOT the condition for a negated term."""
    return ~condition if term.negated else condition


def _term(term: query.Term, text: str, context: Context,
          handlers: dict[str, Callable[[query.Term, Context], Expression]]) -> Expression:
    """The condition of one term; a bad value becomes a QueryError pointing at it."""
    if term.field == "text" and text[term.value_start:term.value_start + 1] == '"':
        # A quoted phrase is searched as a phrase, not as separate words.
        term = replace(term, values=(f'"{term.values[0].replace(chr(34), " ")}"',))
    try:
        return handlers[term.field](term, context)
    except InvalidInput as error:
        raise QueryError(str(error), text, term.value_start) from error


# --- shared value readers ------------------------------------------------------------------


def _only_colon(term: query.Term) -> None:
    """Refuse <, > on a field that has no order."""
    if term.op != ":":
        raise InvalidInput(f"{term.field} takes field:value, not {term.op}")


def _choices(term: query.Term, allowed: tuple[str, ...] | dict) -> list[str]:
    """The term's values, each checked against the allowed words."""
    _only_colon(term)
    values = [value.lower() for value in term.values]
    for value in values:
        if value not in allowed:
            raise InvalidInput(f"{term.field} must be one of {', '.join(allowed)}, not {value!r}")
    return values


def _number(value: str, what: str) -> Decimal:
    """A finite number typed in a query."""
    number = finite_decimal(value.strip())
    if number is None:
        raise InvalidInput(f"{what} needs a number, not {value!r}")
    return number


def _whole(value: str, what: str) -> int:
    """A whole number from 0 to the largest the database holds (ids, scores)."""
    number = _number(value, what)
    if number != number.to_integral_value() or not 0 <= number <= MAX_INTEGER:
        raise InvalidInput(f"{what} needs a whole number, not {value!r}")
    return int(number)


def _numeric(term: query.Term, column: Field) -> Expression:
    """`field:1,2` or `field>=3` on a whole-number column."""
    if term.op == ":":
        return column.in_([_whole(v, term.field) for v in term.values])
    return COMPARE[term.op](column, _whole(term.values[0], term.field))


def _dates(term: query.Term, column: Field, context: Context,
           still_open: Expression | None = None) -> Expression:
    """Date words on a datetime column: `due:today`, `due:week`, `due:none`, `due<+3d`, and
    `due:overdue` where the record has an open state (`still_open`)."""
    if term.op != ":":
        return COMPARE[term.op](column, to_utc(dates.parse_when(term.values[0], context.now)))
    conditions = []
    for value in term.values:
        word = value.lower()
        if word == "none":
            conditions.append(column.is_null())
        elif word == "overdue" and still_open is not None:
            conditions.append((column < to_utc(context.now)) & still_open)
        else:
            start, end = dates.parse_range(value, context.now)
            conditions.append((column >= to_utc(start)) & (column < to_utc(end)))
    return _any(conditions)


def _days(term: query.Term, column: Field, context: Context) -> Expression:
    """Date words on a calendar-date column (`acquired:month`, `acquired<2026-01-01`),
    compared as local calendar days."""
    if term.op != ":":
        return COMPARE[term.op](column, dates.parse_when(term.values[0], context.now).date())
    conditions = []
    for value in term.values:
        if value.lower() == "none":
            conditions.append(column.is_null())
            continue
        start, end = dates.parse_range(value, context.now)
        conditions.append((column >= start.date()) & (column < end.date()))
    return _any(conditions)


def _any(conditions: list[Expression]) -> Expression:
    """OR of the conditions."""
    result = conditions[0]
    for condition in conditions[1:]:
        result = result | condition
    return result


def _contains(column: Field, value: str) -> Expression:
    """Case-insensitive substring match on a short column."""
    return fn.LOWER(column).contains(value.lower())


# --- tasks ---------------------------------------------------------------------------------


def _task_status(term: query.Term, context: Context) -> Expression:
    """`status:open` (a category), `status:"waiting on client"` (a status name) or `status:12`
    (a status id, like `list:7`: exact where a status is named like a category, as a board
    column needs)."""
    _only_colon(term)
    ids = [_whole(v, "status") for v in term.values if v.isdigit()]
    categories = [v.lower() for v in term.values if v.lower() in CATEGORIES]
    names = [v.lower() for v in term.values
             if v.lower() not in CATEGORIES and not v.isdigit()]
    conditions = [Task.status.in_(ids)] if ids else []
    if categories:
        conditions.append(Task.category.in_(categories))
    if names:
        known = Status.select(Status.id).where(fn.LOWER(Status.name).in_(names))
        if not known.exists():
            raise InvalidInput(
                f"no status named {names[0]!r} (categories: {', '.join(CATEGORIES)})")
        conditions.append(Task.status.in_(known))
    return _any(conditions)


def _task_is(term: query.Term, context: Context) -> Expression:
    """`is:open` (not done or closed), `is:done`, `is:overdue`, `is:unassigned`, `is:snoozed`."""
    words = _choices(term, TASK_IS)
    now = to_utc(context.now)
    meaning = {
        "open": lambda: Task.closed_at.is_null(),
        "done": lambda: Task.closed_at.is_null(False),
        "closed": lambda: Task.category == "closed",
        "overdue": lambda: Task.closed_at.is_null() & (Task.due_at < now),
        "unassigned": lambda: ~Task.id.in_(TaskAssignee.select(TaskAssignee.task)),
        "snoozed": lambda: Task.snoozed_until > now,
        "subtask": lambda: Task.parent.is_null(False),
        "top": lambda: Task.parent.is_null(),
    }
    return _any([meaning[word]() for word in words])


def _task_priority(term: query.Term, context: Context) -> Expression:
    """`priority:urgent,high` or `priority>=high` (at least as urgent as high)."""
    if term.op == ":":
        return Task.priority.in_([PRIORITIES[v] for v in _choices(term, PRIORITIES)])
    word = term.values[0].lower()
    if word not in PRIORITIES:
        raise InvalidInput(f"priority must be one of {', '.join(PRIORITIES)}, not {word!r}")
    # Urgent is 1: "higher than" means a smaller number.
    flipped = {"<": operator.gt, "<=": operator.ge, ">": operator.lt, ">=": operator.le}
    return flipped[term.op](Task.priority, PRIORITIES[word])


def _task_assignee(term: query.Term, context: Context) -> Expression:
    """`@me`, `@alice,bob`, `@none`."""
    _only_colon(term)
    names = [context.username if v.lower() == "me" else v for v in term.values]
    conditions = []
    if any(v.lower() == "none" for v in term.values):
        conditions.append(~Task.id.in_(TaskAssignee.select(TaskAssignee.task)))
        names = [n for n in names if n.lower() != "none"]
    if names:
        agents = [i for (i,) in Agent.select(Agent.id).where(Agent.username.in_(names)).tuples()]
        conditions.append(linked(Task.id, TaskAssignee.task, TaskAssignee.agent.in_(agents)))
    return _any(conditions)


def _tagged(term: query.Term, owner: Field, link: type, link_owner: Field) -> Expression:
    """`#billing`, `#a,b` (any of them, ignoring case) and `#none` (no tag at all), for
    tasks or clients."""
    _only_colon(term)
    conditions = []
    names = [v.lower() for v in term.values if v.lower() != "none"]
    if len(names) != len(term.values):
        conditions.append(~owner.in_(link.select(link_owner)))
    if names:
        tags = [i for (i,) in Tag.select(Tag.id).where(fn.LOWER(Tag.name).in_(names)).tuples()]
        conditions.append(linked(owner, link_owner, link.tag.in_(tags)))
    return _any(conditions)


def _task_client(term: query.Term, context: Context) -> Expression:
    """`client:acme` (name contains), `client:12` (id), `client:none`."""
    _only_colon(term)
    conditions = []
    for value in term.values:
        if value.lower() == "none":
            conditions.append(Task.client.is_null())
        elif value.isdigit():
            conditions.append(Task.client == _whole(value, "client"))
        else:
            conditions.append(Task.client.in_(
                Client.select(Client.id).where(_contains(Client.name, value))))
    return _any(conditions)


def _task_kind(term: query.Term, context: Context) -> Expression:
    """`kind:query`, `kind:order,task`."""
    return Task.kind.in_(_choices(term, TASK_KINDS))


def _task_list(term: query.Term, context: Context) -> Expression:
    """`list:Orders`, `list:7`."""
    _only_colon(term)
    conditions = []
    for value in term.values:
        if value.isdigit():
            conditions.append(Task.task_list == _whole(value, "list"))
        else:
            named = [i for (i,) in TaskList.select(TaskList.id)
                     .where(fn.LOWER(TaskList.name) == value.lower()).tuples()]
            if not named:
                raise InvalidInput(f"no list named {value!r}")
            # One list is an equality, so the (list, position) index also gives the order.
            conditions.append(Task.task_list == named[0] if len(named) == 1
                              else Task.task_list.in_(named))
    return _any(conditions)


def _named_ids(model: type, values: tuple[str, ...], what: str) -> list[int]:
    """Ids of the rows whose name is one of `values` (ignoring case); an unknown name is an
    error rather than an empty list."""
    ids = []
    for value in values:
        found = [i for (i,) in model.select(model.id)
                 .where(fn.LOWER(model.name) == value.lower()).tuples()]
        if not found:
            raise InvalidInput(f"no {what} named {value!r}")
        ids += found
    return ids


def _task_space(term: query.Term, context: Context) -> Expression:
    """`space:Support`."""
    _only_colon(term)
    spaces = _named_ids(Space, term.values, "space")
    return Task.task_list.in_(TaskList.select(TaskList.id).where(TaskList.space.in_(spaces)))


def _task_team(term: query.Term, context: Context) -> Expression:
    """`team:Fulfilment`, `team:none`."""
    _only_colon(term)
    names = tuple(v for v in term.values if v.lower() != "none")
    conditions = [Task.team.in_(_named_ids(Team, names, "team"))] if names else []
    if len(names) != len(term.values):
        conditions.append(Task.team.is_null())
    return _any(conditions)


def _task_parent(term: query.Term, context: Context) -> Expression:
    """`parent:12` (subtasks of 12), `parent:none` (top-level tasks)."""
    _only_colon(term)
    conditions = []
    for value in term.values:
        if value.lower() == "none":
            conditions.append(Task.parent.is_null())
        else:
            conditions.append(Task.parent == _whole(value, "parent"))
    return _any(conditions)


def _task_text(term: query.Term, context: Context) -> Expression:
    """Free text, matched in titles, descriptions and comments through the search index;
    never through a word of a confidential client's hidden values that the asker may not see
    (desk.kernel.confidential.unseen_matches): that client's tasks are left out."""
    found = search.task_condition(term.values[0])
    hidden = confidential.unseen_matches(term.values[0], context.asker)
    return found & (Task.client.is_null() | Task.client.not_in(hidden)) if hidden else found


TASK_HANDLERS: dict[str, Callable[[query.Term, Context], Expression]] = {
    "status": _task_status,
    "is": _task_is,
    "priority": _task_priority,
    "assignee": _task_assignee,
    "tag": lambda term, context: _tagged(term, Task.id, TaskTag, TaskTag.task),
    "client": _task_client,
    "kind": _task_kind,
    "list": _task_list,
    "space": _task_space,
    "team": _task_team,
    "due": lambda term, context: _dates(term, Task.due_at, context, Task.closed_at.is_null()),
    "start": lambda term, context: _dates(term, Task.start_at, context),
    "created": lambda term, context: _dates(term, Task.created_at, context),
    "updated": lambda term, context: _dates(term, Task.updated_at, context),
    "parent": _task_parent,
    "id": lambda term, context: _numeric(term, Task.id),
    "text": _task_text,
}


# --- clients -------------------------------------------------------------------------------


def _client_manager(term: query.Term, context: Context) -> Expression:
    """`manager:alice`, `@me`, `manager:none`."""
    _only_colon(term)
    names = [context.username if v.lower() == "me" else v for v in term.values]
    conditions = []
    if any(v.lower() == "none" for v in names):
        conditions.append(Client.account_manager.is_null())
    known = [n for n in names if n.lower() != "none"]
    if known:
        conditions.append(Client.account_manager.in_(
            Agent.select(Agent.id).where(Agent.username.in_(known))))
    return _any(conditions)


def _client_is(term: query.Term, context: Context) -> Expression:
    """`is:overdue` (past the contact cadence), `is:confidential`, `is:retained`,
    `is:archived`."""
    words = _choices(term, CLIENT_IS)
    now = to_utc(context.now)
    meaning = {
        "overdue": lambda: Client.contact_cadence_days.is_null(False) & (
            Client.last_contact_at.is_null()
            | (Client.last_contact_at < _cadence_deadline(now))),
        "confidential": lambda: Client.confidential == True,  # noqa: E712 (SQL comparison)
        "retained": lambda: Client.retainer_amount > 0,
        "archived": lambda: Client.archived_at.is_null(False),
    }
    return _any([meaning[word]() for word in words])


def _cadence_deadline(now: datetime) -> Expression:
    """The last-contact time before which a client is past its contact cadence."""
    return days_before(now, Client.contact_cadence_days)


def _client_text(term: query.Term, context: Context) -> Expression:
    """Free text in names, contact people and e-mail addresses, through the search index. A
    confidential client the asker may not see in full is found by its own document alone
    (its name) when a word reaches it through a hidden value (see `_task_text`)."""
    text = term.values[0]
    found = Client.id.in_(search.matching(text, "client_id"))
    hidden = confidential.unseen_matches(text, context.asker)
    if not hidden:
        return found
    return found & (Client.id.not_in(hidden) | Client.id.in_(search.client_matches(text)))


def _client_retainer(term: query.Term, context: Context) -> Expression:
    """`retainer:yes|no` or `retainer>=1000`."""
    if term.op == ":":
        words = _choices(term, ("yes", "no"))
        has = Client.retainer_amount > 0
        return _any([has if w == "yes" else (Client.retainer_amount.is_null() | ~has)
                     for w in words])
    return COMPARE[term.op](Client.retainer_amount, _number(term.values[0], "retainer"))


def _client_bool(term: query.Term, column: Field) -> Expression:
    """`confidential:yes|no`."""
    words = _choices(term, ("yes", "no"))
    return column.in_([w == "yes" for w in words])


CLIENT_HANDLERS: dict[str, Callable[[query.Term, Context], Expression]] = {
    "kind": lambda term, context: Client.kind.in_(_choices(term, CLIENT_KINDS)),
    "stage": lambda term, context: Client.lifecycle_stage.in_(
        [v.replace("-", "_").replace(" ", "_") for v in _choices(
            term, {s: s for s in LIFECYCLE_STAGES} | {"at-risk": "at_risk"})]),
    "manager": _client_manager,
    "score": lambda term, context: _numeric(term, Client.lead_score),
    "tag": lambda term, context: _tagged(term, Client.id, ClientTag, ClientTag.client),
    "name": lambda term, context: _any([_contains(Client.name, v) for v in term.values]),
    "email": lambda term, context: _any([_contains(Client.email, v) for v in term.values])
    & confidential.seen_in_full(context.asker),
    "contact": lambda term, context: _dates(term, Client.last_contact_at, context),
    "acquired": lambda term, context: _days(term, Client.acquisition_date, context),
    "retainer": _client_retainer,
    "confidential": lambda term, context: _client_bool(term, Client.confidential),
    "is": _client_is,
    "id": lambda term, context: _numeric(term, Client.id),
    "text": _client_text,
}
