"""Sending the NPS survey: each client's decision maker gets one e-mail per cadence
(`nps.cadence`), never sooner than `nps.minimum_days` after the last, through the outbox.

Who is asked: clients (not transactional customers) that are onboarding, active or at risk,
not archived, whose decision maker has an e-mail address (`recipient`: the contact with that
role, else the primary contact). The newest survey
sent to a client is what the cadence counts from, answered or not. The e-mail carries eleven
one-click links (0 to 10) into the portal when the portal is on, and asks for a reply with
the score on the first line either way.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from msgspec import Struct
from peewee import JOIN, fn

from desk.clock import stored, utcnow
from desk.config import Settings
from desk.config.feedback import NpsSettings
from desk.dialect import serialize
from desk.email_address import check_address
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_writer
from desk.mail import outbox
from desk.models import Client, Contact, NpsSurvey, database
from desk.support.feedback import links

SURVEYED_STAGES = ("onboarding", "active", "at_risk")
"""The lifecycle stages whose clients are asked: those we work for now."""


class Due(Struct, frozen=True):
    """A client due for a survey: who gets it, and when the last one went (None: never)."""

    client_id: int
    client_name: str
    contact: str
    address: str
    last_sent: datetime | None


def recipient(client: Client) -> tuple[str, str] | None:
    """The (name, address) of a client's decision maker, who gets its surveys: the contact
    with that role (a primary one first), else its primary contact, else any contact with an
    address, else the client's own contact person and e-mail; None when none of them has a
    usable address."""
    contact = (Contact.select(Contact.name, Contact.email)
               .where((Contact.client == client.id) & (Contact.email != ""))
               .order_by(Contact.role != "decision_maker", Contact.is_primary.desc(),
                         Contact.id).first())
    name, address = ((contact.name, contact.email) if contact is not None
                     else (client.contact_person, client.email or ""))
    address = address.strip().lower()
    try:
        check_address(address)
    except ValueError:
        return None
    return name, address


def last_allowed(settings: NpsSettings, now: datetime) -> datetime:
    """The latest a client's last survey may have gone for it to get another one at `now`
    (naive UTC): a cadence ago, and at least `minimum_days` ago."""
    return min(now - relativedelta(months=settings.months),
               now - timedelta(days=settings.minimum_days))


def due(settings: NpsSettings, now: datetime | None = None) -> list[Due]:
    """The clients due for a survey at `now` (naive or aware UTC), by name."""
    moment = stored(now) or utcnow()
    last = (NpsSurvey.select(NpsSurvey.client, fn.MAX(NpsSurvey.sent_at).alias("last"))
            .group_by(NpsSurvey.client).alias("last_survey"))
    rows = (Client.select(Client, last.c.last)
            .join(last, JOIN.LEFT_OUTER, on=(last.c.client_id == Client.id))
            .where(Client.kind == "client", Client.archived_at.is_null(),
                   Client.lifecycle_stage.in_(SURVEYED_STAGES),
                   last.c.last.is_null() | (last.c.last <= last_allowed(settings, moment)))
            .order_by(Client.name, Client.id).objects())
    found = []
    for client in rows:
        to = recipient(client)
        if to is not None:
            found.append(Due(client.id, client.name, to[0], to[1], _moment(client.last)))
    return found


def send_due(agent: AgentRef, settings: Settings, now: datetime | None = None) -> list[Due]:
    """Queue a survey to every client due for one at `now`; returns those sent. Each goes in
    a transaction of its own that checks again that the client is due, so two runs at once
    send one survey."""
    require_writer(agent)
    moment = stored(now) or utcnow()
    sent = []
    for wanted in due(settings.nps, moment):
        with database.atomic():
            serialize(f"nps:{wanted.client_id}")
            newest = (NpsSurvey.select(fn.MAX(NpsSurvey.sent_at))
                      .where(NpsSurvey.client == wanted.client_id).scalar())
            if newest is not None and _moment(newest) > last_allowed(settings.nps, moment):
                continue
            _send(agent, settings, wanted, moment)
            sent.append(wanted)
    return sent


def _send(agent: AgentRef, settings: Settings, wanted: Due, now: datetime) -> None:
    """Record one survey and queue its e-mail (inside the caller's transaction)."""
    survey = NpsSurvey.create(client=wanted.client_id, address=wanted.address, sent_at=now)
    click = ""
    if settings.portal.enabled:
        token = links.new_token("nps", wanted.address, survey_id=survey.id, now=now)
        click = ("Click your answer (0: not at all likely, 10: extremely likely):\n\n"
                 + links.lines(settings.portal.public_url, token, "nps", {}) + "\n\nOr ")
    body = (f"Hello {wanted.contact or wanted.client_name},\n\n{settings.nps.question}\n\n"
            f"{click}{'r' if click else 'R'}eply to this e-mail with a number from 0 to 10 "
            "on the first line, and anything you would like to tell us below it.\n\n"
            "Thank you.\n")
    outbox_id = outbox.queue(agent, wanted.address, settings.nps.subject, body,
                             client_id=wanted.client_id)
    NpsSurvey.update(outbox=outbox_id).where(NpsSurvey.id == survey.id).execute()
    audit.record("client", wanted.client_id, agent, {"nps_survey": (None, wanted.address)},
                 None, "nps.sent", {"survey_id": survey.id}, at=now)


def _moment(value: object) -> datetime | None:
    """A stored time read through a raw column (SQLite gives text) as a naive datetime."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
