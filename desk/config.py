"""Settings from a YAML file, checked against frozen dataclasses.

Every section is a frozen dataclass and every setting a field with a default; adding a section
is adding a dataclass and a field of that type to `Settings`. A small validator walks the type
hints (str, int, float, bool, date, Literal[...], X | None, list[X], dict[str, X] and
nested dataclasses), so a mistake is reported with the file, the line and the dotted key, e.g.
``config.yaml, line 7: sqlite.synchronous: expected one of normal, full; got 'fast'``.

Values come from PyYAML's safe loader only (no Python tags, as `yaml.safe_load`); `read_yaml`
keeps the node tree too, to learn the line of each key and value.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
import yaml

from desk.errors import DeskError
from desk.text import one_line
from desk.vocabulary import ClientKind, PriorityName

CONFIG_ENV = "DESK_CONFIG"
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgres")
_CHECK = "desk.check"  # field metadata key: a callable raising ValueError for a bad value

KeyPath = tuple[str | int, ...]


class ConfigError(DeskError):
    """The config file is missing, unreadable or wrong; the message names file, line and key.

    The message is shown with `one_line`: a key or path from the file cannot smuggle control
    characters or line breaks onto the terminal.
    """

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class SettingProblem(ValueError):
    """A field check's complaint about a place inside the field's value: `path` leads from the
    field to that place (for the line), and the message names the place as people know it."""

    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = tuple(path)


# --- checks beyond the type ------------------------------------------------------------------


def _at_least(minimum: int) -> Callable[[int], None]:
    """A check that a number is `minimum` or more."""

    def check(value: int) -> None:
        if value < minimum:
            raise ValueError(f"expected a whole number of at least {minimum}, got {value}")

    return check


def _not_blank(value: str) -> None:
    """Check that a name is not empty or only spaces."""
    if not value.strip():
        raise ValueError("expected a name, got an empty text")


def _check_timezone(name: str) -> None:
    """Check that `name` is a known IANA time zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (expected an IANA name like Europe/Berlin)"
        ) from None


def _check_database_url(url: str) -> None:
    """Check the scheme of a database URL, never echoing the URL: it may hold a password."""
    scheme, separator, _ = url.partition("://")
    if separator and scheme not in DATABASE_SCHEMES:
        raise ValueError(
            f"unsupported database URL (scheme {scheme!r}); expected sqlite:///path/to/desk.db "
            "or postgresql://user@host:5432/dbname"
        )


# --- the schema --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SqliteSettings:
    """How desk uses a SQLite database file (ignored for PostgreSQL)."""

    synchronous: Literal["normal", "full"] = "full"
    """Durability: "full" = an acknowledged commit survives a power loss; "normal" = faster,
    survives an app crash, but the last commits may be lost on a power loss."""

    busy_timeout_ms: int = field(default=5000, metadata={_CHECK: _at_least(0)})
    """How long to wait for another desk writing to the same file before giving up, in ms."""


@dataclass(frozen=True)
class WorkspaceSettings:
    """Defaults for everyday commands."""

    default_list: str = field(default="Support inbox", metadata={_CHECK: _not_blank})
    """The list `desk add` puts a task on when --list is not given."""

    new_agent_role: Literal["agent", "viewer"] = "agent"
    """The role `desk agents add` gives when --role is not given."""


@dataclass(frozen=True)
class OrderSettings:
    """Where new orders go (`desk order` and the order form)."""

    list: str = field(default="Orders", metadata={_CHECK: _not_blank})
    """The list new orders are created on (a name, or Space/List)."""

    team: str | None = "Fulfilment"
    """The team that fulfils orders: new orders are assigned to it; None = no team."""


def _check_checklist_items(items: list[Any], path: KeyPath = (), place: str = "") -> None:
    """Check nested checklist items: each a text, or a one-key mapping {text: [children]}.
    `path` and `place` lead to the children being checked, for the line and the message."""
    if not items and not place:
        raise ValueError("expected at least one item")
    for index, entry in enumerate(items):
        where = f"{place}.{index + 1}" if place else f"item {index + 1}"
        if isinstance(entry, str) and entry.strip():
            continue
        if isinstance(entry, dict) and len(entry) == 1:
            ((text, children),) = entry.items()
            if isinstance(text, str) and text.strip() and isinstance(children, list | None):
                _check_checklist_items(children or [], (*path, index, text), where)
                continue
        raise SettingProblem((*path, index),
                             f"{where} must be a text or {{text: [children]}}; got {shown(entry)}")


ChecklistItems = list[Any]  # texts and {text: [children]} mappings, checked as a whole


