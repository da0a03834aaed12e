"""Everything the task screen shows, read in one call, and the few look-ups its editors need.

`load(task_id)` gathers the task with its subtasks, its list's statuses, custom fields and
values, order data, checklists, comments and activity history into one `TaskPage`, so the
screen makes one trip to the database per refresh. Its text (description, comments, history)
is what `read` gives `desk show` too: as the viewer may see it (desk.kernel.confidential).
`client_choices` searches clients by name for the client picker, and `conflict_rows` explains
a ConflictError field by field: both values in words and who changed the field meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from decimal import Decimal

from msgspec import Struct
from msgspec.structs import replace
from peewee import fn

from desk import sla
from desk.clock import to_local
from desk.kernel import audit, confidential
from desk.kernel.agents import AgentRef
from desk.models import Agent, Client, Tag
from desk.money import finite_decimal, money_text
from desk.pages import task_time
from desk.pages.task_time import TaskTime
from desk.recurrence import series as recurrence
from desk.recurrence.series import SeriesView
from desk.support import triage
from desk.work import checklists, comments, custom_fields, orders, tasks, workspace
from desk.work.checklists import ChecklistView
from desk.work.comments import CommentRow
from desk.work.custom_fields import FieldRow
from desk.work.orders import OrderInfo, ProductRow
from desk.work.tasks import TaskDetail
from desk.work.workspace import ListRef

FIELD_LABELS = {
    "title": "Title", "status": "Status", "priority": "Priority", "assignees": "Assignees",
    "start_at": "Start", "due_at": "Due", "client_id": "Client", "tags": "Tags",
    "estimate_minutes": "Estimate", "description": "Description", "team_id": "Team",
    "snoozed_until": "Snoozed until", "product": "Product", "quantity": "Quantity",
    "unit_price": "Unit price", "total": "Total",
}
"""How the screen and the conflict dialog name a stored field."""

CUSTOM = "custom:"
"""The prefix of a custom field's name in changes, conflicts and the history."""

CLIENT_CHOICES = 20
"""How many clients the client picker shows for what is typed."""

TAG_SUGGESTIONS = 500
"""At most this many existing tag names are offered as completions."""


class TaskPage(Struct, frozen=True):
    """One task as its screen shows it, read in one go."""

    detail: TaskDetail
    task_list: ListRef
    fields: tuple[FieldRow, ...]
    values: Mapping[str, str]
    order: OrderInfo | None
    products: tuple[ProductRow, ...]
    checklists: tuple[ChecklistView, ...]
    comments: tuple[CommentRow, ...]
    history: tuple[dict, ...]
    agents: tuple[str, ...]
    tags: tuple[str, ...]
    series: SeriesView | None
    """The task's active recurring series, if it repeats."""
    sla: tuple[sla.Clock, sla.Clock] | None = None
    """For a query read with a moment: its SLA clocks (first response, resolution)."""
    time: TaskTime | None = None
    """The time spent against the estimate, and the newest entries (desk.pages.task_time)."""
    requester: str = ""
    """For a query: who asked ("Ruth Adeyemi <ruth@…> · via email"), as the viewer may see it."""

    @property
    def task_id(self) -> int:
        """The task's id."""
        return self.detail.row.id

    @property
    def version(self) -> int:
        """The version this page was read at: every save names it."""
        return self.detail.row.version


class TaskText(Struct, frozen=True):
    """A task's own words as a person may see them: the task, its comments and its newest
    history (as plain dicts, newest first)."""

    detail: TaskDetail
    comments: tuple[CommentRow, ...]
    history: tuple[dict, ...]


class ConflictRow(Struct, frozen=True):
    """One field of a conflict in words: their stored value, yours, and who changed it."""

    field: str
    label: str
    theirs: str
    yours: str
    changed_by: str


def read(task_id: int, viewer: AgentRef | None, history_limit: int = 200) -> TaskText:
    """The task, its comments and its newest `history_limit` changes as `viewer` may see them
    (nobody's for None): on a task of a confidential client they may not see in full, the
    hidden values in its description, comments and history are masked. NotFound when there
    is no such task."""
    detail = tasks.get(task_id)
    mask = confidential.task_masks(viewer, [task_id]).get(task_id)
    if mask is not None:
        detail = replace(detail, description=mask.text(detail.description))
    return TaskText(detail, tuple(comments.for_task(task_id, viewer)),
                    tuple(confidential.history("task", task_id, viewer, history_limit)))


def load(task_id: int, now: datetime | None = None, sla_rules: sla.Book | None = None, *,
         viewer: AgentRef | None = None) -> TaskPage:
    """The task with everything its screen shows, as `viewer` may see it (see `read`;
    NotFound when there is no such task); with `now` and the `sla_rules`, a query's SLA
    clocks at that moment too."""
    if (now is None) != (sla_rules is None):
        raise ValueError("the SLA clocks need both the moment and the SLA rules")
    text = read(task_id, viewer)
    detail, history = text.detail, text.history
    row = detail.row
    order = orders.order_data(task_id)
    client_names = _client_names(entry for entry in history if entry["field"] == "client_id")
    return TaskPage(
        detail=detail,
        task_list=workspace.get_list(row.list_id),
        fields=tuple(custom_fields.fields_for_list(row.list_id)),
        values=custom_fields.values_for_task(task_id),
        order=order,
        products=tuple(orders.products()) if order is not None else (),
        checklists=tuple(checklists.for_task(task_id)),
        comments=text.comments,
        history=tuple(_named_clients(entry, client_names) for entry in history),
        agents=tuple(name for (name,) in Agent.select(Agent.username)
                     .order_by(Agent.username).tuples()),
        tags=tuple(name for (name,) in Tag.select(Tag.name).order_by(Tag.name)
                   .limit(TAG_SUGGESTIONS).tuples()),
        series=_active(recurrence.series_for(task_id)),
        sla=(sla.clocks([task_id], now, sla_rules).get(task_id)
             if now is not None and sla_rules is not None else None),
        time=task_time.load(task_id),
        requester=_requester(task_id, viewer) if row.kind == "query" else "",
    )


