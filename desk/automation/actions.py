"""What automation rules do: each action of `do`, carried out through the ordinary services.

desk.automation.processor calls `run` inside the rule's transaction and inside
`audit.acting_as`, so every change is recorded under the rule's name with its event one level
deeper than the change that fired it. Each action returns a short phrase saying what it did,
for the processor's report and the dry run. Also here: the outbox (`queue_email`); a team's
round robin is desk.kernel.teams.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime

from msgspec import Struct

from desk.automation.rules import Action, Assignee, due_moment, render
from desk.crm import clients, interactions
from desk.errors import InvalidInput
from desk.kernel import teams
from desk.kernel.agents import AgentRef
from desk.mail import outbox
from desk.models import (
    Agent,
    Client,
    QueryData,
    Task,
)
from desk.sla import Book
from desk.support.feedback import links
from desk.work import checklists, comments, custom_fields, tasks, workspace

_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")


class Firing(Struct, frozen=True):
    """One rule firing on one subject: who acts (`runner`, an agent who may write), when
    (`now`, aware in the configured zone), by which SLA rules and calendar (`sla_rules`: due
    dates in business days, the due times of queries), on what (`task_id`, `client_id`,
    `list_id` of the subject; a client subject has no task), the placeholder values, and for
    a birthday rule the birthday (`occasion`). `portal_url` is the portal's public address
    when the portal is on ("" when off): the one-click links of {csat.links} lead there."""

    runner: AgentRef
    now: datetime
    sla_rules: Book
    task_id: int | None
    client_id: int | None
    list_id: int | None
    values: Mapping[str, str]
    occasion: date | None = None
    portal_url: str = ""


def run(action: Action, firing: Firing) -> str:
    """Do one action; returns what it did, e.g. 'create task "Invoice X" on Billing'.
    Raises a DeskError when it cannot (the caller rolls the rule back)."""
    return _ACTIONS[action.kind](action.options, firing)


def _create_task(options: Mapping, firing: Firing) -> str:
    """A new task, on the list named (else the subject's), for the same client by default."""
    title = render(options["title"], firing.values)
    target = (workspace.find_list(options["list"]) if options["list"]
              else workspace.get_list(firing.list_id))
    due = (due_moment(options["due"], firing.now, firing.sla_rules.calendar, firing.occasion)
           if options["due"] else None)
    assignee = _assignee(options["assign"], firing) if options["assign"] else None
    detail = tasks.create(
        firing.runner, title, target.id, status=options["status"],
        priority=options["priority"] or "normal",
        description=render(options["description"], firing.values),
        client_id=firing.client_id if options["same_client"] else None, due_at=due,
        tags=options["tags"], assignees=[assignee] if assignee else [],
        sla_rules=firing.sla_rules)
    if options["template"]:
        checklists.apply_template(firing.runner, detail.row.id, options["template"])
    parts = [f'create task "{title}" on {target.name}']
    if due is not None:
        parts.append(f"due {due:%Y-%m-%d %H:%M}")
    if assignee:
        parts.append(f"for {assignee}")
    return ", ".join(parts)


def _set(options: Mapping, firing: Firing) -> str:
    """Change the subject task's status, priority, due date or custom fields."""
    task_id = _task(firing)
    changes: dict[str, object] = {}
    said = []
    for name, value in options.items():
        if name.startswith("custom:"):
            field = name.removeprefix("custom:")
            custom_fields.set_value(firing.runner, task_id, _version(task_id), field, value)
            said.append(f"{field} to {value}")
        elif name == "due":
            changes["due_at"] = due_moment(value, firing.now, firing.sla_rules.calendar)
            said.append(f"due to {changes['due_at']:%Y-%m-%d %H:%M}")
        else:
            changes[name] = value
            said.append(f"{name} to {value}")
    if changes:
        tasks.update(firing.runner, task_id, _version(task_id), sla_rules=firing.sla_rules,
                     **changes)
    return "set " + ", ".join(said)


def _assign(options: Mapping, firing: Firing) -> str:
    """Add an agent to the subject task's assignees."""
    task_id = _task(firing)
    username = _assignee(options["to"], firing)
    if username is None:
        return "assign nobody (the client has no account manager)"
    row = tasks.get(task_id).row
    tasks.update(firing.runner, task_id, row.version, assignees=(*row.assignees, username))
    return f"assign to {username}"


def _tag(options: Mapping, firing: Firing) -> str:
    """Add tags to the subject task, or to the client of a client rule."""
    added = options["tags"]
    if firing.task_id is not None:
        row = tasks.get(firing.task_id).row
        tasks.update(firing.runner, row.id, row.version, tags=(*row.tags, *added))
    else:
        client = clients.get(firing.client_id, firing.runner).row
        clients.update(firing.runner, client.id, client.version, tags=(*client.tags, *added))
    return "tag " + ", ".join(f"#{tag}" for tag in added)


def _note(options: Mapping, firing: Firing) -> str:
    """An internal note on the subject task."""
    comments.note(firing.runner, _task(firing), render(options["text"], firing.values))
    return "add a note"


def _log_interaction(options: Mapping, firing: Firing) -> str:
    """An interaction with the client, which moves its relationship clock."""
    if firing.client_id is None:
        raise InvalidInput(f"task {firing.task_id} has no client to log an interaction with")
    interactions.log(firing.runner, firing.client_id, options["kind"],
                     render(options["summary"], firing.values), task_id=firing.task_id)
    return f"log a {options['kind']} interaction"


def _email(options: Mapping, firing: Firing) -> str:
    """Queue an e-mail to the requester, the client, its account manager or an address."""
    address = _address(options["to"], firing)
    subject = " ".join(render(options["subject"], firing.values).split())[:500]
    reply_to = (QueryData.select(QueryData.message_id)
                .where(QueryData.task == firing.task_id).scalar()
                if firing.task_id is not None else None)
    values = {**firing.values, "csat.links": _csat_links(options["body"], firing, address)}
    queue_email(firing.runner, address, subject, render(options["body"], values),
                task_id=firing.task_id, client_id=firing.client_id, in_reply_to=reply_to)
    return f'queue e-mail "{subject}" to {address}'


def _csat_links(body: str, firing: Firing, address: str) -> str:
    """What {csat.links} stands for in an e-mail about a query: its CSAT survey's one-click
    links when the body names them and the portal is on; "" otherwise."""
    if ("{csat.links}" not in body or not firing.portal_url or firing.task_id is None
            or not Task.select().where((Task.id == firing.task_id)
                                       & (Task.kind == "query")).exists()):
        return ""
    return links.csat_links(firing.runner, firing.portal_url, firing.task_id, address)


_ACTIONS: dict[str, Callable[[Mapping, Firing], str]] = {
    "create_task": _create_task, "set": _set, "assign": _assign, "tag": _tag, "note": _note,
    "log_interaction": _log_interaction, "email": _email,
}


# --- helpers -------------------------------------------------------------------------------


def _task(firing: Firing) -> int:
    """The subject task (the rules only give task actions to task rules)."""
    if firing.task_id is None:
        raise InvalidInput("this action needs a task")
    return firing.task_id


def _version(task_id: int) -> int:
    """The task's current version (read inside the rule's transaction)."""
    return tasks.get(task_id).row.version


def _assignee(spec: Assignee, firing: Firing) -> str | None:
    """The user name an assignment goes to; None for a client without an account manager."""
    if spec.kind == "round_robin":
        return teams.next_in_team(spec.name)
    if spec.kind == "account_manager":
        if firing.client_id is None:
            return None
        return (Agent.select(Agent.username).join(Client, on=Client.account_manager == Agent.id)
                .where(Client.id == firing.client_id).scalar())
    return spec.name


def _address(to: str, firing: Firing) -> str:
    """The e-mail address `to` names for this firing; InvalidInput when it has none."""
    if "@" in to:
        address, whose = to, "the rule"
    elif to == "account_manager":
        address = (Agent.select(Agent.email).join(Client, on=Client.account_manager == Agent.id)
                   .where(Client.id == firing.client_id).scalar()) if firing.client_id else ""
        whose = "the account manager"
    else:
        address = firing.values.get(f"{to}.email", "")
        whose = f"the {to}"
    if not address or not _ADDRESS.fullmatch(address):
        raise InvalidInput(f"{whose} has no e-mail address to write to")
    return address


def queue_email(agent: AgentRef, to_address: str, subject: str, body: str, *,
                task_id: int | None = None, client_id: int | None = None,
                in_reply_to: str | None = None) -> int:
    """Put an e-mail in the outbox for the sender to deliver; returns its id (see
    desk.mail.outbox.queue: it checks the recipient and the subject, and records it)."""
    return outbox.queue(agent, to_address, subject, body, task_id=task_id,
                        client_id=client_id, in_reply_to=in_reply_to)