@dataclass(frozen=True)
class ChecklistTemplateSettings:
    """A checklist template seeded into the database (once: people may then edit it)."""

    items: ChecklistItems = field(metadata={_CHECK: _check_checklist_items})
    """The items (required): texts, or {text: [children]} for nested ones."""

    list: str | None = None
    """A list whose new tasks get this checklist automatically; None = by hand or by
    product only."""


# The automation rules desk ships: its default `automations:`, as config.example.yaml shows
# them (tests/unit/test_config.py checks that the two agree).
SHIPPED_AUTOMATIONS = """
- name: invoice a fulfilled order
  when: {status_changed: {to: Fulfilled}}
  if: {list: Orders, kind: order}
  do:
    - create_task:
        title: "Invoice {task.title}"
        list: Billing
        due: +2d
        assign: {round_robin: Billing}
        tags: [invoice]
    - note: "Fulfilled: Billing has a task to invoice it."
- name: survey a resolved query
  when: {status_changed: {to: Resolved}}
  if: {kind: query}
  do:
    - email:
        to: requester
        subject: "How did we do? [#{task.id}] {task.title}"
        body: |
          Hello {requester.name},

          your query "{task.title}" is resolved. How did we do? Please reply to this e-mail
          with a score from 1 (poor) to 5 (excellent), and tell us what we could do better.

          Thank you,
          {agent.name}
- name: follow up a sent proposal
  when: {status_changed: {to: Done}}
  if: {list: Accounts, field: {title: {contains: proposal}}}
  do:
    - create_task:
        title: "Follow up with {client.contact}"
        description: "{task.title}: done on {today}. Ask how it landed."
        list: Accounts
        due: +3 business days
        assign: account_manager
- name: birthday greetings
  when: {birthday: {in_days: 7}}
  do:
    - create_task:
        title: "Send birthday greetings to {client.contact}"
        list: Accounts
        due: birthday
        assign: account_manager
"""


def _shipped_automations() -> list[Any]:
    """A fresh copy of the shipped rules, as YAML data."""
    return yaml.safe_load(SHIPPED_AUTOMATIONS)


def _check_automations(rules: list[Any]) -> None:
    """Check the automation rules. Their grammar lives with the automations, in
    desk.automation.rules, which imports nothing of the database, so loading it here is safe."""
    from desk.automation.rules import parse  # imported late: it builds on this module

    parse(rules)


# --- the business calendar, SLA policies and the inbox's urgency score -------------------------

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ClientKindName = Literal[ClientKind, "none"]  # none: a query linked to no client


def _check_days(days: list[str]) -> None:
    """Check that working days are named, each once."""
    if not days:
        raise ValueError("expected at least one working day, e.g. [mon, tue, wed, thu, fri]")
    for index, day in enumerate(days):
        if day in days[:index]:
            raise SettingProblem((index,), f"{day} is named twice")


def _check_hours(text: str) -> None:
    """Check working hours written like 09:00-17:30 (desk.business_hours reads
    them; it imports nothing of the database)."""
    from desk.business_hours import parse_hours  # imported late: it builds on this

    parse_hours(text)


def _check_span(text: str) -> None:
    """Check a length of business time such as 4h, 1h30min, 3d or 1w."""
    from desk.business_hours import parse_span  # imported late: it builds on this

    parse_span(text)


def _percent(value: int) -> None:
    """Check a share of a target, in percent."""
    if not 1 <= value <= 99:
        raise ValueError(f"expected a whole number of percent from 1 to 99, got {value}")


def _positive_number(value: float) -> None:
    """Check a number that something is divided by."""
    if value <= 0:
        raise ValueError(f"expected a number above 0, got {value:g}")


def _check_wall_span(text: str) -> None:
    """Check a length of (wall-clock) time such as 24h or 7d."""
    from desk.dates import parse_duration  # imported late: desk.dates imports desk.errors only
    from desk.errors import InvalidInput

    try:
        if parse_duration(text) <= timedelta(0):
            raise ValueError(f"expected a length of time above zero, got {text!r}")
    except InvalidInput as error:
        raise ValueError(str(error)) from None


@dataclass(frozen=True)
class CalendarSettings:
    """The business calendar SLA targets are counted in."""

    timezone: str | None = field(default=None, metadata={_CHECK: _check_timezone})
    """IANA zone of the working hours; None = the top-level `timezone`."""

    days: list[Weekday] = field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"],
                                metadata={_CHECK: _check_days})
    """The working weekdays."""

    hours: str = field(default="09:00-17:30", metadata={_CHECK: _check_hours})
    """The working hours of each working day, HH:MM-HH:MM (24:00 = midnight)."""

    holidays: list[date] = field(default_factory=list)
    """Days off, as dates (2026-12-25)."""