def _requester(task_id: int, viewer: AgentRef | None) -> str:
    """Who asked a query and by which channel, as `viewer` may see it."""
    asked = triage.glance(task_id, viewer)
    return " · via ".join(part for part in (asked.requester, asked.channel) if part)


def _active(series: SeriesView | None) -> SeriesView | None:
    """The series while it runs; a stopped one is not shown."""
    return series if series is not None and series.active else None


def client_choices(text: str, limit: int = CLIENT_CHOICES) -> list[tuple[str, int | None]]:
    """(label, client id) pairs of clients whose name contains `text`, names starting with it
    first; "(no client)" (None) leads, so the picker can also unlink a client."""
    word = text.strip().lower()
    name = fn.LOWER(Client.name)
    query = Client.select(Client.id, Client.name, Client.kind)
    if word:
        query = query.where(name.contains(word)).order_by(~name.startswith(word), Client.name)
    else:
        query = query.order_by(Client.name)
    found = [(f"{client} · {kind}", client_id)
             for client_id, client, kind in query.limit(limit).tuples()]
    return [("(no client)", None), *found]


def template_names() -> list[str]:
    """The names of the checklist templates, for applying one to a task."""
    return [template.name for template in checklists.templates()]


def conflict_rows(conflicts: Mapping[str, tuple[object, object]], task_id: int,
                  read_version: int, zone: tzinfo, currency: str) -> list[ConflictRow]:
    """Each conflicting field with their value and yours as text (times in `zone`, amounts
    in `currency`), and who saved it after `read_version` ("someone" when the history does
    not say)."""
    who = audit.saved_by("task", task_id, read_version, conflicts, zone)
    names = _client_names({"new": value} for pair in [conflicts.get("client_id", ())]
                          for value in pair)
    return [ConflictRow(field, field_label(field),
                        value_text(field, theirs, zone, names, currency=currency),
                        value_text(field, yours, zone, names, currency=currency),
                        who.get(field, "someone"))
            for field, (theirs, yours) in conflicts.items()]


TIME_FIELD_ENDINGS = ("_at", "_due", "_until")
"""How the names of the fields that hold a moment end (due_at, resolution_due, snoozed_until)."""


def field_label(field: str) -> str:
    """How a stored field is named to people: "Due", "Budget (custom field)"."""
    if field.startswith(CUSTOM):
        return f"{field.removeprefix(CUSTOM)} (custom field)"
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


MONEY_FIELDS = ("unit_price", "total", "discount")
"""The task fields (an order's) that hold an amount of money."""


def history_value(field: str, text: str | None, zone: tzinfo, currency: str) -> str | None:
    """A value as the activity history stored it (desk.kernel.audit.as_text), for people: a
    time field's stored moment ("2026-11-20 09:00:00", UTC) in `zone` to the minute; an
    amount ("1200.50") in `currency`; any other value as it is."""
    if text is not None and field in MONEY_FIELDS:
        amount = finite_decimal(text)
        return text if amount is None else money_text(amount, currency)
    if text is None or not field.endswith(TIME_FIELD_ENDINGS):
        return text
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return value_text(field, moment, zone)


def value_text(field: str, value: object, zone: tzinfo,
               client_names: Mapping[int, str] | None = None, *,
               currency: str | None = None) -> str:
    """A field value in words: a time in `zone`, a client by name, an amount in `currency`
    (as typed without one), a list joined by commas, "(empty)" for nothing."""
    if value is None or value == "" or value == ():
        return "(empty)"
    if isinstance(value, datetime):
        local = to_local(value, zone) if value.tzinfo is None else value.astimezone(zone)
        return f"{local:%Y-%m-%d %H:%M}"
    if field == "client_id" and isinstance(value, int):
        return (client_names or {}).get(value, f"client {value}")
    if isinstance(value, Decimal):
        return money_text(value, currency) if currency else f"{value:.2f}"
    if field == "estimate_minutes" and isinstance(value, int):
        hours, minutes = divmod(value, 60)
        return f"{hours}h{minutes:02d}min" if hours else f"{minutes}min"
    if isinstance(value, tuple | list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _client_names(entries) -> dict[int, str]:
    """Client names by id for the ids among the old/new values of history entries."""
    ids = set()
    for entry in entries:
        for key in ("old", "new"):
            text = str(entry.get(key) or "")
            if text.isdigit():
                ids.add(int(text))
    if not ids:
        return {}
    return dict(Client.select(Client.id, Client.name).where(Client.id.in_(list(ids))).tuples())


def _named_clients(entry: dict, names: Mapping[int, str]) -> dict:
    """A history entry with client ids shown as client names."""
    if entry["field"] != "client_id":
        return entry
    named = dict(entry, field="client")
    for key in ("old", "new"):
        text = str(entry[key] or "")
        if text.isdigit():
            named[key] = names.get(int(text), f"client {text}")
    return named
