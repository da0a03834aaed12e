"""Signing in to the portal with a link e-mailed to a contact.

A contact asks for a link with their address; whatever the address, the answer is the same
(the face says "if we know it, a link is on its way"), so nobody learns which addresses the
desk knows. Requests are counted in the database per address and per IP
(`PortalAttempt`), so the limits hold across processes and restarts. A link carries a random
token (`secrets.token_urlsafe`), stored only as its SHA-256; it works once, within
`portal.link_minutes`. Opening it shows a page whose button (a POST) uses it: mail scanners
that fetch every link cannot burn it. Using it starts a session of its own random token,
stored the same way, for `portal.session_hours`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Literal

from msgspec import Struct

from desk.clock import utcnow
from desk.config.portal import PortalSettings
from desk.dialect import locking, serialize
from desk.errors import InvalidInput
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_writer
from desk.mail import outbox
from desk.models import Meta, PortalAttempt, PortalLink, PortalSession, database
from desk.support.portal import contacts
from desk.support.portal.contacts import Contact

LinkOutcome = Literal["sent", "unknown", "limited"]
"""What became of a request for a link: e-mailed, not a contact (nothing sent), or over a
rate limit (nothing sent). The face shows "sent" and "unknown" alike."""
SECRET_KEY = "portal.secret_key"
EXPIRED = "this sign-in link has expired or was used already; ask for a new one"


def digest(token: str) -> str:
    """How a token is stored: the hex SHA-256 of its text."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def request_link(agent: AgentRef, address: str, ip: str, settings: PortalSettings, *,
                 now: datetime | None = None) -> LinkOutcome:
    """Count a request for a sign-in link and, within the limits and for a known contact,
    queue the e-mail with the link (`settings.public_url`/sign-in/TOKEN). Text that is no
    e-mail address is InvalidInput, and counts for nothing."""
    require_writer(agent)
    now = now or utcnow()
    wanted = contacts.normal_address(address)
    if wanted is None:
        raise InvalidInput("enter an e-mail address, like ada@example.com")
    with database.atomic():
        if _over_limits(wanted, ip[:254], settings, now):
            return "limited"
        PortalLink.delete().where(PortalLink.expires_at < now).execute()  # dead links
        contact = contacts.find(wanted)
        if contact is None:
            return "unknown"
        token = secrets.token_urlsafe(32)
        PortalLink.create(token_hash=digest(token), address=contact.address,
                          client=contact.client_id, created_at=now,
                          expires_at=now + timedelta(minutes=settings.link_minutes))
        with audit.acting_as(contact.actor, 0):
            outbox.queue(agent, contact.address, f"Your sign-in link for {settings.name}",
                         _link_mail(settings, token), client_id=contact.client_id)
    return "sent"


def _over_limits(address: str, ip: str, settings: PortalSettings, now: datetime) -> bool:
    """Count this request by address and by IP (dropping counts older than the window);
    whether either count is now over its limit."""
    since = now - timedelta(minutes=settings.limit_minutes)
    PortalAttempt.delete().where(PortalAttempt.at < since).execute()
    over = False
    for kind, key, limit in (("address", address, settings.links_per_address),
                             ("ip", ip, settings.links_per_ip)):
        PortalAttempt.create(kind=kind, key=key, at=now)
        count = PortalAttempt.select().where((PortalAttempt.kind == kind)
                                             & (PortalAttempt.key == key)).count()
        over = over or count > limit
    return over


def _link_mail(settings: PortalSettings, token: str) -> str:
    """The text of the e-mail that carries a sign-in link."""
    link = f"{settings.public_url.rstrip('/')}/sign-in/{token}"
    return (f"Hello,\n\nto sign in to {settings.name}, open this link and press the button "
            f"on the page it opens:\n\n{link}\n\nIt works once, within "
            f"{settings.link_minutes} minutes. If you did not ask for it, ignore this "
            "e-mail: nobody can sign in without it.\n")


class SignedIn(Struct, frozen=True):
    """A session just started: its token (for the cookie, never stored) and the contact."""

    token: str
    contact: Contact


def use_link(agent: AgentRef, token: str, settings: PortalSettings, *,
             now: datetime | None = None) -> SignedIn:
    """Use a sign-in link once: a session for its contact, recorded on the client
    ("portal_sign_in"). An unknown, used or expired link is InvalidInput (EXPIRED), as is a
    contact whose client turned the portal off meanwhile."""
    require_writer(agent)
    now = now or utcnow()
    with database.atomic():
        link = locking(PortalLink.select().where(PortalLink.token_hash == digest(token))).first()
        if link is None or link.used_at is not None or link.expires_at <= now:
            raise InvalidInput(EXPIRED)
        PortalLink.update(used_at=now).where(PortalLink.id == link.id).execute()
        contact = contacts.of_client(link.address, link.client_id)
        if contact is None:
            raise InvalidInput(EXPIRED)
        PortalSession.delete().where(PortalSession.expires_at < now).execute()  # dead ones
        session_token = secrets.token_urlsafe(32)
        PortalSession.create(token_hash=digest(session_token), address=contact.address,
                             client=contact.client_id, created_at=now,
                             expires_at=now + timedelta(hours=settings.session_hours))
        with audit.acting_as(contact.actor, 0):
            audit.record("client", contact.client_id, agent,
                         {"portal_sign_in": (None, contact.address)}, None,
                         "client.portal_sign_in")
    return SignedIn(session_token, contact)


def contact_of(session_token: str, *, now: datetime | None = None) -> Contact | None:
    """The contact signed in with this session token, as things stand now; None for an
    unknown or expired session, or a contact the client no longer has."""
    if not session_token:
        return None
    session = PortalSession.get_or_none(PortalSession.token_hash == digest(session_token))
    if session is None or session.expires_at <= (now or utcnow()):
        return None
    return contacts.of_client(session.address, session.client_id)


def secret_key(agent: AgentRef) -> str:
    """The key that signs the portal's cookies: made once (random) and kept in the
    workspace (Meta "portal.secret_key"), so every portal process and restart shares it."""
    key = Meta.select(Meta.value).where(Meta.key == SECRET_KEY).scalar()
    if key is not None:
        return key
    require_writer(agent)
    with database.atomic():
        serialize(SECRET_KEY)
        key = Meta.select(Meta.value).where(Meta.key == SECRET_KEY).scalar()
        if key is None:
            key = secrets.token_urlsafe(48)
            Meta.create(key=SECRET_KEY, value=key)
    return key


def sign_out(session_token: str) -> None:
    """End a session (nothing happens for an unknown one)."""
    with database.atomic():
        PortalSession.delete().where(
            PortalSession.token_hash == digest(session_token)).execute()