@dataclass(frozen=True)
class SlaPolicy:
    """One SLA policy: which queries it is for, and their targets in business time."""

    name: str = field(metadata={_CHECK: _not_blank})
    """What the policy is called (required; unique)."""

    priority: list[PriorityName] = field(default_factory=list)
    """The priorities it is for; [] = any."""

    client_kind: list[ClientKindName] = field(default_factory=list)
    """The kinds of client it is for (none: no client linked); [] = any."""

    first_response: str | None = field(default=None, metadata={_CHECK: _check_span})
    """The first reply is due this long after the query arrives; None = no target."""

    resolution: str | None = field(default=None, metadata={_CHECK: _check_span})
    """The query is to be resolved this long after it arrives; None = no target."""


# The SLA policies desk ships: its default `sla.policies`, as config.example.yaml shows them
# (tests/unit/test_config.py checks that the two agree).
SHIPPED_SLA_POLICIES = (
    SlaPolicy("urgent client", ["urgent"], ["client"], "1h", "4h"),
    SlaPolicy("urgent", ["urgent"], [], "2h", "1d"),
    SlaPolicy("high client", ["high"], ["client"], "2h", "1d"),
    SlaPolicy("high", ["high"], [], "4h", "2d"),
    SlaPolicy("low", ["low", "none"], [], "2d", "10d"),
    SlaPolicy("standard", [], [], "1d", "5d"),
)


def _check_policies(policies: list[SlaPolicy]) -> None:
    """Check that policy names are unique and that the last policy is a catch-all."""
    if not policies:
        raise ValueError("expected at least one policy (the last one for every query)")
    names: set[str] = set()
    for index, policy in enumerate(policies):
        if policy.name.casefold() in names:
            raise SettingProblem((index, "name"), f"another policy is called {policy.name!r}")
        names.add(policy.name.casefold())
    last = policies[-1]
    if last.priority or last.client_kind:
        raise SettingProblem((len(policies) - 1,),
                             f"the last policy ({last.name!r}) must be for every query: "
                             "give it no priority and no client_kind")


@dataclass(frozen=True)
class SlaSettings:
    """Service level targets of support queries, and when they count as nearly breached."""

    policies: list[SlaPolicy] = field(default_factory=lambda: list(SHIPPED_SLA_POLICIES),
                                      metadata={_CHECK: _check_policies})
    """The policies in order: a query gets the first that fits; the last fits every query."""

    near_breach_percent: int | None = field(default=80, metadata={_CHECK: _percent})
    """A target is nearly breached once this share of it has passed; None = never."""

    near_breach_minutes: int | None = field(default=30, metadata={_CHECK: _at_least(1)})
    """...or once this few business minutes are left; None = never."""


@dataclass(frozen=True)
class UrgencyWeights:
    """The points each term of the urgency score is worth at its fullest."""

    sla: float = 40
    """The nearest deadline (SLA target, else due date) is now; twice this when overdue by
    the horizon or more, nothing when it is the horizon away."""

    priority: float = 30
    """Urgent priority (high 3/4 of it, normal 1/2, low 1/4, none nothing)."""

    client: float = 10
    """The query is from a client (a long-term relationship), not a customer."""

    retainer: float = 10
    """The client pays a retainer worth `retainer_full` a month or more (less: a share)."""

    lead_score: float = 5
    """The client's lead score is 100 (less: a share)."""

    age: float = 10
    """The task is `age_full` old or older (younger: a share)."""

    waiting_on_us: float = 15
    """The query waits on us, not on the requester."""


@dataclass(frozen=True)
class UrgencySettings:
    """How the inbox ranks its rows by urgency."""

    weights: UrgencyWeights = field(default_factory=UrgencyWeights)
    """The points of each term."""

    sla_horizon: str = field(default="24h", metadata={_CHECK: _check_wall_span})
    """How far ahead (and overdue) a deadline counts, by the wall clock."""

    age_full: str = field(default="7d", metadata={_CHECK: _check_wall_span})
    """The age that earns the whole age weight."""

    retainer_full: float = field(default=5000, metadata={_CHECK: _positive_number})
    """The monthly retainer that earns the whole retainer weight (quarterly and yearly
    retainers count by their monthly share)."""


PUBLIC_MAIL_DOMAINS = (
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "yahoo.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.de",
    "gmx.net", "web.de", "t-online.de", "mail.ru", "yandex.ru",
)


