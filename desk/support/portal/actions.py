"""What a contact does in the portal, each through the ordinary services in the contact's
name ("portal: ada@example.com" in the history), on a request they may see (NotFound for
any other, the same as for one that does not exist):

- `reply`: their message on the request, which then waits on us; a resolved one reopens
  (as a reply by e-mail does, `intake.reopen_resolved`);
- `reopen` a resolved request, `solve` an open one (its list's first done status);
- `rate` a resolved request (CSAT 1 to 5);
- `new_request`: a new query through the form intake (desk.support.forms), with its files,
  on the SLA clock, acknowledged by e-mail.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from desk.clock import utcnow
from desk.config.portal import PortalSettings
from desk.errors import InvalidInput
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import storable_text
from desk.mail import attachments, outbox
from desk.mail.parse import MailAttachment
from desk.models import Client, Product, Status, database
from desk.support import csat, forms, intake
from desk.support.portal import contacts
from desk.support.portal.contacts import Contact
from desk.vocabulary import DONE_CATEGORIES
from desk.work import tasks

MESSAGE_LIMIT = 50_000
"""The longest message or description a contact may send, in characters."""
FILES = 5
"""The most files a contact may attach to a new request."""


def _text(value: str, what: str, limit: int) -> str:
    """A contact's text, checked: not blank, storable, at most `limit` characters; a
    browser's line ends (CR LF) become newlines."""
    text = storable_text(value.replace("\r\n", "\n").replace("\r", "\n"), what).strip()
    if not text:
        raise InvalidInput(f"{what}: write something (it cannot be empty)")
    if len(text) > limit:
        raise InvalidInput(f"{what}: at most {limit} characters")
    return text


def reply(agent: AgentRef, contact: Contact, task_id: int, body: str,
          options: intake.IntakeOptions, *, now: datetime | None = None) -> list[str]:
    """Add the contact's message to a request; returns what else was done ("reopened")."""
    require_writer(agent)
    text = _text(body, "message", MESSAGE_LIMIT)
    now = now or utcnow()
    with audit.acting_as(contact.actor, 0), database.atomic():
        task = contacts.visible_query(contact, task_id)
        _, done = intake.requester_wrote(agent, task, contact.actor, text, None, options, now)
    return done


def reopen(agent: AgentRef, contact: Contact, task_id: int) -> None:
    """Reopen a resolved request (InvalidInput when it is open)."""
    require_writer(agent)
    with audit.acting_as(contact.actor, 0), database.atomic():
        task = contacts.visible_query(contact, task_id)
        if task.category not in DONE_CATEGORIES:
            raise InvalidInput(f"request {task_id} is open already")
        tasks.update(agent, task.id, task.version,
                     status=intake.reopened_status(task.task_list_id))
        intake.wait_on_us(agent, task.id)


def solve(agent: AgentRef, contact: Contact, task_id: int) -> None:
    """Mark a request solved: its list's first done status (InvalidInput when it is done
    already, or its list has no done status)."""
    require_writer(agent)
    with audit.acting_as(contact.actor, 0), database.atomic():
        task = contacts.visible_query(contact, task_id)
        if task.category in DONE_CATEGORIES:
            raise InvalidInput(f"request {task_id} is solved already")
        status = (Status.select(Status.name)
                  .where((Status.task_list == task.task_list_id) & (Status.category == "done"))
                  .order_by(Status.position, Status.id).scalar())
        if status is None:
            raise InvalidInput(f"request {task_id} cannot be marked solved here")
        tasks.update(agent, task.id, task.version, status=status)


def rate(agent: AgentRef, contact: Contact, task_id: int, score: object) -> None:
    """The contact's CSAT score (1 to 5) of a resolved request."""
    require_writer(agent)
    with audit.acting_as(contact.actor, 0), database.atomic():
        task = contacts.visible_query(contact, task_id)
        if task.category not in DONE_CATEGORIES:
            raise InvalidInput(f"request {task_id} is not resolved yet; rate it once it is")
        csat.record(agent, task.id, score)


def new_request(agent: AgentRef, contact: Contact, subject: str, description: str,
                priority: str, options: intake.IntakeOptions, settings: PortalSettings,
                files: Sequence[MailAttachment] = (), product: str = "") -> int:
    """Open a new request through the form intake, in the contact's name, about a product
    of the catalogue when one is named, with its files (at most FILES, each within the
    intake's size limit, saved under safe names and listed in its description), and queue
    its acknowledgement; returns its id. The priority must be one the portal offers (empty:
    normal)."""
    require_writer(agent)
    title = _text(subject, "subject", 200)
    problem = _text(description, "description", MESSAGE_LIMIT)
    _check_files(files, options.attachment_max_bytes)
    priority = priority.strip().lower()
    if priority and priority not in settings.priorities:
        offered = ", ".join(settings.priorities) or "none"
        raise InvalidInput(f"priority: choose one of {offered}, not {priority!r}")
    name = ""
    if contact.primary:
        name = Client.select(Client.contact_person).where(
            Client.id == contact.client_id).scalar() or ""
    saved, _ = attachments.store(f"portal-{secrets.token_hex(12)}", files,
                                 max_bytes=options.attachment_max_bytes,
                                 root=options.attachments_root)
    if saved:
        problem = f"{problem}\n\n{attachments.listing(saved, [])}"
    try:
        with database.atomic():
            outcome = forms.take_form(
                agent, {"name": name, "email": contact.address,
                        "client": str(contact.client_id), "title": title, "problem": problem,
                        "priority": priority or "normal", "channel": "form",
                        "product": product.strip()},
                contact.actor, options, actor=contact.actor)
            task_id = outcome.task_id
            attachments.record(task_id, saved)
            with audit.acting_as(contact.actor, 0):
                outbox.queue(agent, contact.address,
                             f"{settings.name}: we received your request [#{task_id}]",
                             _acknowledgement(settings, task_id, title),
                             task_id=task_id, client_id=contact.client_id)
    except BaseException:
        attachments.discard(saved, options.attachments_root)
        raise
    return task_id


def products() -> list[str]:
    """The names of the catalogue's active products, a client may name one."""
    return [name for (name,) in Product.select(Product.name).where(Product.active)
            .order_by(Product.name).tuples()]


def _check_files(files: Sequence[MailAttachment], max_bytes: int) -> None:
    """Refuse more than FILES files, or one over the size limit, naming it."""
    if len(files) > FILES:
        raise InvalidInput(f"files: at most {FILES} files with one request")
    for item in files:
        if len(item.data) > max_bytes:
            raise InvalidInput(
                f"files: {attachments.safe_name(item.filename)} is larger than the limit of "
                f"{attachments.size_text(max_bytes)}")


def _acknowledgement(settings: PortalSettings, task_id: int, title: str) -> str:
    """The e-mail that acknowledges a new request."""
    link = f"{settings.public_url.rstrip('/')}/requests/{task_id}"
    return (f"Hello,\n\nwe received your request \"{title}\" (#{task_id}) and will answer "
            f"soon. You can follow it and reply at:\n\n{link}\n\nReplying to this e-mail "
            "works too.\n")
