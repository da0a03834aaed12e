"""A retainer client's time statement for the cycle containing a day: the hours of each task
against the hours the retainer includes, and the overage at the client's rate, as the
e-mail an account manager sends at the end of the month (the client screen's Retainer
section, `desk time statement CLIENT [--send]`).

It goes to the client's billing contact, else its primary contact, else the client's own
address, through the outbox like every e-mail desk sends.
"""

from __future__ import annotations

from datetime import date

from msgspec import Struct
from peewee import fn

from desk.crm import contacts, retainers
from desk.durations import hours
from desk.errors import InvalidInput
from desk.kernel.agents import AgentRef
from desk.mail import outbox
from desk.models import Client, Task, TimeEntry
from desk.money import money_text


class Statement(Struct, frozen=True):
    """What the statement says and to whom it goes (`to` is "" when nobody has an address)."""

    client_id: int
    to: str
    to_name: str
    subject: str
    body: str


def statement(client_id: int, today: date, viewer: AgentRef | None,
              currency: str) -> Statement:
    """The statement of the client's retainer cycle containing `today`, addressed as `viewer`
    may see the contacts, amounts in `currency`; InvalidInput for a client without a
    retainer."""
    usage = retainers.usage(client_id, today)
    if usage is None:
        raise InvalidInput("this client has no retainer with hours included "
                           "(desk clients edit NAME --retainer-hours H)")
    name, address = recipient(client_id, viewer)
    cycle = f"{usage.cycle.start:%Y-%m-%d} to {usage.cycle.end:%Y-%m-%d}"
    lines = [f"Hello {contacts.first_name(name) if name else 'there'},", "",
             f"here is the time we spent for {usage.client} from {cycle}:", ""]
    for title, minutes in _by_task(client_id, usage.cycle.start, min(today, usage.cycle.end)):
        lines.append(f"  {hours(minutes):>7} h  {title}")
    lines += ["", f"  {hours(usage.used_minutes):>7} h  billable hours used",
              f"  {hours(usage.included_minutes):>7} h  included in the retainer"]
    if usage.overage_minutes:
        amount = usage.overage_amount
        cost = (f" ({money_text(amount, currency)} at "
                f"{money_text(usage.overage_rate, currency)} an hour)" if amount else "")
        lines.append(f"  {hours(usage.overage_minutes):>7} h  over the retainer{cost}")
    lines += ["", "Reply to this e-mail with any question about it.", ""]
    return Statement(client_id, address, name,
                     f"Time report for {usage.client}, {cycle}", "\n".join(lines))


def send(agent: AgentRef, client_id: int, today: date, currency: str) -> Statement:
    """Queue the statement in the outbox, signed by `agent`, amounts in `currency`;
    InvalidInput when the client has no retainer or nobody to write to."""
    found = statement(client_id, today, agent, currency)
    if not found.to:
        raise InvalidInput("nobody to e-mail: the client has no contact with an e-mail "
                           "address (desk contacts CLIENT add NAME --email E)")
    outbox.queue(agent, found.to, found.subject, outbox.signed(found.body, agent),
                 client_id=client_id)
    return found


def recipient(client_id: int, viewer: AgentRef | None) -> tuple[str, str]:
    """(name, address) a statement goes to: the billing contact, else the primary contact,
    else the client's own address; ("", "") when none has one."""
    people = [row for row in contacts.of_client(client_id, viewer) if row.email]
    for chosen in (next((row for row in people if row.role == "billing"), None),
                   next((row for row in people if row.primary), None)):
        if chosen is not None:
            return chosen.name, chosen.email
    client = Client.get_by_id(client_id)
    return client.contact_person, client.email


def _by_task(client_id: int, first: date, last: date) -> list[tuple[str, int]]:
    """(task title, billable minutes) of the client's tasks in the days, the most first."""
    minutes = fn.SUM(TimeEntry.minutes)
    query = (TimeEntry.select(Task.title, minutes).join(Task, on=TimeEntry.task == Task.id)
             .where((Task.client == client_id) & TimeEntry.billable
                    & TimeEntry.minutes.is_null(False) & TimeEntry.day.between(first, last))
             .group_by(Task.id, Task.title).order_by(minutes.desc(), Task.title))
    return [(title, int(total)) for title, total in query.tuples()]