def _check_domains(domains: list[str]) -> None:
    """Check a list of mail domains: lower-case names with a dot, like gmail.com."""
    for index, domain in enumerate(domains):
        if domain != domain.strip().lower() or "." not in domain or "@" in domain:
            raise SettingProblem((index,), f"item {index + 1}: expected a lower-case domain "
                                           f"like gmail.com, got {shown(domain)}")


@dataclass(frozen=True)
class ImapSettings:
    """The IMAP mailbox `desk intake imap` reads (host None = none configured)."""

    host: str | None = None
    """The server's host name, e.g. imap.example.com."""

    port: int | None = field(default=None, metadata={_CHECK: _at_least(1)})
    """The port; None = 993 for tls, 143 for starttls."""

    security: Literal["tls", "starttls"] = "tls"
    """tls = encrypted from the start (IMAPS); starttls = plain connection upgraded at once.
    Either way the server's certificate is checked."""

    ca_file: str | None = None
    """A PEM file of certificate authorities to trust instead of the system's (a private CA)."""

    user: str = ""
    """The login name."""

    password_env: str | None = None
    """The environment variable holding the password (e.g. DESK_IMAP_PASSWORD)."""

    password_file: str | None = None
    """A file whose first line is the password (keep it readable by you only)."""

    folder: str = field(default="INBOX", metadata={_CHECK: _not_blank})
    """The folder to read."""

    processed: Literal["flag", "move"] = "flag"
    """What happens to a message once taken: flag = mark it \\Seen and \\Flagged (flagged
    messages are not read again); move = move it to `move_to`."""

    move_to: str | None = None
    """The folder processed messages are moved to (with processed: move)."""


def _check_imap(imap: ImapSettings) -> None:
    """The IMAP settings that only make sense together."""
    if imap.processed == "move" and not imap.move_to:
        raise SettingProblem(("processed",), "processed: move needs move_to: a folder name")
    if imap.password_env and imap.password_file:
        raise SettingProblem(("password_file",),
                             "set password_env or password_file, not both")


MailDomains = list[str]  # an alias: inside IntakeSettings, `list` is the name of a setting


@dataclass(frozen=True)
class IntakeSettings:
    """Queries from e-mail and forms (`desk intake`)."""

    list: str = field(default="Support inbox", metadata={_CHECK: _not_blank})
    """The list new queries are created on (a name, or Space/List)."""

    attachment_max_bytes: int = field(default=10_000_000, metadata={_CHECK: _at_least(0)})
    """Attachments larger than this many bytes are not saved (the query says so)."""

    reopen_resolved: bool = True
    """A reply to a resolved or closed query reopens it."""

    snooze_policy: Literal["wake", "stay"] = "wake"
    """A reply to a snoozed query: wake = wakes it (back in the inbox at once); stay = it
    stays snoozed until its time."""

    create_customers: bool = True
    """A sender desk does not know becomes a new customer; false = the query has no client."""

    public_domains: MailDomains = field(default_factory=lambda: list(PUBLIC_MAIL_DOMAINS),
                                      metadata={_CHECK: _check_domains})
    """Mail domains shared by the public: a sender there is never matched to a client by
    domain, only by full address."""

    imap: ImapSettings = field(default_factory=ImapSettings, metadata={_CHECK: _check_imap})
    """The mailbox `desk intake imap` reads."""


# --- outgoing mail (the outbox) and canned responses -------------------------------------------


def _check_mail_address(text: str) -> None:
    """Check one e-mail address like support@example.com (desk.mail.smtp reads it;
    it imports nothing of the database)."""
    from desk.mail.address import check_address  # imported late: e-mail is slow

    check_address(text)


