"""The value types of the settings beyond plain YAML types: names, time zones, lengths of
time, mail addresses and domains, each a type with its check (see desk.config.validate).

A check gets a value that is set and raises ValueError saying what is wrong with it, or
SettingProblem about a place inside it (an item of a list).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from msgspec import Meta

from desk import business_hours, dates
from desk.config.validate import Check, SettingProblem, shown
from desk.database_url import POSTGRES_SCHEMES
from desk.errors import InvalidInput

DATABASE_SCHEMES = ("sqlite", *POSTGRES_SCHEMES)


def not_blank(value: str) -> None:
    """Check that a name is not empty or only spaces."""
    if not value.strip():
        raise ValueError("expected a name, got an empty text")


def check_timezone(name: str) -> None:
    """Check that `name` is a known IANA time zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (expected an IANA name like Europe/Berlin)"
        ) from None


def check_database_url(url: str) -> None:
    """Check the scheme of a database URL, never echoing the URL: it may hold a password."""
    scheme, separator, _ = url.partition("://")
    if separator and scheme not in DATABASE_SCHEMES:
        raise ValueError(
            f"unsupported database URL (scheme {scheme!r}); expected sqlite:///path/to/desk.db "
            "or postgresql://user@host:5432/dbname"
        )


def check_hours(text: str) -> None:
    """Check working hours written like 09:00-17:30."""
    business_hours.parse_hours(text)


def check_business_span(text: str) -> None:
    """Check a length of business time such as 4h, 1h30min, 3d or 1w."""
    business_hours.parse_span(text)


def check_wall_span(text: str) -> None:
    """Check a length of (wall-clock) time such as 24h or 7d."""
    try:
        if dates.parse_duration(text) <= timedelta(0):
            raise ValueError(f"expected a length of time above zero, got {text!r}")
    except InvalidInput as error:
        raise ValueError(str(error)) from None


def check_percent(value: int) -> None:
    """Check a share of a target, in percent."""
    if not 1 <= value <= 99:
        raise ValueError(f"expected a whole number of percent from 1 to 99, got {value}")


def check_mail_address(text: str) -> None:
    """Check one e-mail address like support@example.com, nothing around it."""
    from desk.email_address import check_address  # imported late: the e-mail package is slow

    check_address(text)


def check_mail_domain(text: str) -> None:
    """Check a domain name like example.com (letters, digits, hyphens, dots)."""
    labels = text.lower().split(".")
    if len(labels) < 2 or not all(
            label and label[0] != "-" and label[-1] != "-"
            and set(label) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") for label in labels):
        raise ValueError(f"expected a domain like example.com, got {text!r}")


def check_one_line(text: str) -> None:
    """Check a text that goes into a mail header: one line, no control characters."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValueError(f"expected one line without control characters, got {text!r}")


def check_public_domains(domains: list[str]) -> None:
    """Check a list of mail domains: lower-case names with a dot, like gmail.com."""
    for index, domain in enumerate(domains):
        if domain != domain.strip().lower() or "." not in domain or "@" in domain:
            raise SettingProblem((index,), f"item {index + 1}: expected a lower-case domain "
                                           f"like gmail.com, got {shown(domain)}")


Name = Annotated[str, Check(not_blank)]
"""A name: text that is not blank."""

TimeZoneName = Annotated[str, Check(check_timezone)]
"""An IANA time zone name like Europe/Berlin."""

DatabaseUrl = Annotated[str, Check(check_database_url)]
"""sqlite:///path, postgresql://user@host/db, or a bare SQLite path."""

WorkingHours = Annotated[str, Check(check_hours)]
"""Working hours of a day, 09:00-17:30."""

BusinessSpan = Annotated[str, Check(check_business_span)]
"""A length of business time: 30min, 4h, 1h30min, 3d, 1w."""

WallSpan = Annotated[str, Check(check_wall_span)]
"""A length of wall-clock time above zero: 5min, 24h, 7d."""

Percent = Annotated[int, Check(check_percent)]
"""A whole number of percent from 1 to 99."""

MailAddress = Annotated[str, Check(check_mail_address)]
"""One plain e-mail address."""

MailDomain = Annotated[str, Check(check_mail_domain)]
"""A domain name like example.com."""

HeaderText = Annotated[str, Check(check_one_line)]
"""Text for a mail header: one line."""

PublicDomains = Annotated[list[str], Check(check_public_domains)]
"""Lower-case mail domains shared by the public."""

Count = Annotated[int, Meta(ge=0)]
"""A whole number, 0 or more."""

Positive = Annotated[int, Meta(ge=1)]
"""A whole number, 1 or more."""

Divisor = Annotated[float, Meta(gt=0)]
"""A number above 0."""
