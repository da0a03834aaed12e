"""Who a reply on a task goes to: the To address (desk.mail.outbox.reply_address: the
requester contact, else the requester, else the client's primary contact) and the client's
other contacts with an address, offered as CC. A confidential client's people are offered
only to who may see them in full (desk.crm.contacts)."""

from __future__ import annotations

from msgspec import Struct

from desk.crm import contacts
from desk.crm.contacts import ROLE_LABELS
from desk.kernel import confidential
from desk.kernel.agents import AgentRef
from desk.mail import outbox
from desk.models import Task


class Recipients(Struct, frozen=True):
    """A reply's To address ("" for nobody) and the CC choices: (label, address)."""

    to: str
    others: tuple[tuple[str, str], ...]


def recipients(task_id: int, viewer: AgentRef | None) -> Recipients:
    """The To of a reply on `task_id` and the client's other contacts to copy, by name."""
    client_id = Task.select(Task.client).where(Task.id == task_id).scalar()
    to = outbox.reply_address(task_id)
    mask = confidential.task_masks(viewer, [task_id]).get(task_id)
    if mask is not None:  # who may not see the client's people is offered none of them
        return Recipients(mask.value(to), ())
    if client_id is None:
        return Recipients(to, ())
    people = [row for row in contacts.of_client(client_id, viewer)
              if row.email and row.email.lower() != to.lower()]
    return Recipients(to, tuple(
        (f"{row.name} <{row.email}> ({ROLE_LABELS.get(row.role, row.role)})", row.email)
        for row in people))