def _check_mail_domain(text: str) -> None:
    """Check a domain name like example.com (letters, digits, hyphens, dots)."""
    labels = text.lower().split(".")
    if len(labels) < 2 or not all(
            label and label[0] != "-" and label[-1] != "-"
            and set(label) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") for label in labels):
        raise ValueError(f"expected a domain like example.com, got {text!r}")


def _check_one_line(text: str) -> None:
    """Check a text that goes into a mail header: one line, no control characters."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValueError(f"expected one line without control characters, got {text!r}")


@dataclass(frozen=True)
class SmtpSettings:
    """The SMTP server the outbox sends through (host None = none: mail waits in the outbox)."""

    host: str | None = None
    """The server's host name, e.g. smtp.example.com."""

    port: int | None = field(default=None, metadata={_CHECK: _at_least(1)})
    """The port; None = 587 for starttls, 465 for tls, 25 for none."""

    security: Literal["starttls", "tls", "none"] = "starttls"
    """starttls = plain connection upgraded at once; tls = encrypted from the start (SMTPS);
    none = unencrypted (a relay on this machine only). The certificate is always checked."""

    ca_file: str | None = None
    """A PEM file of certificate authorities to trust instead of the system's (a private CA)."""

    user: str = ""
    """The login name; "" = send without logging in."""

    password_env: str | None = None
    """The environment variable holding the password (e.g. DESK_SMTP_PASSWORD)."""

    password_file: str | None = None
    """A file whose first line is the password (keep it readable by you only)."""

    from_address: str | None = field(default=None, metadata={_CHECK: _check_mail_address})
    """The address mail is sent from (required with a host), e.g. support@example.com."""

    from_name: str = field(default="", metadata={_CHECK: _check_one_line})
    """The name shown with it, e.g. Brightline Support."""

    message_id_domain: str | None = field(default=None, metadata={_CHECK: _check_mail_domain})
    """The domain of the Message-IDs desk writes; None = the domain of from_address."""

    timeout_seconds: int = field(default=30, metadata={_CHECK: _at_least(1)})
    """How long to wait for the server at each step before trying again later."""

    max_attempts: int = field(default=8, metadata={_CHECK: _at_least(1)})
    """Attempts at a message (the server down or busy) before it is marked failed."""

    retry_after: str = field(default="5min", metadata={_CHECK: _check_wall_span})
    """The wait before the second attempt; it doubles after each failed attempt..."""

    retry_max: str = field(default="6h", metadata={_CHECK: _check_wall_span})
    """...up to this wait."""


def _check_smtp(smtp: SmtpSettings) -> None:
    """The SMTP settings that only make sense together."""
    if smtp.host and not smtp.from_address:
        raise SettingProblem(("host",), "a server needs from_address: the address mail is "
                                        "sent from")
    if smtp.password_env and smtp.password_file:
        raise SettingProblem(("password_file",), "set password_env or password_file, not both")
    if smtp.user and not (smtp.password_env or smtp.password_file):
        raise SettingProblem(("user",), "logging in needs password_env or password_file")
    if smtp.user and smtp.security == "none":
        raise SettingProblem(("security",), "logging in over security: none would send the "
                                            "password unencrypted; use starttls or tls")


def _check_canned_text(text: str) -> None:
    """Check a canned response: text with {placeholders} of a task, as automation rules
    write them (desk.automation.rules; it imports nothing of the database)."""
    from string import Formatter

    from desk.automation.rules import placeholders_for  # imported late: it builds on this

    if not text.strip():
        raise ValueError("expected the text of the response, got an empty text")
    if len(text) > 20_000 or "\x00" in text:
        raise ValueError("expected at most 20000 characters without NUL")
    allowed = [name for name in placeholders_for("task") if name != "rule.name"]
    try:
        parts = list(Formatter().parse(text))
    except ValueError as error:
        raise ValueError(f"{error} (write {{{{ and }}}} for braces)") from None
    for _, name, spec, conversion in parts:
        if name is not None and (name not in allowed or spec or conversion):
            raise ValueError(f"unknown placeholder {{{name}}}; expected one of "
                             + ", ".join(f"{{{known}}}" for known in allowed))


@dataclass(frozen=True)
class CannedResponse:
    """A reply kept ready: the composer inserts it (ctrl+t) with its placeholders filled in
    for the query being answered."""

    name: str = field(metadata={_CHECK: _not_blank})
    """What the picker shows (required; unique)."""

    text: str = field(metadata={_CHECK: _check_canned_text})
    """The text (required), with placeholders such as {requester.name} or {task.id}."""


# The canned responses desk ships: its default `canned_responses`, as config.example.yaml
# shows them (tests/unit/test_config.py checks that the two agree).
SHIPPED_CANNED_RESPONSES = (
    CannedResponse("acknowledge", "Hello {requester.name},\n\nthank you for your message about "
                   "\"{task.title}\". We are looking\ninto it and will come back to you shortly. "
                   "Your reference is #{task.id}.\n\nKind regards,\n{agent.name}\n"),
    CannedResponse("more details", "Hello {requester.name},\n\nto help you with "
                   "\"{task.title}\", could you tell us a little more: what\nhappened, when, "
                   "and any error message you saw?\n\nKind regards,\n{agent.name}\n"),
    CannedResponse("resolved", "Hello {requester.name},\n\nwe have resolved \"{task.title}\". "
                   "If anything is still not right, just reply\nto this e-mail.\n\n"
                   "Kind regards,\n{agent.name}\n"),
)


def _check_canned(responses: list[CannedResponse]) -> None:
    """Check that the canned responses have different names."""
    names: set[str] = set()
    for index, response in enumerate(responses):
        if response.name.casefold() in names:
            raise SettingProblem((index, "name"),
                                 f"another canned response is called {response.name!r}")
        names.add(response.name.casefold())


@dataclass(frozen=True)
class Settings:
    """Everything a person can set in config.yaml."""

    database: str | None = field(default=None, metadata={_CHECK: _check_database_url})
    """sqlite:///path/to/desk.db or postgresql://user@host:5432/dbname; None = the default
    SQLite file in the user data folder. DESK_DATABASE and --db override it (see desk.db)."""

    timezone: str | None = field(default=None, metadata={_CHECK: _check_timezone})
    """IANA name like Europe/Berlin for showing and reading times; None = the system zone."""

    sqlite: SqliteSettings = field(default_factory=SqliteSettings)
    """SQLite durability and locking."""

    workspace: WorkspaceSettings = field(default_factory=WorkspaceSettings)
    """Defaults for everyday commands."""

    orders: OrderSettings = field(default_factory=OrderSettings)
    """Where new orders go and who fulfils them."""

    checklist_templates: dict[str, ChecklistTemplateSettings] = field(default_factory=dict)
    """Template name -> template, created in the database when missing."""

    theme: str = field(default="desk-dark", metadata={_CHECK: _not_blank})
    """The name of the TUI theme."""

    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, overriding the TUI's built-in keys."""

    automations: list[Any] = field(default_factory=_shipped_automations,
                                   metadata={_CHECK: _check_automations})
    """The automation rules (when, if, do), checked by desk.automation.rules; the default is
    the shipped rules, and [] turns them off."""

    calendar: CalendarSettings = field(default_factory=CalendarSettings)
    """The business calendar: zone, working days and hours, holidays."""

    sla: SlaSettings = field(default_factory=SlaSettings)
    """SLA policies of support queries and the near-breach threshold."""

    urgency: UrgencySettings = field(default_factory=UrgencySettings)
    """The weights of the inbox's urgency score."""

    intake: IntakeSettings = field(default_factory=IntakeSettings)
    """Where queries from e-mail and forms land, and the mailbox to read."""

    smtp: SmtpSettings = field(default_factory=SmtpSettings, metadata={_CHECK: _check_smtp})
    """The SMTP server the outbox sends through; without one, mail waits in the outbox."""

    canned_responses: list[CannedResponse] = field(
        default_factory=lambda: list(SHIPPED_CANNED_RESPONSES), metadata={_CHECK: _check_canned})
    """Replies kept ready for the composer (ctrl+t); [] = none."""

    @property
    def tz(self) -> tzinfo:
        """The zone people see times in: `timezone`, or the system's local zone when None."""
        return ZoneInfo(self.timezone) if self.timezone else _system_zone()


@functools.cache
def _system_zone() -> tzinfo:
    """The system's local zone, with its daylight-saving rules where they can be found.

    $TZ when it names an IANA zone, else /etc/localtime read as a zone file; failing both (a
    POSIX TZ rule, or no zone file as on Windows), the current fixed UTC offset.
    """
    name = os.environ.get("TZ", "").removeprefix(":")
    try:
        if name:
            return ZoneInfo(name)
        with open("/etc/localtime", "rb") as zone_file:
            return ZoneInfo.from_file(zone_file, key="localtime")
    except (OSError, ValueError, ZoneInfoNotFoundError):
        return datetime.now().astimezone().tzinfo


# --- loading -----------------------------------------------------------------------------------


def default_config_path() -> Path:
    """Where desk looks for its config when none is named: the user config folder."""
    return platformdirs.user_config_path("desk") / "config.yaml"


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings: `path` (--config), else $DESK_CONFIG, else the default file if any.

    With none of them, or an empty file, every setting has its default. A file named by
    `path` or $DESK_CONFIG must exist. Raises ConfigError.
    """
    found = read_config(path, environ)
    return Settings() if found is None else parse_settings(*found)


def read_config(path: Path | None = None,
                environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """The text and file name of the config file `load_settings` reads, or None when it
    uses the defaults. Raises ConfigError for a file that is missing or unreadable."""
    chosen = _config_file(path, os.environ if environ is None else environ)
    if chosen is None:
        return None
    try:
        text = chosen.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise ConfigError(f"{chosen}: cannot read the config file: {reason}") from None
    return text, str(chosen)


def _config_file(path: Path | None, environ: Mapping[str, str]) -> Path | None:
    """The config file to read, or None for the defaults."""
    if path is not None:
        return _existing(path.expanduser(), "")
    if environ.get(CONFIG_ENV):
        return _existing(Path(environ[CONFIG_ENV]).expanduser(), f" (named by {CONFIG_ENV})")
    default = default_config_path()
    return default if default.is_file() else None


def _existing(path: Path, origin: str) -> Path:
    """`path` itself, or a ConfigError when there is no such file."""
    if not path.exists():
        raise ConfigError(f"{path}: no such config file{origin}")
    return path


def parse_settings(text: str, source: str = "config.yaml") -> Settings:
    """Settings from YAML `text`; `source` names the file in error messages."""
    try:
        data, root = read_yaml(text)
    except yaml.YAMLError as error:
        line, problem = _yaml_problem(error, text)
        raise ConfigError(f"{source}, line {line}: not valid YAML: {problem}") from None
    try:
        return _build(Settings, data, ())
    except _Invalid as invalid:
        line = _line(root, invalid)
        raise ConfigError(f"{source}, line {line}: {invalid.text}") from None


def read_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """The data in YAML `text` exactly as `yaml.safe_load` gives it, and the node tree it was
    built from (for the line of each key). Raises yaml.YAMLError.

    One pass with libyaml's safe loader when PyYAML has it (ten times faster: the themes are
    read at every start); text it refuses is read again by the Python loader, so that the
    error, its wording and its line are the same on every machine."""
    if yaml.__with_libyaml__:
        try:
            return _read_yaml_with(yaml.CSafeLoader, text)
        except yaml.YAMLError:
            pass  # read again below
    return _read_yaml_with(yaml.SafeLoader, text)


def _read_yaml_with(loader_class: type, text: str) -> tuple[Any, yaml.Node | None]:
    """`read_yaml` with one safe loader class."""
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        return (None if root is None else loader.construct_document(root)), root
    finally:
        loader.dispose()


def _yaml_problem(error: yaml.YAMLError, text: str) -> tuple[int, str]:
    """The 1-based line and a one-line description of a YAML syntax error."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        parts = [part for part in (error.context, error.problem) if part]
        return error.problem_mark.line + 1, ", ".join(parts) or "syntax error"
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        return line, f"unacceptable character #x{error.character:04x}: {error.reason}"
    return 1, str(error).splitlines()[0]


