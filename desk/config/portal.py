"""The `portal:` settings: the client portal's address, name, and what clients may do
(`desk portal`, desk.portal)."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, field

from desk.config.checks import Positive, check_one_line, not_blank
from desk.config.defaults import shipped
from desk.config.validate import Check, Section
from desk.vocabulary import PriorityName


def check_public_url(url: str) -> None:
    """Check the address clients reach the portal at: http(s)://host[:port][/path]."""
    scheme, separator, rest = url.partition("://")
    if scheme not in ("http", "https") or not separator or not rest.strip("/"):
        raise ValueError(f"expected an address like https://portal.example.com, got {url!r}")
    if any(ord(ch) <= 32 or ch in "\"'<>\\" for ch in url):
        raise ValueError(f"expected an address without spaces or quotes, got {url!r}")


PublicUrl = Annotated[str, Check(check_public_url)]
"""An http or https address without spaces or quotes."""


def check_portal_name(name: str) -> None:
    """Check the portal's name: one line (it goes into e-mail subjects), not blank."""
    not_blank(name)
    check_one_line(name)


PortalName = Annotated[str, Check(check_portal_name)]
"""A name on one line."""


def check_portal_database_url(url: str) -> None:
    """Check the URL the portal connects with: PostgreSQL's (its own role's)."""
    if url.partition("://")[0] not in ("postgresql", "postgres"):
        raise ValueError("expected a PostgreSQL URL like postgresql://desk_portal@host/desk "
                         "(the portal's own role; on SQLite leave it out)")


PortalDatabaseUrl = Annotated[str, Check(check_portal_database_url)]
"""A postgresql:// URL."""


class PortalSettings(Section):
    """The client portal (`desk portal`): a web window onto each client's requests."""

    enabled: bool = False
    """Whether `desk portal` serves at all; it refuses to start while false."""

    public_url: PublicUrl = "http://127.0.0.1:8080"
    """The address clients open, as the sign-in e-mail writes it. With https the session
    cookie is sent over TLS only (behind a TLS reverse proxy)."""

    name: PortalName = "Client portal"
    """The name the portal's pages and e-mails carry, e.g. "Brightline support"."""

    priorities: list[PriorityName] = field(default_factory=lambda: shipped("portal", "priorities"))
    """The priorities a client may choose for a new request; [] = none (normal)."""

    link_minutes: Annotated[int, Meta(ge=1, le=60)] = 30
    """How long a sign-in link works, in minutes (at most 60)."""

    session_hours: Positive = 12
    """How long a contact stays signed in, in hours."""

    links_per_address: Positive = 3
    """Sign-in links one address may ask for in `limit_minutes`."""

    links_per_ip: Positive = 20
    """Sign-in links one IP address may ask for in `limit_minutes`."""

    limit_minutes: Positive = 15
    """The window the two limits count in, in minutes."""

    database_url: PortalDatabaseUrl | None = None
    """The PostgreSQL URL the portal connects with: its own role, made by `desk portal role
    create` with only the rights the portal needs; None = the workspace's own URL."""

