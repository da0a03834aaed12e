"""What one step of a sequence does: an e-mail to the client's primary contact through the
outbox, or a task, with the step's {placeholders} filled for the client. `primary_contact`
is the one place that says who a sequence writes to.
"""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from desk import sla
from desk.automation.rules import due_moment, render
from desk.config.automations.schema import Assignee
from desk.config.automations.sequences import Step
from desk.crm import contacts
from desk.errors import InvalidInput
from desk.kernel import teams
from desk.kernel.agents import AgentRef
from desk.mail import outbox
from desk.models import Agent, Client
from desk.work import tasks, workspace


class Contact(Struct, frozen=True):
    """Who a sequence's e-mails go to: a name to greet and an address (possibly empty)."""

    name: str
    email: str


class Done(Struct, frozen=True):
    """What a step did: the outbox row or the task it made, and a phrase saying so."""

    outbox_id: int | None
    task_id: int | None
    summary: str


def primary_contact(client: Client) -> Contact:
    """Who a sequence writes to: the client's primary contact (desk.crm.contacts) with an
    e-mail address of their own, else the organisation's contact person and e-mail."""
    primary = contacts.primary(client.id)
    if primary is not None and primary.email:
        return Contact(primary.name, primary.email)
    return Contact(client.contact_person.strip() or client.name, client.email.strip())


def values(client: Client, sequence: str, runner: AgentRef, now: datetime) -> dict[str, str]:
    """The placeholders of a step for `client`: the client's, its contact's, the sequence's
    name, the agent who signs (the account manager, else `runner`) and today."""
    contact = primary_contact(client)
    manager = (Agent.get_or_none(Agent.id == client.account_manager_id)
               if client.account_manager_id is not None else None)
    return {"client.name": client.name, "client.contact": contact.name,
            "client.email": client.email,
            "client.birthday": client.birthday.isoformat() if client.birthday else "",
            "contact.name": contact.name, "contact.email": contact.email,
            "sequence.name": sequence,
            "agent.name": (manager.name or manager.username) if manager else
            (runner.name or runner.username),
            "today": now.date().isoformat()}


def perform(step: Step, client: Client, sequence: str, runner: AgentRef, now: datetime,
            book: sla.Book) -> Done:
    """Do `step` for `client` by `runner` at `now` (aware); call inside the step's
    transaction. Raises a DeskError when it cannot (no address, no such list)."""
    filled = values(client, sequence, runner, now)
    if step.kind == "email":
        return _email(step.options, client, filled, runner)
    return _task(step.options, client, filled, runner, now, book)


def _email(options: dict, client: Client, filled: dict[str, str], runner: AgentRef) -> Done:
    """Queue the step's e-mail to the primary contact."""
    address = filled["contact.email"]
    if not address:
        raise InvalidInput(f'client "{client.name}" has no e-mail address to write to')
    subject = " ".join(render(options["subject"], filled).split())[:500]
    outbox_id = outbox.queue(runner, address, subject, render(options["body"], filled),
                             client_id=client.id)
    return Done(outbox_id, None, f'queue e-mail "{subject}" to {address}')


def _task(options: dict, client: Client, filled: dict[str, str], runner: AgentRef,
          now: datetime, book: sla.Book) -> Done:
    """Create the step's task for the client."""
    title = render(options["title"], filled)
    target = workspace.find_list(options["list"])
    due = due_moment(options["due"], now, book.calendar) if options["due"] else None
    assignee = _assignee(options["assign"], client)
    detail = tasks.create(runner, title, target.id, priority=options["priority"],
                          description=render(options["description"], filled),
                          client_id=client.id, due_at=due,
                          assignees=[assignee] if assignee else [], sla_rules=book)
    said = f'create task "{title}" on {target.name}'
    return Done(None, detail.row.id, f"{said} for {assignee}" if assignee else said)


def _assignee(spec: Assignee | None, client: Client) -> str | None:
    """The user name a step's task goes to (None: nobody, or no account manager)."""
    if spec is None:
        return None
    if spec.kind == "round_robin":
        return teams.next_in_team(spec.name)
    if spec.kind == "account_manager":
        return (Agent.select(Agent.username).where(Agent.id == client.account_manager_id)
                .scalar() if client.account_manager_id is not None else None)
    return spec.name