# --- the validator -----------------------------------------------------------------------------


class _Invalid(Exception):
    """A value that does not fit the schema, at `path`; `at_key` points the line at the key."""

    def __init__(self, path: KeyPath, message: str, *, at_key: bool = False,
                 text: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.at_key = at_key
        self.text = text or (message if at_key or not path else f"{_dotted(path)}: {message}")


def _dotted(path: KeyPath) -> str:
    """`path` written as people write it: sqlite.synchronous, some.list[2]."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def shown(value: object) -> str:
    """A value as a person wrote it in YAML, for error messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value) if isinstance(value, str) else str(value)


def _convert(hint: Any, value: object, path: KeyPath) -> Any:
    """`value` checked against the type `hint`; raises _Invalid."""
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, path)
    if hint is Any:  # free-form YAML data, checked by the field's check
        return value
    origin = typing.get_origin(hint)
    if origin is Literal:
        return _choice(typing.get_args(hint), value, path)
    if origin in (typing.Union, types.UnionType):
        return _optional(typing.get_args(hint), value, path)
    if origin is list:
        return _list(typing.get_args(hint)[0], value, path)
    if origin is dict:
        return _mapping(typing.get_args(hint)[1], value, path)
    return _scalar(hint, value, path)


def _build(cls: Any, value: object, path: KeyPath) -> Any:
    """An instance of the dataclass `cls` from a mapping; an empty section gives the defaults."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise _Invalid(path, f"expected a mapping of settings (key: value), got {shown(value)}")
    fields = {item.name: item for item in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    values = {}
    for key, raw in value.items():
        if key not in fields:
            raise _Invalid((*path, str(key)), _unknown(str(key), list(fields), path), at_key=True)
        values[key] = _convert(hints[key], raw, (*path, key))
        _run_check(fields[key], values[key], (*path, key))
    required = [name for name, item in fields.items() if name not in values
                and item.default is dataclasses.MISSING
                and item.default_factory is dataclasses.MISSING]
    if required:
        raise _Invalid(path, f"missing the key '{required[0]}'")
    return cls(**values)


def _unknown(key: str, known: list[str], path: KeyPath) -> str:
    """The message for a key the schema does not have, with the likeliest intended key."""
    guesses = difflib.get_close_matches(key, known, n=1)
    if guesses:
        hint = f"did you mean '{_dotted((*path, guesses[0]))}'?"
    else:
        hint = f"expected one of {', '.join(known)}"
    return f"unknown key '{_dotted((*path, key))}' ({hint})"


def _run_check(setting: dataclasses.Field[Any], value: object, path: KeyPath) -> None:
    """Apply the field's extra check, if it has one, to a value that is set."""
    check = setting.metadata.get(_CHECK)
    if check is None or value is None:
        return
    try:
        check(value)
    except SettingProblem as problem:
        raise _Invalid((*path, *problem.path), str(problem),
                       text=f"{_dotted(path)}: {problem}") from None
    except ValueError as error:
        raise _Invalid(path, str(error)) from None


