"""What automation rules see: a task or a client, with the facts conditions test and the
values placeholders become, read for many rows at once (one query per table).

The time triggers judge hundreds of tasks in one run, so subjects are always read in
batches; an event's subject is a batch of one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from msgspec import Struct
from peewee import JOIN

from desk.automation import rules
from desk.clock import to_local
from desk.crm import clients, contacts
from desk.kernel.agents import AgentRef
from desk.models import CustomField, CustomValue, QueryData, Task, Team
from desk.work import tasks


class Subject(Struct, frozen=True):
    """What a rule fires on: a task or a client. `facts` are what conditions test (texts, or
    tuples of texts for tags and assignees), `values` what placeholders become; `occasion` is
    the birthday a birthday rule fires for."""

    label: str
    task_id: int | None
    client_id: int | None
    list_id: int | None
    facts: Mapping[str, object]
    values: Mapping[str, str]
    occasion: date | None = None


def task_subjects(task_ids: Sequence[int], viewer: AgentRef, now: datetime
                  ) -> dict[int, Subject]:
    """The tasks of `task_ids` that exist, by id; {task.due} is shown in now's zone."""
    rows = tasks.rows_for(task_ids)
    ids = [row.id for row in rows]
    details = {task_id: (description, team) for task_id, description, team in
               Task.select(Task.id, Task.description, Team.name)
               .join(Team, JOIN.LEFT_OUTER, on=Task.team == Team.id)
               .where(Task.id.in_(ids)).tuples()}
    client_ids = sorted({row.client_id for row in rows if row.client_id is not None})
    client_rows = {client.id: client for client in clients.rows_for(client_ids, viewer)}
    requesters = {task_id: (name, email) for task_id, name, email in
                  QueryData.select(QueryData.task, QueryData.requester_name,
                                   QueryData.requester_email)
                  .where(QueryData.task.in_(ids)).tuples()}
    people = contacts.names(client_ids, viewer)
    asked = dict(QueryData.select(QueryData.task, QueryData.requester_contact)
                 .where(QueryData.task.in_(ids)).tuples())
    custom: dict[int, dict[str, str]] = {}
    for task_id, name, value in (CustomValue.select(CustomValue.task, CustomField.name,
                                                    CustomValue.value)
                                 .join(CustomField).where(CustomValue.task.in_(ids)).tuples()):
        custom.setdefault(task_id, {})[f"custom:{name.casefold()}"] = value
    subjects = {}
    for row in rows:
        description, team = details[row.id]
        client = client_rows.get(row.client_id)
        client_values = _client_values(client, None)
        requester, requester_email = requesters.get(row.id, ("", ""))
        facts = {
            "status": row.status, "category": row.category, "title": row.title,
            "description": description, "priority": row.priority, "kind": row.kind,
            "list": row.list, "team": team or "", "client": row.client or "",
            "client_kind": client.kind if client else "", "tags": row.tags,
            "assignees": row.assignees, **custom.get(row.id, {}),
        }
        due = f"{to_local(row.due_at, now.tzinfo):%Y-%m-%d %H:%M}" if row.due_at else ""
        values = {
            "task.id": str(row.id), "task.title": row.title, "task.status": row.status,
            "task.list": row.list, "task.priority": row.priority, "task.kind": row.kind,
            "task.due": due, "requester.name": requester or client_values["client.contact"],
            "requester.email": requester_email or client_values["client.email"],
            **client_values,
            **_contact_values(people.by_id.get(asked.get(row.id)) or requester
                              or people.primary.get(row.client_id)
                              or client_values["client.contact"]),
        }
        subjects[row.id] = Subject(f'task {row.id} "{row.title}"', row.id, row.client_id,
                                   row.list_id, facts, values)
    return subjects


def client_subjects(occasions: Mapping[int, date | None], viewer: AgentRef
                    ) -> dict[int, Subject]:
    """The clients of `occasions` (client id -> the birthday a rule fires for, or None) that
    exist, by id."""
    subjects = {}
    people = contacts.names(list(occasions), viewer)
    for client in clients.rows_for(list(occasions), viewer):
        facts = {
            "name": client.name, "kind": client.kind, "client_kind": client.kind,
            "stage": client.stage, "tags": client.tags,
            "account_manager": client.account_manager or "", "lead_score": client.lead_score,
            "email": client.email, "contact": client.contact_person,
            "retainer_cycle": client.retainer_cycle or "",
        }
        occasion = occasions[client.id]
        values = _client_values(client, occasion)
        values.update(_contact_values(people.primary.get(client.id) or values["client.contact"]))
        subjects[client.id] = Subject(f'client {client.id} "{client.name}"', None, client.id,
                                      None, facts, values, occasion)
    return subjects


def _contact_values(name: str) -> dict[str, str]:
    """The {contact.*} placeholders for the person addressed."""
    return {"contact.name": name, "contact.first_name": contacts.first_name(name)}


def _client_values(client: clients.ClientRow | None, occasion: date | None) -> dict[str, str]:
    """The {client.*} placeholders (empty without a client); the contact falls back to the
    client's name, the birthday is the occasion's date when there is one."""
    if client is None:
        return dict.fromkeys(rules.CLIENT_PLACEHOLDERS, "")
    birthday = occasion or client.birthday
    return {"client.name": client.name, "client.contact": client.contact_person or client.name,
            "client.email": client.email,
            "client.birthday": birthday.isoformat() if birthday else ""}


def event_values(kind: str, data: Mapping[str, object]) -> dict[str, str]:
    """The placeholders an event brings beyond its subject's: a loyalty tier change's
    {tier.from} and {tier.to} ("" for no tier); none for other events."""
    if kind != "client.loyalty_tier_changed":
        return {}
    return {"tier.from": str(data.get("from") or ""), "tier.to": str(data.get("to") or "")}