def _choice(choices: tuple[object, ...], value: object, path: KeyPath) -> object:
    """One of the Literal `choices` (same type too: YAML true is not 1)."""
    for choice in choices:
        if type(value) is type(choice) and value == choice:
            return value
    listed = ", ".join(str(choice) for choice in choices)
    raise _Invalid(path, f"expected one of {listed}; got {shown(value)}")


def _optional(options: tuple[Any, ...], value: object, path: KeyPath) -> object:
    """A value for `X | None`: an empty YAML value is None."""
    present = [option for option in options if option is not types.NoneType]
    if len(present) != 1:
        raise TypeError(f"settings support only `X | None` unions, not {options}")
    return None if value is None else _convert(present[0], value, path)


def _list(item: Any, value: object, path: KeyPath) -> list[Any]:
    """A list of `item`; an empty value is the empty list."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Invalid(path, f"expected a list, got {shown(value)}")
    return [_convert(item, entry, (*path, index)) for index, entry in enumerate(value)]


def _mapping(item: Any, value: object, path: KeyPath) -> dict[str, Any]:
    """A mapping from text to `item`; an empty value is the empty mapping."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Invalid(path, f"expected a mapping (key: value), got {shown(value)}")
    for key in value:
        if not isinstance(key, str):
            raise _Invalid(path, f"expected text keys, got {shown(key)}")
    return {key: _convert(item, entry, (*path, key)) for key, entry in value.items()}


def _is_number(value: object) -> bool:
    """Whether `value` is an int or float from YAML (true and false are not numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


_SCALARS: dict[type, tuple[str, Callable[[object], bool]]] = {
    str: ("text", lambda value: isinstance(value, str)),
    bool: ("true or false", lambda value: isinstance(value, bool)),
    int: ("a whole number", lambda value: _is_number(value) and isinstance(value, int)),
    float: ("a number", _is_number),
    date: ("a date written 2026-12-25 (not in quotes)",
           lambda value: isinstance(value, date) and not isinstance(value, datetime)),
}


def _scalar(hint: Any, value: object, path: KeyPath) -> object:
    """A str, bool, int, float or date; a whole number is accepted where a float is
    expected."""
    if hint not in _SCALARS:
        raise TypeError(f"unsupported setting type {hint!r}")
    expected, fits = _SCALARS[hint]
    if not fits(value):
        raise _Invalid(path, f"expected {expected}, got {shown(value)}")
    return value if hint is date else hint(value)


# --- where in the file -------------------------------------------------------------------------


def _line(root: yaml.Node | None, invalid: _Invalid) -> int:
    """The 1-based line of the key or value `invalid` is about, or of its nearest parent."""
    return line_of(root, invalid.path, at_key=invalid.at_key)


def line_of(root: yaml.Node | None, path: KeyPath, *, at_key: bool = False) -> int:
    """The 1-based line of the value (or, with `at_key`, the key) at `path` under the node
    `root`, or of its nearest parent on the way there; 1 without a node."""
    if root is None:
        return 1
    node, key_node = root, None
    for part in path:
        child = _child(node, part)
        if child is None:
            break
        key_node, node = child
    target = key_node if at_key and key_node is not None else node
    return target.start_mark.line + 1


def node_at(root: yaml.Node | None, path: KeyPath) -> yaml.Node | None:
    """The value node at `path` under the node `root`, or None when nothing is there."""
    node = root
    for part in path:
        child = None if node is None else _child(node, part)
        if child is None:
            return None
        _, node = child
    return node


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key, value) nodes for `part` under `node`; the last duplicate key wins, as in YAML."""
    if isinstance(node, yaml.MappingNode):
        for key, value in reversed(node.value):
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part], node.value[part]
    return None
